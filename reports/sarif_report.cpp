#include "engine/core/version.hpp"
#include "reports/sarif_report.hpp"

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

nlohmann::json rule_descriptor(const rules::RuleInfo& r) {
  const std::string remediation = meta_string(r.meta, "remediation");
  const std::string references = meta_string(r.meta, "references");
  std::string help = r.description;
  if (!remediation.empty()) help += "\n\nRemediation: " + remediation;
  if (!references.empty()) help += "\n\nReferences: " + references;
  std::vector<std::string> tags = r.tags;
  if (std::find(tags.begin(), tags.end(), "security") == tags.end()) tags.push_back("security");
  nlohmann::json properties = {{"tags", tags}, {"severity", rules::to_string(r.severity)}, {"scope", r.scope}};
  properties["security-severity"] = security_severity(r.severity);
  for (const rules::MetaEntry& m : r.meta) {
    if (m.key == "severity" || m.key == "description") continue;
    std::visit([&](const auto& v) { properties["meta"][m.key] = v; }, m.value);
  }
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

nlohmann::json sarif_rules(const rules::CompiledRules& compiled) {
  nlohmann::json descriptors = nlohmann::json::array();
  for (const rules::RuleInfo& r : compiled.rules()) {
    if (!r.is_private) descriptors.push_back(rule_descriptor(r));
  }
  return descriptors;
}

nlohmann::json sarif_dump_part(const DumpScanResult& dump, const nlohmann::json& descriptors) {
  std::map<std::string, std::size_t> index_of;
  for (std::size_t i = 0; i < descriptors.size(); ++i) index_of[descriptors[i].value("id", "")] = i;
  const std::string uri = artifact_uri(dump.display);
  nlohmann::json artifact;
  artifact["location"]["uri"] = uri;
  artifact["length"] = dump.size;
  if (!dump.sha256.empty()) artifact["hashes"]["sha-256"] = dump.sha256;
  // The artifact's index in the log is set when the parts are assembled.
  nlohmann::json physical;
  physical["artifactLocation"]["uri"] = uri;

  nlohmann::json sarif_results = nlohmann::json::array();
  nlohmann::json notifications = nlohmann::json::array();
  if (dump.error) {
    nlohmann::json notification;
    notification["level"] = "error";
    notification["message"]["text"] = *dump.error;
    notification["locations"] = nlohmann::json::array({{{"physicalLocation", physical}}});
    notifications.push_back(notification);
  } else {
    // The same dump is recognised by its digest when there is one, else by its name.
    const std::string dump_key = dump.sha256.empty() ? dump.display : dump.sha256;
    for (const rules::Finding& f : dump.findings) {
      auto it = index_of.find(f.rule);
      if (it == index_of.end()) continue;
      const std::string qualified = f.scope + "/" + f.object;
      nlohmann::json logical;
      logical["name"] = f.object_label.empty() ? f.object : f.object_label;
      logical["fullyQualifiedName"] = qualified;
      logical["kind"] = logical_kind(f.scope);
      nlohmann::json location;
      location["physicalLocation"] = physical;
      location["logicalLocations"] = nlohmann::json::array({logical});

      nlohmann::json result;
      result["ruleId"] = f.rule;
      result["ruleIndex"] = it->second;
      result["level"] = level_of(f.severity);
      result["message"]["text"] = f.message;
      result["locations"] = nlohmann::json::array({location});
      result["partialFingerprints"]["drydockFinding/v1"] = sha256_hex(f.rule + "\n" + qualified + "\n" + dump_key);
      result["properties"] = finding_json(f);
      result["properties"].erase("meta");
      sarif_results.push_back(std::move(result));
    }
  }
  return {{"artifact", artifact}, {"results", sarif_results}, {"notifications", notifications}};
}

nlohmann::json sarif_log_of_parts(const nlohmann::json& descriptors, const std::vector<nlohmann::json>& parts) {
  nlohmann::json artifacts = nlohmann::json::array();
  nlohmann::json sarif_results = nlohmann::json::array();
  nlohmann::json notifications = nlohmann::json::array();
  const auto place = [](nlohmann::json located, std::size_t artifact_index) {
    for (nlohmann::json& l : located["locations"]) l["physicalLocation"]["artifactLocation"]["index"] = artifact_index;
    return located;
  };
  for (const nlohmann::json& part : parts) {
    const std::size_t artifact_index = artifacts.size();
    artifacts.push_back(part.at("artifact"));
    for (const nlohmann::json& r : part.at("results")) sarif_results.push_back(place(r, artifact_index));
    for (const nlohmann::json& n : part.at("notifications")) notifications.push_back(place(n, artifact_index));
  }
  nlohmann::json invocation;
  invocation["executionSuccessful"] = notifications.empty();
  if (!notifications.empty()) invocation["toolExecutionNotifications"] = notifications;

  nlohmann::json driver;
  driver["name"] = "drydock";
  driver["version"] = std::string(kDrydockVersion);
  driver["semanticVersion"] = std::string(kDrydockVersion);
  driver["rules"] = descriptors;
  nlohmann::json run;
  run["tool"]["driver"] = driver;
  run["artifacts"] = artifacts;
  run["invocations"] = nlohmann::json::array({invocation});
  run["results"] = sarif_results;

  nlohmann::json log;
  log["$schema"] = kSchema;
  log["version"] = "2.1.0";
  log["runs"] = nlohmann::json::array({run});
  return log;
}

nlohmann::json sarif_log(const std::vector<DumpScanResult>& results, const rules::CompiledRules& compiled) {
  const nlohmann::json descriptors = sarif_rules(compiled);
  std::vector<nlohmann::json> parts;
  for (const DumpScanResult& dump : results) parts.push_back(sarif_dump_part(dump, descriptors));
  return sarif_log_of_parts(descriptors, parts);
}

}  // namespace drydock
