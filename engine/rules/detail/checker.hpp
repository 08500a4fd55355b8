#pragma once
// The one checker: binds names against the schema, types every expression,
// compiles regular expressions and folds external variables, turning the
// syntax trees of all loaded files into one Program. Reports every error it
// finds (it does not stop at the first) through `diagnostics`.

#include <memory>
#include <string>
#include <utility>
#include <vector>

#include "engine/rules/detail/program.hpp"
#include "parser/parse_rule_file.hpp"

namespace drydock::rules::detail {

struct CheckInput {
  const std::vector<std::unique_ptr<ParsedFile>>* files = nullptr;
  const std::vector<std::pair<std::size_t, std::size_t>>* items = nullptr;  // (file, item), include-expanded
  const std::vector<std::pair<std::string, std::string>>* defines = nullptr;
  const std::vector<std::string>* disabled = nullptr;  // --disable-rule
};

std::shared_ptr<Program> check(const CheckInput& input, std::vector<Diagnostic>& diagnostics);

}  // namespace drydock::rules::detail
