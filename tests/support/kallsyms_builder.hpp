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

// Token i is the character i, except that tokens 1..3 are "_st", "ext" and
// "kernel_" (the kernel reuses unused byte values for multi-character tokens).
inline BuiltKallsyms build_kallsyms(const std::vector<SymbolSpec>& symbols, KallsymsNameLength length,
                                    KallsymsAddressing addressing, std::uint64_t relative_base = 0,
                                    std::uint64_t addresses_at = 0xffffffff82000000ULL) {
  const std::vector<std::string> multi = {"_st", "ext", "kernel_"};
  std::vector<std::string> tokens(256);
  for (int i = 0; i < 256; ++i) tokens[i] = std::string(1, static_cast<char>(i));
  for (std::size_t i = 0; i < multi.size(); ++i) tokens[i + 1] = multi[i];
  tokens[0] = "?";  // never used by encoded names; keeps every token non-empty
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

}  // namespace drydock::testing
