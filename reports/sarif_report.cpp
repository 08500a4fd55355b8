#include "engine/core/version.hpp"
#include "reports/sarif_report.hpp"

#include <filesystem>
#include <map>

#include <fmt/format.h>

#include "engine/core/sha256.hpp"
#include "engine/rules/schema.hpp"
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

// A finding's meta in the order its rule wrote it ("meta_order"), which the
// part carries because sorted JSON loses it.
void restore_meta_order(nlohmann::ordered_json& properties) {
  if (!properties.contains("meta_order") || !properties.contains("meta")) return;
  nlohmann::ordered_json meta = nlohmann::ordered_json::object();
  for (const auto& key : properties["meta_order"]) {
    const std::string name = key.get<std::string>();
    if (properties["meta"].contains(name)) meta[name] = properties["meta"][name];
  }
  properties["meta"] = std::move(meta);
  properties.erase("meta_order");
}

// The machine a dump was taken from: the host name of PID 1's UTS namespace.
std::string host_name(const DumpModel& model) {
  for (const Task& t : model.tasks) {
    if (t.pid == 1 && t.hostname && !t.hostname->empty()) return *t.hostname;
  }
  return "unknown";
}

std::string logical_kind(const std::string& scope) {
  const rules::KindDef* kind = rules::kind_by_name(scope);
  return kind != nullptr ? std::string(kind->sarif_kind) : "resource";
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
    if (!r.is_private && !r.is_disabled) descriptors.push_back(rule_descriptor(r));
  }
  return descriptors;
}

nlohmann::ordered_json sarif_dump_part(const DumpScanResult& dump, const nlohmann::json& descriptors,
                                       const SarifOptions& options) {
  using ojson = nlohmann::ordered_json;
  std::map<std::string, std::size_t> index_of;
  for (std::size_t i = 0; i < descriptors.size(); ++i) index_of[descriptors[i].value("id", "")] = i;
  const std::string uri = artifact_uri(
      options.uri_base.empty() ? dump.display
                               : options.uri_base + "/" + std::filesystem::path(dump.display).filename().string());
  const std::string host = dump.model ? host_name(*dump.model) : "unknown";
  ojson artifact;
  artifact["location"]["uri"] = uri;
  artifact["length"] = dump.size;
  if (!dump.sha256.empty()) artifact["hashes"]["sha-256"] = dump.sha256;
  // The artifact's index in the log is set when the parts are assembled.
  ojson physical;
  physical["artifactLocation"]["uri"] = uri;
  physical["region"]["startLine"] = 1;  // a dump has no lines; GitHub shows no result without a region

  ojson sarif_results = ojson::array();
  ojson notifications = ojson::array();
  if (dump.error) {
    ojson notification;
    notification["level"] = "error";
    notification["message"]["text"] = *dump.error;
    notification["locations"] = ojson::array({{{"physicalLocation", physical}}});
    notifications.push_back(notification);
  } else {
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
      result["properties"] = ojson(finding_json(f));
      // Result files store parts as sorted JSON: the order written travels
      // beside the meta, and the assembly puts the meta back in it.
      ojson order = ojson::array();
      for (const rules::MetaEntry& m : f.meta) order.push_back(m.key);
      result["properties"]["meta_order"] = std::move(order);
      sarif_results.push_back(std::move(result));
    }
  }
  return {{"host", host}, {"artifact", artifact}, {"results", sarif_results}, {"notifications", notifications}};
}

nlohmann::ordered_json sarif_log_of_parts(const nlohmann::json& descriptors,
                                          const std::vector<nlohmann::ordered_json>& parts) {
  using ojson = nlohmann::ordered_json;
  // One run per host, in the order hosts first appear.
  struct HostRun {
    std::string host;
    ojson artifacts = ojson::array();
    ojson results = ojson::array();
    ojson notifications = ojson::array();
  };
  std::vector<HostRun> runs;
  const auto place = [](ojson located, std::size_t artifact_index) {
    for (ojson& l : located["locations"]) l["physicalLocation"]["artifactLocation"]["index"] = artifact_index;
    return located;
  };
  for (const ojson& made : parts) {
    // One key order whether the part was made now or read from a result file.
    ojson part = ojson(nlohmann::json(made));
    for (ojson& r : part["results"]) restore_meta_order(r["properties"]);
    const std::string host = part.value("host", "unknown");
    auto it = std::find_if(runs.begin(), runs.end(), [&](const HostRun& r) { return r.host == host; });
    if (it == runs.end()) it = runs.insert(runs.end(), HostRun{host});
    const std::size_t artifact_index = it->artifacts.size();
    it->artifacts.push_back(part.at("artifact"));
    for (const ojson& r : part.at("results")) it->results.push_back(place(r, artifact_index));
    for (const ojson& n : part.at("notifications")) it->notifications.push_back(place(n, artifact_index));
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

nlohmann::ordered_json sarif_log(const std::vector<DumpScanResult>& results, const rules::CompiledRules& compiled,
                                 const SarifOptions& options) {
  const nlohmann::json descriptors = sarif_rules(compiled);
  std::vector<nlohmann::ordered_json> parts;
  for (const DumpScanResult& dump : results) parts.push_back(sarif_dump_part(dump, descriptors, options));
  return sarif_log_of_parts(descriptors, parts);
}

}  // namespace drydock
