#pragma once
// The rule language grammar (Spirit X3). Include only from grammar.cpp.
// README.md ("The rule language") has the same grammar in EBNF; keep the two in step.

#include <cctype>
#include <cstdint>
#include <string>
#include <string_view>

#include <boost/spirit/home/x3.hpp>

#include "parser/ast.hpp"
#include "parser/ast_adapted.hpp"
#include "parser/config.hpp"
#include "parser/error_handler.hpp"

namespace drydock::rules::parser {

// ---------------------------------------------------------------------------
// Lexical parsers written by hand: they decide exactly what a token is and
// raise the lexical diagnostics (E002, E003, E023) themselves.

inline bool is_keyword(std::string_view word) {
  static constexpr std::string_view kKeywords[] = {
      "rule",     "private",  "global",     "override",     "meta",     "condition", "include", "external",
      "on",       "and",      "or",         "not",      "in",        "contains", "icontains",
      "startswith", "endswith", "iequals",  "matches",  "true",      "false",   "any",
      "all",      "none",     "of",         "for"};
  for (auto k : kKeywords) {
    if (k == word) return true;
  }
  return false;
}

// A whole word equal to `word` (not a prefix of a longer identifier).
struct keyword_parser : x3::parser<keyword_parser> {
  using attribute_type = x3::unused_type;
  static bool const has_attribute = false;

  explicit constexpr keyword_parser(std::string_view w) : word(w) {}
  std::string_view word;

  template <typename Iterator, typename Context, typename RContext, typename Attribute>
  bool parse(Iterator& first, Iterator const& last, Context const& context, RContext&, Attribute&) const {
    x3::skip_over(first, last, context);
    Iterator it = first;
    for (char c : word) {
      if (it == last || *it != c) return false;
      ++it;
    }
    if (it != last && is_word_char(*it)) return false;
    first = it;
    return true;
  }
};

constexpr keyword_parser kw(std::string_view w) { return keyword_parser(w); }

}  // namespace drydock::rules::parser

// Diagnostics name a keyword as `word`.
namespace boost::spirit::x3 {
template <>
struct get_info<drydock::rules::parser::keyword_parser> {
  using result_type = std::string;
  std::string operator()(drydock::rules::parser::keyword_parser const& p) const {
    return "`" + std::string(p.word) + "`";
  }
};
}  // namespace boost::spirit::x3

namespace drydock::rules::parser {

// [A-Za-z_][A-Za-z0-9_]*, not a keyword.
struct identifier_parser : x3::parser<identifier_parser> {
  using attribute_type = ast::Identifier;
  static bool const has_attribute = true;

  template <typename Iterator, typename Context, typename RContext, typename Attribute>
  bool parse(Iterator& first, Iterator const& last, Context const& context, RContext&, Attribute& attr) const {
    x3::skip_over(first, last, context);
    Iterator it = first;
    if (it == last || !(std::isalpha(static_cast<unsigned char>(*it)) || *it == '_')) return false;
    while (it != last && is_word_char(*it)) ++it;
    std::string_view word(&*first, static_cast<std::size_t>(it - first));
    if (is_keyword(word)) return false;
    ast::Identifier id;
    id.name = std::string(word);
    x3::traits::move_to(std::move(id), attr);
    first = it;
    return true;
  }
};

// Decimal or 0x-hexadecimal; `signed_` also accepts a leading '-' (meta and
// external defaults, where no expression is allowed).
struct integer_parser : x3::parser<integer_parser> {
  using attribute_type = ast::IntLit;
  static bool const has_attribute = true;
  bool signed_ = false;

