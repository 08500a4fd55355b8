#pragma once
// Interning of TypeDescs while a SymbolTable is filled (by the ISF parser and
// by the BTF table builder): equal descriptors share one index. Private to
// symbols/. Not thread-safe while filling.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <string_view>
#include <unordered_map>

#include "symbols/detail/symbol_table_impl.hpp"

namespace drydock {

// Identity of a TypeDesc. Names are interned too, so equal names have equal
// data pointers.
struct DescKey {
  TypeKind kind;
  std::string_view name;  // interned
  std::uint32_t subtype;
  std::uint32_t count;
  std::uint8_t bit_position;
  std::uint8_t bit_length;
  bool operator==(const DescKey& o) const {
    return kind == o.kind && name.data() == o.name.data() && name.size() == o.name.size() &&
           subtype == o.subtype && count == o.count && bit_position == o.bit_position &&
           bit_length == o.bit_length;
  }
};

struct DescKeyHash {
  std::size_t operator()(const DescKey& k) const {
    std::size_t h = std::hash<const void*>()(k.name.data());
    auto mix = [&h](std::uint64_t v) { h ^= v + 0x9e3779b97f4a7c15ULL + (h << 6) + (h >> 2); };
    mix(static_cast<std::uint64_t>(k.kind));
    mix(k.subtype);
    mix(k.count);
    mix((std::uint64_t{k.bit_position} << 8) | k.bit_length);
    return h;
  }
};

class TypeDescInterner {
 public:
  void reserve(std::size_t count) { index_.reserve(count); }
  std::size_t size() const { return index_.size(); }

  // The index in impl.type_descs of the descriptor `key` describes, appended
  // the first time it is seen.
  std::uint32_t intern(SymbolTable::Impl& impl, const DescKey& key) {
    auto [it, inserted] = index_.try_emplace(key, static_cast<std::uint32_t>(impl.type_descs.size()));
    if (inserted) {
      TypeDesc desc;
      desc.kind = key.kind;
      desc.name = key.name;
      desc.subtype = key.subtype;
      desc.count = key.count;
      desc.bit_position = key.bit_position;
      desc.bit_length = key.bit_length;
      impl.type_descs.push_back(desc);
    }
    return it->second;
  }

 private:
  std::unordered_map<DescKey, std::uint32_t, DescKeyHash> index_;
};

}  // namespace drydock
