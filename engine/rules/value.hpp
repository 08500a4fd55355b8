#pragma once
// The values a rule condition computes with. Strings and lists are views into
// the DumpModel or into the evaluation's derived indexes whenever possible;
// derived ones are owned (shared, so copies stay cheap). A Value never
// outlives the evaluate() call that produced it.

#include <cstdint>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace drydock::rules {

// The kinds of objects rules can see. The first six are rule scopes.
enum class ObjectKind : std::uint8_t {
  host, container, task, mount, interface, network, container_mount, container_network, container_change, socket, none
};

// A reference to one object of the model (or of the evaluation's derived
// data, for networks). `index` is the object's position in its list.
struct Obj {
  ObjectKind kind = ObjectKind::none;
  std::uint32_t index = 0;
  const void* ptr = nullptr;
};

struct Value {
  enum class Kind : std::uint8_t { null, integer, boolean, string, string_list, integer_list, object, object_list };

  Kind kind = Kind::null;
  bool b = false;
  std::int64_t i = 0;
  std::string_view s;
  std::shared_ptr<const std::string> owned_string;
  std::span<const std::string> strings;
  std::shared_ptr<const std::vector<std::string>> owned_strings;
  std::shared_ptr<const std::vector<std::int64_t>> ints;
  Obj object;
  std::span<const Obj> objects;

  static Value null() { return {}; }
  static Value integer(std::int64_t v) {
    Value x;
    x.kind = Kind::integer;
    x.i = v;
    return x;
  }
  static Value boolean(bool v) {
    Value x;
    x.kind = Kind::boolean;
    x.b = v;
    return x;
  }
  // `v` must outlive the evaluation (model or index storage).
  static Value view(std::string_view v) {
    Value x;
    x.kind = Kind::string;
    x.s = v;
    return x;
  }
  static Value owned(std::string v) {
    Value x;
    x.kind = Kind::string;
    x.owned_string = std::make_shared<const std::string>(std::move(v));
    x.s = *x.owned_string;
    return x;
  }
  static Value list_view(std::span<const std::string> v) {
    Value x;
    x.kind = Kind::string_list;
    x.strings = v;
    return x;
  }
  static Value list_owned(std::vector<std::string> v) {
    Value x;
    x.kind = Kind::string_list;
    x.owned_strings = std::make_shared<const std::vector<std::string>>(std::move(v));
    x.strings = *x.owned_strings;
    return x;
  }
  static Value int_list(std::vector<std::int64_t> v) {
    Value x;
    x.kind = Kind::integer_list;
    x.ints = std::make_shared<const std::vector<std::int64_t>>(std::move(v));
    return x;
  }
  static Value of(Obj o) {
    Value x;
    x.kind = Kind::object;
    x.object = o;
    return x;
  }
  static Value list_of(std::span<const Obj> v) {
    Value x;
    x.kind = Kind::object_list;
    x.objects = v;
    return x;
  }

  bool is_null() const { return kind == Kind::null; }
  bool is_true() const { return kind == Kind::boolean && b; }
};

}  // namespace drydock::rules