  template <typename Iterator, typename Context, typename RContext, typename Attribute>
  bool parse(Iterator& first, Iterator const& last, Context const& context, RContext&, Attribute& attr) const {
    x3::skip_over(first, last, context);
    Iterator it = first;
    bool negative = false;
    if (signed_ && it != last && *it == '-') {
      negative = true;
      ++it;
    }
    if (it == last || !std::isdigit(static_cast<unsigned char>(*it))) return false;
    unsigned base = 10;
    if (*it == '0' && it + 1 != last && (it[1] == 'x' || it[1] == 'X')) {
      if (it + 2 == last || !std::isxdigit(static_cast<unsigned char>(it[2]))) return false;
      base = 16;
      it += 2;
    }
    std::uint64_t value = 0;
    bool overflow = false;
    while (it != last && (base == 16 ? std::isxdigit(static_cast<unsigned char>(*it))
                                      : std::isdigit(static_cast<unsigned char>(*it)))) {
      const char c = static_cast<char>(std::tolower(static_cast<unsigned char>(*it)));
      const unsigned digit = c >= 'a' ? static_cast<unsigned>(c - 'a' + 10) : static_cast<unsigned>(c - '0');
      if (value > (UINT64_MAX - digit) / base) overflow = true;
      value = value * base + digit;
      ++it;
    }
    if (it != last && is_word_char(*it)) return false;  // "12abc" is not a number
    const std::uint64_t limit = negative ? (std::uint64_t{1} << 63) : (std::uint64_t{1} << 63) - 1;
    if (value > limit) overflow = true;
    ast::IntLit lit;
    lit.overflow = overflow;
    if (!overflow) {
      lit.value = negative ? static_cast<std::int64_t>(~value + 1) : static_cast<std::int64_t>(value);
    }
    x3::traits::move_to(lit, attr);
    first = it;
    return true;
  }
};

// "text" with escapes \" \\ \n \t \r \0 \xHH; no raw line breaks.
struct string_parser : x3::parser<string_parser> {
  using attribute_type = ast::StringLit;
  static bool const has_attribute = true;

  template <typename Iterator, typename Context, typename RContext, typename Attribute>
  bool parse(Iterator& first, Iterator const& last, Context const& context, RContext&, Attribute& attr) const {
    x3::skip_over(first, last, context);
    if (first == last || *first != '"') return false;
    Iterator it = first + 1;
    std::string value;
    for (;;) {
      if (it == last || *it == '\n') {
        boost::throw_exception(x3::expectation_failure<Iterator>(first, "!E002 unterminated string literal"));
      }
      const char c = *it;
      if (c == '"') break;
      if (c != '\\') {
        value.push_back(c);
        ++it;
        continue;
      }
      Iterator escape = it++;
      if (it == last) boost::throw_exception(x3::expectation_failure<Iterator>(first, "!E002 unterminated string literal"));
      switch (*it) {
        case '"': value.push_back('"'); break;
        case '\\': value.push_back('\\'); break;
        case 'n': value.push_back('\n'); break;
        case 't': value.push_back('\t'); break;
        case 'r': value.push_back('\r'); break;
        case '0': value.push_back('\0'); break;
        case 'x': {
          if (last - it < 3 || !std::isxdigit(static_cast<unsigned char>(it[1])) ||
              !std::isxdigit(static_cast<unsigned char>(it[2]))) {
            boost::throw_exception(x3::expectation_failure<Iterator>(escape, "!E003 invalid escape sequence in string"));
          }
          value.push_back(static_cast<char>(std::stoi(std::string(it + 1, it + 3), nullptr, 16)));
          it += 2;
          break;
        }
        default:
          boost::throw_exception(x3::expectation_failure<Iterator>(escape, "!E003 invalid escape sequence in string"));
      }
      ++it;
    }
    ast::StringLit lit;
    lit.value = std::move(value);
    x3::traits::move_to(std::move(lit), attr);
    first = it + 1;
    return true;
  }
};

// `true` or `false`.
struct bool_parser : x3::parser<bool_parser> {
  using attribute_type = ast::BoolLit;
  static bool const has_attribute = true;

