#pragma once
// Compiles the rules a command asked for: the bundled ones (unless
// --no-default-rules), every --rules file or directory (*.rules, sorted),
// and the -d NAME=VALUE definitions.

#include <string>
#include <vector>

#include "engine/core/result.hpp"
#include "engine/rules/compiler.hpp"

namespace drydock {

struct RuleOptions {
  std::vector<std::string> paths;     // --rules
  bool no_default_rules = false;
  std::vector<std::string> defines;   // NAME=VALUE
};

// On failure the error holds every diagnostic, rendered with file:line:col
// and a caret, ready for stderr.
Result<rules::CompiledRules> load_rules(const RuleOptions& options);

// A digest of what load_rules compiles (the bundled sources, each rule file's
// bytes in load order, the definitions): results made with another rule set
// are not taken as current (`scan --out-dir`). Unreadable files count as empty
// (load_rules reports them).
std::string rules_identity(const RuleOptions& options);

}  // namespace drydock
