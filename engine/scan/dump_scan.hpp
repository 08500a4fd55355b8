#pragma once
// `drydock scan`'s pipeline for each dump: open it (extracting it from its
// archive first), find its kernel, build the object model, evaluate the
// compiled rules. Dumps are scanned in parallel (oneTBB, at most `jobs` at a
// time); one that fails records its error and the others go on. Results come
// back in input order, whatever the number of threads.

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "engine/kernel/dump_session.hpp"
#include "engine/model/dump_model.hpp"
#include "engine/pipeline/extraction_context.hpp"
#include "engine/rules/compiler.hpp"
#include "engine/rules/evaluate.hpp"
#include "engine/rules/finding.hpp"
#include "engine/scan/scan_inputs.hpp"

namespace drydock {

struct DumpScanResult {
  std::string display;                     // the dump as the user named it
  std::optional<DumpModel> model;          // absent when the dump could not be scanned
  std::vector<rules::Finding> findings;
  std::optional<std::string> error;        // why it could not be scanned
  std::string sha256;                      // of the dump file, when requested
  std::uint64_t size = 0;
  // Each extraction pass's time, then the rules' ("rules"), as -v prints them.
  std::vector<PassTiming> timings;
};

// Called after each dump finishes (from any worker thread, one call at a time).
struct ScanProgress {
  std::size_t done = 0;
  std::size_t total = 0;
  std::size_t failed = 0;
};

struct ScanOptions {
  SessionOptions session;
  rules::EvalOptions eval;
  bool sha256 = false;   // SARIF needs each dump's digest
  bool show_secrets = false;  // keep the values of secret-looking variables in the engines' records
  unsigned jobs = 0;     // dumps in parallel; 0: one per core
  std::function<void(const ScanProgress&)> on_progress;  // optional
  // Optional: each dump's index in `inputs` and its result, as soon as it is
  // scanned, from the worker thread that scanned it (calls for different
  // dumps may run at once). `scan --out-dir` writes the result file here, so
  // a run killed midway keeps the dumps it finished.
  std::function<void(std::size_t, const DumpScanResult&)> on_result;
};

DumpScanResult scan_one(const ScanInput& input, const rules::CompiledRules& rules, const ScanOptions& options);
std::vector<DumpScanResult> scan_all(const std::vector<ScanInput>& inputs, const rules::CompiledRules& rules,
                                     const ScanOptions& options);

}  // namespace drydock
