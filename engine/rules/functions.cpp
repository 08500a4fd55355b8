#include "engine/rules/functions.hpp"

#include <algorithm>
#include <bit>

#include "engine/rules/ip_address.hpp"

namespace drydock::rules {

namespace {

using T = ValueType;

constexpr std::uint16_t kLists = type_bit(T::string_list) | type_bit(T::integer_list) | type_bit(T::ip_list) |
                                 type_bit(T::object_list);
constexpr std::uint16_t kAny = kLists | type_bit(T::integer) | type_bit(T::boolean) | type_bit(T::string) |
                               type_bit(T::ip) | type_bit(T::object);
constexpr ParamDef kInteger{type_bit(T::integer), "integer"};
constexpr ParamDef kAddress{type_bit(T::ip), "ip", IpLiteral::address};
constexpr ParamDef kNetwork{type_bit(T::ip) | type_bit(T::ip_list), "ip or a list of ip", IpLiteral::network};

std::int64_t wrap(std::uint64_t v) { return static_cast<std::int64_t>(v); }

// True when `address` lies in `network`, or in any of a list of networks;
// unknown when it does not and some network of the list is unknown.
Value inside(const Value& address, const Value& network) {
  if (network.kind == T::ip) return Value::boolean(ip_inside(address.ip, network.ip));
  if (network.kind != T::ip_list) return Value::null();
  bool unknown = false;
  for (const auto& net : network.ips) {
    if (net && ip_inside(address.ip, *net)) return Value::boolean(true);
    unknown = unknown || !net;
  }
  return unknown ? Value::null() : Value::boolean(false);
}

const FunctionDef kFunctions[] = {
    {"len", 1, 1, {ParamDef{kLists | type_bit(T::string), "a list or a string"}}, T::integer, false, "len(x)",
     "same as `#x`", nullptr},
    {"mask", 1, kVariadic, {kInteger}, T::integer, true, "mask(CAP_A, CAP_B, ...)",
     "integer with those bits set (bits outside 0..63 ignored)",
     [](std::span<const Value> args) {
       std::uint64_t m = 0;
       for (const Value& v : args) {
         if (v.kind != T::integer) return Value::null();
         if (v.i >= 0 && v.i < 64) m |= std::uint64_t{1} << v.i;
       }
       return Value::integer(wrap(m));
     }},
    {"has_cap", 2, 2, {kInteger, kInteger}, T::boolean, false, "has_cap(set, CAP_X)", "bit `CAP_X` of `set` is set",
     [](std::span<const Value> args) {
       const Value &set = args[0], &bit = args[1];
       if (set.kind != T::integer || bit.kind != T::integer) return Value::null();
       if (bit.i < 0 || bit.i > 63) return Value::boolean(false);
       return Value::boolean((static_cast<std::uint64_t>(set.i) >> bit.i & 1) != 0);
     }},
    {"popcount", 1, 1, {kInteger}, T::integer, false, "popcount(x)", "number of bits set",
     [](std::span<const Value> args) {
       if (args[0].kind != T::integer) return Value::null();
       return Value::integer(std::popcount(static_cast<std::uint64_t>(args[0].i)));
     }},
    {"defined", 1, 1, {ParamDef{kAny, "a value"}}, T::boolean, false, "defined(x)",
     "`x` has a value (e.g. `defined(container)`)",
     [](std::span<const Value> args) { return Value::boolean(!args[0].is_null()); }},
    {"cidr", 2, 2, {kAddress, kNetwork}, T::boolean, false, "cidr(ip, net)",
     "`ip` lies in `net` (an ip, or a list of them: true if in any); a string constant for `net` is read as a "
     "network when the rules load: `\"10.0.0.0/8\"`, an IPv6 `\"fc00::/7\"` or a bare address (E031 if it is not one)",
     [](std::span<const Value> args) {
       if (args[0].kind != T::ip || args[1].is_null()) return Value::null();
       return inside(args[0], args[1]);
     }},
    {"is_private", 1, 1, {kAddress}, T::boolean, false, "is_private(ip)",
     "10.0.0.0/8, 172.16.0.0/12, 192.168.0.0/16 or fc00::/7",
     [](std::span<const Value> args) {
       return args[0].kind == T::ip ? Value::boolean(ip_is_private(args[0].ip)) : Value::null();
     }},
    {"is_loopback", 1, 1, {kAddress}, T::boolean, false, "is_loopback(ip)", "127.0.0.0/8 or ::1",
     [](std::span<const Value> args) {
       return args[0].kind == T::ip ? Value::boolean(ip_is_loopback(args[0].ip)) : Value::null();
     }},
};

}  // namespace

std::span<const FunctionDef> functions() { return kFunctions; }

const FunctionDef* find_function(std::string_view name) {
  const auto it = std::find_if(std::begin(kFunctions), std::end(kFunctions),
                               [&](const FunctionDef& f) { return f.name == name; });
  return it == std::end(kFunctions) ? nullptr : &*it;
}

}  // namespace drydock::rules
