#pragma once
// The values a rule condition computes with, and their one type enum: the
// schema declares fields with it, the checker types expressions with it and
// the evaluator's values carry it. Strings and lists are views into the
// DumpModel or into the evaluation's derived indexes whenever possible;
// derived ones are owned (shared, so copies stay cheap). A Value never
// outlives the evaluate() call that produced it.

#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/rules/ip_address.hpp"

namespace drydock::rules {

// The kinds of objects rules can see; schema.cpp's kind table describes each
// (which are rule scopes, how they are enumerated, named and labelled).
enum class ObjectKind : std::uint8_t {
  host, container, task, mount, interface, network, container_mount, container_network, container_change, socket, none
};

// The one type enum of the rule language. `null` is a value's state only
// (absent or unknown); no field or expression is declared with it.
enum class ValueType : std::uint8_t {
  null, integer, boolean, string, ip, string_list, integer_list, ip_list, object, object_list
};

// The element type of a list type (null for a type that is not a list).
constexpr ValueType element_type(ValueType list) {
  switch (list) {
    case ValueType::string_list: return ValueType::string;
    case ValueType::integer_list: return ValueType::integer;
    case ValueType::ip_list: return ValueType::ip;
    case ValueType::object_list: return ValueType::object;
    default: return ValueType::null;
  }
}

// A reference to one object of the model (or of the evaluation's derived
// data, for networks). `index` is the object's position in its list.
struct Obj {
  ObjectKind kind = ObjectKind::none;
  std::uint32_t index = 0;
  const void* ptr = nullptr;
};

struct Value {
  ValueType kind = ValueType::null;
  bool b = false;
  std::int64_t i = 0;
  std::string_view s;  // a string, or the text an IP was read from
  IpPrefix ip;
  std::shared_ptr<const std::string> owned_string;
  std::span<const std::string> strings;  // string list, or the texts of an IP list
  std::shared_ptr<const std::vector<std::string>> owned_strings;
  std::shared_ptr<const std::vector<std::int64_t>> ints;
  // IP list: one entry per text in `strings`, nullopt where the text is not
  // an address (unknown).
  std::span<const std::optional<IpPrefix>> ips;
  std::shared_ptr<const std::vector<std::optional<IpPrefix>>> owned_ips;
  Obj object;
  std::span<const Obj> objects;

  static Value null() { return {}; }
  static Value integer(std::int64_t v) {
    Value x;
    x.kind = ValueType::integer;
    x.i = v;
    return x;
  }
  static Value boolean(bool v) {
    Value x;
    x.kind = ValueType::boolean;
    x.b = v;
    return x;
  }
  // `v` must outlive the evaluation (model or index storage).
  static Value view(std::string_view v) {
    Value x;
    x.kind = ValueType::string;
    x.s = v;
    return x;
  }
  static Value owned(std::string v) {
    Value x;
    x.kind = ValueType::string;
    x.owned_string = std::make_shared<const std::string>(std::move(v));
    x.s = *x.owned_string;
    return x;
  }
  // An address parsed from `text` (which must outlive the evaluation), or
  // null when the text is not one: a malformed address is unknown.
  static Value ip_of(std::string_view text) {
    auto parsed = parse_ip(text);
    if (!parsed) return null();
    Value x;
    x.kind = ValueType::ip;
    x.ip = *parsed;
    x.s = text;
    return x;
  }
  static Value ip_value(const IpPrefix& ip, std::string_view text) {
    Value x;
    x.kind = ValueType::ip;
    x.ip = ip;
    x.s = text;
    return x;
  }
  static Value list_view(std::span<const std::string> v) {
    Value x;
    x.kind = ValueType::string_list;
    x.strings = v;
    return x;
  }
  static Value list_owned(std::vector<std::string> v) {
    Value x;
    x.kind = ValueType::string_list;
    x.owned_strings = std::make_shared<const std::vector<std::string>>(std::move(v));
    x.strings = *x.owned_strings;
    return x;
  }
  // Addresses parsed from texts (an element that is not one is unknown).
  static Value ip_list_owned(std::vector<std::string> texts) {
    std::vector<std::optional<IpPrefix>> parsed;
    parsed.reserve(texts.size());
    for (const auto& t : texts) parsed.push_back(parse_ip(t));
    Value x = list_owned(std::move(texts));
    x.kind = ValueType::ip_list;
    x.owned_ips = std::make_shared<const std::vector<std::optional<IpPrefix>>>(std::move(parsed));
    x.ips = *x.owned_ips;
    return x;
  }
  static Value ip_list_view(std::span<const std::optional<IpPrefix>> ips, std::span<const std::string> texts) {
    Value x;
    x.kind = ValueType::ip_list;
    x.ips = ips;
    x.strings = texts;
    return x;
  }
  static Value int_list(std::vector<std::int64_t> v) {
    Value x;
    x.kind = ValueType::integer_list;
    x.ints = std::make_shared<const std::vector<std::int64_t>>(std::move(v));
    return x;
  }
  static Value of(Obj o) {
    Value x;
    x.kind = ValueType::object;
    x.object = o;
    return x;
  }
  static Value list_of(std::span<const Obj> v) {
    Value x;
    x.kind = ValueType::object_list;
    x.objects = v;
    return x;
  }

  bool is_null() const { return kind == ValueType::null; }
  bool is_true() const { return kind == ValueType::boolean && b; }
  // Elements of a list value (0 for anything else).
  std::size_t size() const {
    switch (kind) {
      case ValueType::string_list:
      case ValueType::ip_list: return strings.size();
      case ValueType::integer_list: return ints->size();
      case ValueType::object_list: return objects.size();
      default: return 0;
    }
  }
  // Element `i` of a list value.
  Value at(std::size_t i) const {
    switch (kind) {
      case ValueType::string_list: return view(strings[i]);
      case ValueType::integer_list: return integer((*ints)[i]);
      case ValueType::ip_list: return ips[i] ? ip_value(*ips[i], strings[i]) : null();
      case ValueType::object_list: return of(objects[i]);
      default: return null();
    }
  }
};

}  // namespace drydock::rules
