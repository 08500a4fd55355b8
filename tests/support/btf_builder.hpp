#pragma once
// Builds BTF blobs in memory, for tests, fuzz seeds and fixture vmlinux files:
// one call per type, in id order (the first type added is id 1, or the base's
// last id + 1 for split BTF), then bytes().
//
//   testing::BtfBuilder btf;
//   auto u32 = btf.add_int("unsigned int", 4, 0);          // id 1
//   auto head = btf.add_struct("list_head", 16, {{"next", ptr, 0}, {"prev", ptr, 64}});
//   std::vector<std::byte> blob = btf.bytes();
//
// Header-only; no dependency beyond the standard library.

#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace drydock::testing {

class BtfBuilder {
 public:
  struct Member {
    std::string name;
    std::uint32_t type = 0;
    std::uint32_t bit_offset = 0;
    std::uint8_t bitfield_size = 0;  // nonzero: the struct gets kind_flag
  };
  struct Value {
    std::string name;
    std::int64_t value = 0;
  };

  // For split BTF: ids and string offsets continue after the base's.
  explicit BtfBuilder(std::uint32_t first_id = 1, std::uint32_t string_base = 0)
      : next_id_(first_id), string_base_(string_base) {
    if (string_base_ == 0) strings_.push_back('\0');
  }

  std::uint32_t add_int(std::string_view name, std::uint32_t size, std::uint8_t encoding, std::uint8_t bits = 0,
                        std::uint8_t offset = 0) {
    record(name, 1, 0, false, size);
    u32((std::uint32_t{encoding} << 24) | (std::uint32_t{offset} << 16) | (bits ? bits : size * 8));
    return next_id_++;
  }
  std::uint32_t add_float(std::string_view name, std::uint32_t size) {
    record(name, 16, 0, false, size);
    return next_id_++;
  }
  std::uint32_t add_ptr(std::uint32_t type) { return simple(2, "", type); }
  std::uint32_t add_typedef(std::string_view name, std::uint32_t type) { return simple(8, name, type); }
  std::uint32_t add_volatile(std::uint32_t type) { return simple(9, "", type); }
  std::uint32_t add_const(std::uint32_t type) { return simple(10, "", type); }
  std::uint32_t add_restrict(std::uint32_t type) { return simple(11, "", type); }
  std::uint32_t add_func(std::string_view name, std::uint32_t proto) { return simple(12, name, proto); }
  std::uint32_t add_type_tag(std::string_view name, std::uint32_t type) { return simple(18, name, type); }
  std::uint32_t add_fwd(std::string_view name, bool is_union) {
    record(name, 7, 0, is_union, 0);
    return next_id_++;
  }
  std::uint32_t add_array(std::uint32_t element, std::uint32_t index_type, std::uint32_t count) {
    record("", 3, 0, false, 0);
    u32(element);
    u32(index_type);
    u32(count);
    return next_id_++;
  }
  std::uint32_t add_struct(std::string_view name, std::uint32_t size, const std::vector<Member>& members,
                           bool is_union = false) {
    bool bitfields = false;
    for (const Member& m : members) bitfields = bitfields || m.bitfield_size != 0;
    record(name, is_union ? 5 : 4, static_cast<std::uint16_t>(members.size()), bitfields, size);
    for (const Member& m : members) {
      u32(string(m.name));
      u32(m.type);
      u32(bitfields ? (std::uint32_t{m.bitfield_size} << 24) | m.bit_offset : m.bit_offset);
    }
    return next_id_++;
  }
  std::uint32_t add_enum(std::string_view name, std::uint32_t size, const std::vector<Value>& values,
                         bool is_signed = false) {
    record(name, 6, static_cast<std::uint16_t>(values.size()), is_signed, size);
    for (const Value& v : values) {
      u32(string(v.name));
      u32(static_cast<std::uint32_t>(v.value));
    }
    return next_id_++;
  }
  std::uint32_t add_enum64(std::string_view name, std::uint32_t size, const std::vector<Value>& values,
                           bool is_signed = false) {
    record(name, 19, static_cast<std::uint16_t>(values.size()), is_signed, size);
    for (const Value& v : values) {
      u32(string(v.name));
      u32(static_cast<std::uint32_t>(static_cast<std::uint64_t>(v.value)));
      u32(static_cast<std::uint32_t>(static_cast<std::uint64_t>(v.value) >> 32));
    }
    return next_id_++;
  }
  std::uint32_t add_func_proto(std::uint32_t return_type, const std::vector<std::pair<std::string, std::uint32_t>>& params) {
    record("", 13, static_cast<std::uint16_t>(params.size()), false, return_type);
    for (const auto& [name, type] : params) {
      u32(string(name));
      u32(type);
    }
    return next_id_++;
  }
  std::uint32_t add_var(std::string_view name, std::uint32_t type, std::uint32_t linkage = 1) {
    record(name, 14, 0, false, type);
    u32(linkage);
    return next_id_++;
  }
  // Variables of a section: (type, offset, size) each.
  std::uint32_t add_datasec(std::string_view name, std::uint32_t size,
                            const std::vector<std::array<std::uint32_t, 3>>& vars) {
    record(name, 15, static_cast<std::uint16_t>(vars.size()), false, size);
    for (const auto& v : vars) {
      u32(v[0]);
      u32(v[1]);
      u32(v[2]);
    }
    return next_id_++;
  }
  std::uint32_t add_decl_tag(std::string_view name, std::uint32_t type, std::int32_t component) {
    record(name, 17, 0, false, type);
    u32(static_cast<std::uint32_t>(component));
    return next_id_++;
  }

