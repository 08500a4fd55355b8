// The parser alone: which texts form which trees, and where syntax errors point.

#include <catch2/catch.hpp>

#include "parser/parse_rule_file.hpp"

using namespace drydock::rules;

namespace {

const ast::RuleDecl& only_rule(const ParsedFile& parsed) {
  REQUIRE(parsed.ast.items.size() == 1);
  return boost::get<ast::RuleDecl>(parsed.ast.items.front());
}

}  // namespace

TEST_CASE("a minimal rule parses into name, scope and condition", "[parser]") {
  auto parsed = parse_rule_file("rule r on container { condition: euid == 0 }", "a.rules");
  REQUIRE(parsed.ok());
  const auto& rule = only_rule(parsed);
  CHECK(rule.name.name == "r");
  CHECK(rule.scope.name == "container");
  CHECK(rule.tags.empty());
  CHECK(rule.meta.empty());
  CHECK(rule.modifiers.empty());
}

TEST_CASE("modifiers, tags and typed meta values are kept", "[parser]") {
  auto parsed = parse_rule_file(R"(
global private rule r : escape cis_5_31 on task {
  meta:
    severity = "high"
    weight = -12
    hex = 0x1F
    enabled = true
  condition: true
})",
                                "a.rules");
  REQUIRE(parsed.ok());
  const auto& rule = only_rule(parsed);
  REQUIRE(rule.modifiers.size() == 2);
  CHECK(rule.modifiers[0] == ast::Modifier::global_);
  CHECK(rule.modifiers[1] == ast::Modifier::private_);
  REQUIRE(rule.tags.size() == 2);
  CHECK(rule.tags[1].name == "cis_5_31");
  REQUIRE(rule.meta.size() == 4);
  CHECK(boost::get<ast::StringLit>(rule.meta[0].value).value == "high");
  CHECK(boost::get<ast::IntLit>(rule.meta[1].value).value == -12);
  CHECK(boost::get<ast::IntLit>(rule.meta[2].value).value == 31);
  CHECK(boost::get<ast::BoolLit>(rule.meta[3].value).value == true);
}

TEST_CASE("include and external declarations are items", "[parser]") {
  auto parsed = parse_rule_file("include \"common.rules\"\nexternal min_uid = 1000\nexternal who = \"x\"\n", "a.rules");
  REQUIRE(parsed.ok());
  REQUIRE(parsed.ast.items.size() == 3);
  CHECK(boost::get<ast::Include>(parsed.ast.items[0]).path.value == "common.rules");
  CHECK(boost::get<ast::ExternalDecl>(parsed.ast.items[1]).name.name == "min_uid");
}

TEST_CASE("every expression form parses", "[parser]") {
  const char* conditions[] = {
      "a and b or not c",
      "x == 1 and y != 2 and z < 3 and w <= 4 and v > 5 and u >= 6",
      "(a + b * c - d / e % f) == 0",
      "(caps & mask(CAP_SYS_ADMIN) | 1 ^ 2) << 3 >> 1 != ~0",
      "-x == - -1",
      "s contains \"a\" and s icontains \"B\" and s startswith \"c\" and s endswith \"d\" and s iequals \"E\"",
      "s matches /^a\\/b$/is",
      "\"x\" in tags and m.destination in (\"/etc\", \"/root\") and uid in (0..999)",
      "#mounts > 0 and len(mounts) > 0",
      "any m in mounts : (m.source matches /docker\\.sock$/)",
      "all t in tasks : (t.euid == 0) and none t in tasks : (t.uid == 0)",
      "2 of t in tasks : (t.uid == 0)",
      "for any t in tasks : (true) and for all t in tasks : (true) and for 3 of t in tasks : (false)",
      "t.container.privileged and defined(container)",
      "external.min_uid > 0",
      "rule_a",
      "// comment\n x /* block */ == 1",
  };
  for (const char* condition : conditions) {
    INFO(condition);
    auto parsed = parse_rule_file(std::string("rule r on container { condition: ") + condition + " }", "a.rules");
    CHECK(render_diagnostics(parsed.diagnostics).empty());
    CHECK(parsed.ast.items.size() == 1);
  }
}

TEST_CASE("string escapes are decoded", "[parser]") {
  auto parsed = parse_rule_file(R"(rule r on host { condition: x == "a\"b\\c\n\x41" })", "a.rules");
  REQUIRE(parsed.ok());
  const auto& cond = only_rule(parsed).condition;
  // condition -> ... -> comparison; dig for the StringLit in the last operation.
  const ast::Expr* e = &cond;
  while (e->rest.empty()) e = &boost::get<boost::spirit::x3::forward_ast<ast::Expr>>(e->first.get()).get();
  const ast::Expr* rhs = &boost::get<boost::spirit::x3::forward_ast<ast::Expr>>(e->rest[0].operand.get()).get();
  while (rhs->rest.empty() && boost::get<boost::spirit::x3::forward_ast<ast::Expr>>(&rhs->first.get())) {
    rhs = &boost::get<boost::spirit::x3::forward_ast<ast::Expr>>(rhs->first.get()).get();
  }
  CHECK(boost::get<ast::StringLit>(rhs->first.get()).value == "a\"b\\c\nA");
}

