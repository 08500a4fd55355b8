#pragma once
// The BTF (BPF Type Format) decoder: a pure function from a blob's bytes to
// its types, as the kernel lays them out (include/uapi/linux/btf.h). Base BTF
// (vmlinux) and split BTF (a module's, whose type ids and string offsets
// continue after its base's) are both read. Every count, offset and size is
// checked against the blob and bounded; errors name the blob and the byte
// offset (and type id) where decoding stopped.
//
// Ownership: a BtfTypes holds views into the blob's string section (and, for
// split BTF, its base's); the blobs must outlive it. Immutable once decoded.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/result.hpp"

namespace drydock {

enum class BtfKind : std::uint8_t {
  void_ = 0,
  int_ = 1,
  ptr = 2,
  array = 3,
  struct_ = 4,
  union_ = 5,
  enum_ = 6,
  fwd = 7,
  typedef_ = 8,
  volatile_ = 9,
  const_ = 10,
  restrict_ = 11,
  func = 12,
  func_proto = 13,
  var = 14,
  datasec = 15,
  float_ = 16,
  decl_tag = 17,
  type_tag = 18,
  enum64 = 19,
};

inline constexpr std::uint16_t kBtfMagic = 0xeB9F;

// BTF_INT_ENCODING bits.
inline constexpr std::uint8_t kBtfIntSigned = 1;
inline constexpr std::uint8_t kBtfIntChar = 2;
inline constexpr std::uint8_t kBtfIntBool = 4;

struct BtfMember {
  std::string_view name;      // empty for an anonymous member
  std::uint32_t type = 0;
  std::uint32_t bit_offset = 0;
  std::uint8_t bitfield_size = 0;  // 0 unless the struct's kind_flag says so
};

struct BtfEnumValue {
  std::string_view name;
  std::int64_t value = 0;  // ENUM values sign- or zero-extended by kind_flag; ENUM64 bit pattern
};

// A FUNC_PROTO parameter, or a DATASEC's variable (type, offset, size).
struct BtfParam {
  std::string_view name;
  std::uint32_t type = 0;
  std::uint32_t offset = 0;  // DATASEC only
  std::uint32_t size = 0;    // DATASEC only
};

struct BtfType {
  BtfKind kind = BtfKind::void_;
  bool kind_flag = false;
  std::string_view name;
  // INT, STRUCT, UNION, ENUM, ENUM64, FLOAT, DATASEC: size in bytes.
  std::uint32_t size = 0;
  // PTR, TYPEDEF, qualifiers, TYPE_TAG, DECL_TAG, FUNC, VAR: the type referred
  // to; FUNC_PROTO: the return type; ARRAY: the element type.
  std::uint32_t type = 0;
  // INT: encoding bits, bit offset and width; ARRAY: element count and index
  // type; DECL_TAG: component index; VAR and FUNC: linkage.
  std::uint8_t int_encoding = 0;
  std::uint8_t int_offset = 0;
  std::uint8_t int_bits = 0;
  std::uint32_t count = 0;
  std::uint32_t index_type = 0;
  std::uint32_t component = 0;
  // Members (STRUCT, UNION), values (ENUM, ENUM64), params (FUNC_PROTO,
  // DATASEC): a range of BtfTypes' vectors.
  std::uint32_t first = 0;
  std::uint32_t vlen = 0;
};

struct BtfTypes {
  std::string name;            // the blob's name, for errors
  std::uint32_t first_id = 1;  // id of types[0] (1 for base BTF)
  std::vector<BtfType> types;
  std::vector<BtfMember> members;
  std::vector<BtfEnumValue> enum_values;
  std::vector<BtfParam> params;
  const BtfTypes* base = nullptr;  // split BTF: the base it continues

  // The type with id `id` (in this blob or its base); nullptr for void (0)
  // and ids past the end.
  const BtfType* find(std::uint32_t id) const;
  // One past the last id this blob (with its base) defines.
  std::uint32_t end_id() const { return first_id + static_cast<std::uint32_t>(types.size()); }
  std::span<const BtfMember> members_of(const BtfType& t) const;
  std::span<const BtfEnumValue> values_of(const BtfType& t) const;
  std::span<const BtfParam> params_of(const BtfType& t) const;
  // The blob (this one or a base) whose vectors hold t's ranges.
  const BtfTypes& owner_of(const BtfType& t) const;
  // The string section's bytes, for split BTF's offsets past it.
  std::string_view strings;
  std::uint32_t string_base = 0;  // base's string section length (split BTF)
};

// Limits on what a blob may declare: far above any real kernel (a 6.x
// vmlinux has about 150,000 types and 5 MB of BTF).
inline constexpr std::size_t kMaxBtfBytes = 256u << 20;
inline constexpr std::uint32_t kMaxBtfTypes = 4u << 20;

// Decodes a blob. `base` is null for vmlinux BTF; for split BTF it is the
// decoded base, which must outlive the result. References between types are
// checked (every id a type names exists).
Result<BtfTypes> decode_btf(std::span<const std::byte> blob, std::string name, const BtfTypes* base = nullptr);

}  // namespace drydock
