#pragma once
// The syntax tree of a rule file, exactly as written. Every node that can be
// the subject of a diagnostic derives from x3::position_tagged, so the checker
// can point at it through ParsedFile::span_of(). No binding or typing happens
// here: names are plain strings until the checker resolves them.
//
// Precedence is encoded by the grammar: each binary level yields an Expr whose
// `rest` holds the operators of that level only, so a chain like `a + b + c`
// is one flat Expr (no recursion per operand).

#include <cstdint>
#include <string>
#include <vector>

#include <boost/spirit/home/x3/support/ast/position_tagged.hpp>
#include <boost/spirit/home/x3/support/ast/variant.hpp>

namespace drydock::rules::ast {

namespace x3 = boost::spirit::x3;

struct Nil {};

struct Identifier : x3::position_tagged {
  std::string name;
};

struct IntLit : x3::position_tagged {
  std::int64_t value = 0;
  bool overflow = false;  // the literal does not fit in a signed 64-bit integer
};

struct StringLit : x3::position_tagged {
  std::string value;  // escapes already decoded
};

struct BoolLit : x3::position_tagged {
  bool value = false;
};

// `/pattern/flags`: the pattern is kept verbatim for RE2 (only `\/` is
// turned into `/`); flags are checked by the checker.
struct RegexLit : x3::position_tagged {
  std::string pattern;
  std::string flags;
};

// `name` or `name.field.field`.
struct Path : x3::position_tagged {
  Identifier head;
  std::vector<Identifier> rest;
};

// `external.NAME`
struct ExternalRef : x3::position_tagged {
  std::string keyword;  // always "external"; present so the node is a sequence
  Identifier name;
};

enum class Op : std::uint8_t {
  logical_or, logical_and,
  eq, ne, lt, le, gt, ge,
  in, contains, icontains, startswith, endswith, iequals, matches,
  bit_or, bit_xor, bit_and, shl, shr,
  add, sub, mul, div, mod,
};

enum class UnaryOp : std::uint8_t { logical_not, negate, bit_not };

enum class QuantKind : std::uint8_t { any, all, none, at_least, count };

struct Expr;
struct Unary;
struct Call;
struct Quantifier;
struct Length;
struct ListLit;
struct RangeLit;
struct Count;

struct Operand
    : x3::variant<Nil, IntLit, StringLit, BoolLit, RegexLit, Path, ExternalRef,
                  x3::forward_ast<Unary>, x3::forward_ast<Call>, x3::forward_ast<Quantifier>,
                  x3::forward_ast<Length>, x3::forward_ast<ListLit>, x3::forward_ast<RangeLit>,
                  x3::forward_ast<Count>, x3::forward_ast<Expr>> {
  using base_type::base_type;
  using base_type::operator=;
};

struct Operation : x3::position_tagged {
  Op op = Op::logical_or;
  Operand operand;
};

struct Expr : x3::position_tagged {
  Operand first;
  std::vector<Operation> rest;
};

struct Unary : x3::position_tagged {
  UnaryOp op = UnaryOp::logical_not;
  Operand operand;
};

struct Call : x3::position_tagged {
  Identifier name;
  std::vector<Expr> args;
};

// `#path`
struct Length : x3::position_tagged {
  char hash = '#';
  Path path;
};

// `(a, b, c)` on the right of `in`.
struct ListLit : x3::position_tagged {
  Expr first;
  std::vector<Expr> rest;
};

// `(lo..hi)` on the right of `in`; both ends inclusive.
struct RangeLit : x3::position_tagged {
  Expr low;
  Expr high;
};

struct QuantHead : x3::position_tagged {
  QuantKind kind = QuantKind::any;
  IntLit count;            // for at_least
  Identifier count_name;   // for at_least with `external.NAME of`: NAME; empty otherwise
};

// `any m in mounts : (body)`, `2 of t in tasks : (body)`, optionally after `for`.
struct Quantifier : x3::position_tagged {
  QuantHead head;
  Identifier variable;
  Path collection;
  Expr body;
};

// `count(x in list : body)`: how many elements make the body true.
struct Count : x3::position_tagged {
  Identifier variable;
  Path collection;
  Expr body;
};

using MetaValue = x3::variant<IntLit, StringLit, BoolLit>;

// `["a", "b"]`: a list of strings, the default of a list external.
struct StringListLit : x3::position_tagged {
  char bracket = '[';  // present so the node is a sequence
  std::vector<StringLit> items;
};

using ExternalValue = x3::variant<IntLit, StringLit, BoolLit, StringListLit>;

struct MetaEntry : x3::position_tagged {
  Identifier key;
  MetaValue value;
};

enum class Modifier : std::uint8_t { private_, global_, override_ };

struct RuleDecl : x3::position_tagged {
  std::vector<Modifier> modifiers;
  Identifier name;
  std::vector<Identifier> tags;
  Identifier scope;
  std::vector<MetaEntry> meta;
  Expr condition;
};

struct Include : x3::position_tagged {
  std::string keyword;  // always "include"; present so the node is a sequence
  StringLit path;
};

// `external NAME = literal`: declares an external variable and its default.
struct ExternalDecl : x3::position_tagged {
  Identifier name;
  ExternalValue value;
};

using Item = x3::variant<Include, ExternalDecl, RuleDecl>;

struct RuleFile {
  std::vector<Item> items;
};

}  // namespace drydock::rules::ast
