#pragma once
// One result file per dump for sharded runs (`scan --out-dir DIR`):
// `<sha256 of the dump path as written>.json`, holding the dump's JSON exactly
// as `scan --format json` prints it ({"dumps": [...]}) plus a "result" member
// that says which dump, which file state and which drydock and rules made it.
// Files are written under a temporary name and renamed, so a worker killed
// mid-write leaves no half result; a result whose stamp matches the dump's
// current state is complete and can be skipped on a re-run.

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/core/result.hpp"

namespace drydock {

// What a result was made from.
struct ResultStamp {
  std::string path;          // the dump as written in the manifest or on the command line
  std::uint64_t size = 0;    // of the file scanned (the archive, for an archive entry)
  std::int64_t mtime_ns = 0;
  std::string version;       // drydock's
  std::string rules_hash;    // of the rule set (sources and definitions)
  std::string symbols_hash;  // of the ISF files --symbols names (paths, sizes, times)
  std::uint64_t max_memory = 0;  // --max-memory as given (0: the default, half of physical memory)
  std::uint64_t order = 0;   // its place in the run's list of dumps (manifest order)

  friend bool operator==(const ResultStamp&, const ResultStamp&) = default;
};

// "<sha256 hex of path>.json".
std::string result_file_name(std::string_view dump_path);

// The size and modification time of `file` as a stamp (other fields empty);
// nullopt when it cannot be read.
std::optional<ResultStamp> stamp_file(const std::filesystem::path& file);

// Whether a dump's JSON records a failed scan: no model (the dump could not
// be read, or no symbol table matched its kernel).
bool scan_failed(const nlohmann::json& dump_json);

// Whether DIR holds a complete result for this stamp (the same dump, file
// state, drydock version, rules, symbol files and --max-memory; the order is
// not compared) that is not a
// failed scan: a failure may come from the worker (a symbols path missing
// there, a full temporary directory), so the next run tries again.
bool has_current_result(const std::filesystem::path& dir, const ResultStamp& stamp);

// The result document: {"dumps": [dump_json], "result": stamp, "text": the
// dump's part of the text report, "sarif": its part of the SARIF log}, so
// `report merge` prints every format exactly as one scan would.
nlohmann::json result_document(const ResultStamp& stamp, nlohmann::json dump_json, std::string text,
                               nlohmann::json sarif_part);

// The SARIF rule descriptors of a rule set, kept once beside the results
// ("rules-<rules hash>.sarif", written atomically; every worker with that rule
// set writes the same bytes).
std::filesystem::path sarif_rules_file(const std::filesystem::path& dir, std::string_view rules_hash);
Result<std::filesystem::path> write_sarif_rules(const std::filesystem::path& dir, std::string_view rules_hash,
                                                const nlohmann::json& descriptors);
// nullopt when the file is missing or unreadable.
std::optional<nlohmann::json> read_sarif_rules(const std::filesystem::path& dir, std::string_view rules_hash);

// Writes the serialised result document of `stamp`'s dump atomically. The
// error names the file.
Result<std::filesystem::path> write_result(const std::filesystem::path& dir, const ResultStamp& stamp,
                                           std::string_view document_text);

// A result read back: its stamp and its dump's JSON.
struct StoredResult {
  ResultStamp stamp;
  nlohmann::json dump;
  std::filesystem::path file;
  std::optional<std::string> text;    // absent in results of older drydock builds
  nlohmann::json sarif;               // null when absent
};

// Every result file in `dir` (*.json holding a "result" member); files that
// are not results are skipped, broken ones reported in `errors`.
std::vector<StoredResult> read_results(const std::filesystem::path& dir, std::vector<std::string>& errors);

}  // namespace drydock
