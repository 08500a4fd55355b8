#include <algorithm>

#include <fmt/format.h>

#include "engine/cli/commands.hpp"
#include "engine/kernel/mount_walker.hpp"
#include "engine/kernel/task_walker.hpp"
#include "engine/model/build_model.hpp"
#include "reports/json_output.hpp"
#include "reports/mount_report.hpp"

namespace drydock {

int run_mounts(const CommonOptions& options, const std::string& dump, std::vector<int> pids, bool all) {
  auto session = open_session(options, dump);
  if (!session) return fail(session.error().message);
  const KernelMemory& kernel = (*session)->kernel();
  TaskWalkResult tasks = walk_tasks(kernel);
  std::vector<Mount> mounts;
  std::vector<ExtractionIssue> issues = tasks.issues;
  if (all) {
    MountWalkResult walked = walk_mounts(kernel, tasks.tasks);
    mounts = std::move(walked.mounts);
    issues.insert(issues.end(), walked.issues.begin(), walked.issues.end());
  } else {
    if (pids.empty()) pids.push_back(1);
    for (int pid : pids) {
      auto task = std::find_if(tasks.tasks.begin(), tasks.tasks.end(), [&](const Task& t) { return t.pid == pid; });
      if (task == tasks.tasks.end()) return fail(fmt::format("{}: no process with PID {} in this dump", dump, pid));
      MountWalkResult walked = mounts_seen_by(kernel, *task);
      mounts.insert(mounts.end(), walked.mounts.begin(), walked.mounts.end());
      issues.insert(issues.end(), walked.issues.begin(), walked.issues.end());
    }
  }
  const DumpInfo info = (*session)->describe();
  const std::string text = options.format == "json" ? to_json_text(mounts_json(info, mounts, issues)) + "\n"
                                                    : mounts_text(mounts, issues);
  return write_output(options, text) ? kExitOk : kExitInputError;
}

}  // namespace drydock
