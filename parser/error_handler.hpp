#pragma once
// How the grammar reports: rule IDs derive from annotate_position to record
// where each position-tagged node starts and ends; expectation failures are
// turned into diagnostics with a stable code by to_diagnostic().
//
// Convention: a parser that wants a specific diagnostic throws an
// expectation_failure whose `which` is "!E0NN message"; anything else is a
// plain "expected X, found Y" (E001).

#include <cctype>
#include <string>
#include <string_view>
#include <type_traits>

#include <boost/spirit/home/x3.hpp>

#include "parser/config.hpp"
#include "parser/diagnostic.hpp"

namespace drydock::rules::parser {

struct annotate_position {
  template <typename T, typename Iterator, typename Context>
  void on_success(Iterator const& first, Iterator const& last, T& node, Context const& context) const {
    if constexpr (std::is_base_of_v<x3::position_tagged, T>) {
      position_cache_type& cache = x3::get<position_cache_tag>(context).get();
      cache.annotate(node, first, last);
    }
  }
};

// Skips blanks and comments (without judging unterminated ones), so a
// diagnostic points at the next real token.
inline const char* skip_blanks(const char* p, const char* end) {
  while (p < end) {
    if (std::isspace(static_cast<unsigned char>(*p))) {
      ++p;
    } else if (end - p >= 2 && p[0] == '/' && p[1] == '/') {
      while (p < end && *p != '\n') ++p;
    } else if (end - p >= 2 && p[0] == '/' && p[1] == '*') {
      const std::string_view rest(p + 2, static_cast<std::size_t>(end - p - 2));
      const std::size_t close = rest.find("*/");
      if (close == std::string_view::npos) return p;
      p += 2 + close + 2;
    } else {
      break;
    }
  }
  return p;
}

inline bool is_word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }

// The token at `p`, for "found ...": a word, a string start, one character,
// or "end of file".
inline std::string describe_token(const char* p, const char* end) {
  if (p >= end) return "end of file";
  if (is_word_char(*p)) {
    const char* q = p;
    while (q < end && is_word_char(*q) && q - p < 40) ++q;
    return "`" + std::string(p, q) + "`";
  }
  if (*p == '"') return "a string";
  if (static_cast<unsigned char>(*p) < 0x20 || static_cast<unsigned char>(*p) >= 0x7f) {
    static const char* hex = "0123456789abcdef";
    const auto c = static_cast<unsigned char>(*p);
    return std::string("byte 0x") + hex[c >> 4] + hex[c & 15];
  }
  return "`" + std::string(1, *p) + "`";
}

// X3 describes literals as 'c' or "text"; diagnostics quote with backticks.
inline std::string describe_expected(std::string which) {
  if (which.size() >= 3 && ((which.front() == '\'' && which.back() == '\'') ||
                            (which.front() == '"' && which.back() == '"'))) {
    return "`" + which.substr(1, which.size() - 2) + "`";
  }
  return which;
}

inline std::size_t token_length(const char* p, const char* end) {
  if (p >= end) return 1;
  if (is_word_char(*p)) {
    const char* q = p;
    while (q < end && is_word_char(*q)) ++q;
    return static_cast<std::size_t>(q - p);
  }
  return 1;
}

inline Diagnostic to_diagnostic(const SourceMap& map, const char* begin, const char* end, const char* where,
                                const std::string& which) {
  Diagnostic d;
  if (!which.empty() && which.front() == '!') {
    // "!E0NN message": a specific lexical diagnostic at `where` itself.
    d.code = which.substr(1, 4);
    d.message = which.size() > 6 ? which.substr(6) : "syntax error";
    const auto offset = static_cast<std::size_t>(where - begin);
    d.span = map.span(offset, offset + 1);
    return d;
  }
  const char* at = skip_blanks(where, end);
  d.code = "E001";
  // When the missing token belongs at the end of an earlier line, point
  // there (at the last word written), not at the next line's first token.
  const char* prev = at;
  bool line_break = false;
  while (prev > begin && std::isspace(static_cast<unsigned char>(prev[-1]))) {
    line_break = line_break || prev[-1] == '\n';
    --prev;
  }
  if (line_break && prev > begin && is_word_char(prev[-1])) {
    const char* word = prev;
    while (word > begin && is_word_char(word[-1])) --word;
    const std::string last(word, prev);
    d.message = "expected " + describe_expected(which) + " after `" + last + "`, found " + describe_token(at, end) +
                " on the next line";
    const auto offset = static_cast<std::size_t>(word - begin);
    d.span = map.span(offset, offset + last.size());
    return d;
  }
  const auto offset = static_cast<std::size_t>(at - begin);
  d.message = "expected " + describe_expected(which) + ", found " + describe_token(at, end);
  d.span = map.span(offset, offset + token_length(at, end));
  // What users of other languages write.
  const std::string_view rest(at, static_cast<std::size_t>(end - at));
  const bool after_amp = at > begin && at[-1] == '&';
  const bool after_bar = at > begin && at[-1] == '|';
  if (rest.starts_with("&&") || (after_amp && rest.starts_with("&"))) {
    d.hints.push_back("write `and`");
  } else if (rest.starts_with("||") || (after_bar && rest.starts_with("|"))) {
    d.hints.push_back("write `or`");
  } else if (rest.starts_with("=") && !rest.starts_with("==")) {
    d.hints.push_back("compare with `==` (`=` only appears in `meta` and `external`)");
  } else if (rest.starts_with("'")) {
    d.hints.push_back("strings are in double quotes: \"...\"");
  } else if (rest.starts_with("!") && !rest.starts_with("!=")) {
    d.hints.push_back("write `not`");
  }
  return d;
}

}  // namespace drydock::rules::parser
