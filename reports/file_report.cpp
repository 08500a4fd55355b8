#include "reports/file_report.hpp"

#include <fmt/format.h>

#include "reports/json_output.hpp"
#include "reports/task_report.hpp"
#include "reports/text_escape.hpp"
#include "reports/time_format.hpp"

namespace drydock {

namespace {

nlohmann::json time_json(const std::optional<std::int64_t>& unix_ns) {
  return unix_ns ? nlohmann::json(iso8601_utc(*unix_ns)) : nlohmann::json(nullptr);
}

}  // namespace

nlohmann::json cached_file_json(const CachedFile& f) {
  return {{"mnt_ns", optional_json(f.mnt_ns)},
          {"mount_id", f.mount_id},
          {"path", f.path},
          {"deleted", f.deleted},
          {"inode", optional_json(f.inode)},
          {"inode_address", hex_string(f.inode_address)},
          {"dentry_address", hex_string(f.dentry_address)},
          {"mode", f.mode_string},
          {"mode_bits", f.mode},
          {"uid", optional_json(f.uid)},
          {"gid", optional_json(f.gid)},
          {"size", optional_json(f.size)},
          {"atime", time_json(f.atime_unix_ns)},
          {"mtime", time_json(f.mtime_unix_ns)},
          {"ctime", time_json(f.ctime_unix_ns)},
          {"atime_ns", optional_json(f.atime_unix_ns)},
          {"mtime_ns", optional_json(f.mtime_unix_ns)},
          {"ctime_ns", optional_json(f.ctime_unix_ns)}};
}

nlohmann::json files_json(const DumpInfo& info, const std::vector<CachedFile>& files,
                          const std::vector<ExtractionIssue>& issues) {
  nlohmann::json list = nlohmann::json::array();
  for (const CachedFile& f : files) list.push_back(cached_file_json(f));
  return {{"dump", dump_header_json(info)}, {"files", list}, {"errors", issues_json(issues)}};
}

std::string files_text(const std::vector<CachedFile>& files, const std::vector<ExtractionIssue>& issues) {
  std::string out = fmt::format("{:<11} {:>5} {:>10} {:<10} {:>6} {:>6} {:>12} {:<19} {}\n", "MNT_NS", "MOUNT",
                                "INODE", "MODE", "UID", "GID", "SIZE", "MTIME (UTC)", "PATH");
  for (const CachedFile& f : files) {
    // "2026-11-22T16:31:57.123456789Z" shown to the second: "2026-11-22 16:31:57".
    std::string mtime = f.mtime_unix_ns ? iso8601_utc(*f.mtime_unix_ns).substr(0, 19) : "-";
    if (mtime.size() > 10 && mtime[10] == 'T') mtime[10] = ' ';
    const std::string path = escape_text(f.path) + (f.deleted ? " (deleted)" : "");
    out += fmt::format("{:<11} {:>5} {:>10} {:<10} {:>6} {:>6} {:>12} {:<19} {}\n", optional_text(f.mnt_ns), f.mount_id,
                       optional_text(f.inode), f.mode_string, optional_text(f.uid), optional_text(f.gid),
                       optional_text(f.size), mtime, path);
  }
  return out + issues_text(issues);
}

}  // namespace drydock
