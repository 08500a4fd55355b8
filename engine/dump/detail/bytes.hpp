#pragma once
// Internal helpers shared by the dump format decoders: bounds-checked
// little-endian loads and address formatting. Not part of the dump facade.

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <span>
#include <string>

namespace drydock::detail {

// Loads a little-endian integer at `offset`. Precondition: the caller checked
// that offset + sizeof(T) <= bytes.size(). x86-64 hosts only (little-endian).
template <typename T>
T load_le(std::span<const std::byte> bytes, std::uint64_t offset) {
  T value;
  std::memcpy(&value, bytes.data() + offset, sizeof(T));
  return value;
}

// True if [offset, offset + size) lies inside a buffer of `total` bytes, without overflow.
inline bool fits(std::uint64_t offset, std::uint64_t size, std::uint64_t total) {
  return offset <= total && size <= total - offset;
}

inline std::string hex(std::uint64_t value) {
  char text[19];
  std::snprintf(text, sizeof text, "0x%llx", static_cast<unsigned long long>(value));
  return text;
}

// "0x1000-0x1fff": a range given by its first and last (inclusive) address.
inline std::string hex_range(std::uint64_t first, std::uint64_t last) { return hex(first) + "-" + hex(last); }

}  // namespace drydock::detail
