#pragma once
// The rule-visible schema of the object model, declared once as data: every
// field a rule may name, with its type, description and accessor. The checker
// resolves names against it, `rules fields` lists it and the README's field
// reference is rendered from it. The table is immutable; all functions here
// are thread-safe.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "engine/rules/value.hpp"

namespace drydock::rules {

namespace detail {
class EvalEnv;
}

enum class FieldType : std::uint8_t { integer, boolean, string, string_list, integer_list, object, object_list };

using FieldGetter = Value (*)(const detail::EvalEnv& env, const Obj& object);

struct FieldDef {
  ObjectKind owner;
  std::string_view name;
  FieldType type;
  ObjectKind target;  // for object and object_list fields; none otherwise
  bool nullable;      // may be absent (a missing value makes comparisons false)
  bool hex;           // a bit mask or address: evidence and messages show it in hex
  std::string_view description;
  FieldGetter get;
};

struct KindDef {
  ObjectKind kind;
  std::string_view name;
  bool is_scope;                 // may follow `on` in a rule
  std::string_view description;  // what one object is
  std::string_view object_id;    // what a finding's `object` holds
};

std::span<const FieldDef> schema();
std::span<const KindDef> object_kinds();

std::string_view to_string(ObjectKind kind);
std::string_view to_string(FieldType type);
// "string", "list of container", "container (may be absent)" ...
std::string describe_type(const FieldDef& field);

std::optional<ObjectKind> scope_by_name(std::string_view name);
const FieldDef* find_field(ObjectKind owner, std::string_view name);
// A field declared for rules but not read from dumps yet: always unknown, so
// a rule that depends on it can never match (the checker warns, W004).
bool field_never_filled(const FieldDef& field);
// An integer field holding nanoseconds since the Unix epoch: messages show it
// as ISO 8601 UTC.
bool field_is_unix_time_ns(const FieldDef& field);

// Markdown field reference: one section per object kind, one table row per field.
std::string render_field_reference_markdown();
// Plain text, one line per field: "container.euid  integer  Effective uid of ...".
std::string render_field_listing();

}  // namespace drydock::rules
