#include "reports/change_report.hpp"

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

std::string in_memory_text(const FileChange& c) {
  if (c.kind != "file") return "";
  if (!c.bytes_in_memory) return "-";
  if (c.content_complete.value_or(false)) return "all";
  return fmt::format("{}", *c.bytes_in_memory);
}

}  // namespace

nlohmann::json file_change_json(const FileChange& c) {
  nlohmann::json rdev = nullptr;
  if (c.rdev_major && c.rdev_minor) rdev = fmt::format("{}:{}", *c.rdev_major, *c.rdev_minor);
  return {{"path", c.path},
          {"kind", c.kind},
          {"change", c.change},
          {"opaque", c.kind == "directory" ? optional_json(c.opaque) : nlohmann::json(false)},
          {"inode", optional_json(c.inode)},
          {"inode_address", hex_string(c.inode_address)},
          {"mode", c.mode_string},
          {"mode_bits", c.mode},
          {"uid", optional_json(c.uid)},
          {"gid", optional_json(c.gid)},
          {"size", optional_json(c.size)},
          {"mtime", time_json(c.mtime_unix_ns)},
          {"ctime", time_json(c.ctime_unix_ns)},
          {"mtime_ns", optional_json(c.mtime_unix_ns)},
          {"ctime_ns", optional_json(c.ctime_unix_ns)},
          {"rdev", rdev},
          {"bytes_in_memory", optional_json(c.bytes_in_memory)},
          {"content_complete", optional_json(c.content_complete)},
          {"sha256", optional_json(c.sha256)},
          {"first_line", optional_json(c.first_line)}};
}

nlohmann::json file_changes_json(const std::vector<FileChange>& changes) {
  nlohmann::json list = nlohmann::json::array();
  for (const FileChange& c : changes) list.push_back(file_change_json(c));
  return list;
}

nlohmann::json changes_json(const DumpInfo& info, const std::vector<Container>& containers,
                            const std::vector<ExtractionIssue>& issues) {
  nlohmann::json list = nlohmann::json::array();
  for (const Container& c : containers) {
    list.push_back({{"id", c.id},
                    {"short_id", c.id.substr(0, 12)},
                    {"name", optional_json(c.name)},
                    {"upperdir", c.overlay ? nlohmann::json(c.overlay->upperdir) : nlohmann::json(nullptr)},
                    {"changes", c.changes ? file_changes_json(*c.changes) : nlohmann::json(nullptr)}});
  }
  return {{"dump", dump_header_json(info)}, {"containers", list}, {"errors", issues_json(issues)}};
}

std::string changes_text(const std::vector<Container>& containers, const std::vector<ExtractionIssue>& issues) {
  std::string out;
  for (const Container& c : containers) {
    out += fmt::format("CONTAINER {} ({})  upper {}\n", escape_text(c.name.value_or("-")), c.id.substr(0, 12),
                       c.overlay ? escape_text(c.overlay->upperdir) : "-");
    if (!c.changes) {
      out += "  changes unknown (see the errors)\n\n";
      continue;
    }
    if (c.changes->empty()) {
      out += "  no changes\n\n";
      continue;
    }
    out += fmt::format("  {:<17} {:<9} {:<10} {:>5} {:>5} {:>10} {:>9} {:<19} {}\n", "CHANGE", "KIND", "MODE", "UID",
                       "GID", "SIZE", "IN MEMORY", "MTIME (UTC)", "PATH");
    for (const FileChange& f : *c.changes) {
      std::string mtime = f.mtime_unix_ns ? iso8601_utc(*f.mtime_unix_ns).substr(0, 19) : "-";
      if (mtime.size() > 10 && mtime[10] == 'T') mtime[10] = ' ';
      out += fmt::format("  {:<17} {:<9} {:<10} {:>5} {:>5} {:>10} {:>9} {:<19} {}\n", f.change, f.kind,
                         f.mode_string, optional_text(f.uid), optional_text(f.gid), optional_text(f.size),
                         in_memory_text(f), mtime, escape_text(f.path) + (f.opaque.value_or(false) ? " (opaque)" : ""));
    }
    out += "\n";
  }
  return out + issues_text(issues);
}

}  // namespace drydock
