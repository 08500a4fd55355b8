#include "engine/cli/command_files.hpp"

#include <algorithm>
#include <set>
#include <tuple>

#include <fmt/format.h>

#include "engine/cli/file_extraction.hpp"
#include "engine/kernel/container_changes.hpp"
#include "engine/kernel/file_walker.hpp"
#include "engine/kernel/mount_walker.hpp"
#include "engine/kernel/task_walker.hpp"
#include "reports/file_report.hpp"
#include "reports/json_output.hpp"

namespace drydock {

int run_files(const CommonOptions& options, const std::string& dump, const FilesFilter& filter) {
  if (!filter.path_prefix.empty() && filter.path_prefix.front() != '/') {
    return fail(fmt::format("--path {}: give an absolute path (\"/etc\")", filter.path_prefix));
  }
  auto session = open_session(options, dump);
  if (!session) return fail(session.error().message);
  const KernelMemory& kernel = (*session)->kernel();
  TaskWalkResult tasks = walk_tasks(kernel);
  std::vector<ExtractionIssue> issues = tasks.issues;

  std::vector<int> pids = filter.pids;
  if (pids.empty()) pids.push_back(1);
  FileWalkOptions walk_options;
  walk_options.mount_ids = filter.mount_ids;
  walk_options.path_prefix = filter.path_prefix;
  walk_options.uids = filter.uids;

  std::vector<CachedFile> files;
  std::set<std::int32_t> mount_ids_seen;
  for (int pid : pids) {
    auto task = std::find_if(tasks.tasks.begin(), tasks.tasks.end(), [&](const Task& t) { return t.pid == pid; });
    if (task == tasks.tasks.end()) return fail(fmt::format("{}: no process with PID {} in this dump", dump, pid));
    MountWalkResult mounts = mounts_seen_by(kernel, *task);
    issues.insert(issues.end(), mounts.issues.begin(), mounts.issues.end());
    for (const Mount& m : mounts.mounts) mount_ids_seen.insert(m.mount_id);
    FileWalkResult walked = walk_files(kernel, mounts.mounts, walk_options);
    files.insert(files.end(), std::make_move_iterator(walked.files.begin()),
                 std::make_move_iterator(walked.files.end()));
    issues.insert(issues.end(), walked.issues.begin(), walked.issues.end());
  }
  for (std::int32_t id : filter.mount_ids) {
    if (!mount_ids_seen.contains(id)) {
      return fail(fmt::format("{}: no mount with id {} in the mount namespaces of the chosen PIDs", dump, id));
    }
  }
  // Two PIDs of one namespace (and root) see the same files once.
  std::sort(files.begin(), files.end(), [](const CachedFile& a, const CachedFile& b) {
    return std::tie(a.mnt_ns, a.path, a.mount_id, a.dentry_address) <
           std::tie(b.mnt_ns, b.path, b.mount_id, b.dentry_address);
  });
  files.erase(std::unique(files.begin(), files.end(),
                          [](const CachedFile& a, const CachedFile& b) {
                            return std::tie(a.mnt_ns, a.path, a.mount_id, a.dentry_address) ==
                                   std::tie(b.mnt_ns, b.path, b.mount_id, b.dentry_address);
                          }),
              files.end());

  if (!filter.extract_dir.empty()) {
    std::vector<ExtractItem> items;
    for (const CachedFile& f : files) {
      nlohmann::json inode = cached_file_json(f);
      for (const char* drop : {"path", "mnt_ns", "mount_id"}) inode.erase(drop);
      const std::string kind = file_kind(f.mode, f.rdev);
      const std::string where = f.mnt_ns ? fmt::format("mnt-{}", *f.mnt_ns) : "mnt-unknown";  // namespace inode unreadable
      items.push_back({f.path, where, kind, f.inode_address, f.size, inode, std::nullopt});
    }
    auto summary = extract_files(kernel, items, filter.extract_dir);
    if (!summary) return fail(summary.error().message);
    if (!options.quiet) {
      fmt::print(stderr, "drydock: {} entries, {} files written ({} complete, {} bytes recovered) under {}\n",
                 summary->entries, summary->written, summary->complete, summary->bytes_recovered, filter.extract_dir);
    }
  }
  const DumpInfo info = (*session)->describe();
  const std::string text = options.format == "json" ? to_json_text(files_json(info, files, issues)) + "\n"
                                                    : files_text(files, issues);
  return write_output(options, text) ? kExitOk : kExitInputError;
}

}  // namespace drydock
