#include "parser/parse_rule_file.hpp"

#include "parser/grammar.hpp"

namespace drydock::rules {

ParsedFile parse_rule_file(std::string text, std::string file_name) {
  ParsedFile parsed;
  parsed.file_name = std::move(file_name);
  parsed.text = std::make_shared<const std::string>(std::move(text));
  parsed.map = std::make_shared<const SourceMap>(parsed.file_name, *parsed.text);
  const SourceMap& map = *parsed.map;
  if (parsed.text->size() > kMaxRuleFileBytes) {
    Diagnostic d;
    d.code = "E007";
    d.message = "rule file is too large (" + std::to_string(parsed.text->size()) + " bytes; the limit is " +
                std::to_string(kMaxRuleFileBytes) + ")";
    d.span.file = parsed.file_name;
    parsed.diagnostics.push_back(std::move(d));
    return parsed;
  }
  auto out = parser::parse_items(*parsed.text, map);
  parsed.ast = std::move(out.file);
  parsed.positions = std::move(out.positions);
  parsed.diagnostics = std::move(out.diagnostics);
  return parsed;
}

std::pair<std::size_t, std::size_t> ParsedFile::range_of(const boost::spirit::x3::position_tagged& node) const {
  if (node.id_first < 0 || node.id_last < 0 || static_cast<std::size_t>(node.id_last) >= positions.size()) {
    return {0, 0};
  }
  return {positions[static_cast<std::size_t>(node.id_first)], positions[static_cast<std::size_t>(node.id_last)]};
}

SourceSpan ParsedFile::span_of(const boost::spirit::x3::position_tagged& node) const {
  const auto [begin, end] = range_of(node);
  return span_at(begin, end);
}

SourceSpan ParsedFile::span_at(std::size_t begin, std::size_t end) const {
  return map->span(begin, end);
}

}  // namespace drydock::rules
