#include "symbols/type_compare.hpp"

#include "symbols/detail/symbol_table_impl.hpp"

namespace drydock {
namespace {

constexpr int kMaxDepth = 16;

class Comparer {
 public:
  Comparer(const SymbolTable& e, const SymbolTable& a) : e_(e), a_(a) {}

  void user_types(std::string_view expected_name, std::string_view actual_name, const std::string& where, int depth) {
    const UserType* e = find_by_name(e_.impl().user_types, expected_name);
    const UserType* a = find_by_name(a_.impl().user_types, actual_name);
    if (!e) return;
    if (!a) return add(where + ": missing");
    if (depth > kMaxDepth) return;
    if (e->size != a->size) add(where + ": size " + std::to_string(e->size) + " != " + std::to_string(a->size));
    if (e->is_union != a->is_union) add(where + ": union != struct");
    for (const Member& m : e->members) {
      const std::string at = where + "." + std::string(m.name);
      const Member* other = find_by_name(a->members, m.name);
      if (!other) {
        add(at + ": missing");
        continue;
      }
      if (m.offset != other->offset) add(at + ": offset " + std::to_string(m.offset) + " != " + std::to_string(other->offset));
      if (m.anonymous != other->anonymous) add(at + ": anonymous differs");
      descs(m.type, other->type, at, depth + 1);
    }
  }

  void descs(std::uint32_t ei, std::uint32_t ai, const std::string& where, int depth) {
    if (depth > kMaxDepth) return;
    const TypeDesc& e = e_.type_desc(ei);
    const TypeDesc& a = a_.type_desc(ai);
    if (e.kind != a.kind) return add(where + ": kind " + kind_name(e.kind) + " != " + kind_name(a.kind) + " (" + std::string(e.name) + " / " + std::string(a.name) + ")");
    switch (e.kind) {
      case TypeKind::base:
        if (e.name != a.name) add(where + ": base " + std::string(e.name) + " != " + std::string(a.name));
        break;
      case TypeKind::enum_:
        if (e.name != a.name && !(is_generated_type_name(e.name) && is_generated_type_name(a.name))) {
          add(where + ": enum " + std::string(e.name) + " != " + std::string(a.name));
        }
        break;
      case TypeKind::struct_:
      case TypeKind::union_:
        if (is_generated_type_name(e.name) && is_generated_type_name(a.name)) {
          user_types(e.name, a.name, where, depth + 1);
        } else if (e.name != a.name) {
          add(where + ": type " + std::string(e.name) + " != " + std::string(a.name));
        }
        break;
      case TypeKind::array:
        if (e.count != a.count) add(where + ": count " + std::to_string(e.count) + " != " + std::to_string(a.count));
        descs(e.subtype, a.subtype, where + "[]", depth + 1);
        break;
      case TypeKind::pointer:
        descs(e.subtype, a.subtype, where + "*", depth + 1);
        break;
      case TypeKind::bitfield:
        if (e.bit_position != a.bit_position || e.bit_length != a.bit_length) {
          add(where + ": bits " + std::to_string(e.bit_position) + "+" + std::to_string(e.bit_length) + " != " +
              std::to_string(a.bit_position) + "+" + std::to_string(a.bit_length));
        }
        descs(e.subtype, a.subtype, where, depth + 1);
        break;
      default:
        break;
    }
  }

  std::vector<std::string> take() { return std::move(out_); }

 private:
  static std::string kind_name(TypeKind k) {
    switch (k) {
      case TypeKind::base: return "base";
      case TypeKind::pointer: return "pointer";
      case TypeKind::array: return "array";
      case TypeKind::struct_: return "struct";
      case TypeKind::union_: return "union";
      case TypeKind::enum_: return "enum";
      case TypeKind::function: return "function";
      case TypeKind::bitfield: return "bitfield";
      case TypeKind::void_: return "void";
    }
    return "?";
  }
  void add(std::string text) { out_.push_back(std::move(text)); }

  const SymbolTable& e_;
  const SymbolTable& a_;
  std::vector<std::string> out_;
};

}  // namespace

bool is_generated_type_name(std::string_view name) { return name.starts_with("unnamed_"); }

std::vector<std::string> compare_user_types(const SymbolTable& expected, const SymbolTable& actual, std::string_view name) {
  Comparer c(expected, actual);
  c.user_types(name, name, std::string(name), 0);
  return c.take();
}

std::vector<std::string> compare_symbols(const SymbolTable& expected, const SymbolTable& actual, std::string_view name) {
  const Symbol* e = find_by_name(expected.impl().symbols, name);
  const Symbol* a = find_by_name(actual.impl().symbols, name);
  if (!e) return {};
  if (!a) return {"symbol " + std::string(name) + ": missing"};
  Comparer c(expected, actual);
  std::vector<std::string> out;
  if (e->address != a->address) out.push_back("symbol " + std::string(name) + ": address differs");
  if (e->type != UINT32_MAX) {
    if (a->type == UINT32_MAX) {
      out.push_back("symbol " + std::string(name) + ": no type");
    } else {
      c.descs(e->type, a->type, "symbol " + std::string(name), 0);
    }
  }
  for (std::string& d : c.take()) out.push_back(std::move(d));
  return out;
}

}  // namespace drydock
