#pragma once
// Indexes derived from one DumpModel for evaluation: which tasks, mounts and
// interfaces belong to which container, and the network segments. Built once
// per evaluate() call, read-only afterwards (shared by all worker threads).

#include <cstdint>
#include <string>
#include <unordered_map>
#include <vector>

#include "engine/model/dump_model.hpp"
#include "engine/rules/value.hpp"

namespace drydock::rules::detail {

// One IPv4 segment with containers on it.
struct Segment {
  std::string name;    // "172.17.0.0/16"
  std::string bridge;  // host-side interface holding an address in it, "" when unknown
  std::vector<std::string> member_names;  // container names (short id when unnamed)
  std::vector<std::string> member_ids;
  std::vector<Obj> containers;
};

struct ContainerLinks {
  std::vector<Obj> tasks;
  std::vector<Obj> kernel_mounts;
  std::vector<Obj> interfaces;
  std::vector<Obj> mounts;    // ContainerMount
  std::vector<Obj> networks;  // ContainerNetwork
  std::vector<Obj> changes;   // FileChange (empty when the changes are unknown)
  std::vector<Obj> segments;
  std::vector<Obj> sockets;   // Socket, of its tasks
  std::int64_t init_task = -1;  // index into model.tasks
};

class EvalEnv {
 public:
  explicit EvalEnv(const DumpModel& model);
  EvalEnv(const EvalEnv&) = delete;
  EvalEnv& operator=(const EvalEnv&) = delete;

  const DumpModel& model;
  Obj host;
  std::vector<Obj> hosts;  // {host}
  std::vector<Obj> tasks, containers, mounts, interfaces, networks;
  // Every element of every container's mounts, networks and changes.
  std::vector<Obj> container_mounts, container_networks, container_changes;
  std::vector<Segment> segments;
  std::vector<ContainerLinks> links;       // per container
  std::vector<std::int32_t> task_container;      // per task: container index or -1
  std::vector<std::int32_t> mount_container;     // per mount
  std::vector<std::int32_t> interface_container; // per interface
  std::vector<std::string> container_labels;     // name, or short id
  std::vector<Obj> sockets;                      // every Socket
  std::vector<std::vector<Obj>> task_sockets;    // per task: the sockets of its file table

  // By the kind table (schema.hpp): its objects, id, label, identity, title.
  const std::vector<Obj>& objects_of(ObjectKind kind) const;
  std::string object_id(const Obj& object) const;
  std::string object_label(const Obj& object) const;
  std::string object_identity(const Obj& object) const;
  std::string object_title(const Obj& object) const;
  Value container_value(std::int32_t index) const;

 private:
  void link_sockets();  // after tasks and containers are linked
};

}  // namespace drydock::rules::detail
