#include "engine/model/build_model.hpp"

#include <algorithm>

#include "engine/containers/container_detector.hpp"
#include "engine/kernel/mount_walker.hpp"
#include "engine/kernel/net_walker.hpp"
#include "engine/kernel/socket_walker.hpp"
#include "engine/kernel/task_walker.hpp"

namespace drydock {

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
  if (options.sockets && options.tasks) {
    SocketWalkResult sockets = walk_sockets(kernel, model.tasks);
    model.sockets = std::move(sockets.sockets);
    model.issues.insert(model.issues.end(), sockets.issues.begin(), sockets.issues.end());
  }
  return model;
}

}  // namespace drydock
