#pragma once
// `drydock scan` reports: JSON (one document), JSONL (one dump per line) and
// text (findings grouped by container, then the inventories).

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/rules/finding.hpp"
#include "engine/scan/dump_scan.hpp"

namespace drydock {

nlohmann::json finding_json(const rules::Finding& finding);
// One dump: {dump, engine, findings, containers, tasks, mounts, interfaces, errors}.
nlohmann::json dump_scan_json(const DumpScanResult& result);
std::string scan_json(const std::vector<DumpScanResult>& results);
std::string scan_jsonl(const std::vector<DumpScanResult>& results);
std::string scan_text(const std::vector<DumpScanResult>& results);

}  // namespace drydock
