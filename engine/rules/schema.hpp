#pragma once
// The rule-visible schema of the object model, declared once as data: one
// table of object kinds (which are rule scopes, how each is enumerated, named,
// labelled and identified in findings) and one table of fields (type,
// description, accessor). The checker resolves names against them, evaluate()
// walks the scopes in table order, `rules fields` lists them and the README's
// field reference is rendered from them. The tables are immutable; all
// functions here are thread-safe.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/rules/value.hpp"

namespace drydock::rules {

namespace detail {
class EvalEnv;
}

using FieldGetter = Value (*)(const detail::EvalEnv& env, const Obj& object);

struct FieldDef {
  ObjectKind owner;
  std::string_view name;
  ValueType type;
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
  std::string_view object_id;    // what a finding's `object` holds (documentation)
  std::string_view sarif_kind;   // SARIF logicalLocation.kind of its findings
  // Every object of this kind in one evaluation's indexes (scopes are
  // evaluated over it).
  const std::vector<Obj>& (*objects)(const detail::EvalEnv& env);
  // A finding's `object`: unique among the objects of the kind in one dump.
  std::string (*id)(const detail::EvalEnv& env, const Obj& object);
  // A finding's `object_label`: what a person calls it.
  std::string (*label)(const detail::EvalEnv& env, const Obj& object);
  // What names the object across scans of the same dump and across dumps of
  // the same machine state, never a kernel address; nullptr: "<kind> <id>".
  std::string (*identity)(const detail::EvalEnv& env, const Obj& object);
  // The heading of its findings in text reports (without the container).
  std::string (*title)(const detail::EvalEnv& env, const Obj& object);
};

std::span<const FieldDef> schema();
std::span<const KindDef> object_kinds();

// The row of `kind` (every ObjectKind but none has one).
const KindDef& kind_def(ObjectKind kind);
const KindDef* kind_by_name(std::string_view name);

std::string_view to_string(ObjectKind kind);
// "integer", "IP address", "list of string", "container", "list of task":
// the one spelling of a type in diagnostics and documentation.
std::string type_name(ValueType type, ObjectKind object = ObjectKind::none);
// type_name, plus " (may be absent)" for a nullable field.
std::string describe_type(const FieldDef& field);

std::optional<ObjectKind> scope_by_name(std::string_view name);
// "host, container, task, mount, interface or network".
std::string scope_names();
// "container 3a6aa54f0998 (priv)": the short id, and the label when it is not the short id.
std::string container_title(std::string_view id, std::string_view label);
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
