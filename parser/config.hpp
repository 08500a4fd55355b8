#pragma once
// Types shared by the grammar and the one translation unit that instantiates
// it: the iterator, the position cache and the context tags.

#include <cstddef>
#include <vector>

#include <boost/spirit/home/x3/support/ast/position_tagged.hpp>

namespace drydock::rules::parser {

namespace x3 = boost::spirit::x3;

using iterator_type = const char*;
using position_cache_type = x3::position_cache<std::vector<iterator_type>>;

// Context tags (used with x3::with<>).
struct position_cache_tag;
struct depth_tag;

// Deepest nesting of parentheses, `not`, unary `-`/`~` and quantifier bodies
// the parser accepts. It bounds the recursion of the parser itself and of
// every later walk over the tree (checker, evaluator).
inline constexpr int kMaxNestingDepth = 200;

// Syntax errors reported per file before the parser gives up on it (E008).
inline constexpr std::size_t kMaxSyntaxErrors = 100;

struct NestingDepth {
  int current = 0;
  int limit = kMaxNestingDepth;
};

// Thrown (inside the grammar's translation unit only) when the nesting limit
// is exceeded; never escapes parse_rule_file().
struct NestingTooDeep {
  iterator_type where;
};

}  // namespace drydock::rules::parser
