#include "engine/cli/app.hpp"

#include <iostream>
#include <optional>

#include <CLI/CLI.hpp>
#include <tbb/global_control.h>

#include "engine/cli/byte_size.hpp"
#include "engine/cli/command_changes.hpp"
#include "engine/cli/command_files.hpp"
#include "engine/cli/command_scan.hpp"
#include "engine/cli/command_symbols.hpp"
#include "engine/cli/commands.hpp"
#include "engine/core/version.hpp"

namespace drydock {
namespace {

void add_common(CLI::App& command, CommonOptions& options, bool scan_formats = false) {
  auto* format = command.add_option("--format", options.format, "Output format")->capture_default_str();
  if (scan_formats) {
    format->check(CLI::IsMember({"text", "json", "jsonl", "sarif"}));
  } else {
    format->check(CLI::IsMember({"text", "json"}));
  }
  command.add_option("-o,--output", options.output, "Write the output to FILE instead of stdout");
  command.add_option("--symbols", options.symbols,
                     "ISF symbol file or directory (repeatable; default $DRYDOCK_SYMBOLS)")
      ->allow_extra_args(false);
  command.add_option("-j,--jobs", options.jobs, "Worker threads (0: one per core)")->check(CLI::NonNegativeNumber);
  command.add_option("--temp-dir", options.temp_dir, "Where compressed dumps are decompressed (default $TMPDIR)");
  command.add_option("--cache-dir", options.cache_dir,
                     "Symbol cache directory (default $XDG_CACHE_HOME/drydock or ~/.cache/drydock)");
  command.add_flag("--no-symbol-cache", options.no_symbol_cache, "Parse the ISF every time; read and write no cache");
  command.add_flag("-v,--verbose", options.verbose, "Print each extraction pass's time on stderr");
  command
      .add_option_function<std::string>(
          "--max-memory",
          [&options](const std::string& text) { options.max_memory = parse_byte_size(text).value_or(0); },
          "Memory for dump data (decompressed images, extracted objects), shared equally by the dumps "
          "scanned at once, e.g. 2G (default: half of physical memory)")
      ->type_name("SIZE")
      ->check(CLI::Validator(
          [](std::string& text) -> std::string {
            const auto bytes = parse_byte_size(text);
            if (!bytes) return "expected a size such as 512M, 2G or 1.5GiB, got '" + text + "'";
            if (*bytes < (std::uint64_t{1} << 20)) return "at least 1M is needed, got '" + text + "'";
            return "";
          },
          ""));
}

// -d and --disable-rule, the same on every command that compiles rules.
void add_rule_options(CLI::App& command, RuleOptions& rules) {
  command.add_option("-d,--define", rules.defines, "External variable NAME=VALUE (repeatable; a list: a,b,c or @FILE)")
      ->allow_extra_args(false);
  command.add_option("--disable-rule", rules.disabled, "Never report rule NAME (repeatable)")->allow_extra_args(false);
}

}  // namespace

int run_cli(int argc, char** argv) {
  CLI::App app{"drydock: finds risky containers in Linux memory dumps"};
  app.require_subcommand(1);
  app.set_version_flag("--version", "drydock " + std::string(kDrydockVersion));

  CommonOptions options;
  std::string dump;

  auto* info = app.add_subcommand("info", "What the dump is and where its kernel lies");
  info->add_option("DUMP", dump, "Memory dump (raw, LiME, ELF core; plain or .zst/.xz/.gz)")->required();
  add_common(*info, options);

  bool threads = false;
  auto* ps = app.add_subcommand("ps", "Every task: ids, credentials, capabilities, namespaces, start time");
  ps->add_option("DUMP", dump, "Memory dump")->required();
  ps->add_flag("--threads", threads, "Also list every thread, not only processes");
  add_common(*ps, options);
  auto* pstree = app.add_subcommand("pstree", "The tasks as a tree");
  pstree->add_option("DUMP", dump, "Memory dump")->required();
  pstree->add_flag("--threads", threads, "Also list every thread");
  add_common(*pstree, options);

  std::vector<int> pids;
  bool all_mounts = false;
  auto* mounts = app.add_subcommand("mounts", "Mounts of the mount namespaces of the given PIDs");
  mounts->add_option("DUMP", dump, "Memory dump")->required();
  mounts->add_option("--pid", pids, "Show the mounts as this process sees them (repeatable; default 1)")
      ->allow_extra_args(false);
  mounts->add_flag("--all", all_mounts, "Every mount namespace the tasks use");
  add_common(*mounts, options);
  auto* net = app.add_subcommand("net", "Network interfaces of every network namespace");
  net->add_option("DUMP", dump, "Memory dump")->required();
  add_common(*net, options);
  auto* sockets = app.add_subcommand("sockets", "Every TCP, UDP, UNIX and raw socket open in a task, like ss -tuanp");
  sockets->add_option("DUMP", dump, "Memory dump")->required();
  add_common(*sockets, options);

  FilesFilter files_filter;
  auto* files = app.add_subcommand("files", "Files cached in memory under the mounts the given PIDs see");
  files->add_option("DUMP", dump, "Memory dump")->required();
  files->add_option("--pid", files_filter.pids, "Use the mounts this process sees (repeatable; default 1)")
      ->allow_extra_args(false);
  files->add_option("--mount", files_filter.mount_ids, "Only this mount id, as mountinfo shows it (repeatable)")->allow_extra_args(false);
  files->add_option("--path", files_filter.path_prefix, "Only this path and what lies under it");
  files->add_option("--uid", files_filter.uids, "Only files owned by this uid (repeatable)")->allow_extra_args(false);
  files->add_option("--extract", files_filter.extract_dir,
                    "Also write the files' bytes recovered from memory under DIR (new or empty), with manifest.json");
  add_common(*files, options);
  ChangesOptions changes_options;
  auto* changes = app.add_subcommand("changes", "What each container changed: its overlay upper directory");
  changes->add_option("DUMP", dump, "Memory dump")->required();
  changes->add_option("--container", changes_options.containers, "Only this container: id, id prefix or name (repeatable)")
      ->allow_extra_args(false);
  changes->add_option("--extract", changes_options.extract_dir,
                      "Also write the changed files' bytes recovered from memory under DIR (new or empty), with manifest.json");
  add_common(*changes, options);
  auto* timeline = app.add_subcommand("timeline", "One JSON line per event the kernel recorded (Timesketch JSONL)");
  timeline->add_option("DUMP", dump, "Memory dump")->required();
  add_common(*timeline, options);
  auto* containers = app.add_subcommand("containers", "The docker ps-like inventory of containers");
  containers->add_option("DUMP", dump, "Memory dump")->required();
  containers->add_flag("--show-secrets", options.show_secrets,
                       "Show the values of secret-looking environment variables in the engines' records");
  add_common(*containers, options);

  ScanCommandOptions scan_options;
  auto* scan = app.add_subcommand("scan", "Run the rules over dumps, directories of dumps and archives");
  scan->add_option("DUMP", scan_options.inputs, "Dumps, directories (recursive) or archives");
  scan->add_option("--manifest", scan_options.manifest, "Also the dumps listed in FILE, one path a line (- for stdin)");
  scan->add_option("--shard", scan_options.shard,
                   "Scan only shard I of N (I/N, 0-based) of the dumps, chosen by their path; 'auto' takes I from "
                   "JOB_COMPLETION_INDEX or SLURM_ARRAY_TASK_ID");
  scan->add_option("--shard-count", scan_options.shard_count, "N for --shard auto (default SLURM_ARRAY_TASK_COUNT)");
  scan->add_option("--out-dir", scan_options.out_dir,
                   "Write one result file per dump into DIR (skipping dumps whose result is current)");
  scan->add_flag("--force", scan_options.force, "With --out-dir: rescan dumps that already have a current result");
  scan->add_option("--sarif-uri-base", scan_options.sarif_uri_base,
                   "SARIF: name each dump BASE/FILE_NAME (a repository-relative path) instead of the path as given");
  scan->add_option("--rules", scan_options.rules.paths, "Extra rule file or directory (repeatable)")->allow_extra_args(false);
  scan->add_flag("--no-default-rules", scan_options.rules.no_default_rules, "Do not load the bundled rules");
  add_rule_options(*scan, scan_options.rules);
  scan->add_option("--tag", scan_options.tags, "Report only rules with this tag (repeatable)")->allow_extra_args(false);
  scan->add_option("--fail-on", scan_options.fail_on, "Exit 1 when a finding is at or above this severity")
      ->check(CLI::IsMember({"info", "low", "medium", "high", "critical"}));
  scan->add_flag("--show-secrets", options.show_secrets,
                 "Show the values of secret-looking environment variables in the engines' records");
  scan->add_flag("--strict", scan_options.strict,
                 "Exit 2 if any dump could not be scanned; rule warnings are errors");
  scan->add_flag("-q,--quiet", options.quiet, "No progress or per-dump errors on stderr");
  add_common(*scan, options, true);

  auto* report_cmd = app.add_subcommand("report", "Work with the results of sharded scans");
  report_cmd->require_subcommand(1);
  MergeCommandOptions merge_options;
  auto* report_merge = report_cmd->add_subcommand("merge", "Merge the result files of scan --out-dir into one report");
  report_merge->add_option("DIR", merge_options.dirs, "Result directories")->required();
  report_merge->add_option("--manifest", merge_options.manifest,
                           "The run's manifest: order the dumps as listed, and report those without a result");
  report_merge->add_option("--format", merge_options.format, "Output format (as scan's)")
      ->capture_default_str()
      ->check(CLI::IsMember({"json", "jsonl", "sarif", "text"}));
  report_merge->add_option("-o,--output", options.output, "Write the output to FILE");
  report_merge->add_option("--fail-on", merge_options.fail_on, "Exit 1 when a finding is at or above this severity")
      ->check(CLI::IsMember({"info", "low", "medium", "high", "critical"}));
  report_merge->add_flag("--strict", merge_options.strict, "Exit 2 if a dump has no result or could not be scanned");
  report_merge->add_flag("-q,--quiet", options.quiet, "No notes on stderr");

  // `symbols` and its subcommands (each its own variable and dispatch line).
  auto* symbols_cmd =
      app.add_subcommand("symbols", "Make symbol tables (Volatility 3 ISF) for kernels, and fill the symbol cache");
  symbols_cmd->require_subcommand(1);
  SymbolsBuildOptions build_options;
  auto* symbols_build =
      symbols_cmd->add_subcommand("build", "Make an ISF from a vmlinux with BTF (no debug package or dwarf2json needed)");
  symbols_build->add_option("--vmlinux", build_options.vmlinux, "The kernel's vmlinux ELF file (with a .BTF section)")
      ->required();
  symbols_build->add_option("--system-map", build_options.system_map,
                            "Its System.map, for the symbol addresses (default: the vmlinux's symbol table)");
  symbols_build->add_option("-o,--output", build_options.output, "The ISF to write: FILE.json, or FILE.json.xz compressed")
      ->required();
  auto* symbols_export = symbols_cmd->add_subcommand(
      "export", "Make an ISF from the dump's own BTF and kallsyms (Volatility 3 loads it too)");
  symbols_export->add_option("DUMP", dump, "Memory dump")->required();
  add_common(*symbols_export, options);
  std::vector<std::string> warm_paths;
  auto* symbols_warm = symbols_cmd->add_subcommand(
      "warm", "Parse ISF files into the symbol cache, so that later runs (every worker of a node) load them cheaply");
  symbols_warm->add_option("PATH", warm_paths, "ISF files or directories (searched recursively)")->required();
  symbols_warm->add_option("--cache-dir", options.cache_dir,
                           "Symbol cache directory (default $XDG_CACHE_HOME/drydock or ~/.cache/drydock)");
  symbols_warm->add_option("--format", options.format, "Output format")->check(CLI::IsMember({"text", "json"}));
  symbols_warm->add_option("-o,--output", options.output, "Write the output to FILE");

  auto* rules_cmd = app.add_subcommand("rules", "Check and list rules");
  rules_cmd->require_subcommand(1);
  RuleOptions check_options;
  auto* rules_check = rules_cmd->add_subcommand(
      "check", "Compile the rules exactly as scan would (bundled ones too) and report every error and warning");
  rules_check->add_option("PATH", check_options.paths, "Rule files or directories (as --rules)");
  rules_check->add_option("--rules", check_options.paths, "Extra rule file or directory (repeatable)")->allow_extra_args(false);
  rules_check->add_flag("--no-default-rules", check_options.no_default_rules, "Do not load the bundled rules");
  add_rule_options(*rules_check, check_options);
  rules_check->add_option("--tag", check_options.tags, "Warn when no rule has this tag (as scan --tag)")->allow_extra_args(false);
  rules_check->add_flag("--strict", check_options.strict, "Warnings are errors");
  RuleOptions list_options;
  auto* rules_list = rules_cmd->add_subcommand("list", "The loaded rules with their meta and tags");
  rules_list->add_option("--rules", list_options.paths, "Extra rule file or directory (repeatable)")->allow_extra_args(false);
  rules_list->add_flag("--no-default-rules", list_options.no_default_rules, "Do not load the bundled rules");
  add_rule_options(*rules_list, list_options);
  rules_list->add_option("--format", options.format, "Output format")->check(CLI::IsMember({"text", "json"}));
  rules_list->add_option("-o,--output", options.output, "Write the output to FILE");
  bool markdown = false;
  auto* rules_fields = rules_cmd->add_subcommand("fields", "The fields rules can use, by scope");
  rules_fields->add_flag("--markdown", markdown, "As the README's Markdown reference");
  rules_fields->add_option("-o,--output", options.output, "Write the output to FILE");

  try {
    app.parse(argc, argv);
  } catch (const CLI::CallForHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForAllHelp& e) {
    return app.exit(e);
  } catch (const CLI::CallForVersion& e) {
    return app.exit(e);
  } catch (const CLI::ParseError& e) {
    app.exit(e);
    return kExitInputError;
  }

  // -j bounds every parallel stage of this run.
  std::optional<tbb::global_control> thread_limit;
  if (options.jobs > 0) {
    thread_limit.emplace(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(options.jobs));
  }
  if (info->parsed()) return run_info(options, dump);
  if (ps->parsed()) return run_ps(options, dump, false, threads);
  if (pstree->parsed()) return run_ps(options, dump, true, threads);
  if (mounts->parsed()) return run_mounts(options, dump, pids, all_mounts);
  if (net->parsed()) return run_net(options, dump);
  if (sockets->parsed()) return run_sockets(options, dump);
  if (containers->parsed()) return run_containers(options, dump);
  if (files->parsed()) return run_files(options, dump, files_filter);
  if (changes->parsed()) return run_changes(options, dump, changes_options);
  if (timeline->parsed()) return run_timeline(options, dump);
  if (scan->parsed()) return run_scan(options, scan_options);
  if (report_merge->parsed()) return run_report_merge(options, merge_options);
  if (symbols_build->parsed()) return run_symbols_build(build_options);
  if (symbols_export->parsed()) return run_symbols_export(options, dump);
  if (symbols_warm->parsed()) return run_symbols_warm(options, warm_paths);
  if (rules_check->parsed()) return run_rules_check(check_options);
  if (rules_list->parsed()) return run_rules_list(options, list_options);
  if (rules_fields->parsed()) return run_rules_fields(options, markdown);
  return kExitInputError;
}

}  // namespace drydock
