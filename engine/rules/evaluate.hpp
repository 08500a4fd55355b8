#pragma once
// Evaluation: a pure function of (compiled rules, model, options) to
// findings. No I/O, no clock, no global state. Objects of each scope are
// evaluated in parallel with oneTBB; findings are then sorted by (scope,
// object order in the model, rule order), so the output is the same for any
// number of threads. Safe to call concurrently with the same CompiledRules.

#include <cstddef>
#include <optional>
#include <string>
#include <vector>

#include "engine/model/dump_model.hpp"
#include "engine/rules/compiler.hpp"
#include "engine/rules/finding.hpp"

namespace drydock::rules {

struct EvalOptions {
  std::vector<std::string> tags;          // report only rules with one of these tags (empty: all)
  std::optional<Severity> min_severity;   // report only rules at or above it
  std::size_t max_evidence = 32;          // evidence entries per finding
  unsigned threads = 0;                   // 0: oneTBB's default
};

std::vector<Finding> evaluate(const CompiledRules& rules, const DumpModel& model, const EvalOptions& options = {});

}  // namespace drydock::rules
