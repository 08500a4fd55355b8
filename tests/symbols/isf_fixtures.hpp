#pragma once
// Small hand-written ISF documents for the symbols tests.

#include <string>
#include <string_view>

namespace drydock::test {

// A complete ISF exercising every descriptor kind: base types, pointers
// (including to an undefined struct), arrays, bitfields, enums, a union and
// anonymous members nested two deep, symbols with and without type and
// constant_data.
inline constexpr std::string_view kSmallIsf = R"({
  "metadata": {"producer": {"name": "handmade", "version": "1"}, "format": "6.2.0"},
  "base_types": {
    "char": {"size": 1, "signed": true, "kind": "char", "endian": "little"},
    "int": {"size": 4, "signed": true, "kind": "int", "endian": "little"},
    "unsigned int": {"size": 4, "signed": false, "kind": "int", "endian": "little"},
    "long unsigned int": {"size": 8, "signed": false, "kind": "int", "endian": "little"},
    "void": {"size": 0, "signed": false, "kind": "void", "endian": "little"}
  },
  "user_types": {
    "list_head": {"kind": "struct", "size": 16, "fields": {
      "next": {"type": {"kind": "pointer", "subtype": {"kind": "struct", "name": "list_head"}}, "offset": 0},
      "prev": {"type": {"kind": "pointer", "subtype": {"kind": "struct", "name": "list_head"}}, "offset": 8}}},
    "task": {"kind": "struct", "size": 64, "fields": {
      "pid": {"type": {"kind": "base", "name": "int"}, "offset": 0},
      "comm": {"type": {"kind": "array", "count": 16, "subtype": {"kind": "base", "name": "char"}}, "offset": 4},
      "flags": {"type": {"kind": "bitfield", "bit_position": 3, "bit_length": 5,
                         "type": {"kind": "base", "name": "unsigned int"}}, "offset": 20},
      "state": {"type": {"kind": "enum", "name": "task_state"}, "offset": 24},
      "unnamed_field_0": {"type": {"kind": "union", "name": "unnamed_u1"}, "offset": 32, "anonymous": true},
      "handler": {"type": {"kind": "pointer", "subtype": {"kind": "function"}}, "offset": 48},
      "files": {"type": {"kind": "pointer", "subtype": {"kind": "struct", "name": "opaque_files"}}, "offset": 56}}},
    "unnamed_u1": {"kind": "union", "size": 16, "fields": {
      "tasks": {"type": {"kind": "struct", "name": "list_head"}, "offset": 0},
      "unnamed_field_0": {"type": {"kind": "struct", "name": "unnamed_s2"}, "offset": 0, "anonymous": true}}},
    "unnamed_s2": {"kind": "struct", "size": 16, "fields": {
      "a": {"type": {"kind": "base", "name": "long unsigned int"}, "offset": 0},
      "b": {"type": {"kind": "pointer", "subtype": {"kind": "base", "name": "void"}}, "offset": 8}}}
  },
  "enums": {
    "task_state": {"size": 4, "base": "unsigned int", "constants": {"RUNNING": 0, "SLEEPING": 1, "DEAD": 64}},
    "wide": {"size": 8, "base": "long unsigned int", "constants": {"ALL": 18446744073709551615, "MINUS_TWO": -2}}
  },
  "symbols": {
    "init_task": {"address": 18446744071606217280, "type": {"kind": "struct", "name": "task"}},
    "linux_banner": {"address": 18446744071597070592,
                     "type": {"kind": "array", "count": 0, "subtype": {"kind": "base", "name": "char"}},
                     "constant_data": "TGludXggdmVyc2lvbiA2LjEuMC11bml0IChnY2MpICMxIFNNUAoA"},
    "_text": {"address": 18446744071578845184}
  }
})";

inline constexpr std::string_view kSmallIsfBanner = "Linux version 6.1.0-unit (gcc) #1 SMP";

// A minimal valid ISF whose user_types section holds `user_types` (the text
// between the braces), for error tests that vary one type.
inline std::string isf_with_user_types(std::string_view user_types) {
  return std::string(R"({"metadata": {"format": "6.2.0"},
 "base_types": {"int": {"size": 4, "signed": true, "kind": "int", "endian": "little"}},
 "user_types": {)") +
         std::string(user_types) + R"(},
 "enums": {}, "symbols": {}})";
}

}  // namespace drydock::test
