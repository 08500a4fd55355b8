#include "engine/model/build_model.hpp"

#include <algorithm>

#include "engine/containers/container_detector.hpp"
#include "engine/containers/engine_records.hpp"
#include "engine/containers/kubernetes_pods.hpp"
#include "engine/containers/record_files.hpp"
#include "engine/containers/socket_creators.hpp"
#include "engine/kernel/container_changes.hpp"
#include "engine/kernel/mount_walker.hpp"
#include "engine/kernel/net_walker.hpp"
#include "engine/kernel/socket_walker.hpp"
#include "engine/kernel/task_walker.hpp"

namespace drydock {
namespace {

// The upper directories are host paths: walked in PID 1's mount namespace.
void add_container_changes(const KernelMemory& kernel, DumpModel& model) {
  auto init = std::find_if(model.tasks.begin(), model.tasks.end(), [](const Task& t) { return t.pid == 1; });
  if (init == model.tasks.end()) {
    model.issues.push_back({"changes", "no PID 1: container upper directories not walked, their changes unknown"});
    return;
  }
  MountWalkResult host = mounts_seen_by(kernel, *init);
  model.issues.insert(model.issues.end(), host.issues.begin(), host.issues.end());
  ChangeWalkResult changes = walk_container_changes(kernel, host.mounts, model.containers);
  for (Container& c : model.containers) {
    if (auto it = changes.changes.find(c.id); it != changes.changes.end()) c.changes = std::move(it->second);
  }
  model.issues.insert(model.issues.end(), changes.issues.begin(), changes.issues.end());
}

// The engines' records are host files: found in PID 1's mount namespace.
void add_engine_records(const KernelMemory& kernel, DumpModel& model, const ModelOptions& options) {
  auto init = std::find_if(model.tasks.begin(), model.tasks.end(), [](const Task& t) { return t.pid == 1; });
  if (init == model.tasks.end()) {
    for (Container& c : model.containers) c.record_errors.push_back("no PID 1: the engines' records were not looked for");
    return;
  }
  RecordFilesResult files = find_record_files(kernel, *init);
  RecordParseOptions parse;
  parse.show_secrets = options.show_secrets;
  attach_engine_records(model.containers, files.files, parse);
  model.issues.insert(model.issues.end(), files.issues.begin(), files.issues.end());
}

}  // namespace

DumpModel build_model(const DumpSession& session, const ModelOptions& options) {
  DumpModel model = build_model(session.kernel(), options);
  const auto boot_time = model.info.boot_time_unix_ns;
  model.info = session.describe();
  model.info.boot_time_unix_ns = boot_time;
  model.info.memory_budget_bytes = session.kernel().budget().limit();
  model.info.memory_used_bytes = session.kernel().budget().used();
  return model;
}

DumpModel build_model(const KernelMemory& kernel, const ModelOptions& options) {
  DumpModel model;

  if (options.tasks) {
    TaskWalkOptions walk;
    walk.threads = options.threads;
    TaskWalkResult tasks = walk_tasks(kernel, walk);
    model.tasks = std::move(tasks.tasks);
    model.info.boot_time_unix_ns = tasks.boot_time_unix_ns;
    model.issues.insert(model.issues.end(), tasks.issues.begin(), tasks.issues.end());
    for (const Task& t : model.tasks) {
      if (t.pid == 1) model.host_ns = t.ns;
    }
  }
  if (options.mounts) {
    MountWalkResult mounts = walk_mounts(kernel, model.tasks);
    model.mounts = std::move(mounts.mounts);
    model.issues.insert(model.issues.end(), mounts.issues.begin(), mounts.issues.end());
  }
  if (options.network) {
    NetWalkResult net = walk_network(kernel);
    model.interfaces = std::move(net.interfaces);
    model.issues.insert(model.issues.end(), net.issues.begin(), net.issues.end());
  }
  if (options.containers) {
    ContainerDetection found = detect_containers(model);
    for (const Container& c : found.containers) {
      for (Task& t : model.tasks) {
        if (std::binary_search(c.pids.begin(), c.pids.end(), t.tgid)) t.container_id = c.id;
      }
    }
    model.containers = std::move(found.containers);
    model.engine = std::move(found.engine);
  }
  if (options.records && options.containers && options.tasks) add_engine_records(kernel, model, options);
  // Pods join what the records say (when read) with the cgroup paths.
  if (options.containers) model.pods = group_pods(model.containers, model.tasks);
  if (options.sockets && options.tasks) {
    SocketWalkResult sockets = walk_sockets(kernel, model.tasks);
    model.sockets = std::move(sockets.sockets);
    model.issues.insert(model.issues.end(), sockets.issues.begin(), sockets.issues.end());
  }
  if (options.changes && options.containers && options.tasks) {
    add_container_changes(kernel, model);
    // Who may have created whom through a mounted engine socket: needs the
    // records' creation times and the upper layers.
    if (options.records) attach_possible_creators(model.containers);
  }
  return model;
}

}  // namespace drydock
