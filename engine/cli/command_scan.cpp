#include "engine/cli/command_scan.hpp"

#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <map>
#include <iostream>
#include <mutex>

#include <fmt/format.h>
#include <tbb/task_arena.h>

#include "engine/core/sha256.hpp"
#include "engine/core/version.hpp"
#include "engine/rules/schema.hpp"
#include "engine/scan/result_store.hpp"
#include "engine/scan/shard.hpp"
#include "engine/scan/dump_scan.hpp"
#include "parser/diagnostic.hpp"
#include "reports/json_output.hpp"
#include "reports/sarif_report.hpp"
#include "reports/scan_report.hpp"
#include "symbols/symbol_table.hpp"

namespace drydock {
namespace {

// Exit code from the results: 2 when every dump failed (--strict: any),
// 1 when a finding is at or above --fail-on, else 0.
int scan_exit_code(const std::vector<DumpScanResult>& results, const ScanCommandOptions& scan,
                   std::optional<rules::Severity> fail_on, std::size_t input_errors) {
  std::size_t failed = input_errors;
  for (const DumpScanResult& r : results) failed += r.error.has_value();
  const std::size_t total = results.size() + input_errors;
  if (total == 0 || failed == total || (scan.strict && failed > 0)) return kExitInputError;
  if (fail_on) {
    for (const DumpScanResult& r : results) {
      for (const rules::Finding& f : r.findings) {
        if (f.severity >= *fail_on) return kExitFindings;
      }
    }
  }
  return kExitOk;
}

// What made the findings a result holds: the rules and the --tag filter (the
// rules' identity alone without tags, so such results stay current).
std::string result_rules_hash(const ScanCommandOptions& scan) {
  std::string identity = rules_identity(scan.rules);
  if (scan.tags.empty()) return identity;
  std::vector<std::string> tags = scan.tags;
  std::sort(tags.begin(), tags.end());
  for (const std::string& tag : tags) identity += "\n--tag " + tag;
  return sha256_hex(identity);
}

}  // namespace

int run_scan(const CommonOptions& options, const ScanCommandOptions& scan) {
  std::optional<rules::Severity> fail_on;
  if (!scan.fail_on.empty()) {
    fail_on = rules::parse_severity(scan.fail_on);
    if (!fail_on) return fail("--fail-on " + scan.fail_on + ": expected info, low, medium, high or critical");
  }
  RuleOptions rule_options = scan.rules;
  rule_options.tags = scan.tags;
  rule_options.strict = scan.strict;
  rule_options.quiet = options.quiet;
  auto compiled = load_rules(rule_options);
  if (!compiled) {
    std::cerr << compiled.error().message;
    if (!compiled.error().message.ends_with("\n")) std::cerr << "\n";
    return kExitInputError;
  }
  std::vector<std::filesystem::path> paths(scan.inputs.begin(), scan.inputs.end());
  if (!scan.manifest.empty()) {
    auto entries = read_manifest(scan.manifest);
    if (!entries) return fail(entries.error().message);
    paths.insert(paths.end(), entries->begin(), entries->end());
  }
  if (paths.empty()) return fail("scan: no dumps given; name dumps, directories or archives, or --manifest FILE");
  // Sharding is decided on the entries as written, before any of them is
  // opened: a worker reads only its own shard's files (a directory or
  // archive entry goes whole to one shard).
  std::optional<ShardSpec> shard;
  if (!scan.shard.empty()) {
    auto parsed = parse_shard(scan.shard, scan.shard_count, [](const char* name) { return std::getenv(name); });
    if (!parsed) return fail(parsed.error().message);
    shard = *parsed;
  }
  // Each dump's place in the whole run (its entry's), kept by merged reports.
  InputExpansion expansion;
  std::map<std::string, std::uint64_t> order;
  for (std::size_t k = 0; k < paths.size(); ++k) {
    if (shard && shard_of(paths[k].string(), shard->count) != shard->index) continue;
    InputExpansion one = expand_scan_inputs({paths[k]});
    for (ScanInput& input : one.inputs) {
      order.emplace(input.display, k);
      expansion.inputs.push_back(std::move(input));
    }
    for (auto& error : one.errors) {
      order.emplace(error.first, k);
      expansion.errors.push_back(std::move(error));
    }
  }
  // The rule set's identity reads every rule file: computed once per run.
  const std::string rules_hash = scan.out_dir.empty() ? std::string() : result_rules_hash(scan);
  // So are the symbol files: a result made with others is not current.
  const std::string symbols_hash = scan.out_dir.empty() ? std::string() : symbol_files_identity(symbol_paths(options));
  // With --out-dir, dumps whose result is current (same file state, drydock
  // and rules) are not scanned again.
  std::vector<ResultStamp> stamps;
  if (!scan.out_dir.empty()) {
    std::vector<ScanInput> pending;
    std::size_t skipped = 0;
    for (ScanInput& input : expansion.inputs) {
      ResultStamp stamp = stamp_file(input.path).value_or(ResultStamp{});
      stamp.path = input.display;
      stamp.version = std::string(kDrydockVersion);
      stamp.rules_hash = rules_hash;
      stamp.symbols_hash = symbols_hash;
      stamp.max_memory = options.max_memory;
      stamp.order = order[input.display];
      if (!scan.force && has_current_result(scan.out_dir, stamp)) {
        ++skipped;
        continue;
      }
      stamps.push_back(std::move(stamp));
      pending.push_back(std::move(input));
    }
    expansion.inputs = std::move(pending);
    if (!options.quiet && skipped > 0) {
      std::cerr << fmt::format("drydock: {} dump(s) already have a current result in {}; not scanned again "
                               "(--force rescans)\n",
                               skipped, scan.out_dir);
    }
  }

  ScanOptions scan_options;
  // The dumps scanned at once share --max-memory equally.
  const std::size_t workers = options.jobs > 0 ? static_cast<std::size_t>(options.jobs)
                                               : static_cast<std::size_t>(tbb::this_task_arena::max_concurrency());
  scan_options.session = session_options(options, std::min(workers, std::max<std::size_t>(expansion.inputs.size(), 1)));
  scan_options.eval.tags = scan.tags;
  scan_options.sha256 = options.format == "sarif";
  scan_options.show_secrets = options.show_secrets;
  scan_options.jobs = static_cast<unsigned>(options.jobs);
  // A progress line on a terminal, for scans of several dumps.
  const bool show_progress = !options.quiet && expansion.inputs.size() > 1 && ::isatty(STDERR_FILENO);
  const auto started = std::chrono::steady_clock::now();
  if (show_progress) {
    scan_options.on_progress = [&](const ScanProgress& p) {
      const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
      const double rate = seconds > 0 ? static_cast<double>(p.done) / seconds : 0;
      const double eta = rate > 0 ? static_cast<double>(p.total - p.done) / rate : 0;
      std::cerr << fmt::format("\r\x1b[Kdrydock: {}/{} dumps, {:.1f}/s, ETA {:.0f}s, {} failed", p.done, p.total, rate,
                               eta, p.failed)
                << std::flush;
    };
  }
  // With --out-dir each dump's result is written as soon as it is scanned, so
  // a worker killed midway (a Slurm time limit, a lost node) keeps what it
  // finished and a re-run scans only the rest.
  // The result file's text: the dump's JSON as `scan --format json` prints
  // it (without the digest a SARIF run computes), with its stamp and its
  // parts of the text and SARIF reports (the SARIF part carries the digest
  // when this run computes it, with --format sarif).
  const nlohmann::json descriptors = scan.out_dir.empty() ? nlohmann::json() : sarif_rules(*compiled);
  const auto result_text = [&descriptors, &scan](const ResultStamp& stamp, const DumpScanResult& result) {
    nlohmann::json dump_json = dump_scan_json(result);
    if (dump_json.contains("dump")) dump_json["dump"].erase("sha256");
    return to_json_text(result_document(stamp, std::move(dump_json), dump_scan_text(result),
                                        nlohmann::json(sarif_dump_part(result, descriptors,
                                                                       SarifOptions{scan.sarif_uri_base})))) +
           "\n";
  };
  std::mutex write_mutex;
  std::optional<std::string> write_error;
  if (!scan.out_dir.empty()) {
    // The rule descriptors, once per rule set, for a merged SARIF log.
    if (!std::filesystem::exists(sarif_rules_file(scan.out_dir, rules_hash))) {
      if (auto written = write_sarif_rules(scan.out_dir, rules_hash, descriptors); !written) {
        return fail(written.error().message);
      }
    }
    scan_options.on_result = [&](std::size_t i, const DumpScanResult& result) {
      const std::string document = result_text(stamps[i], result);
      if (auto written = write_result(scan.out_dir, stamps[i], document); !written) {
        std::lock_guard lock(write_mutex);
        if (!write_error) write_error = written.error().message;
      }
    };
  }
  std::vector<DumpScanResult> results = scan_all(expansion.inputs, *compiled, scan_options);
  if (show_progress) std::cerr << "\r\x1b[K" << std::flush;
  // Inputs that could not even be listed are reported like failed dumps.
  for (const auto& [path, message] : expansion.errors) {
    DumpScanResult failed;
    failed.display = path;
    failed.error = path + ": " + message;
    results.push_back(std::move(failed));
  }
  for (const DumpScanResult& r : results) {
    print_pass_timings(options, r.timings, r.display + ": ");
    if (r.error && !options.quiet) std::cerr << "drydock: " << *r.error << "\n";
  }
  if (write_error) return fail(*write_error);
  if (!scan.out_dir.empty()) {
    for (std::size_t i = stamps.size(); i < results.size(); ++i) {  // the inputs that could not be listed
      ResultStamp stamp;
      stamp.path = results[i].display;
      stamp.version = std::string(kDrydockVersion);
      stamp.rules_hash = rules_hash;
      stamp.symbols_hash = symbols_hash;
      stamp.max_memory = options.max_memory;
      stamp.order = order.count(stamp.path) ? order[stamp.path] : order.size() + i;
      const std::string document = result_text(stamp, results[i]);
      if (auto written = write_result(scan.out_dir, stamp, document); !written) return fail(written.error().message);
    }
  }

  std::string text;
  if (options.format == "json") {
    text = scan_json(results);
  } else if (options.format == "jsonl") {
    text = scan_jsonl(results);
  } else if (options.format == "sarif") {
    text = to_ordered_json_text(sarif_log(results, *compiled, SarifOptions{scan.sarif_uri_base})) + "\n";
  } else {
    text = scan_text(results);
  }
  if (!write_output(options, text)) return kExitInputError;
  // A shard with nothing (left) to scan did its part.
  if (results.empty() && (!scan.shard.empty() || !scan.out_dir.empty())) return kExitOk;
  return scan_exit_code(results, scan, fail_on, 0);
}

int run_rules_check(const RuleOptions& options) {
  auto compiled = load_rules(options);
  if (!compiled) {
    std::cerr << compiled.error().message;
    if (!compiled.error().message.ends_with("\n")) std::cerr << "\n";
    return kExitInputError;
  }
  std::cout << fmt::format("{} rule(s) OK\n", compiled->rules().size());
  return kExitOk;
}

int run_rules_list(const CommonOptions& options, const RuleOptions& rule_options) {
  auto compiled = load_rules(rule_options);
  if (!compiled) {
    std::cerr << compiled.error().message;
    return kExitInputError;
  }
  std::string text;
  if (options.format == "json") {
    nlohmann::json list = nlohmann::json::array();
    for (const rules::RuleInfo& r : compiled->rules()) {
      nlohmann::json meta = nlohmann::json::object();
      for (const rules::MetaEntry& m : r.meta) std::visit([&](const auto& v) { meta[m.key] = v; }, m.value);
      list.push_back({{"name", r.name}, {"scope", r.scope}, {"tags", r.tags}, {"severity", rules::to_string(r.severity)},
                      {"private", r.is_private}, {"global", r.is_global}, {"override", r.is_override},
                      {"disabled", r.is_disabled}, {"file", r.file}, {"line", r.line}, {"meta", meta}});
    }
    text = to_json_text({{"rules", list}}) + "\n";
  } else {
    text = fmt::format("{:<32} {:<9} {:<9} {:<30} {}\n", "RULE", "SCOPE", "SEVERITY", "TAGS", "DESCRIPTION");
    for (const rules::RuleInfo& r : compiled->rules()) {
      std::string tags;
      for (const std::string& t : r.tags) tags += (tags.empty() ? "" : " ") + t;
      text += fmt::format("{:<32} {:<9} {:<9} {:<30} {}\n",
                          r.name + (r.is_private ? " (private)" : "") + (r.is_disabled ? " (disabled)" : ""), r.scope,
                          r.is_private ? "-" : std::string(rules::to_string(r.severity)), tags, r.description);
    }
  }
  return write_output(options, text) ? kExitOk : kExitInputError;
}

int run_rules_fields(const CommonOptions& options, bool markdown) {
  const std::string text = markdown ? rules::render_field_reference_markdown() : rules::render_field_listing();
  return write_output(options, text) ? kExitOk : kExitInputError;
}

}  // namespace drydock
