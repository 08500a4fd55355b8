#pragma once
// What `drydock symbols build` needs from a vmlinux ELF file: its .BTF
// section, its symbol table and linux_banner's text. Pure function over the
// file's bytes (x86-64 ELF64, little-endian); every offset and size is checked
// against the file, and errors name the file and what was missing.

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/result.hpp"
#include "symbols/btf_table.hpp"

namespace drydock {

struct VmlinuxContents {
  std::span<const std::byte> btf;            // the .BTF section
  std::vector<KernelSymbolAddress> symbols;  // .symtab's named symbols, in order
};

Result<VmlinuxContents> read_vmlinux(std::span<const std::byte> file, std::string_view name);

// The NUL-terminated text at virtual address `address` in an allocated
// section of the ELF file (at most 1024 bytes); nullopt when no section holds it.
std::optional<std::string> read_vmlinux_string(std::span<const std::byte> file, std::uint64_t address);

}  // namespace drydock
