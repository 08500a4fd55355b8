#include "engine/cli/command_files.hpp"

#include <set>

#include <fmt/format.h>

#include "engine/cli/file_extraction.hpp"
#include "engine/kernel/container_changes.hpp"
#include "engine/pipeline/pipeline.hpp"
#include "reports/file_report.hpp"
#include "reports/json_output.hpp"

namespace drydock {

int run_files(const CommonOptions& options, const std::string& dump, const FilesFilter& filter) {
  if (!filter.path_prefix.empty() && filter.path_prefix.front() != '/') {
    return fail(fmt::format("--path {}: give an absolute path (\"/etc\")", filter.path_prefix));
  }
  auto session = open_session(options, dump);
  if (!session) return fail(session.error().message);
  ExtractionOptions extraction;
  extraction.view_pids = filter.pids;
  extraction.files.mount_ids = filter.mount_ids;
  extraction.files.path_prefix = filter.path_prefix;
  extraction.files.uids = filter.uids;
  const ExtractionContext context = extract(**session, {Product::files}, extraction);
  print_pass_timings(options, context.timings);
  if (!context.missing_pids.empty()) {
    return fail(fmt::format("{}: no process with PID {} in this dump", dump, context.missing_pids.front()));
  }
  std::set<std::int32_t> mount_ids_seen;
  for (const MountView& view : context.views) {
    for (const Mount& m : view.mounts) mount_ids_seen.insert(m.mount_id);
  }
  for (std::int32_t id : filter.mount_ids) {
    if (!mount_ids_seen.contains(id)) {
      return fail(fmt::format("{}: no mount with id {} in the mount namespaces of the chosen PIDs", dump, id));
    }
  }
  const std::vector<CachedFile>& files = context.files;
  const std::vector<ExtractionIssue>& issues = context.model.issues;

  if (!filter.extract_dir.empty()) {
    std::vector<ExtractItem> items;
    for (const CachedFile& f : files) {
      nlohmann::json inode = cached_file_json(f);
      for (const char* drop : {"path", "mnt_ns", "mount_id"}) inode.erase(drop);
      const std::string kind = file_kind(f.mode, f.rdev);
      const std::string where = f.mnt_ns ? fmt::format("mnt-{}", *f.mnt_ns) : "mnt-unknown";  // namespace inode unreadable
      items.push_back({f.path, where, kind, f.inode_address, f.size, inode, std::nullopt});
    }
    auto summary = extract_files((*session)->kernel(), items, filter.extract_dir);
    if (!summary) return fail(summary.error().message);
    if (!options.quiet) {
      fmt::print(stderr, "drydock: {} entries, {} files written ({} complete, {} bytes recovered) under {}\n",
                 summary->entries, summary->written, summary->complete, summary->bytes_recovered, filter.extract_dir);
    }
  }
  const std::string text = options.format == "json" ? to_json_text(files_json(context.model.info, files, issues)) + "\n"
                                                    : files_text(files, issues);
  return write_output(options, text) ? kExitOk : kExitInputError;
}

}  // namespace drydock
