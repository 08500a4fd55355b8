// BTF decoding (see btf.hpp). The layout is include/uapi/linux/btf.h's: a
// 24-byte header, then a type section of variable-length records and a string
// section of NUL-terminated names, both placed relative to the header's end.

#include "symbols/btf.hpp"

#include <cstdio>
#include <cstring>
#include <optional>
#include <utility>

namespace drydock {
namespace {

constexpr std::size_t kHeaderSize = 24;
constexpr std::size_t kTypeRecordSize = 12;

std::uint32_t u32_at(std::span<const std::byte> bytes, std::size_t offset) {
  std::uint32_t value = 0;
  std::memcpy(&value, bytes.data() + offset, 4);
  return value;
}

std::string hex(std::uint64_t value) {
  char text[24];
  std::snprintf(text, sizeof text, "0x%llx", static_cast<unsigned long long>(value));
  return text;
}

struct Header {
  std::uint32_t hdr_len = 0;
  std::uint32_t type_off = 0;
  std::uint32_t type_len = 0;
  std::uint32_t str_off = 0;
  std::uint32_t str_len = 0;
};

class Decoder {
 public:
  Decoder(std::span<const std::byte> blob, std::string name, const BtfTypes* base) : blob_(blob) {
    out_.name = std::move(name);
    out_.base = base;
  }

  Result<BtfTypes> decode() {
    if (blob_.size() < kHeaderSize) return fail(0, "shorter than a BTF header (" + std::to_string(blob_.size()) + " bytes)");
    if (blob_.size() > kMaxBtfBytes) return fail(0, "larger than " + std::to_string(kMaxBtfBytes) + " bytes");
    std::uint16_t magic = 0;
    std::memcpy(&magic, blob_.data(), 2);
    if (magic != kBtfMagic) return fail(0, "no BTF magic 0xeb9f (found " + hex(magic) + ")");
    if (std::to_integer<std::uint8_t>(blob_[2]) != 1) {
      return fail(2, "BTF version " + std::to_string(std::to_integer<int>(blob_[2])) + ", expected 1");
    }
    Header h{u32_at(blob_, 4), u32_at(blob_, 8), u32_at(blob_, 12), u32_at(blob_, 16), u32_at(blob_, 20)};
    if (h.hdr_len < kHeaderSize || h.hdr_len > blob_.size()) return fail(4, "header length " + std::to_string(h.hdr_len) + " is invalid");
    const std::uint64_t data_size = blob_.size() - h.hdr_len;
    if (std::uint64_t{h.type_off} + h.type_len > data_size) return fail(8, "type section runs past the blob's end");
    if (std::uint64_t{h.str_off} + h.str_len > data_size) return fail(16, "string section runs past the blob's end");
    if (h.type_off % 4 != 0) return fail(8, "type section is not 4-byte aligned");
    types_begin_ = h.hdr_len + std::size_t{h.type_off};
    types_end_ = types_begin_ + h.type_len;
    strings_begin_ = h.hdr_len + std::size_t{h.str_off};
    const auto* str = reinterpret_cast<const char*>(blob_.data() + strings_begin_);
    out_.strings = std::string_view(str, h.str_len);
    if (const BtfTypes* base = out_.base) {
      out_.first_id = base->end_id();
      out_.string_base = base->string_base + static_cast<std::uint32_t>(base->strings.size());
    } else if (h.str_len == 0 || out_.strings.front() != '\0') {
      return fail(strings_begin_, "string section does not start with an empty string");
    }
    if (h.str_len != 0 && out_.strings.back() != '\0') {
      return fail(strings_begin_ + h.str_len - 1, "string section does not end with a NUL");
    }
    if (!read_types()) return std::move(*error_);
    if (!check_references()) return std::move(*error_);
    return std::move(out_);
  }

 private:
  Error fail(std::size_t offset, const std::string& what) const {
    return Error::of(out_.name + ": BTF at offset " + hex(offset) + ": " + what);
  }
  bool fail_type(std::size_t offset, std::uint32_t id, const std::string& what) {
    error_ = fail(offset, "type id " + std::to_string(id) + ": " + what);
    return false;
  }

  // A name by its string offset (base strings below string_base).
  bool name_at(std::uint32_t offset, std::size_t at, std::uint32_t id, std::string_view& out) {
    const BtfTypes* owner = &out_;
    std::uint32_t relative = offset;
    if (offset < out_.string_base) {
      owner = out_.base;
      while (owner->base && offset < owner->string_base) owner = owner->base;
      relative = offset - owner->string_base;
    } else {
      relative = offset - out_.string_base;
    }
    if (relative >= owner->strings.size()) {
      return fail_type(at, id, "name offset " + std::to_string(offset) + " is past the string section");
    }
    const char* start = owner->strings.data() + relative;
    const void* nul = std::memchr(start, '\0', owner->strings.size() - relative);
    // Every section ends with a NUL (checked), so nul is never null.
    out = std::string_view(start, static_cast<std::size_t>(static_cast<const char*>(nul) - start));
    return true;
  }

