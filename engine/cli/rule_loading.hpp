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
  std::vector<std::string> disabled;  // --disable-rule NAME
  std::vector<std::string> tags;      // --tag of scan: a tag no rule carries is a warning
  bool strict = false;                // warnings are errors
  bool quiet = false;                 // warnings are not printed
};

// The one compile of `scan`, `rules check` and `rules list`. Warnings
// (W001 unknown --tag, W002 -d naming no external, W003 file skipped in a
// rule directory, W004 rule that can never match) go to stderr unless quiet;
// with `strict` they fail the load. On failure the error holds every
// diagnostic, rendered with file:line:col and a caret, ready for stderr.
Result<rules::CompiledRules> load_rules(const RuleOptions& options);

// A digest of what load_rules compiles (the bundled sources, each rule file's
// bytes in load order, the definitions): results made with another rule set
// are not taken as current (`scan --out-dir`). Unreadable files count as empty
// (load_rules reports them).
std::string rules_identity(const RuleOptions& options);

}  // namespace drydock
