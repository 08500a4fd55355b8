#pragma once
// `drydock scan` and `drydock rules check|list|fields`.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/cli/command_context.hpp"
#include "engine/cli/rule_loading.hpp"

namespace drydock {

struct ScanCommandOptions {
  std::vector<std::string> inputs;   // dumps, directories, archives
  RuleOptions rules;
  std::vector<std::string> tags;     // --tag
  std::string fail_on;               // --fail-on LEVEL ("" = never)
  bool strict = false;
  // Sharded runs (distributed engines): see engine/scan/shard.hpp and result_store.hpp.
  std::string manifest;              // --manifest FILE ("-": stdin)
  std::string shard;                 // --shard I/N or auto ("" = every dump)
  std::optional<std::uint64_t> shard_count;  // --shard-count N (with --shard auto)
  std::string out_dir;               // --out-dir DIR: one result file per dump
  bool force = false;                // --force: rescan dumps with a current result
  std::string sarif_uri_base;        // --sarif-uri-base: SARIF names each dump BASE/FILE_NAME
};

// `drydock report merge DIR... [--manifest FILE]`.
struct MergeCommandOptions {
  std::vector<std::string> dirs;
  std::string manifest;
  std::string format = "json";       // json (the default, as before), jsonl, sarif or text
  std::string fail_on;
  bool strict = false;
};

int run_scan(const CommonOptions& options, const ScanCommandOptions& scan);
int run_rules_check(const RuleOptions& options);
int run_rules_list(const CommonOptions& options, const RuleOptions& rules);
int run_rules_fields(const CommonOptions& options, bool markdown);
int run_report_merge(const CommonOptions& options, const MergeCommandOptions& merge);

}  // namespace drydock