  bool need(std::size_t at, std::size_t bytes, std::uint32_t id, std::string_view what) {
    if (bytes > types_end_ - at) return fail_type(at, id, std::string(what) + " runs past the type section");
    return true;
  }

  bool read_types() {
    std::size_t at = types_begin_;
    while (at < types_end_) {
      const std::uint32_t id = out_.first_id + static_cast<std::uint32_t>(out_.types.size());
      if (out_.types.size() >= kMaxBtfTypes) return fail_type(at, id, "more than " + std::to_string(kMaxBtfTypes) + " types");
      if (!need(at, kTypeRecordSize, id, "type record")) return false;
      const std::uint32_t info = u32_at(blob_, at + 4);
      BtfType t;
      const std::uint32_t raw_kind = (info >> 24) & 0x1f;
      if (raw_kind == 0 || raw_kind > static_cast<std::uint32_t>(BtfKind::enum64)) {
        return fail_type(at, id, "unknown kind " + std::to_string(raw_kind));
      }
      t.kind = static_cast<BtfKind>(raw_kind);
      t.kind_flag = (info >> 31) != 0;
      t.vlen = info & 0xffff;
      if (!name_at(u32_at(blob_, at), at, id, t.name)) return false;
      const std::uint32_t size_or_type = u32_at(blob_, at + 8);
      const std::size_t record = at;
      at += kTypeRecordSize;
      switch (t.kind) {
        case BtfKind::int_: {
          t.size = size_or_type;
          if (!need(at, 4, id, "INT data")) return false;
          const std::uint32_t data = u32_at(blob_, at);
          at += 4;
          t.int_encoding = static_cast<std::uint8_t>((data >> 24) & 0x0f);
          t.int_offset = static_cast<std::uint8_t>((data >> 16) & 0xff);
          t.int_bits = static_cast<std::uint8_t>(data & 0xff);
          if (t.size == 0 || t.size > 16 || t.int_bits > 128 || t.int_offset + t.int_bits > t.size * 8) {
            return fail_type(record, id, "INT of size " + std::to_string(t.size) + " with " + std::to_string(t.int_bits) + " bits at bit " + std::to_string(t.int_offset));
          }
          break;
        }
        case BtfKind::array:
          if (!need(at, 12, id, "ARRAY data")) return false;
          t.type = u32_at(blob_, at);
          t.index_type = u32_at(blob_, at + 4);
          t.count = u32_at(blob_, at + 8);
          at += 12;
          break;
        case BtfKind::struct_:
        case BtfKind::union_:
          t.size = size_or_type;
          if (!need(at, std::size_t{t.vlen} * 12, id, "member list")) return false;
          t.first = static_cast<std::uint32_t>(out_.members.size());
          for (std::uint32_t i = 0; i < t.vlen; ++i, at += 12) {
            BtfMember m;
            if (!name_at(u32_at(blob_, at), at, id, m.name)) return false;
            m.type = u32_at(blob_, at + 4);
            const std::uint32_t offset = u32_at(blob_, at + 8);
            if (t.kind_flag) {
              m.bitfield_size = static_cast<std::uint8_t>(offset >> 24);
              m.bit_offset = offset & 0xffffff;
            } else {
              m.bit_offset = offset;
            }
            out_.members.push_back(m);
          }
          break;
        case BtfKind::enum_:
          t.size = size_or_type;
          if (!need(at, std::size_t{t.vlen} * 8, id, "enumerator list")) return false;
          t.first = static_cast<std::uint32_t>(out_.enum_values.size());
          for (std::uint32_t i = 0; i < t.vlen; ++i, at += 8) {
            BtfEnumValue v;
            if (!name_at(u32_at(blob_, at), at, id, v.name)) return false;
            const std::uint32_t raw = u32_at(blob_, at + 4);
            v.value = t.kind_flag ? std::int64_t{static_cast<std::int32_t>(raw)} : std::int64_t{raw};
            out_.enum_values.push_back(v);
          }
          break;
        case BtfKind::enum64:
          t.size = size_or_type;
          if (!need(at, std::size_t{t.vlen} * 12, id, "enumerator list")) return false;
          t.first = static_cast<std::uint32_t>(out_.enum_values.size());
          for (std::uint32_t i = 0; i < t.vlen; ++i, at += 12) {
            BtfEnumValue v;
            if (!name_at(u32_at(blob_, at), at, id, v.name)) return false;
            const std::uint64_t raw = u32_at(blob_, at + 4) | (std::uint64_t{u32_at(blob_, at + 8)} << 32);
            v.value = static_cast<std::int64_t>(raw);
            out_.enum_values.push_back(v);
          }
          break;
        case BtfKind::func_proto:
          t.type = size_or_type;
          if (!need(at, std::size_t{t.vlen} * 8, id, "parameter list")) return false;
          t.first = static_cast<std::uint32_t>(out_.params.size());
          for (std::uint32_t i = 0; i < t.vlen; ++i, at += 8) {
            BtfParam p;
            if (!name_at(u32_at(blob_, at), at, id, p.name)) return false;
            p.type = u32_at(blob_, at + 4);
            out_.params.push_back(p);
          }
          break;
        case BtfKind::datasec:
          t.size = size_or_type;
          if (!need(at, std::size_t{t.vlen} * 12, id, "variable list")) return false;
          t.first = static_cast<std::uint32_t>(out_.params.size());
          for (std::uint32_t i = 0; i < t.vlen; ++i, at += 12) {
            out_.params.push_back(BtfParam{{}, u32_at(blob_, at), u32_at(blob_, at + 4), u32_at(blob_, at + 8)});
          }
          break;
        case BtfKind::var:
          t.type = size_or_type;
          if (!need(at, 4, id, "VAR data")) return false;
          t.component = u32_at(blob_, at);  // linkage
          at += 4;
          break;
        case BtfKind::decl_tag:
          t.type = size_or_type;
          if (!need(at, 4, id, "DECL_TAG data")) return false;
          t.component = u32_at(blob_, at);
          at += 4;
          break;
        case BtfKind::float_:
          t.size = size_or_type;
          if (t.size == 0 || t.size > 16) return fail_type(record, id, "FLOAT of size " + std::to_string(t.size));
          break;
        case BtfKind::fwd:
          break;
        default:  // PTR, TYPEDEF, VOLATILE, CONST, RESTRICT, FUNC, TYPE_TAG
          t.type = size_or_type;
          break;
      }
      out_.types.push_back(t);
    }
    return true;
  }

