#include "engine/kernel/struct_layout.hpp"

#include <string>

namespace drydock {
namespace {

// The struct or union a TypeDesc names, seen through at most a few pointer and
// array levels (enough for `struct x *`, `struct x[n]`).
std::string_view struct_name_of(const SymbolTable& symbols, std::uint32_t index) {
  for (int depth = 0; depth < 4 && index != UINT32_MAX; ++depth) {
    const TypeDesc& t = symbols.type_desc(index);
    if (t.kind == TypeKind::struct_ || t.kind == TypeKind::union_) return t.name;
    if (t.kind != TypeKind::pointer && t.kind != TypeKind::array) return {};
    index = t.subtype;
  }
  return {};
}

}  // namespace

std::optional<std::uint32_t> offset_of(const SymbolTable& symbols, std::string_view type, std::string_view path) {
  std::uint32_t total = 0;
  std::string current(type);
  while (true) {
    const auto dot = path.find('.');
    const std::string_view name = path.substr(0, dot);
    const auto location = symbols.member(current, name);
    if (!location) return std::nullopt;
    total += location->offset;
    if (dot == std::string_view::npos) return total;
    const TypeDesc& t = symbols.type_desc(location->type);
    if (t.kind != TypeKind::struct_ && t.kind != TypeKind::union_) return std::nullopt;
    current = std::string(t.name);
    path.remove_prefix(dot + 1);
  }
}

std::string_view member_struct_name(const SymbolTable& symbols, std::string_view type, std::string_view member) {
  const auto location = symbols.member(type, member);
  if (!location) return {};
  return struct_name_of(symbols, location->type);
}

}  // namespace drydock
