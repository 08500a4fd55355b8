#pragma once
// The tables behind SymbolTable, shared by the ISF parser (which fills them)
// and the query code (which reads them). Private to symbols/.

#include <algorithm>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "symbols/detail/string_arena.hpp"
#include "symbols/symbol_table.hpp"

namespace drydock {

struct EnumConstant {
  std::string_view name;
  // Values above INT64_MAX (an unsigned 64-bit enum) keep their bit pattern.
  std::int64_t value = 0;
};

struct EnumType {
  std::string_view name;
  std::string_view base;  // base type name of the storage ("unsigned int")
  std::uint32_t size = 0;
  std::span<const EnumConstant> constants;  // sorted by name
};

// Every vector of named things is sorted by name (unique names) so lookups are
// binary searches; all string_views point into `strings`.
struct SymbolTable::Impl {
  std::string source;
  StringArena strings;
  std::vector<BaseType> base_types;
  std::vector<UserType> user_types;
  std::vector<Member> members;  // all types' members; UserType::members are slices
  std::vector<EnumType> enums;
  std::vector<EnumConstant> enum_constants;  // EnumType::constants are slices
  std::vector<Symbol> symbols;
  std::vector<TypeDesc> type_descs;  // interned: no two are equal
  std::optional<std::string_view> banner;
};

// Binary search over a range sorted by `name` (a vector or span); nullptr when
// the name is absent.
template <typename Range>
const typename Range::value_type* find_by_name(const Range& sorted, std::string_view name) {
  using T = typename Range::value_type;
  auto it = std::lower_bound(sorted.begin(), sorted.end(), name,
                             [](const T& item, std::string_view key) { return item.name < key; });
  if (it != sorted.end() && it->name == name) return &*it;
  return nullptr;
}

}  // namespace drydock
