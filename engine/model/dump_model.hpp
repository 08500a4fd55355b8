#pragma once
// Everything drydock rebuilt from one dump: the immutable object model that
// reports print and rules read. Objects refer to each other by id (pid,
// mount id, namespace inode, container id), never by pointer.

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/model/container.hpp"
#include "engine/model/mount.hpp"
#include "engine/model/net_interface.hpp"
#include "engine/model/socket.hpp"
#include "engine/model/task.hpp"

namespace drydock {

// A part of the dump that could not be read; extraction went on without it.
struct ExtractionIssue {
  std::string stage;    // "tasks", "mounts", "net", ...
  std::string message;  // names the structure and address
};

// Signals that a container engine ran on the host, each on its own.
struct EngineSignals {
  bool bridge = false;            // a docker0/br-*/cni-podman* bridge with veth ports
  bool overlay_mounts = false;    // overlay filesystems under /var/lib/docker or /var/lib/containers
  bool runtime_processes = false; // dockerd, containerd, shims, runc, conmon, crun
  std::vector<std::string> engines;  // "docker", "podman", "containerd"
  std::vector<std::string> evidence; // human-readable lines ("pid 358 dockerd")
};

struct MemoryRange {
  std::uint64_t start = 0;
  std::uint64_t end = 0;  // inclusive, as LiME writes it
};

struct DumpInfo {
  std::string path;
  std::vector<MemoryRange> ranges;
  std::string format;          // "lime", "raw", "elf_core"
  std::string compression;     // "none", "zstd", ...
  std::string banner;
  std::string kernel_release;
  std::string symbols;         // path of the ISF used
  std::uint64_t dtb = 0;
  std::uint64_t virtual_shift = 0;
  std::uint64_t physical_shift = 0;
  std::string paging;          // "4-level" or "5-level"
  std::string shift_source;    // "vmcoreinfo" or "scan"
  std::string init_task_comm;  // read through the translation, as a proof
  std::optional<std::int64_t> boot_time_unix_ns;
  // The structure variants this kernel's symbol table chose ("mounts",
  // "rbtree (mnt_namespace.mounts)") and the required members it lacks
  // ("cred.euid: task euid"), so a user can see why a field is unknown.
  std::vector<std::pair<std::string, std::string>> layout_variants;
  std::vector<std::string> layout_missing;
  // The extraction's memory budget and what the walkers charged to it
  // (engine/core/memory_budget.hpp); 0 when no model was built.
  std::uint64_t memory_budget_bytes = 0;
  std::uint64_t memory_used_bytes = 0;
};

struct DumpModel {
  DumpInfo info;
  std::vector<Task> tasks;              // sorted by pid
  std::vector<Mount> mounts;            // sorted by (mnt_ns, mount_id)
  std::vector<NetInterface> interfaces; // sorted by (net_ns, ifindex)
  std::vector<Container> containers;    // sorted by id
  std::vector<Socket> sockets;          // sorted by (pid, fd)
  std::vector<Pod> pods;                // Kubernetes pods of the containers, sorted by uid
  EngineSignals engine;
  NamespaceSet host_ns;                 // PID 1's namespaces
  std::vector<ExtractionIssue> issues;
};

}  // namespace drydock
