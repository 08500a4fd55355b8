#pragma once
// The rules shipped in rules/*.rules, embedded in the binary at build time.

#include <string_view>
#include <vector>

namespace drydock {

struct BundledRuleFile {
  std::string_view name;  // "rules/containers.rules"
  std::string_view text;
};

// Immutable after first use; sorted by name.
const std::vector<BundledRuleFile>& bundled_rule_files();

}  // namespace drydock