  template <typename Iterator, typename Context, typename RContext, typename Attribute>
  bool parse(Iterator& first, Iterator const& last, Context const& context, RContext& rcontext, Attribute& attr) const {
    x3::unused_type unused;
    for (bool value : {true, false}) {
      Iterator it = first;
      if (keyword_parser(value ? "true" : "false").parse(it, last, context, rcontext, unused)) {
        ast::BoolLit lit;
        lit.value = value;
        x3::traits::move_to(std::move(lit), attr);
        first = it;
        return true;
      }
    }
    return false;
  }
};

// /pattern/flags. The pattern runs to the first unescaped '/'; `\/` becomes
// '/', every other escape is left for RE2.
struct regex_parser : x3::parser<regex_parser> {
  using attribute_type = ast::RegexLit;
  static bool const has_attribute = true;

  template <typename Iterator, typename Context, typename RContext, typename Attribute>
  bool parse(Iterator& first, Iterator const& last, Context const& context, RContext&, Attribute& attr) const {
    x3::skip_over(first, last, context);
    if (first == last || *first != '/') return false;
    Iterator it = first + 1;
    ast::RegexLit lit;
    for (;;) {
      if (it == last || *it == '\n') {
        boost::throw_exception(x3::expectation_failure<Iterator>(first, "!E002 unterminated regular expression"));
      }
      if (*it == '/') break;
      if (*it == '\\' && it + 1 != last && it[1] == '/') {
        lit.pattern.push_back('/');
        it += 2;
        continue;
      }
      if (*it == '\\' && it + 1 != last && it[1] != '\n') {
        lit.pattern.push_back(*it++);
      }
      lit.pattern.push_back(*it++);
    }
    ++it;
    while (it != last && std::isalpha(static_cast<unsigned char>(*it))) lit.flags.push_back(*it++);
    x3::traits::move_to(lit, attr);
    first = it;
    return true;
  }
};

// Skips blanks, `// line` and `/* block */` comments.
struct skipper_parser : x3::parser<skipper_parser> {
  using attribute_type = x3::unused_type;
  static bool const has_attribute = false;

  template <typename Iterator, typename Context, typename RContext, typename Attribute>
  bool parse(Iterator& first, Iterator const& last, Context const&, RContext&, Attribute&) const {
    if (first == last) return false;
    if (std::isspace(static_cast<unsigned char>(*first))) {
      ++first;
      return true;
    }
    if (last - first >= 2 && first[0] == '/' && first[1] == '/') {
      while (first != last && *first != '\n') ++first;
      return true;
    }
    if (last - first >= 2 && first[0] == '/' && first[1] == '*') {
      const std::string_view rest(&*first + 2, static_cast<std::size_t>(last - first - 2));
      const std::size_t close = rest.find("*/");
      if (close == std::string_view::npos) {
        boost::throw_exception(x3::expectation_failure<Iterator>(first, "!E002 unterminated comment"));
      }
      first += static_cast<std::ptrdiff_t>(close + 4);
      return true;
    }
    return false;
  }
};

// Counts nesting on the way in and out of its subject and stops the parse
// (NestingTooDeep) beyond the limit, so hostile input cannot exhaust the stack.
template <typename Subject>
struct depth_guard_directive : x3::unary_parser<Subject, depth_guard_directive<Subject>> {
  using base_type = x3::unary_parser<Subject, depth_guard_directive<Subject>>;
  static bool const is_pass_through_unary = true;
  static bool const handles_container = Subject::handles_container;

  constexpr explicit depth_guard_directive(Subject const& subject) : base_type(subject) {}

  template <typename Iterator, typename Context, typename RContext, typename Attribute>
  bool parse(Iterator& first, Iterator const& last, Context const& context, RContext& rcontext, Attribute& attr) const {
    NestingDepth& depth = x3::get<depth_tag>(context).get();
    if (depth.current >= depth.limit) throw NestingTooDeep{first};
    ++depth.current;
    struct Leave {
      NestingDepth& d;
      ~Leave() { --d.current; }
    } leave{depth};
    return this->subject.parse(first, last, context, rcontext, attr);
  }
};

struct depth_guard_gen {
  template <typename Subject>
  constexpr depth_guard_directive<typename x3::extension::as_parser<Subject>::value_type> operator[](
      Subject const& subject) const {
    return depth_guard_directive<typename x3::extension::as_parser<Subject>::value_type>(x3::as_parser(subject));
  }
};

constexpr depth_guard_gen depth_guard{};

}  // namespace drydock::rules::parser

