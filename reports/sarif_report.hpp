#pragma once
// `drydock scan --format sarif`: one SARIF 2.1.0 log for all dumps, for
// code-scanning and ticketing tools.
//
// Every rule that produced a finding is in tool.driver.rules with its help
// text and properties (tags including "security", and "security-severity"
// so code-scanning tools rank it); every finding is a result with ruleId,
// ruleIndex, level, message, a physical location naming the dump file
// (GitHub rejects results without artifactLocation.uri), a logical location
// naming the container, process, mount or interface, and partialFingerprints
// that stay the same for the same finding on the same dump across runs. Each
// dump is an artifact with its SHA-256. Dumps that could not be scanned are
// toolExecutionNotifications.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/rules/compiler.hpp"
#include "engine/scan/dump_scan.hpp"

namespace drydock {

struct SarifOptions {
  std::string uri_base;  // "": each dump's path as given; else BASE/FILE_NAME
};

// One run per host (by the host name of PID 1's UTS namespace), each with
// runAutomationDetails.id "drydock/HOST/" so code-scanning uploads of
// different hosts stay apart. Results carry region.startLine 1 (GitHub shows
// only located results), the finding's meta in properties in the order
// written, and partialFingerprints["drydockFinding/v2"]: the SHA-256 of the
// rule, the dump's identity (host name, kernel release, dump SHA-256) and the
// object's identity (container id, pid and start time, mount namespace and
// id; never a kernel address), so the same finding gets the same fingerprint
// in every upload.
nlohmann::ordered_json sarif_log(const std::vector<DumpScanResult>& results, const rules::CompiledRules& rules,
                                 const SarifOptions& options = {});

// The log in parts, so `report merge` assembles from the shards' results the
// same log one scan prints: the rule descriptors (every reported rule, in
// rule order), each dump's part ({"host", "artifact", "results",
// "notifications"}, its locations without the artifact index), and their
// assembly, which makes one run per host and numbers each run's artifacts in
// the order of its parts.
nlohmann::json sarif_rules(const rules::CompiledRules& rules);
nlohmann::ordered_json sarif_dump_part(const DumpScanResult& dump, const nlohmann::json& descriptors,
                                       const SarifOptions& options = {});
nlohmann::ordered_json sarif_log_of_parts(const nlohmann::json& descriptors,
                                          const std::vector<nlohmann::ordered_json>& parts);

// The "security-severity" score for a severity ("9.5" for critical ...).
std::string security_severity(rules::Severity severity);

}  // namespace drydock