TEST_CASE("a syntax error names what was expected and where", "[parser][diagnostics]") {
  auto parsed = parse_rule_file("rule r on container {\n  condition: euid ==\n}\n", "a.rules");
  REQUIRE(parsed.diagnostics.size() == 1);
  const auto& d = parsed.diagnostics[0];
  CHECK(d.code == "E001");
  CHECK(d.span.line == 3);
  CHECK(d.span.column == 1);
  CHECK(d.message == "expected operand, found `}`");
}

TEST_CASE("the parser recovers at the next rule and reports every broken rule", "[parser][diagnostics]") {
  auto parsed = parse_rule_file(
      "rule a on host { condition: }\n"
      "rule b on host { condition: true }\n"
      "rule c on host { meta: x = condition: true }\n"
      "rule d on host { condition: false }\n",
      "a.rules");
  CHECK(parsed.diagnostics.size() == 2);
  REQUIRE(parsed.ast.items.size() == 2);
  CHECK(boost::get<ast::RuleDecl>(parsed.ast.items[0]).name.name == "b");
  CHECK(boost::get<ast::RuleDecl>(parsed.ast.items[1]).name.name == "d");
  CHECK(parsed.diagnostics[0].span.line == 1);
  CHECK(parsed.diagnostics[1].span.line == 3);
}

TEST_CASE("lexical errors have their own codes", "[parser][diagnostics]") {
  CHECK(parse_rule_file("rule r on host { condition: x == \"abc }", "a").diagnostics.at(0).code == "E002");
  CHECK(parse_rule_file("rule r on host { condition: x matches /abc }", "a").diagnostics.at(0).code == "E002");
  CHECK(parse_rule_file("rule r on host { condition: true } /* open", "a").diagnostics.at(0).code == "E002");
  CHECK(parse_rule_file("rule r on host { condition: x == \"a\\q\" }", "a").diagnostics.at(0).code == "E003");
}

TEST_CASE("nesting deeper than the limit is refused, not a stack overflow", "[parser][limits]") {
  const std::string deep = std::string(100000, '(') + "1" + std::string(100000, ')');
  auto parsed = parse_rule_file("rule r on host { condition: " + deep + " == 1 }", "a.rules");
  REQUIRE(parsed.diagnostics.size() == 1);
  CHECK(parsed.diagnostics[0].code == "E004");

  std::string nots;
  for (int i = 0; i < 5000; ++i) nots += "not ";
  CHECK(parse_rule_file("rule r on host { condition: " + nots + "true }", "a").diagnostics.at(0).code == "E004");

  const std::string ok = std::string(150, '(') + "1" + std::string(150, ')');
  CHECK(parse_rule_file("rule r on host { condition: " + ok + " == 1 }", "a").ok());
}

TEST_CASE("a long flat chain is not nesting", "[parser][limits]") {
  std::string chain = "x == 1";
  for (int i = 0; i < 20000; ++i) chain += " and x == 1";
  auto parsed = parse_rule_file("rule r on host { condition: " + chain + " }", "a.rules");
  CHECK(parsed.ok());
}

TEST_CASE("keywords are whole words", "[parser]") {
  // `rules`, `index`, `nothing` and `ordinal` start with keywords but are identifiers.
  auto parsed = parse_rule_file("rule r on host { condition: rules and index and nothing and ordinal }", "a");
  CHECK(parsed.ok());
  CHECK(!parse_rule_file("rule all on host { condition: true }", "a").ok());
}

TEST_CASE("spans point at the node", "[parser]") {
  auto parsed = parse_rule_file("rule r on container {\n  condition: euid == 0\n}", "a.rules");
  const auto& rule = only_rule(parsed);
  const auto span = parsed.span_of(rule.scope);
  CHECK(span.line == 1);
  CHECK(span.column == 11);
  CHECK(span.length == 9);
}

TEST_CASE("huge files are refused before parsing", "[parser][limits]") {
  auto parsed = parse_rule_file(std::string(kMaxRuleFileBytes + 1, ' '), "big.rules");
  REQUIRE(parsed.diagnostics.size() == 1);
  CHECK(parsed.diagnostics[0].code == "E007");
}

TEST_CASE("the parser gives up after 100 syntax errors in one file", "[parser][limits]") {
  std::string text;
  for (int i = 0; i < 150; ++i) text += "rule r" + std::to_string(i) + " on host { condition: == }\n";
  auto parsed = parse_rule_file(text, "a.rules");
  REQUIRE(parsed.diagnostics.size() == 101);
  CHECK(parsed.diagnostics[99].code == "E001");
  CHECK(parsed.diagnostics[100].code == "E008");
}

TEST_CASE("top-level garbage is reported and skipped", "[parser][diagnostics]") {
  auto parsed = parse_rule_file("bogus\nrule r on host { condition: true }\n", "a.rules");
  REQUIRE(parsed.diagnostics.size() == 1);
  CHECK(parsed.diagnostics[0].message == "expected `rule`, `include` or `external`, found `bogus`");
  CHECK(parsed.ast.items.size() == 1);
}
