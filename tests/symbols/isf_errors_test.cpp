// Malformed ISF input: each case asserts the exact message, which must name
// the file and the JSON path (or byte) of the problem.

#include <catch2/catch.hpp>

#include "symbols/isf_fixtures.hpp"
#include "symbols/symbol_table.hpp"

namespace drydock {
namespace {

std::string parse_error(std::string_view json) {
  auto table = SymbolTable::parse(json, "isf.json");
  if (table.ok()) return "(parsed without error)";
  return table.error().message;
}

std::string user_types_error(std::string_view user_types) {
  return parse_error(test::isf_with_user_types(user_types));
}

TEST_CASE("text that is not JSON is reported with the byte where it fails") {
  CHECK(parse_error("hello, world") ==
        "isf.json: not an ISF symbol table (JSON parse error at byte 0: expected a value)");
  CHECK(parse_error("") ==
        "isf.json: not an ISF symbol table (JSON parse error at byte 0: no JSON value (the input is "
        "empty or only whitespace))");
  CHECK(parse_error(std::string("\x7f" "ELF\x02\x01\x01", 7)) ==
        "isf.json: not an ISF symbol table (JSON parse error at byte 0: expected a value)");
}

TEST_CASE("a JSON grammar error inside the document gives its byte") {
  //                      0123456789012345678901234
  CHECK(parse_error(R"({"metadata": {"format" "6.2.0"}})") ==
        "isf.json: not an ISF symbol table (JSON parse error at byte 23: expected ':' after an "
        "object key)");
  std::string truncated(test::kSmallIsf.substr(0, 500));
  CHECK(parse_error(truncated).starts_with("isf.json: not an ISF symbol table (JSON parse error at byte "));
  CHECK(parse_error(std::string(test::kSmallIsf) + " x") ==
        "isf.json: not an ISF symbol table (JSON parse error at byte " +
            std::to_string(test::kSmallIsf.size() + 1) + ": unexpected content after the JSON value)");
}

TEST_CASE("JSON that is not an object is not an ISF") {
  CHECK(parse_error("[1, 2, 3]") == "isf.json: not an ISF symbol table (the top level is not a JSON object)");
  CHECK(parse_error("42") == "isf.json: not an ISF symbol table (the top level is not a JSON object)");
}

TEST_CASE("each required top-level section must be present") {
  CHECK(parse_error(R"({"metadata": {"format": "6.2.0"}, "base_types": {}, "user_types": {}, "enums": {}})") ==
        "isf.json: not an ISF symbol table (no 'symbols' section)");
  CHECK(parse_error(R"({"base_types": {}, "user_types": {}, "enums": {}, "symbols": {}})") ==
        "isf.json: not an ISF symbol table (no 'metadata' section)");
  CHECK(parse_error(R"({"docker": "inspect"})") == "isf.json: not an ISF symbol table (no 'metadata' section)");
}

TEST_CASE("a section of the wrong JSON type is named") {
  CHECK(parse_error(R"({"metadata": {"format": "6.2.0"}, "base_types": {}, "user_types": [], "enums": {}, "symbols": {}})") ==
        "isf.json: 'user_types' is not an object");
}

TEST_CASE("an unsupported ISF format version is refused") {
  CHECK(parse_error(R"({"metadata": {"format": "7.0.0"}, "base_types": {}, "user_types": {}, "enums": {}, "symbols": {}})") ==
        "isf.json: metadata: unsupported ISF format '7.0.0' (drydock reads format 6.x)");
  CHECK(parse_error(R"({"metadata": {}, "base_types": {}, "user_types": {}, "enums": {}, "symbols": {}})") ==
        "isf.json: metadata: no 'format'");
}

TEST_CASE("a member offset of the wrong JSON type names the member's path") {
  CHECK(user_types_error(R"("task_struct": {"kind": "struct", "size": 8, "fields": {
          "pid": {"type": {"kind": "base", "name": "int"}, "offset": "4"}}})") ==
        "isf.json: user_types.task_struct.fields.pid: 'offset' is not an integer");
  CHECK(user_types_error(R"("task_struct": {"kind": "struct", "size": 8, "fields": {
          "pid": {"type": {"kind": "base", "name": "int"}, "offset": 1.5}}})") ==
        "isf.json: user_types.task_struct.fields.pid: 'offset' is not an integer");
  CHECK(user_types_error(R"("task_struct": {"kind": "struct", "size": 8, "fields": {
          "pid": {"type": {"kind": "base", "name": "int"}, "offset": -4}}})") ==
        "isf.json: user_types.task_struct.fields.pid: 'offset' is negative (-4)");
  CHECK(user_types_error(R"("task_struct": {"kind": "struct", "size": 8, "fields": {
          "pid": {"type": {"kind": "base", "name": "int"}, "offset": 4294967296}}})") ==
        "isf.json: user_types.task_struct.fields.pid: 'offset' is out of range (4294967296 > 4294967295)");
}

