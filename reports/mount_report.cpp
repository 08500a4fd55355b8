#include "reports/mount_report.hpp"

#include <fmt/format.h>

#include "reports/json_output.hpp"
#include "reports/task_report.hpp"
#include "reports/text_escape.hpp"

namespace drydock {

nlohmann::json mount_json(const Mount& m) {
  nlohmann::json options = nlohmann::json::object();
  for (const auto& [key, value] : m.options) options[key] = value.empty() ? nlohmann::json(true) : nlohmann::json(value);
  return {{"mnt_ns", optional_json(m.mnt_ns)},
          {"mount_id", m.mount_id},
          {"parent_id", optional_json(m.parent_id)},
          {"devname", m.devname},
          {"fstype", m.fstype},
          {"path", m.path},
          {"root", m.root},
          {"absolute_path", m.absolute_path ? nlohmann::json(*m.absolute_path) : nlohmann::json(nullptr)},
          {"access", access_json(m.read_only)},
          {"flags", optional_json(m.flags)},
          {"options", options},
          {"address", hex_string(m.address)},
          {"super_block", hex_string(m.super_block)}};
}

nlohmann::json mounts_json(const DumpInfo& info, const std::vector<Mount>& mounts,
                           const std::vector<ExtractionIssue>& issues) {
  nlohmann::json list = nlohmann::json::array();
  for (const Mount& m : mounts) list.push_back(mount_json(m));
  return {{"dump", dump_header_json(info)}, {"mounts", list}, {"errors", issues_json(issues)}};
}

std::string mounts_text(const std::vector<Mount>& mounts, const std::vector<ExtractionIssue>& issues) {
  std::string out = fmt::format("{:<11} {:>5} {:>6} {:<3} {:<10} {:<28} {:<20} {}\n", "MNT_NS", "ID", "PARENT", "ACC",
                                "FSTYPE", "PATH", "ROOT", "DEVICE / OPTIONS");
  for (const Mount& m : mounts) {
    std::string extra = m.devname;
    for (const auto& [key, value] : m.options) {
      if (key == "lowerdir" || key == "upperdir" || key == "workdir") extra += " " + key + "=" + value;
    }
    out += fmt::format("{:<11} {:>5} {:>6} {:<3} {:<10} {:<28} {:<20} {}\n", optional_text(m.mnt_ns), m.mount_id, optional_text(m.parent_id),
                       access_text(m.read_only), escape_text(m.fstype), escape_text(m.path), escape_text(m.root),
                       escape_text(extra));
  }
  return out + issues_text(issues);
}

}  // namespace drydock
