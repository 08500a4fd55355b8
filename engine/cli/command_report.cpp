// `drydock report merge`: the result files of sharded scans as one report,
// the same bytes as one `scan --format json` (or jsonl) over the whole run.

#include <algorithm>
#include <iostream>
#include <map>
#include <set>

#include <fmt/format.h>

#include "engine/cli/command_scan.hpp"
#include "engine/rules/finding.hpp"
#include "engine/scan/result_store.hpp"
#include "engine/scan/shard.hpp"
#include "reports/json_output.hpp"

namespace drydock {
namespace {

// A dump of the manifest with no result, reported like a dump that failed.
nlohmann::json missing_dump_json(const std::string& path, const std::vector<std::string>& dirs) {
  std::string where;
  for (const std::string& d : dirs) where += (where.empty() ? "" : ", ") + d;
  return {{"dump", {{"path", path}}},
          {"findings", nlohmann::json::array()},
          {"containers", nlohmann::json::array()},
          {"tasks", nlohmann::json::array()},
          {"mounts", nlohmann::json::array()},
          {"interfaces", nlohmann::json::array()},
          {"errors", nlohmann::json::array({path + ": no result in " + where + " (not scanned yet, or its shard failed; "
                                                   "re-run that shard)"})}};
}

}  // namespace

int run_report_merge(const CommonOptions& options, const MergeCommandOptions& merge) {
  std::optional<rules::Severity> fail_on;
  if (!merge.fail_on.empty()) fail_on = rules::parse_severity(merge.fail_on);
  std::vector<std::string> errors;
  // One result per dump path; a dump found in several directories keeps the
  // first (directories in the order given).
  std::map<std::string, StoredResult> by_path;
  for (const std::string& dir : merge.dirs) {
    for (StoredResult& r : read_results(dir, errors)) {
      const std::string path = r.stamp.path;
      by_path.try_emplace(path, std::move(r));
    }
  }
  for (const std::string& e : errors) std::cerr << "drydock: " << e << "\n";

  std::vector<nlohmann::json> dumps;
  std::size_t missing = 0;
  if (!merge.manifest.empty()) {
    auto entries = read_manifest(merge.manifest);
    if (!entries) return fail(entries.error().message);
    std::set<std::string> listed;
    for (const std::string& path : *entries) {
      if (!listed.insert(path).second) continue;
      if (auto it = by_path.find(path); it != by_path.end()) {
        dumps.push_back(it->second.dump);
      } else {
        // A manifest entry may be a directory or archive, whose dumps are
        // keyed by their own paths under it.
        bool any = false;
        for (const auto& [key, r] : by_path) {
          if (key.starts_with(path + "/") || key.starts_with(path + ":")) {
            dumps.push_back(r.dump);
            any = true;
          }
        }
        if (!any) {
          ++missing;
          std::cerr << "drydock: " << path << ": no result\n";
          dumps.push_back(missing_dump_json(path, merge.dirs));
        }
      }
    }
  } else {
    std::vector<const StoredResult*> ordered;
    for (const auto& [path, r] : by_path) ordered.push_back(&r);
    std::stable_sort(ordered.begin(), ordered.end(), [](const StoredResult* a, const StoredResult* b) {
      return std::tie(a->stamp.order, a->stamp.path) < std::tie(b->stamp.order, b->stamp.path);
    });
    for (const StoredResult* r : ordered) dumps.push_back(r->dump);
  }
  if (dumps.empty() && missing == 0) return fail("report merge: no result files in the directories given");

  const std::string format = options.format == "text" ? "json" : options.format;
  std::string text;
  if (format == "jsonl") {
    for (const nlohmann::json& d : dumps) text += to_json_text(d, true) + "\n";
  } else {
    text = to_json_text({{"dumps", dumps}}) + "\n";
  }
  if (!write_output(options, text)) return kExitInputError;

  // Dumps without a result count as failed (their entry has no model), once.
  std::size_t failures = 0;
  for (const nlohmann::json& d : dumps) {
    if (!scan_failed(d)) continue;
    ++failures;
    // Missing dumps were named above; name the ones whose scan failed too.
    const auto& errors = d.value("errors", nlohmann::json::array());
    const std::string error = !errors.empty() && errors[0].is_string() ? errors[0].get<std::string>() : "";
    if (error.find(": no result in ") == std::string::npos) std::cerr << "drydock: scan failed: " << error << "\n";
  }
  if (failures == dumps.size() || (merge.strict && failures > 0)) return kExitInputError;
  if (fail_on) {
    for (const nlohmann::json& d : dumps) {
      for (const nlohmann::json& f : d["findings"]) {
        auto severity = rules::parse_severity(f.value("severity", ""));
        if (severity && *severity >= *fail_on) return kExitFindings;
      }
    }
  }
  return kExitOk;
}

}  // namespace drydock