TEST_CASE("missing required values of a user type are named") {
  CHECK(user_types_error(R"("task_struct": {"kind": "struct", "fields": {}})") ==
        "isf.json: user_types.task_struct: no 'size'");
  CHECK(user_types_error(R"("task_struct": {"kind": "struct", "size": 8})") ==
        "isf.json: user_types.task_struct: no 'fields'");
  CHECK(user_types_error(R"("task_struct": {"kind": "enum", "size": 8, "fields": {}})") ==
        "isf.json: user_types.task_struct: 'kind' is 'enum', expected struct, union or class");
  CHECK(user_types_error(R"("task_struct": {"kind": "struct", "size": 8, "fields": {
          "pid": {"type": {"kind": "base", "name": "int"}}}})") ==
        "isf.json: user_types.task_struct.fields.pid: no 'offset'");
  CHECK(user_types_error(R"("task_struct": {"kind": "struct", "size": 8, "fields": {"pid": 4}})") ==
        "isf.json: user_types.task_struct.fields: 'pid' is not an object");
}

TEST_CASE("malformed type descriptors are named by their path") {
  CHECK(user_types_error(R"("s": {"kind": "struct", "size": 8, "fields": {
          "p": {"type": {"kind": "pointer"}, "offset": 0}}})") ==
        "isf.json: user_types.s.fields.p.type: no 'subtype' for kind 'pointer'");
  CHECK(user_types_error(R"("s": {"kind": "struct", "size": 8, "fields": {
          "p": {"type": {"kind": "array", "subtype": {"kind": "base", "name": "int"}}, "offset": 0}}})") ==
        "isf.json: user_types.s.fields.p.type: no 'count' for kind 'array'");
  CHECK(user_types_error(R"("s": {"kind": "struct", "size": 8, "fields": {
          "p": {"type": {"kind": "tuple"}, "offset": 0}}})") ==
        "isf.json: user_types.s.fields.p.type: unknown type kind 'tuple'");
  CHECK(user_types_error(R"("s": {"kind": "struct", "size": 8, "fields": {
          "p": {"type": {"kind": "base", "name": 7}, "offset": 0}}})") ==
        "isf.json: user_types.s.fields.p.type: 'name' is not a string");
  CHECK(user_types_error(R"("s": {"kind": "struct", "size": 8, "fields": {
          "p": {"type": {"kind": "bitfield", "bit_position": 300, "bit_length": 1,
                         "type": {"kind": "base", "name": "int"}}, "offset": 0}}})") ==
        "isf.json: user_types.s.fields.p.type: 'bit_position' is out of range (300 > 255)");
}

TEST_CASE("absurdly nested type descriptors are refused, not recursed into") {
  std::string type = R"({"kind": "base", "name": "int"})";
  for (int i = 0; i < 40; ++i) type = R"({"kind": "pointer", "subtype": )" + type + "}";
  std::string error = user_types_error(R"("s": {"kind": "struct", "size": 8, "fields": {"p": {"type": )" + type +
                                       R"(, "offset": 0}}})");
  CHECK(error.starts_with("isf.json: user_types.s.fields.p.type.subtype."));
  CHECK(error.ends_with(": 'subtype' nests types deeper than 32 levels"));
}

