#include "reports/scan_report.hpp"

#include <map>

#include <fmt/format.h>

#include "reports/container_report.hpp"
#include "reports/json_output.hpp"
#include "reports/mount_report.hpp"
#include "reports/net_report.hpp"
#include "reports/socket_report.hpp"
#include "reports/task_report.hpp"
#include "reports/text_escape.hpp"
#include "engine/rules/schema.hpp"

namespace drydock {
namespace {

nlohmann::json evidence_value_json(const rules::EvidenceValue& value, bool hex) {
  return std::visit(
      [&](const auto& v) -> nlohmann::json {
        using T = std::decay_t<decltype(v)>;
        if constexpr (std::is_same_v<T, std::monostate>) {
          return nullptr;
        } else if constexpr (std::is_same_v<T, std::int64_t>) {
          return hex ? nlohmann::json(fmt::format("{:#x}", static_cast<std::uint64_t>(v))) : nlohmann::json(v);
        } else {
          return v;
        }
      },
      value);
}

nlohmann::json meta_json(const std::vector<rules::MetaEntry>& meta) {
  nlohmann::json out = nlohmann::json::object();
  for (const rules::MetaEntry& m : meta) {
    std::visit([&](const auto& v) { out[m.key] = v; }, m.value);
  }
  return out;
}

std::string severity_label(rules::Severity s) {
  std::string text(rules::to_string(s));
  for (char& c : text) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return text;
}

std::string finding_text(const rules::Finding& f) {
  std::string out = fmt::format("  [{:<8}] {}: {}\n", severity_label(f.severity), f.rule, escape_text(f.message));
  for (const rules::Evidence& e : f.evidence) {
    out += fmt::format("             {} = {}\n", escape_text(e.path), escape_text(rules::to_display_string(e.value, e.hex)));
  }
  return out;
}

}  // namespace

nlohmann::json finding_json(const rules::Finding& f) {
  nlohmann::json evidence = nlohmann::json::array();
  for (const rules::Evidence& e : f.evidence) evidence.push_back({{"path", e.path}, {"value", evidence_value_json(e.value, e.hex)}});
  return {{"rule", f.rule},
          {"severity", rules::to_string(f.severity)},
          {"tags", f.tags},
          {"message", f.message},
          {"scope", f.scope},
          {"object", f.object},
          {"object_label", f.object_label},
          {"evidence", evidence},
          {"meta", meta_json(f.meta)},
          {"object_identity", f.identity},
          {"container", f.container_id.empty() ? nlohmann::json(nullptr)
                                               : nlohmann::json{{"id", f.container_id}, {"label", f.container_label}}}};
}

nlohmann::json dump_scan_json(const DumpScanResult& r) {
  nlohmann::json errors = nlohmann::json::array();
  if (r.error) errors.push_back(*r.error);
  if (!r.model) {
    return {{"dump", {{"path", r.display}}},
            {"findings", nlohmann::json::array()},
            {"containers", nlohmann::json::array()},
            {"pods", nlohmann::json::array()},
            {"tasks", nlohmann::json::array()},
            {"mounts", nlohmann::json::array()},
            {"interfaces", nlohmann::json::array()},
            {"sockets", nlohmann::json::array()},
            {"errors", errors}};
  }
  const DumpModel& m = *r.model;
  nlohmann::json findings = nlohmann::json::array();
  for (const rules::Finding& f : r.findings) findings.push_back(finding_json(f));
  nlohmann::json containers = nlohmann::json::array(), tasks = nlohmann::json::array(), mounts = nlohmann::json::array(),
                 interfaces = nlohmann::json::array();
  // Each task and container carries its open sockets.
  std::map<std::int32_t, nlohmann::json> by_pid;
  std::map<std::string, nlohmann::json> by_container;
  nlohmann::json sockets = nlohmann::json::array();
  for (const Socket& s : m.sockets) {
    nlohmann::json j = socket_json(s);
    by_pid[s.pid].push_back(j);
    if (s.container_id) by_container[*s.container_id].push_back(j);
    sockets.push_back(std::move(j));
  }
  for (const Container& c : m.containers) {
    containers.push_back(container_json(c));
    auto it = by_container.find(c.id);
    containers.back()["sockets"] = it == by_container.end() ? nlohmann::json::array() : it->second;
  }
  for (const Task& t : m.tasks) {
    tasks.push_back(task_json(t));
    auto it = by_pid.find(t.pid);
    tasks.back()["sockets"] = it == by_pid.end() ? nlohmann::json::array() : it->second;
  }
  for (const Mount& mt : m.mounts) mounts.push_back(mount_json(mt));
  for (const NetInterface& i : m.interfaces) interfaces.push_back(interface_json(i));
  for (const auto& e : issues_json(m.issues)) errors.push_back(e);
  nlohmann::json dump = dump_header_json(m.info);
  if (!r.sha256.empty()) dump["sha256"] = r.sha256;
  dump["memory"] = {{"budget_bytes", m.info.memory_budget_bytes}, {"used_bytes", m.info.memory_used_bytes}};
  return {{"dump", dump},
          {"engine", engine_json(m.engine)},
          {"findings", findings},
          {"containers", containers},
          {"pods", pods_json(m.pods)},
          {"tasks", tasks},
          {"mounts", mounts},
          {"interfaces", interfaces},
          {"sockets", sockets},
          {"errors", errors}};
}

std::string scan_json(const std::vector<DumpScanResult>& results) {
  nlohmann::json dumps = nlohmann::json::array();
  for (const DumpScanResult& r : results) dumps.push_back(dump_scan_json(r));
  return to_json_text({{"dumps", dumps}}) + "\n";
}

std::string scan_jsonl(const std::vector<DumpScanResult>& results) {
  std::string out;
  for (const DumpScanResult& r : results) out += to_json_text(dump_scan_json(r), true) + "\n";
  return out;
}

namespace {

// The header a finding is listed under: one per object, naming it (the kind
// table's title) and its container, so that twelve `sleep` tasks in twelve
// containers are twelve groups.
std::string finding_group_title(const rules::Finding& f) {
  if (f.container_id.empty()) return f.title;
  return f.title + " in " + rules::container_title(f.container_id, f.container_label);
}

}  // namespace

std::string dump_scan_text(const DumpScanResult& r) {
  std::string out = fmt::format("== {}\n", escape_text(r.display));
  if (!r.model) return out + fmt::format("  error: {}\n\n", escape_text(r.error.value_or("unknown error")));
  const DumpModel& m = *r.model;
  out += fmt::format("   kernel {}, {} tasks, {} containers, {} findings\n\n", escape_text(m.info.kernel_release),
                     m.tasks.size(), m.containers.size(), r.findings.size());
  // Findings grouped by what they are about: the host, each container, then the rest.
  std::vector<std::pair<std::string, std::vector<const rules::Finding*>>> groups;
  const auto group = [&](const std::string& title) -> std::vector<const rules::Finding*>& {
    for (auto& g : groups) {
      if (g.first == title) return g.second;
    }
    groups.emplace_back(title, std::vector<const rules::Finding*>{});
    return groups.back().second;
  };
  for (const rules::Finding& f : r.findings) group(finding_group_title(f)).push_back(&f);
  if (groups.empty()) out += "  no findings\n";
  for (const auto& [title, findings] : groups) {
    out += escape_text(title) + "\n";
    for (const rules::Finding* f : findings) out += finding_text(*f);
    out += "\n";
  }
  out += containers_text(m);
  out += "\n" + interfaces_text(m) + "\n";
  return out;
}

std::string scan_text(const std::vector<DumpScanResult>& results) {
  std::string out;
  for (const DumpScanResult& r : results) out += dump_scan_text(r);
  return out;
}

}  // namespace drydock
