#pragma once
// Builds kallsyms tables (kernel/kallsyms.c layout) for tests and fuzz seeds:
// a token table whose tokens are the single characters plus a few
// multi-character ones, names encoded greedily with them, and addresses in a
// chosen format.

#include <cstdint>
#include <cstring>
#include <optional>
#include <string>
#include <vector>

#include "engine/kernel/kallsyms.hpp"

namespace drydock::testing {

struct BuiltKallsyms {
  std::vector<std::byte> names, token_table, token_index, addresses;
  std::uint64_t num_syms = 0;
  std::uint64_t addresses_at = 0;
  std::optional<std::uint64_t> relative_base;

  KallsymsTables tables() const {
    return KallsymsTables{names, token_table, token_index, num_syms, addresses, addresses_at, relative_base};
  }
};

struct SymbolSpec {
  char type;
  std::string name;
  std::uint64_t address;
};

inline void append_le(std::vector<std::byte>& out, std::uint64_t value, std::size_t size) {
  for (std::size_t i = 0; i < size; ++i) out.push_back(static_cast<std::byte>(value >> (8 * i)));
}

// Token i is the character i (with `printable`, only for printable i),
// except that tokens 1..3 are "_st", "ext" and
// "kernel_" (the kernel reuses unused byte values for multi-character tokens).
inline BuiltKallsyms build_kallsyms(const std::vector<SymbolSpec>& symbols, KallsymsNameLength length,
                                    KallsymsAddressing addressing, std::uint64_t relative_base = 0,
                                    std::uint64_t addresses_at = 0xffffffff82000000ULL, bool printable = false) {
  const std::vector<std::string> multi = {"_st", "ext", "kernel_"};
  std::vector<std::string> tokens(256);
  for (int i = 0; i < 256; ++i) tokens[i] = std::string(1, static_cast<char>(i));
  for (std::size_t i = 0; i < multi.size(); ++i) tokens[i + 1] = multi[i];
  tokens[0] = "?";  // never used by encoded names; keeps every token non-empty
  // As the kernel's: unprintable byte values hold printable multi-character tokens.
  for (int i = 0; i < 256 && printable; ++i) {
    if ((i < 0x20 || i > 0x7e) && (i == 0 || i > 3)) tokens[i] = "_" + std::string(1, static_cast<char>('a' + i % 26)) + "_";
  }
  BuiltKallsyms out;
  for (int i = 0; i < 256; ++i) {
    append_le(out.token_index, out.token_table.size(), 2);
    for (char c : tokens[i]) out.token_table.push_back(static_cast<std::byte>(c));
    out.token_table.push_back(std::byte{0});
  }
  for (const SymbolSpec& s : symbols) {
    const std::string text = std::string(1, s.type) + s.name;
    std::vector<std::byte> encoded;
    for (std::size_t at = 0; at < text.size();) {
      std::size_t used = 1;
      std::byte token = static_cast<std::byte>(static_cast<unsigned char>(text[at]));
      for (std::size_t m = 0; m < multi.size(); ++m) {
        if (text.compare(at, multi[m].size(), multi[m]) == 0) {
          token = static_cast<std::byte>(m + 1);
          used = multi[m].size();
          break;
        }
      }
      encoded.push_back(token);
      at += used;
    }
    if (length == KallsymsNameLength::two_byte && encoded.size() >= 0x80) {
      out.names.push_back(static_cast<std::byte>((encoded.size() & 0x7f) | 0x80));
      out.names.push_back(static_cast<std::byte>(encoded.size() >> 7));
    } else {
      out.names.push_back(static_cast<std::byte>(encoded.size()));
    }
    out.names.insert(out.names.end(), encoded.begin(), encoded.end());
  }
  out.num_syms = symbols.size();
  out.addresses_at = addresses_at;
  for (std::size_t i = 0; i < symbols.size(); ++i) {
    const std::uint64_t a = symbols[i].address;
    switch (addressing) {
      case KallsymsAddressing::absolute: append_le(out.addresses, a, 8); break;
      case KallsymsAddressing::relative_base: append_le(out.addresses, a - relative_base, 4); break;
      case KallsymsAddressing::relative_base_percpu:
        // Small (per-CPU) addresses are stored as themselves; others as -(a - base) - 1.
        append_le(out.addresses, a < 0x80000000ULL ? a : ~(a - relative_base), 4);
        break;
      case KallsymsAddressing::self_relative: append_le(out.addresses, a - (addresses_at + 4 * i), 4); break;
    }
  }
  if (addressing == KallsymsAddressing::relative_base || addressing == KallsymsAddressing::relative_base_percpu) {
    out.relative_base = relative_base;
  }
  return out;
}

// Pads `out` with zeros to a multiple of 8 bytes (scripts/kallsyms.c aligns every table).
inline void pad_to_8(std::vector<std::byte>& out) {
  while (out.size() % 8) out.push_back(std::byte{0});
}

inline void append_padded(std::vector<std::byte>& out, const std::vector<std::byte>& bytes) {
  out.insert(out.end(), bytes.begin(), bytes.end());
  pad_to_8(out);
}

// kallsyms_markers (u32) for one-byte name lengths: the offset of every 256th name.
inline std::vector<std::byte> kallsyms_markers(const std::vector<std::byte>& names) {
  std::vector<std::byte> out;
  std::size_t at = 0;
  for (std::size_t i = 0; at < names.size(); ++i) {
    if (i % 256 == 0) append_le(out, at, 4);
    at += 1 + std::to_integer<std::size_t>(names[at]);
  }
  return out;
}

// Appends `built` (one-byte name lengths) to `image` as the kernel lays the
// tables out, each 8-byte aligned: up to 6.3, the addresses, the relative
// base (when the addressing has one), the count, the names, the markers, the token table and
// index; with `modern` (6.4 on), the addresses and relative base after the
// token index instead. Returns the offset in `image` of the address array.
inline std::size_t lay_out_kallsyms(std::vector<std::byte>& image, const BuiltKallsyms& built, bool modern) {
  pad_to_8(image);
  std::vector<std::byte> base, count;
  append_le(base, built.relative_base.value_or(0), 8);
  append_le(count, built.num_syms, 4);
  std::size_t addresses = image.size();
  if (!modern) {
    append_padded(image, built.addresses);
    if (built.relative_base) append_padded(image, base);
  }
  append_padded(image, count);
  append_padded(image, built.names);
  append_padded(image, kallsyms_markers(built.names));
  append_padded(image, built.token_table);
  append_padded(image, built.token_index);
  if (modern) {
    addresses = image.size();
    append_padded(image, built.addresses);
    if (built.relative_base) append_padded(image, base);
  }
  return addresses;
}

}  // namespace drydock::testing