TEST_CASE("deeply nested JSON is an error or skipped, never a stack overflow") {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  const std::string tail = R"(, "base_types": {}, "user_types": {}, "enums": {}, "symbols": {}})";
  // Where a section is expected, it is simply of the wrong type.
  CHECK(parse_error(R"({"metadata": )" + deep + "}") == "isf.json: 'metadata' is not an object");
  // Under a key drydock does not read, it is skipped (without recursion).
  CHECK(parse_error(R"({"metadata": {"format": "6.2.0", "x": )" + deep + "}" + tail) == "(parsed without error)");
  // Unbalanced, it is a grammar error, located at the nesting limit.
  CHECK(parse_error(R"({"metadata": {"format": "6.2.0", "x": )" + deep.substr(1) + "}" + tail) ==
        "isf.json: not an ISF symbol table (JSON parse error at byte 1060: nesting deeper than the limit)");
}

TEST_CASE("a member holding an undefined type by value is an error, behind a pointer it is not") {
  CHECK(user_types_error(R"("task_struct": {"kind": "struct", "size": 8, "fields": {
          "fs": {"type": {"kind": "struct", "name": "fs_struct"}, "offset": 0}}})") ==
        "isf.json: user_types.task_struct.fields.fs: type refers to 'fs_struct', which is not in user_types");
  CHECK(user_types_error(R"("s": {"kind": "struct", "size": 8, "fields": {
          "a": {"type": {"kind": "array", "count": 2, "subtype": {"kind": "base", "name": "u9"}}, "offset": 0}}})") ==
        "isf.json: user_types.s.fields.a: type refers to 'u9', which is not in base_types");
  CHECK(user_types_error(R"("s": {"kind": "struct", "size": 8, "fields": {
          "e": {"type": {"kind": "enum", "name": "colour"}, "offset": 0}}})") ==
        "isf.json: user_types.s.fields.e: type refers to 'colour', which is not in enums");
  CHECK(user_types_error(R"("task_struct": {"kind": "struct", "size": 8, "fields": {
          "fs": {"type": {"kind": "pointer", "subtype": {"kind": "struct", "name": "fs_struct"}}, "offset": 0}}})") ==
        "(parsed without error)");
}

TEST_CASE("anonymous members that contain their own type are refused") {
  CHECK(user_types_error(R"("loop": {"kind": "struct", "size": 8, "fields": {
          "unnamed_field_0": {"type": {"kind": "struct", "name": "loop"}, "offset": 0, "anonymous": true}}})") ==
        "isf.json: user_types.loop.fields.unnamed_field_0: anonymous members contain each other in a cycle "
        "(loop -> loop)");
  CHECK(user_types_error(R"("a": {"kind": "struct", "size": 8, "fields": {
          "unnamed_field_0": {"type": {"kind": "union", "name": "b"}, "offset": 0, "anonymous": true}}},
        "b": {"kind": "union", "size": 8, "fields": {
          "x": {"type": {"kind": "base", "name": "int"}, "offset": 0},
          "unnamed_field_0": {"type": {"kind": "struct", "name": "a"}, "offset": 0, "anonymous": true}}})") ==
        "isf.json: user_types.b.fields.unnamed_field_0: anonymous members contain each other in a cycle "
        "(a -> b -> a)");
}

TEST_CASE("names defined twice are refused") {
  CHECK(user_types_error(R"("s": {"kind": "struct", "size": 4, "fields": {}}, "s": {"kind": "struct", "size": 4, "fields": {}})") ==
        "isf.json: user_types: 's' is defined twice");
  CHECK(user_types_error(R"("s": {"kind": "struct", "size": 4, "fields": {
          "x": {"type": {"kind": "base", "name": "int"}, "offset": 0},
          "x": {"type": {"kind": "base", "name": "int"}, "offset": 0}}})") ==
        "isf.json: user_types.s: member 'x' appears twice");
}