// A guarded parser is described as what it guards.
namespace boost::spirit::x3 {
template <typename Subject>
struct get_info<drydock::rules::parser::depth_guard_directive<Subject>> {
  using result_type = std::string;
  std::string operator()(drydock::rules::parser::depth_guard_directive<Subject> const& p) const {
    return what(p.subject);
  }
};
}  // namespace boost::spirit::x3

namespace drydock::rules::parser {

// ---------------------------------------------------------------------------
// Operator tables.

struct relational_ops : x3::symbols<ast::Op> {
  relational_ops() {
    add("==", ast::Op::eq)("!=", ast::Op::ne)("<=", ast::Op::le)(">=", ast::Op::ge)("<", ast::Op::lt)(">", ast::Op::gt);
    name("comparison operator");
  }
};
struct shift_ops : x3::symbols<ast::Op> {
  shift_ops() { add("<<", ast::Op::shl)(">>", ast::Op::shr); }
};
struct additive_ops : x3::symbols<ast::Op> {
  additive_ops() { add("+", ast::Op::add)("-", ast::Op::sub); }
};
struct multiplicative_ops : x3::symbols<ast::Op> {
  multiplicative_ops() { add("*", ast::Op::mul)("/", ast::Op::div)("%", ast::Op::mod); }
};
struct sign_ops : x3::symbols<ast::UnaryOp> {
  sign_ops() { add("-", ast::UnaryOp::negate)("~", ast::UnaryOp::bit_not); }
};

// ---------------------------------------------------------------------------
// Rules. Every rule ID derives from annotate_position so tagged nodes learn
// their place in the source.

namespace grammar {

struct identifier_class : annotate_position {};
struct int_lit_class : annotate_position {};
struct signed_int_lit_class : annotate_position {};
struct string_lit_class : annotate_position {};
struct bool_lit_class : annotate_position {};
struct regex_lit_class : annotate_position {};
struct path_class : annotate_position {};
struct external_ref_class : annotate_position {};
struct expr_class : annotate_position {};
struct or_expr_class : annotate_position {};
struct and_expr_class : annotate_position {};
struct not_expr_class : annotate_position {};
struct unary_not_class : annotate_position {};
struct cmp_expr_class : annotate_position {};
struct cmp_tail_class : annotate_position {};
struct rel_tail_class : annotate_position {};
struct in_tail_class : annotate_position {};
struct str_tail_class : annotate_position {};
struct match_tail_class : annotate_position {};
struct bitor_expr_class : annotate_position {};
struct bitxor_expr_class : annotate_position {};
struct bitand_expr_class : annotate_position {};
struct shift_expr_class : annotate_position {};
struct add_expr_class : annotate_position {};
struct mul_expr_class : annotate_position {};
struct unary_expr_class : annotate_position {};
struct unary_sign_class : annotate_position {};
struct primary_class : annotate_position {};
struct paren_class : annotate_position {};
struct call_class : annotate_position {};
struct call_args_class : annotate_position {};
struct length_class : annotate_position {};
struct quant_head_class : annotate_position {};
struct quantifier_class : annotate_position {};
struct count_class : annotate_position {};
struct string_list_class : annotate_position {};
struct string_items_class : annotate_position {};
struct external_value_class : annotate_position {};
struct in_rhs_class : annotate_position {};
struct list_lit_class : annotate_position {};
struct range_lit_class : annotate_position {};
struct meta_value_class : annotate_position {};
struct meta_entry_class : annotate_position {};
struct meta_block_class : annotate_position {};
struct tags_class : annotate_position {};
struct tag_list_class : annotate_position {};
struct modifiers_class : annotate_position {};
struct rule_decl_class : annotate_position {};
struct include_decl_class : annotate_position {};
struct external_decl_class : annotate_position {};
struct item_class : annotate_position {};

x3::rule<identifier_class, ast::Identifier> const identifier = "identifier";
x3::rule<int_lit_class, ast::IntLit> const int_lit = "integer";
x3::rule<signed_int_lit_class, ast::IntLit> const signed_int_lit = "integer";
x3::rule<string_lit_class, ast::StringLit> const string_lit = "string";
x3::rule<bool_lit_class, ast::BoolLit> const bool_lit = "`true` or `false`";
x3::rule<regex_lit_class, ast::RegexLit> const regex_lit = "regular expression `/.../`";
x3::rule<path_class, ast::Path> const path = "field or name";
x3::rule<external_ref_class, ast::ExternalRef> const external_ref = "external variable";
x3::rule<expr_class, ast::Expr> const expr = "expression";
x3::rule<or_expr_class, ast::Expr> const or_expr = "expression";
x3::rule<and_expr_class, ast::Expr> const and_expr = "expression";
x3::rule<not_expr_class, ast::Operand> const not_expr = "expression";
x3::rule<unary_not_class, ast::Unary> const unary_not = "expression";
x3::rule<cmp_expr_class, ast::Expr> const cmp_expr = "expression";
x3::rule<cmp_tail_class, ast::Operation> const cmp_tail = "operator";
x3::rule<rel_tail_class, ast::Operation> const rel_tail = "comparison";
x3::rule<in_tail_class, ast::Operation> const in_tail = "`in`";
x3::rule<str_tail_class, ast::Operation> const str_tail = "string operator";
x3::rule<match_tail_class, ast::Operation> const match_tail = "`matches`";
x3::rule<bitor_expr_class, ast::Expr> const bitor_expr = "operand";
x3::rule<bitxor_expr_class, ast::Expr> const bitxor_expr = "operand";
x3::rule<bitand_expr_class, ast::Expr> const bitand_expr = "operand";
x3::rule<shift_expr_class, ast::Expr> const shift_expr = "operand";
x3::rule<add_expr_class, ast::Expr> const add_expr = "operand";
x3::rule<mul_expr_class, ast::Expr> const mul_expr = "operand";
x3::rule<unary_expr_class, ast::Operand> const unary_expr = "operand";
x3::rule<unary_sign_class, ast::Unary> const unary_sign = "operand";
x3::rule<primary_class, ast::Operand> const primary = "operand";
x3::rule<paren_class, ast::Expr> const paren = "parenthesised expression";
x3::rule<call_class, ast::Call> const call = "function call";
x3::rule<call_args_class, std::vector<ast::Expr>> const call_args = "arguments";
x3::rule<length_class, ast::Length> const length = "`#list`";
x3::rule<quant_head_class, ast::QuantHead> const quant_head = "quantifier";
x3::rule<quantifier_class, ast::Quantifier> const quantifier = "quantifier";
x3::rule<count_class, ast::Count> const count = "`count(x in list : condition)`";
x3::rule<string_list_class, ast::StringListLit> const string_list = "list `[\"a\", \"b\"]`";
x3::rule<string_items_class, std::vector<ast::StringLit>> const string_items = "strings";
x3::rule<external_value_class, ast::ExternalValue> const external_value = "string, integer, boolean or list of strings";
x3::rule<in_rhs_class, ast::Operand> const in_rhs = "list, range, list field or external list";
x3::rule<list_lit_class, ast::ListLit> const list_lit = "list";
x3::rule<range_lit_class, ast::RangeLit> const range_lit = "range";
x3::rule<meta_value_class, ast::MetaValue> const meta_value = "string, integer or boolean";
x3::rule<meta_entry_class, ast::MetaEntry> const meta_entry = "meta entry";
x3::rule<meta_block_class, std::vector<ast::MetaEntry>> const meta_block = "`meta:`";
x3::rule<tags_class, std::vector<ast::Identifier>> const tags = "tags";
x3::rule<tag_list_class, std::vector<ast::Identifier>> const tag_list = "tag name";
x3::rule<modifiers_class, std::vector<ast::Modifier>> const modifiers = "modifiers";
x3::rule<rule_decl_class, ast::RuleDecl> const rule_decl = "rule";
x3::rule<include_decl_class, ast::Include> const include_decl = "include";
x3::rule<external_decl_class, ast::ExternalDecl> const external_decl = "external declaration";
x3::rule<item_class, ast::Item> const item = "`rule`, `include` or `external`";

using x3::lit;

relational_ops const relational_op;
shift_ops const shift_op;
additive_ops const additive_op;
multiplicative_ops const multiplicative_op;
sign_ops const sign_op;

auto const or_op = kw("or") >> x3::attr(ast::Op::logical_or);
auto const and_op = kw("and") >> x3::attr(ast::Op::logical_and);
auto const in_op = kw("in") >> x3::attr(ast::Op::in);
auto const matches_op = kw("matches") >> x3::attr(ast::Op::matches);
auto const str_op = (kw("contains") >> x3::attr(ast::Op::contains)) |
                    (kw("icontains") >> x3::attr(ast::Op::icontains)) |
                    (kw("startswith") >> x3::attr(ast::Op::startswith)) |
                    (kw("endswith") >> x3::attr(ast::Op::endswith)) |
                    (kw("iequals") >> x3::attr(ast::Op::iequals));
auto const bitor_op = (lit('|') >> x3::attr(ast::Op::bit_or));
auto const bitxor_op = (lit('^') >> x3::attr(ast::Op::bit_xor));
// `&` but never the first half of something else.
auto const bitand_op = (lit('&') >> x3::attr(ast::Op::bit_and));
auto const not_op = kw("not") >> x3::attr(ast::UnaryOp::logical_not);
// A single '.' (".." belongs to ranges).
auto const dot = lit('.') >> !lit('.');

auto const identifier_def = identifier_parser{};
auto const int_lit_def = integer_parser{};
auto const signed_int_lit_def = integer_parser{{}, true};
auto const string_lit_def = string_parser{};
auto const bool_lit_def = bool_parser{};
auto const regex_lit_def = regex_parser{};
auto const path_def = identifier >> *(dot > identifier);
auto const external_ref_def = (x3::attr(std::string("external")) >> kw("external")) > lit('.') > identifier;

auto const expr_def = depth_guard[or_expr];
auto const or_expr_def = and_expr >> *(or_op > and_expr);
auto const and_expr_def = not_expr >> *(and_op > not_expr);
auto const not_expr_def = unary_not | cmp_expr;
auto const unary_not_def = not_op > depth_guard[not_expr];
auto const cmp_expr_def = bitor_expr >> x3::repeat(0, 1)[cmp_tail];
auto const cmp_tail_def = rel_tail | in_tail | str_tail | match_tail;
auto const rel_tail_def = relational_op > bitor_expr;
auto const in_tail_def = in_op > in_rhs;
auto const str_tail_def = str_op > bitor_expr;
auto const match_tail_def = matches_op > (regex_lit | external_ref);
auto const bitor_expr_def = bitxor_expr >> *(bitor_op > bitxor_expr);
auto const bitxor_expr_def = bitand_expr >> *(bitxor_op > bitand_expr);
auto const bitand_expr_def = shift_expr >> *(bitand_op > shift_expr);
auto const shift_expr_def = add_expr >> *(shift_op > add_expr);
auto const add_expr_def = mul_expr >> *(additive_op > mul_expr);
auto const mul_expr_def = unary_expr >> *(multiplicative_op > unary_expr);
auto const unary_expr_def = unary_sign | primary;
auto const unary_sign_def = sign_op > depth_guard[unary_expr];
auto const primary_def = quantifier | count | length | bool_lit | external_ref | call | path | int_lit | string_lit | paren;
auto const paren_def = lit('(') > expr > lit(')');
auto const call_def = (identifier >> lit('(')) > call_args > lit(')');
auto const call_args_def = (expr % ',') | x3::attr(std::vector<ast::Expr>{});
auto const length_def = x3::char_('#') > path;
auto const no_name = x3::attr(ast::Identifier{});
auto const quant_word = (kw("any") >> x3::attr(ast::QuantKind::any) >> x3::attr(ast::IntLit{}) >> no_name) |
                        (kw("all") >> x3::attr(ast::QuantKind::all) >> x3::attr(ast::IntLit{}) >> no_name) |
                        (kw("none") >> x3::attr(ast::QuantKind::none) >> x3::attr(ast::IntLit{}) >> no_name) |
                        (x3::attr(ast::QuantKind::at_least) >> int_lit >> kw("of") >> no_name) |
                        (x3::attr(ast::QuantKind::at_least) >> x3::attr(ast::IntLit{}) >> kw("external") >>
                         lit('.') >> identifier >> kw("of"));
auto const quant_head_def = -kw("for") >> quant_word;
auto const quantifier_def = quant_head > identifier > kw("in") > path > lit(':') > lit('(') >
                            depth_guard[expr] > lit(')');
// `count(` not followed by `NAME in` is an ordinary call (and an unknown function).
auto const count_def = (kw("count") >> lit('(') >> identifier >> kw("in")) > path > lit(':') > depth_guard[expr] > lit(')');
auto const in_rhs_def = range_lit | list_lit | external_ref | path;
auto const range_lit_def = (lit('(') >> expr >> lit("..")) > expr > lit(')');
auto const list_lit_def = lit('(') > expr > *(lit(',') > expr) > lit(')');

auto const meta_value_def = string_lit | bool_lit | signed_int_lit;
auto const meta_entry_def = identifier > lit('=') > meta_value;
auto const meta_block_def = (kw("meta") > lit(':') > *meta_entry) | x3::attr(std::vector<ast::MetaEntry>{});
auto const tags_def = (lit(':') > tag_list) | x3::attr(std::vector<ast::Identifier>{});
auto const tag_list_def = +identifier;
auto const modifiers_def = *((kw("private") >> x3::attr(ast::Modifier::private_)) |
                             (kw("global") >> x3::attr(ast::Modifier::global_)) |
                             (kw("override") >> x3::attr(ast::Modifier::override_)));
auto const rule_decl_def = (modifiers >> kw("rule")) > identifier > tags > kw("on") > identifier > lit('{') >
                           meta_block > kw("condition") > lit(':') > expr > lit('}');
auto const include_decl_def = (x3::attr(std::string("include")) >> kw("include")) > string_lit;
auto const string_list_def = x3::char_('[') > string_items > lit(']');
auto const string_items_def = (string_lit % ',') | x3::attr(std::vector<ast::StringLit>{});
auto const external_value_def = string_list | string_lit | bool_lit | signed_int_lit;
auto const external_decl_def = kw("external") > identifier > lit('=') > external_value;
auto const item_def = include_decl | external_decl | rule_decl;

BOOST_SPIRIT_DEFINE(identifier, int_lit, signed_int_lit, string_lit, bool_lit, regex_lit, path, external_ref, expr,
                    or_expr, and_expr, not_expr, unary_not, cmp_expr, cmp_tail, rel_tail, in_tail, str_tail,
                    match_tail, bitor_expr, bitxor_expr, bitand_expr, shift_expr, add_expr, mul_expr, unary_expr,
                    unary_sign, primary, paren, call, call_args, length, quant_head, quantifier, count, in_rhs, list_lit,
                    range_lit, meta_value, string_list, string_items, external_value, meta_entry, meta_block, tags, tag_list, modifiers, rule_decl, include_decl,
                    external_decl, item)

}  // namespace grammar
}  // namespace drydock::rules::parser

