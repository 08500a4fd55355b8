#include "engine/core/version.hpp"
#include "reports/sarif_report.hpp"

#include <filesystem>
#include <map>

#include <fmt/format.h>

#include "engine/core/sha256.hpp"
#include "reports/scan_report.hpp"

namespace drydock {
namespace {

constexpr const char* kSchema = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json";

std::string level_of(rules::Severity s) {
  switch (s) {
    case rules::Severity::critical:
    case rules::Severity::high:
      return "error";
    case rules::Severity::medium:
      return "warning";
    default:
      return "note";
  }
}

std::string meta_string(const std::vector<rules::MetaEntry>& meta, std::string_view key) {
  for (const rules::MetaEntry& m : meta) {
    if (m.key == key) {
      if (const auto* s = std::get_if<std::string>(&m.value)) return *s;
    }
  }
  return {};
}

// A file URI for a dump path (relative paths stay relative references).
std::string artifact_uri(const std::string& path) {
  std::string uri;
  for (unsigned char c : path) {
    if (std::isalnum(c) || std::string_view("/-._~:").find(static_cast<char>(c)) != std::string_view::npos) {
      uri += static_cast<char>(c);
    } else {
      uri += fmt::format("%{:02X}", c);
    }
  }
  return uri;
}

// The meta entries as written (nlohmann::json would sort them).
nlohmann::ordered_json ordered_meta(const std::vector<rules::MetaEntry>& meta) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  for (const rules::MetaEntry& m : meta) std::visit([&](const auto& v) { out[m.key] = v; }, m.value);
  return out;
}

// The machine a dump was taken from: the host name of PID 1's UTS namespace.
std::string host_name(const DumpModel& model) {
  for (const Task& t : model.tasks) {
    if (t.pid == 1 && t.hostname && !t.hostname->empty()) return *t.hostname;
  }
  return "unknown";
}

nlohmann::ordered_json rule_descriptor(const rules::RuleInfo& r) {
  const std::string remediation = meta_string(r.meta, "remediation");
  const std::string references = meta_string(r.meta, "references");
  std::string help = r.description;
  if (!remediation.empty()) help += "\n\nRemediation: " + remediation;
  if (!references.empty()) help += "\n\nReferences: " + references;
  std::vector<std::string> tags = r.tags;
  if (std::find(tags.begin(), tags.end(), "security") == tags.end()) tags.push_back("security");
  nlohmann::ordered_json properties = {{"tags", tags}, {"severity", rules::to_string(r.severity)}, {"scope", r.scope}};
  properties["security-severity"] = security_severity(r.severity);
  std::vector<rules::MetaEntry> meta;
  for (const rules::MetaEntry& m : r.meta) {
    if (m.key != "severity" && m.key != "description") meta.push_back(m);
  }
  if (!meta.empty()) properties["meta"] = ordered_meta(meta);
  return {{"id", r.name},
          {"name", r.name},
          {"shortDescription", {{"text", r.description}}},
          {"fullDescription", {{"text", r.description}}},
          {"help", {{"text", help}}},
          {"defaultConfiguration", {{"level", level_of(r.severity)}}},
          {"properties", properties}};
}

std::string logical_kind(const std::string& scope) {
  if (scope == "task") return "object";
  if (scope == "host") return "module";
  return "resource";
}

}  // namespace

std::string security_severity(rules::Severity s) {
  switch (s) {
    case rules::Severity::critical: return "9.5";
    case rules::Severity::high: return "8.0";
    case rules::Severity::medium: return "5.5";
    case rules::Severity::low: return "3.0";
    case rules::Severity::info: return "1.0";
  }
  return "1.0";
}

