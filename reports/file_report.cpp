#include "reports/file_report.hpp"

#include <fmt/format.h>

#include "reports/json_output.hpp"
#include "reports/task_report.hpp"
#include "reports/text_escape.hpp"
#include "reports/time_format.hpp"

namespace drydock {

nlohmann::json cached_file_json(const CachedFile& f) {
  return {{"mnt_ns", f.mnt_ns},
          {"mount_id", f.mount_id},
          {"path", f.path},
          {"deleted", f.deleted},
          {"inode", f.inode},
          {"inode_address", hex_string(f.inode_address)},
          {"dentry_address", hex_string(f.dentry_address)},
          {"mode", f.mode_string},
          {"mode_bits", f.mode},
          {"uid", f.uid},
          {"gid", f.gid},
          {"size", f.size},
          {"atime", iso8601_utc(f.atime_unix_ns)},
          {"mtime", iso8601_utc(f.mtime_unix_ns)},
          {"ctime", iso8601_utc(f.ctime_unix_ns)},
          {"atime_ns", f.atime_unix_ns},
          {"mtime_ns", f.mtime_unix_ns},
          {"ctime_ns", f.ctime_unix_ns}};
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
    std::string mtime = iso8601_utc(f.mtime_unix_ns).substr(0, 19);
    if (mtime.size() > 10 && mtime[10] == 'T') mtime[10] = ' ';
    const std::string path = escape_text(f.path) + (f.deleted ? " (deleted)" : "");
    out += fmt::format("{:<11} {:>5} {:>10} {:<10} {:>6} {:>6} {:>12} {:<19} {}\n", f.mnt_ns, f.mount_id, f.inode,
                       f.mode_string, f.uid, f.gid, f.size, mtime, path);
  }
  return out + issues_text(issues);
}

}  // namespace drydock