  // The blob: header, type section, string section.
  std::vector<std::byte> bytes() const {
    std::vector<std::byte> out(24 + types_.size() + strings_.size());
    auto put = [&](std::size_t at, std::uint32_t v) { std::memcpy(out.data() + at, &v, 4); };
    out[0] = std::byte{0x9f};
    out[1] = std::byte{0xeb};
    out[2] = std::byte{1};
    put(4, 24);
    put(8, 0);
    put(12, static_cast<std::uint32_t>(types_.size()));
    put(16, static_cast<std::uint32_t>(types_.size()));
    put(20, static_cast<std::uint32_t>(strings_.size()));
    if (!types_.empty()) std::memcpy(out.data() + 24, types_.data(), types_.size());
    if (!strings_.empty()) std::memcpy(out.data() + 24 + types_.size(), strings_.data(), strings_.size());
    return out;
  }

  std::uint32_t next_id() const { return next_id_; }
  std::uint32_t string_end() const { return string_base_ + static_cast<std::uint32_t>(strings_.size()); }

 private:
  std::uint32_t simple(std::uint32_t kind, std::string_view name, std::uint32_t type) {
    record(name, kind, 0, false, type);
    return next_id_++;
  }
  void record(std::string_view name, std::uint32_t kind, std::uint16_t vlen, bool kind_flag, std::uint32_t size_or_type) {
    u32(string(name));
    u32((kind_flag ? 0x80000000u : 0u) | (kind << 24) | vlen);
    u32(size_or_type);
  }
  std::uint32_t string(std::string_view name) {
    if (name.empty()) return 0;  // the base's (or this blob's) leading empty string
    const auto offset = string_base_ + static_cast<std::uint32_t>(strings_.size());
    strings_.append(name);
    strings_.push_back('\0');
    return offset;
  }
  void u32(std::uint32_t v) {
    const auto* p = reinterpret_cast<const std::byte*>(&v);
    types_.insert(types_.end(), p, p + 4);
  }

  std::uint32_t next_id_;
  std::uint32_t string_base_;
  std::vector<std::byte> types_;
  std::string strings_;
};

}  // namespace drydock::testing
