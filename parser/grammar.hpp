#pragma once
// The grammar's entry point. Its definition (grammar_def.hpp) is compiled in
// exactly one translation unit, grammar.cpp; everything else sees only this.

#include <string_view>
#include <vector>

#include "parser/ast.hpp"
#include "parser/diagnostic.hpp"

namespace drydock::rules::parser {

struct GrammarOutput {
  ast::RuleFile file;
  std::vector<std::size_t> positions;  // position id of a tagged node -> byte offset
  std::vector<Diagnostic> diagnostics;
};

// Parses a whole rule file. After a syntax error it resumes at the next line
// that starts with `rule`, `private`, `global`, `include` or `external`, so one
// run reports the errors of every broken rule. Never throws.
GrammarOutput parse_items(std::string_view text, const SourceMap& map);

}  // namespace drydock::rules::parser
