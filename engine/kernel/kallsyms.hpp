#pragma once
// The kernel's compressed symbol table (kallsyms, kernel/kallsyms.c and
// scripts/kallsyms.c), decoded from its arrays as they lie in memory:
//
//   kallsyms_names        per symbol: a length, then that many token indexes
//                         (the first expanded character is the symbol type)
//   kallsyms_token_table  256 NUL-terminated token strings, back to back
//   kallsyms_token_index  256 u16 offsets of each token in the token table
//   kallsyms_num_syms     the symbol count (u32 since 4.20, unsigned long before)
//   kallsyms_addresses    u64 per symbol (absolute addresses)
//   kallsyms_offsets      s32 per symbol, with kallsyms_relative_base
//
// Formats in use, and how the decoder tells them apart (by which one gives a
// known address, never by the kernel version alone):
//   * name lengths: one byte; since 6.1 (73bbb94466fd) a length of 128 or
//     more takes two bytes (low 7 bits first, high bit set on the first).
//   * addresses: absolute (CONFIG_KALLSYMS_BASE_RELATIVE off, gone in 6.11);
//     offsets from kallsyms_relative_base (4.6 to 6.14), with absolute per-CPU
//     symbols when CONFIG_KALLSYMS_ABSOLUTE_PERCPU (a negative offset o means
//     relative_base - 1 - o, a positive one is the address itself); offsets
//     from each entry's own location (7.0: address = &offsets[i] + offsets[i]).
//   * kallsyms_seqs_of_names (6.2+) only sorts names for lookups; decoding in
//     table order does not need it.
//
// Pure: every function reads only the spans it is given and is bounded
// (symbol count, name and token lengths); hostile bytes give an Error.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/result.hpp"

namespace drydock {

inline constexpr std::uint64_t kMaxKallsymsSymbols = 4u << 20;  // vmlinux has ~150,000
inline constexpr std::size_t kMaxKallsymsName = 512;            // KSYM_NAME_LEN since 6.1 (128 before)

enum class KallsymsNameLength { one_byte, two_byte };
enum class KallsymsAddressing { absolute, relative_base, relative_base_percpu, self_relative };
std::string_view to_string(KallsymsAddressing addressing);

struct KallsymsTables {
  std::span<const std::byte> names;        // from kallsyms_names on; may run past the table's end
  std::span<const std::byte> token_table;  // from kallsyms_token_table on
  std::span<const std::byte> token_index;  // 256 little-endian u16
  std::uint64_t num_syms = 0;
  std::span<const std::byte> addresses;    // kallsyms_offsets or kallsyms_addresses, from its start
  std::uint64_t addresses_at = 0;          // runtime virtual address of that array (self-relative offsets)
  std::optional<std::uint64_t> relative_base;  // kallsyms_relative_base's value, when the kernel has one
};

struct KallsymsSymbol {
  std::string name;
  char type = '?';            // 'T', 't', 'D', 'd', 'B', 'R', 'A', ...
  std::uint64_t address = 0;  // runtime virtual address (after KASLR)
};

struct KnownAddress {
  std::string_view name;
  std::uint64_t address = 0;  // runtime
};

struct Kallsyms {
  std::vector<KallsymsSymbol> symbols;  // in table order (sorted by address)
  KallsymsNameLength name_length = KallsymsNameLength::one_byte;
  KallsymsAddressing addressing = KallsymsAddressing::relative_base;
  std::size_t names_size = 0;  // bytes of kallsyms_names used
};

struct KallsymsName {
  char type = '?';
  std::string name;
};

// The names, in table order. Fails on a token index or length that runs
// outside its span, an empty or over-long name, or a count above the bound.
Result<std::vector<KallsymsName>> decode_kallsyms_names(std::span<const std::byte> names,
                                                        std::span<const std::byte> token_table,
                                                        std::span<const std::byte> token_index,
                                                        std::uint64_t num_syms, KallsymsNameLength length,
                                                        std::size_t* names_size = nullptr);

// The address of symbol `index` under one addressing; nullopt when the array
// is too short or the addressing needs a relative base it was not given.
std::optional<std::uint64_t> kallsyms_address(const KallsymsTables& tables, KallsymsAddressing addressing,
                                              std::uint64_t index);

// Decodes names and addresses, trying each name-length and addressing format
// and keeping the first that reproduces every `known` address that names a
// symbol (at least one must be found). The error lists what was tried.
Result<Kallsyms> decode_kallsyms(const KallsymsTables& tables, std::span<const KnownAddress> known);

}  // namespace drydock
