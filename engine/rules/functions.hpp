#pragma once
// The functions of the rule language, declared once as data: name,
// parameters, result type and implementation. The checker types calls
// against this table and the evaluator runs the row's implementation, so a
// new function is one row. The table is immutable; all functions here are
// thread-safe.

#include <array>
#include <cstdint>
#include <span>
#include <string_view>

#include "engine/rules/value.hpp"

namespace drydock::rules {

// What a constant string argument is read as when loading the rules: an IP
// address (a bad one is E035) or network (E031), checked once, never at
// evaluation time.
enum class IpLiteral : std::uint8_t { none, address, network };

constexpr std::uint16_t type_bit(ValueType t) { return static_cast<std::uint16_t>(1u << static_cast<unsigned>(t)); }

struct ParamDef {
  std::uint16_t accepts = 0;            // type_bit() of every accepted type
  std::string_view what;                // how a type error names it: "integer", "a list or a string", ...
  IpLiteral literal = IpLiteral::none;  // a constant string (or list) here becomes an IP (list)
};

inline constexpr std::uint8_t kVariadic = 0xff;

struct FunctionDef {
  std::string_view name;
  std::uint8_t min_args;
  std::uint8_t max_args;             // kVariadic: any number, each like the last parameter
  std::array<ParamDef, 2> params;    // parameter i (the last one repeats)
  ValueType result;
  bool hex;                          // its result is a bit mask: shown in hex
  std::string_view signature;        // for the README: "cidr(ip, net)"
  std::string_view description;
  // The implementation, over evaluated arguments (absent ones are null);
  // nullptr for `len`, which the checker compiles as `#x`.
  Value (*eval)(std::span<const Value> args);
};

std::span<const FunctionDef> functions();
const FunctionDef* find_function(std::string_view name);

}  // namespace drydock::rules
