#include "engine/pipeline/passes.hpp"

#include <algorithm>
#include <array>
#include <iterator>
#include <tuple>

#include "engine/containers/container_detector.hpp"
#include "engine/containers/engine_records.hpp"
#include "engine/containers/kubernetes_pods.hpp"
#include "engine/containers/record_files.hpp"
#include "engine/containers/socket_creators.hpp"
#include "engine/kernel/container_changes.hpp"
#include "engine/kernel/file_walker.hpp"
#include "engine/kernel/mount_walker.hpp"
#include "engine/kernel/net_walker.hpp"
#include "engine/kernel/socket_walker.hpp"
#include "engine/kernel/task_walker.hpp"

namespace drydock {
namespace {

void append_issues(ExtractionContext& context, const std::vector<ExtractionIssue>& issues) {
  context.model.issues.insert(context.model.issues.end(), issues.begin(), issues.end());
}

const Task* task_with_pid(const std::vector<Task>& tasks, int pid) {
  auto it = std::find_if(tasks.begin(), tasks.end(), [pid](const Task& t) { return t.pid == pid; });
  return it == tasks.end() ? nullptr : &*it;
}

void tasks_pass(ExtractionContext& context) {
  TaskWalkOptions walk;
  walk.threads = context.options.threads;
  TaskWalkResult tasks = walk_tasks(context.kernel, walk);
  DumpModel& model = context.model;
  model.tasks = std::move(tasks.tasks);
  model.info.boot_time_unix_ns = tasks.boot_time_unix_ns;
  append_issues(context, tasks.issues);
  for (const Task& t : model.tasks) {
    if (t.pid == 1) model.host_ns = t.ns;
  }
}

void mounts_pass(ExtractionContext& context) {
  MountWalkResult mounts = walk_mounts(context.kernel, context.model.tasks);
  context.model.mounts = std::move(mounts.mounts);
  append_issues(context, mounts.issues);
}

void network_pass(ExtractionContext& context) {
  NetWalkResult net = walk_network(context.kernel);
  context.model.interfaces = std::move(net.interfaces);
  append_issues(context, net.issues);
}

void containers_pass(ExtractionContext& context) {
  DumpModel& model = context.model;
  ContainerDetection found = detect_containers(model);
  for (const Container& c : found.containers) {
    for (Task& t : model.tasks) {
      if (std::binary_search(c.pids.begin(), c.pids.end(), t.tgid)) t.container_id = c.id;
    }
  }
  model.containers = std::move(found.containers);
  model.engine = std::move(found.engine);
}

// The engines' records are host files: found in PID 1's mount namespace.
void records_pass(ExtractionContext& context) {
  DumpModel& model = context.model;
  const Task* init = task_with_pid(model.tasks, 1);
  if (!init) {
    for (Container& c : model.containers) c.record_errors.push_back("no PID 1: the engines' records were not looked for");
    return;
  }
  RecordFilesResult files = find_record_files(context.kernel, *init);
  RecordParseOptions parse;
  parse.show_secrets = context.options.show_secrets;
  attach_engine_records(model.containers, files.files, parse);
  append_issues(context, files.issues);
}

// Pods join the cgroup paths with what the records say, when records were
// read (the table runs this pass after records).
void pods_pass(ExtractionContext& context) {
  context.model.pods = group_pods(context.model.containers, context.model.tasks);
}

void sockets_pass(ExtractionContext& context) {
  SocketWalkResult sockets = walk_sockets(context.kernel, context.model.tasks);
  context.model.sockets = std::move(sockets.sockets);
  append_issues(context, sockets.issues);
}

void views_pass(ExtractionContext& context) {
  std::vector<int> pids = context.options.view_pids;
  if (pids.empty()) pids.push_back(1);
  for (int pid : pids) {
    const Task* task = task_with_pid(context.model.tasks, pid);
    if (!task) {
      context.missing_pids.push_back(pid);
      continue;
    }
    MountWalkResult walked = mounts_seen_by(context.kernel, *task);
    append_issues(context, walked.issues);
    context.views.push_back({pid, std::move(walked.mounts)});
  }
}

void files_pass(ExtractionContext& context) {
  std::vector<CachedFile>& files = context.files;
  for (const MountView& view : context.views) {
    FileWalkResult walked = walk_files(context.kernel, view.mounts, context.options.files);
    files.insert(files.end(), std::make_move_iterator(walked.files.begin()),
                 std::make_move_iterator(walked.files.end()));
    append_issues(context, walked.issues);
  }
  // Two PIDs of one namespace (and root) see the same files once.
  auto key = [](const CachedFile& f) { return std::tie(f.mnt_ns, f.path, f.mount_id, f.dentry_address); };
  std::sort(files.begin(), files.end(), [&](const CachedFile& a, const CachedFile& b) { return key(a) < key(b); });
  files.erase(std::unique(files.begin(), files.end(),
                          [&](const CachedFile& a, const CachedFile& b) { return key(a) == key(b); }),
              files.end());
}

// The upper directories are host paths: walked in PID 1's mount namespace.
void changes_pass(ExtractionContext& context) {
  DumpModel& model = context.model;
  auto host = std::find_if(context.views.begin(), context.views.end(), [](const MountView& v) { return v.pid == 1; });
  if (host == context.views.end()) {
    const auto& missing = context.missing_pids;
    const bool no_init = std::find(missing.begin(), missing.end(), 1) != missing.end();
    model.issues.push_back({"changes", no_init ? "no PID 1: container upper directories not walked, their changes unknown"
                                               : "PID 1 not among the chosen views: container upper directories not "
                                                 "walked, their changes unknown"});
    return;
  }
  ChangeWalkResult changes = walk_container_changes(context.kernel, host->mounts, model.containers);
  for (Container& c : model.containers) {
    if (auto it = changes.changes.find(c.id); it != changes.changes.end()) c.changes = std::move(it->second);
  }
  append_issues(context, changes.issues);
}

// Who may have created whom through a mounted engine socket: the records'
// creation times against the upper layers' client files.
void creators_pass(ExtractionContext& context) { attach_possible_creators(context.model.containers); }

using enum Product;

constexpr std::array kPasses{
    Pass{"tasks", {}, tasks, tasks_pass},
    Pass{"mounts", {tasks}, mounts, mounts_pass},
    Pass{"network", {}, network, network_pass},
    Pass{"containers", {tasks, mounts, network}, containers, containers_pass},
    Pass{"records", {containers}, records, records_pass},
    Pass{"pods", {containers}, pods, pods_pass},
    Pass{"sockets", {containers}, sockets, sockets_pass},
    Pass{"views", {tasks}, views, views_pass},
    Pass{"files", {views}, files, files_pass},
    Pass{"changes", {containers, views}, changes, changes_pass},
    Pass{"creators", {records, changes}, creators, creators_pass},
};
static_assert(kPasses.size() == kProductCount, "one pass per product");

}  // namespace

std::span<const Pass> extraction_passes() { return kPasses; }

}  // namespace drydock
