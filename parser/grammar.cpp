// The only translation unit that instantiates the X3 grammar.

#include "parser/grammar.hpp"

#include <functional>

#include "parser/grammar_def.hpp"

namespace drydock::rules::parser {

namespace {

bool starts_item(std::string_view line) {
  for (std::string_view word : {"rule", "private", "global", "override", "include", "external"}) {
    if (line.substr(0, word.size()) != word || (line.size() > word.size() && is_word_char(line[word.size()]))) {
      continue;
    }
    // `external.NAME` opens a condition line, not a declaration.
    std::size_t next = word.size();
    while (next < line.size() && (line[next] == ' ' || line[next] == '\t')) ++next;
    if (word == "external" && next < line.size() && line[next] == '.') return false;
    return true;
  }
  return false;
}

// The start of the first line after `from` whose first word opens an item.
const char* next_item_start(const char* from, const char* end) {
  const char* p = from;
  while (p < end) {
    while (p < end && *p != '\n') ++p;
    if (p >= end) break;
    ++p;
    const char* q = p;
    while (q < end && (*q == ' ' || *q == '\t' || *q == '\r')) ++q;
    if (starts_item(std::string_view(q, static_cast<std::size_t>(end - q)))) return q;
  }
  return end;
}

}  // namespace

GrammarOutput parse_items(std::string_view text, const SourceMap& map) {
  GrammarOutput out;
  const char* const begin = text.data();
  const char* const end = text.data() + text.size();
  position_cache_type cache(begin, end);
  NestingDepth depth;
  auto const parser = x3::with<position_cache_tag>(std::ref(cache))[x3::with<depth_tag>(std::ref(depth))[grammar::item]];
  skipper_parser const skipper;

  const char* p = begin;
  while (true) {
    const char* item_start = nullptr;
    try {
      x3::skip_over(p, end, x3::make_context<x3::skipper_tag>(skipper));
      if (p == end) break;
      item_start = p;
      ast::Item item;
      const char* it = p;
      if (x3::phrase_parse(it, end, parser, skipper, item)) {
        out.file.items.push_back(std::move(item));
        p = it;
        continue;
      }
      // After `private`/`global` only `rule` (or another modifier) can follow.
      const char* at = p;
      bool after_modifier = false;
      for (;;) {
        const char* word = skip_blanks(at, end);
        const std::string_view rest(word, static_cast<std::size_t>(end - word));
        std::size_t length = 0;
        for (std::string_view modifier : {"private", "global", "override"}) {
          if (rest.substr(0, modifier.size()) == modifier &&
              (rest.size() == modifier.size() || !is_word_char(rest[modifier.size()]))) {
            length = modifier.size();
          }
        }
        if (length == 0) break;
        at = word + length;
        after_modifier = true;
      }
      out.diagnostics.push_back(
          to_diagnostic(map, begin, end, at, after_modifier ? std::string("`rule`") : x3::what(grammar::item)));
    } catch (x3::expectation_failure<iterator_type> const& failure) {
      out.diagnostics.push_back(to_diagnostic(map, begin, end, failure.where(), failure.which()));
    } catch (NestingTooDeep const& deep) {
      Diagnostic d;
      d.code = "E004";
      d.message = "expression nested too deeply (the limit is " + std::to_string(kMaxNestingDepth) + " levels)";
      const auto offset = static_cast<std::size_t>(deep.where - begin);
      d.span = map.span(offset, offset + 1);
      d.hints.push_back("split the condition into several rules and refer to them by name");
      out.diagnostics.push_back(std::move(d));
    }
    depth.current = 0;
    if (out.diagnostics.size() >= kMaxSyntaxErrors) {
      Diagnostic d;
      d.code = "E008";
      d.message = "too many syntax errors (" + std::to_string(kMaxSyntaxErrors) + "); the rest of the file is not read";
      d.span = out.diagnostics.back().span;
      out.diagnostics.push_back(std::move(d));
      break;
    }
    if (item_start == nullptr) {
      // The skipper itself failed (unterminated comment): nothing more to read.
      break;
    }
    p = next_item_start(item_start, end);
  }

  out.positions.reserve(cache.get_positions().size());
  for (const char* position : cache.get_positions()) {
    out.positions.push_back(static_cast<std::size_t>(position - begin));
  }
  return out;
}

}  // namespace drydock::rules::parser