  // Every id a type names must exist (void, 0, only where C allows it).
  bool check_references() {
    const std::uint32_t end = out_.end_id();
    for (std::size_t i = 0; i < out_.types.size(); ++i) {
      const BtfType& t = out_.types[i];
      const std::uint32_t id = out_.first_id + static_cast<std::uint32_t>(i);
      auto bad = [&](std::uint32_t ref, std::string_view what) {
        return fail_type(types_begin_, id, std::string(what) + " refers to type id " + std::to_string(ref) + ", past the last (" + std::to_string(end - 1) + ")");
      };
      switch (t.kind) {
        case BtfKind::ptr: case BtfKind::typedef_: case BtfKind::volatile_: case BtfKind::const_:
        case BtfKind::restrict_: case BtfKind::func: case BtfKind::var: case BtfKind::decl_tag:
        case BtfKind::type_tag: case BtfKind::func_proto:
          if (t.type >= end) return bad(t.type, "the type");
          break;
        case BtfKind::array:
          if (t.type >= end) return bad(t.type, "the element type");
          if (t.index_type >= end) return bad(t.index_type, "the index type");
          break;
        default:
          break;
      }
      for (const BtfMember& m : out_.members_of(t)) {
        if (m.type >= end) return bad(m.type, "member '" + std::string(m.name) + "'");
      }
      for (const BtfParam& p : out_.params_of(t)) {
        if (p.type >= end) return bad(p.type, "a parameter or variable");
      }
    }
    return true;
  }

  std::span<const std::byte> blob_;
  BtfTypes out_;
  std::size_t types_begin_ = 0;
  std::size_t types_end_ = 0;
  std::size_t strings_begin_ = 0;
  std::optional<Error> error_;
};

}  // namespace

const BtfType* BtfTypes::find(std::uint32_t id) const {
  if (id >= first_id) {
    const std::uint32_t index = id - first_id;
    return index < types.size() ? &types[index] : nullptr;
  }
  return base ? base->find(id) : nullptr;
}

const BtfTypes& BtfTypes::owner_of(const BtfType& t) const {
  // A type of a base blob has its members, values and params there.
  const BtfTypes* owner = this;
  while (owner->base && (owner->types.empty() || &t < owner->types.data() ||
                         &t >= owner->types.data() + owner->types.size())) {
    owner = owner->base;
  }
  return *owner;
}

std::span<const BtfMember> BtfTypes::members_of(const BtfType& t) const {
  if (t.kind != BtfKind::struct_ && t.kind != BtfKind::union_) return {};
  return std::span<const BtfMember>(owner_of(t).members).subspan(t.first, t.vlen);
}

std::span<const BtfEnumValue> BtfTypes::values_of(const BtfType& t) const {
  if (t.kind != BtfKind::enum_ && t.kind != BtfKind::enum64) return {};
  return std::span<const BtfEnumValue>(owner_of(t).enum_values).subspan(t.first, t.vlen);
}

std::span<const BtfParam> BtfTypes::params_of(const BtfType& t) const {
  if (t.kind != BtfKind::func_proto && t.kind != BtfKind::datasec) return {};
  return std::span<const BtfParam>(owner_of(t).params).subspan(t.first, t.vlen);
}

Result<BtfTypes> decode_btf(std::span<const std::byte> blob, std::string name, const BtfTypes* base) {
  return Decoder(blob, std::move(name), base).decode();
}

}  // namespace drydock