TEST_CASE("malformed base types, enums and symbols are named") {
  const std::string tail = R"(, "user_types": {}, "enums": {}, "symbols": {}})";
  CHECK(parse_error(R"({"metadata": {"format": "6.2.0"}, "base_types": {"int": {"signed": true}})" + tail) ==
        "isf.json: base_types.int: no 'size'");
  CHECK(parse_error(R"({"metadata": {"format": "6.2.0"}, "base_types": {"int": {"size": 4, "signed": "yes"}})" + tail) ==
        "isf.json: base_types.int: 'signed' is not a boolean");
  CHECK(parse_error(R"({"metadata": {"format": "6.2.0"}, "base_types": {}, "user_types": {},
      "enums": {"e": {"size": 4, "base": "int", "constants": {"A": "one"}}}, "symbols": {}})") ==
        "isf.json: enums.e.constants: 'A' is not an integer");
  CHECK(parse_error(R"({"metadata": {"format": "6.2.0"}, "base_types": {}, "user_types": {},
      "enums": {"e": {"base": "int", "constants": {}}}, "symbols": {}})") ==
        "isf.json: enums.e: no 'size'");
  CHECK(parse_error(R"({"metadata": {"format": "6.2.0"}, "base_types": {}, "user_types": {}, "enums": {},
      "symbols": {"init_task": {"type": {"kind": "struct", "name": "task_struct"}}}})") ==
        "isf.json: symbols.init_task: no 'address'");
  CHECK(parse_error(R"({"metadata": {"format": "6.2.0"}, "base_types": {}, "user_types": {}, "enums": {},
      "symbols": {"init_task": {"address": -1}}})") ==
        "isf.json: symbols.init_task: 'address' is negative (-1)");
  CHECK(parse_error(R"({"metadata": {"format": "6.2.0"}, "base_types": {}, "user_types": {}, "enums": {},
      "symbols": {"linux_banner": {"address": 1, "constant_data": "not base64!"}}})") ==
        "isf.json: symbols.linux_banner: 'constant_data' is not valid base64");
}

TEST_CASE("a symbol of an undefined type is tolerated and has no size") {
  auto table = SymbolTable::parse(R"({"metadata": {"format": "6.2.0"}, "base_types": {}, "user_types": {}, "enums": {},
      "symbols": {"mystery": {"address": 16, "type": {"kind": "struct", "name": "gone"}}}})",
                                  "isf.json");
  REQUIRE(table.ok());
  const Symbol* mystery = table.value()->symbol("mystery");
  REQUIRE(mystery);
  CHECK_FALSE(table.value()->size_of(mystery->type).has_value());
}

}  // namespace
}  // namespace drydock

namespace drydock {
namespace {

TEST_CASE("every truncation of a valid ISF is refused with an error, never a crash") {
  const std::string_view full = test::kSmallIsf;
  for (std::size_t length = 0; length < full.size(); ++length) {
    auto table = SymbolTable::parse(full.substr(0, length), "isf.json");
    INFO("length " << length);
    REQUIRE_FALSE(table.ok());
    CHECK(table.error().message.starts_with("isf.json: "));
  }
}

TEST_CASE("single corrupted bytes give a table or an error, never a crash") {
  std::string text(test::kSmallIsf);
  for (std::size_t at = 0; at < text.size(); ++at) {
    for (char replacement : {'"', '{', '}', '[', ',', ':', '0', 'x', '\0', '\xff'}) {
      std::string corrupt = text;
      corrupt[at] = replacement;
      auto table = SymbolTable::parse(corrupt, "isf.json");
      if (!table.ok()) CHECK(table.error().message.starts_with("isf.json: "));
    }
  }
}

}  // namespace
}  // namespace drydock