nlohmann::ordered_json sarif_log(const std::vector<DumpScanResult>& results, const rules::CompiledRules& compiled,
                                 const SarifOptions& options) {
  using ojson = nlohmann::ordered_json;
  // Rules: every reported (non-private, not disabled) rule, in rule order, indexed by name.
  ojson descriptors = ojson::array();
  std::map<std::string, std::size_t> index_of;
  for (const rules::RuleInfo& r : compiled.rules()) {
    if (r.is_private || r.is_disabled) continue;
    index_of[r.name] = descriptors.size();
    descriptors.push_back(rule_descriptor(r));
  }
  struct HostRun {
    std::string host;
    ojson artifacts = ojson::array();
    ojson results = ojson::array();
    ojson notifications = ojson::array();
  };
  std::vector<HostRun> runs;
  auto run_of = [&](const std::string& host) -> HostRun& {
    for (auto& r : runs) {
      if (r.host == host) return r;
    }
    runs.push_back(HostRun{host});
    return runs.back();
  };
  for (const DumpScanResult& dump : results) {
    const std::string host = dump.model ? host_name(*dump.model) : "unknown";
    HostRun& run = run_of(host);
    const std::size_t artifact_index = run.artifacts.size();
    const std::string uri = artifact_uri(options.uri_base.empty()
                                             ? dump.display
                                             : options.uri_base + "/" +
                                                   std::filesystem::path(dump.display).filename().string());
    ojson artifact;
    artifact["location"]["uri"] = uri;
    artifact["length"] = dump.size;
    if (!dump.sha256.empty()) artifact["hashes"]["sha-256"] = dump.sha256;
    run.artifacts.push_back(artifact);

    ojson physical;
    physical["artifactLocation"]["uri"] = uri;
    physical["artifactLocation"]["index"] = artifact_index;
    physical["region"]["startLine"] = 1;  // a dump has no lines; GitHub needs one to show the result

    if (dump.error) {
      ojson notification;
      notification["level"] = "error";
      notification["message"]["text"] = *dump.error;
      notification["locations"] = ojson::array({{{"physicalLocation", physical}}});
      run.notifications.push_back(notification);
      continue;
    }
    // The dump is recognised by its machine and content, not by where it lies.
    const std::string dump_identity = host + "\n" + dump.model->info.kernel_release + "\n" +
                                      (dump.sha256.empty() ? dump.display : dump.sha256);
    for (const rules::Finding& f : dump.findings) {
      auto it = index_of.find(f.rule);
      if (it == index_of.end()) continue;
      ojson logical;
      logical["name"] = f.object_label.empty() ? f.object : f.object_label;
      logical["fullyQualifiedName"] = f.scope + "/" + f.object;
      logical["kind"] = logical_kind(f.scope);
      ojson location;
      location["physicalLocation"] = physical;
      location["logicalLocations"] = ojson::array({logical});

      ojson result;
      result["ruleId"] = f.rule;
      result["ruleIndex"] = it->second;
      result["level"] = level_of(f.severity);
      result["message"]["text"] = f.message;
      result["locations"] = ojson::array({location});
      result["partialFingerprints"]["drydockFinding/v2"] =
          sha256_hex(f.rule + "\n" + dump_identity + "\n" + f.scope + "\n" + f.identity);
      ojson properties = ojson(finding_json(f));
      properties["meta"] = ordered_meta(f.meta);
      result["properties"] = std::move(properties);
      run.results.push_back(std::move(result));
    }
  }
  if (runs.empty()) runs.push_back(HostRun{"unknown"});

  ojson driver;
  driver["name"] = "drydock";
  driver["version"] = std::string(kDrydockVersion);
  driver["semanticVersion"] = std::string(kDrydockVersion);
  driver["rules"] = descriptors;
  ojson log;
  log["$schema"] = kSchema;
  log["version"] = "2.1.0";
  log["runs"] = ojson::array();
  for (HostRun& r : runs) {
    ojson invocation;
    invocation["executionSuccessful"] = r.notifications.empty();
    if (!r.notifications.empty()) invocation["toolExecutionNotifications"] = r.notifications;
    ojson run;
    run["tool"]["driver"] = driver;
    run["automationDetails"]["id"] = "drydock/" + r.host + "/";
    run["artifacts"] = std::move(r.artifacts);
    run["invocations"] = ojson::array({invocation});
    run["results"] = std::move(r.results);
    log["runs"].push_back(std::move(run));
  }
  return log;
}

}  // namespace drydock
