#pragma once
// `drydock scan` and `drydock rules check|list|fields`.

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
};

int run_scan(const CommonOptions& options, const ScanCommandOptions& scan);
int run_rules_check(const std::vector<std::string>& paths);
int run_rules_list(const CommonOptions& options, const RuleOptions& rules);
int run_rules_fields(const CommonOptions& options, bool markdown);

}  // namespace drydock
