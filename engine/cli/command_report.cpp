// `drydock report merge`: the result files of sharded scans as one report,
// the same bytes as one `scan` over the whole run, in every format (the
// result files carry each dump's text and SARIF parts).

#include <algorithm>
#include <iostream>
#include <map>
#include <set>
#include <variant>

#include <fmt/format.h>

#include "engine/cli/command_scan.hpp"
#include "engine/rules/finding.hpp"
#include "engine/scan/result_store.hpp"
#include "engine/scan/shard.hpp"
#include "reports/json_output.hpp"
#include "reports/sarif_report.hpp"
#include "reports/scan_report.hpp"

namespace drydock {
namespace {

// A dump of the manifest with no result, reported like a dump that failed.
DumpScanResult missing_dump(const std::string& path, const std::vector<std::string>& dirs) {
  std::string where;
  for (const std::string& d : dirs) where += (where.empty() ? "" : ", ") + d;
  DumpScanResult missing;
  missing.display = path;
  missing.error = path + ": no result in " + where + " (not scanned yet, or its shard failed; re-run that shard)";
  return missing;
}

// The rule descriptors of the results' rule set, for a merged SARIF log: the
// same in every result (a log has one rule list), else an error.
Result<nlohmann::json> merged_sarif_rules(const std::vector<const StoredResult*>& results) {
  std::optional<nlohmann::json> descriptors;
  std::set<std::pair<std::filesystem::path, std::string>> seen;
  for (const StoredResult* r : results) {
    const std::filesystem::path dir = r->file.parent_path();
    if (!seen.emplace(dir, r->stamp.rules_hash).second) continue;
    auto these = read_sarif_rules(dir, r->stamp.rules_hash);
    if (!these) {
      return Error::of(sarif_rules_file(dir, r->stamp.rules_hash).string() +
                       ": missing or unreadable (written by `scan --out-dir`; re-run that shard with --force)");
    }
    if (descriptors && *descriptors != *these) {
      return Error::of("report merge --format sarif: the results were made with different rule sets (" +
                       r->file.string() + "); one SARIF log has one rule list");
    }
    descriptors = std::move(*these);
  }
  return descriptors.value_or(nlohmann::json::array());
}

}  // namespace

int run_report_merge(const CommonOptions& options, const MergeCommandOptions& merge) {
  std::optional<rules::Severity> fail_on;
  if (!merge.fail_on.empty()) {
    fail_on = rules::parse_severity(merge.fail_on);
    if (!fail_on) return fail("--fail-on " + merge.fail_on + ": expected info, low, medium, high or critical");
  }
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

  // The report's dumps in order: a stored result, or a dump of the manifest
  // without one.
  std::vector<std::variant<const StoredResult*, DumpScanResult>> entries;
  std::size_t missing = 0;
  if (!merge.manifest.empty()) {
    auto listed_paths = read_manifest(merge.manifest);
    if (!listed_paths) return fail(listed_paths.error().message);
    std::set<std::string> listed;
    for (const std::string& path : *listed_paths) {
      if (!listed.insert(path).second) continue;
      if (auto it = by_path.find(path); it != by_path.end()) {
        entries.emplace_back(&it->second);
      } else {
        // A manifest entry may be a directory or archive, whose dumps are
        // keyed by their own paths under it.
        bool any = false;
        for (const auto& [key, r] : by_path) {
          if (key.starts_with(path + "/") || key.starts_with(path + ":")) {
            entries.emplace_back(&r);
            any = true;
          }
        }
        if (!any) {
          ++missing;
          std::cerr << "drydock: " << path << ": no result\n";
          entries.emplace_back(missing_dump(path, merge.dirs));
        }
      }
    }
  } else {
    std::vector<const StoredResult*> ordered;
    for (const auto& [path, r] : by_path) ordered.push_back(&r);
    std::stable_sort(ordered.begin(), ordered.end(), [](const StoredResult* a, const StoredResult* b) {
      return std::tie(a->stamp.order, a->stamp.path) < std::tie(b->stamp.order, b->stamp.path);
    });
    for (const StoredResult* r : ordered) entries.emplace_back(r);
  }
  if (entries.empty()) return fail("report merge: no result files in the directories given");

  std::vector<nlohmann::json> dumps;
  std::vector<const StoredResult*> stored;
  for (const auto& entry : entries) {
    if (const auto* r = std::get_if<const StoredResult*>(&entry)) {
      dumps.push_back((*r)->dump);
      stored.push_back(*r);
    } else {
      dumps.push_back(dump_scan_json(std::get<DumpScanResult>(entry)));
    }
  }

  std::string text;
  if (merge.format == "jsonl") {
    for (const nlohmann::json& d : dumps) text += to_json_text(d, true) + "\n";
  } else if (merge.format == "json") {
    text = to_json_text({{"dumps", dumps}}) + "\n";
  } else if (merge.format == "sarif") {
    auto descriptors = merged_sarif_rules(stored);
    if (!descriptors) return fail(descriptors.error().message);
    std::vector<nlohmann::ordered_json> parts;
    std::size_t without_digest = 0;
    for (const auto& entry : entries) {
      if (const auto* r = std::get_if<const StoredResult*>(&entry)) {
        if ((*r)->sarif.is_null()) return fail((*r)->file.string() + ": no SARIF part (made by an older drydock; rescan with --force)");
        parts.push_back(nlohmann::ordered_json((*r)->sarif));
        without_digest += !(*r)->sarif["artifact"].contains("hashes");
      } else {
        parts.push_back(sarif_dump_part(std::get<DumpScanResult>(entry), *descriptors));
      }
    }
    if (without_digest > 0 && !options.quiet) {
      std::cerr << fmt::format("drydock: {} dump(s) have no SHA-256 in the log: their shards ran without --format sarif "
                               "(which computes it)\n",
                               without_digest);
    }
    text = to_ordered_json_text(sarif_log_of_parts(*descriptors, parts)) + "\n";
  } else {
    for (const auto& entry : entries) {
      if (const auto* r = std::get_if<const StoredResult*>(&entry)) {
        if (!(*r)->text) return fail((*r)->file.string() + ": no text part (made by an older drydock; rescan with --force)");
        text += *(*r)->text;
      } else {
        text += dump_scan_text(std::get<DumpScanResult>(entry));
      }
    }
  }
  if (!write_output(options, text)) return kExitInputError;

  // The exit code as `scan` gives it, whatever the format: dumps without a
  // result count as failed (their entry has no model), once.
  std::size_t failures = 0;
  for (const nlohmann::json& d : dumps) {
    if (!scan_failed(d)) continue;
    ++failures;
    // Missing dumps were named above; name the ones whose scan failed too.
    const auto& dump_errors = d.value("errors", nlohmann::json::array());
    const std::string error = !dump_errors.empty() && dump_errors[0].is_string() ? dump_errors[0].get<std::string>() : "";
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
