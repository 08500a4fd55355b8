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

nlohmann::json sarif_log(const std::vector<DumpScanResult>& results, const rules::CompiledRules& rules);

// The log in parts, so `report merge` assembles from the shards' results the
// same log one scan prints: the rule descriptors (every non-private rule, in
// rule order), each dump's part ({"artifact", "results", "notifications"},
// its locations without the artifact index), and their assembly, which
// numbers the artifacts in the order of the parts.
nlohmann::json sarif_rules(const rules::CompiledRules& rules);
nlohmann::json sarif_dump_part(const DumpScanResult& dump, const nlohmann::json& descriptors);
nlohmann::json sarif_log_of_parts(const nlohmann::json& descriptors, const std::vector<nlohmann::json>& parts);

// The "security-severity" score for a severity ("9.5" for critical ...).
std::string security_severity(rules::Severity severity);

}  // namespace drydock
