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
// One dump's part of the text report (`scan_text` is their concatenation;
// `scan --out-dir` keeps it in the result so `report merge` prints the same).
std::string dump_scan_text(const DumpScanResult& result);
std::string scan_text(const std::vector<DumpScanResult>& results);

}  // namespace drydock
