#pragma once
// The parser's public facade: text in, syntax tree and syntax diagnostics out.
// Parsing is pure (no file access: `include` is resolved by the compiler in
// engine/rules) and thread-safe; each call owns everything it returns.

#include <cstddef>
#include <memory>
#include <string>
#include <vector>

#include "parser/ast.hpp"
#include "parser/diagnostic.hpp"

namespace drydock::rules {

// Rule files larger than this are refused with E007 before parsing.
inline constexpr std::size_t kMaxRuleFileBytes = 4u << 20;

struct ParsedFile {
  std::string file_name;
  std::shared_ptr<const std::string> text;
  ast::RuleFile ast;                // the items that parsed; broken ones are left out
  std::vector<Diagnostic> diagnostics;  // syntax errors, in source order

  bool ok() const { return diagnostics.empty(); }

  // Where a node of `ast` came from. A node the parser did not tag (id -1)
  // maps to the start of the file.
  SourceSpan span_of(const boost::spirit::x3::position_tagged& node) const;
  SourceSpan span_at(std::size_t begin, std::size_t end) const;
  // The byte range of a node in `text`.
  std::pair<std::size_t, std::size_t> range_of(const boost::spirit::x3::position_tagged& node) const;

  std::vector<std::size_t> positions;  // position id -> byte offset (filled by the parser)
  std::shared_ptr<const SourceMap> map;  // over *text
};

ParsedFile parse_rule_file(std::string text, std::string file_name);

}  // namespace drydock::rules
