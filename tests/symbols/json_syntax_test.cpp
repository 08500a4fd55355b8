#include "symbols/detail/json_syntax.hpp"

#include <catch2/catch.hpp>

namespace drydock::detail {
namespace {

TEST_CASE("valid JSON has no syntax error") {
  for (std::string_view text : {R"({})", R"( {"a": [1, -2.5e+3, true, false, null, "x\"\u00e9"]} )", "0",
                                "\"caf\xc3\xa9\"", "[[], {}]"}) {
    INFO(text);
    CHECK_FALSE(find_json_syntax_error(text).has_value());
  }
}

TEST_CASE("the first offending byte and a reason are given") {
  struct Case {
    std::string_view text;
    std::size_t offset;
    std::string_view what;
  };
  for (const Case& c : std::initializer_list<Case>{
           {"", 0, "no JSON value (the input is empty or only whitespace)"},
           {"{\"a\" 1}", 5, "expected ':' after an object key"},
           {"{\"a\": 1 \"b\": 2}", 8, "expected ',' or '}' after an object member"},
           {"[1, 2", 5, "unterminated array"},
           {"[1,]", 3, "expected a value"},
           {"{\"a\": 01}", 7, "expected ',' or '}' after an object member"},
           {"{\"a\": 1.}", 8, "invalid number: no digits after '.'"},
           {"\"abc", 4, "unterminated string"},
           {"\"a\\qb\"", 2, "invalid escape in a string"},
           {"\"\xff\"", 1, "invalid UTF-8"},
           {"\"\xc0\xaf\"", 1, "invalid UTF-8"},
           {"{} {}", 3, "unexpected content after the JSON value"},
           {"{1: 2}", 1, "expected a string key"},
           {"nul", 0, "expected a value"},
       }) {
    INFO(c.text);
    auto error = find_json_syntax_error(c.text);
    REQUIRE(error.has_value());
    CHECK(error->offset == c.offset);
    CHECK(error->what == c.what);
  }
}

TEST_CASE("nesting beyond the limit is an error, found without recursion") {
  std::string deep = std::string(2000, '[') + std::string(2000, ']');
  auto error = find_json_syntax_error(deep, 1024);
  REQUIRE(error.has_value());
  CHECK(error->offset == 1024);
  CHECK_FALSE(find_json_syntax_error(deep, 5000).has_value());
}

}  // namespace
}  // namespace drydock::detail
