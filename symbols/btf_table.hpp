#pragma once
// Kernel symbol tables built from the kernel's own BTF type information and a
// list of symbol addresses (kallsyms read from a dump, a System.map, a
// vmlinux's symtab), without any ISF. The tables are the same compact ones the
// ISF loader fills (SymbolTable::Impl), shaped the way dwarf2json describes the
// same kernel, so every lookup above symbols/ works unchanged:
//   - typedefs and qualifiers are looked through, except that a typedef naming
//     a struct or union directly (`typedef struct {...} atomic_t`) is a user
//     type of its own under the typedef's name, as in dwarf2json's output;
//   - anonymous members are named unnamed_field_<n>, n counting them in order
//     (in hex);
//   - anonymous structs, unions and enums get deterministic names
//     ("unnamed_btf_<type id>");
//   - bitfields have the byte offset of their first bit, bit_position the bit
//     within that byte.
// Global variables have no BTF type (only per-CPU ones do): the ones drydock
// starts from get theirs from the globals table (symbols/kernel_globals.hpp).
//
// Pure functions over byte spans; the result owns copies of every string.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <span>
#include <string>

#include "engine/core/result.hpp"
#include "symbols/symbol_table.hpp"

namespace drydock {

// A symbol's link-time address (before KASLR), as an ISF records it.
struct KernelSymbolAddress {
  std::string name;
  std::uint64_t address = 0;
};

// A BTF blob: "vmlinux" or a module name; a module's blob is split BTF on top
// of vmlinux's (its type ids and string offsets continue after vmlinux's).
struct BtfBlob {
  std::string name;
  std::span<const std::byte> bytes;
};

// Builds the symbol table. `modules` may be empty. `banner` is linux_banner's
// text (the table's banner()); `source` names the table (its source()).
// Errors name the blob, the type id and what was wrong.
Result<std::shared_ptr<const SymbolTable>> table_from_btf(const BtfBlob& vmlinux, std::span<const BtfBlob> modules,
                                                          std::span<const KernelSymbolAddress> symbols,
                                                          std::optional<std::string> banner, std::string source);

// Finds a vmlinux BTF blob in a byte span by its 0xeB9F magic and a consistent
// header (version 1, hdr_len, type and string sections inside the span, the
// type section decodes); the span of the whole blob, or nullopt. Of several
// (BPF programs carry small BTF blobs of their own), the largest.
std::optional<std::span<const std::byte>> find_btf_blob(std::span<const std::byte> bytes);

}  // namespace drydock
