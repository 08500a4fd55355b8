#pragma once
// Finds the running kernel in a dump: where its image lies in physical memory,
// how far KASLR moved it in virtual and physical address space, and the page
// tables it runs on.
//
// Method: the linux_banner string from the symbol table is looked for at the
// few physical positions the kernel's 2 MiB load alignment allows, then in all
// of memory. Its position gives the physical shift, and with it the physical
// address of init_top_pgt (the DTB). The virtual shift comes from the
// VMCOREINFO note the kernel keeps in memory (KERNELOFFSET) when there is one,
// else from trying each 2 MiB-aligned shift until linux_banner translates to
// where it was found. Either way the result is proved by reading linux_banner
// through the page tables.

#include <cstdint>
#include <optional>
#include <string>

#include "engine/core/result.hpp"
#include "engine/dump/physical_memory.hpp"
#include "engine/paging/x86_64_translator.hpp"
#include "symbols/symbol_table.hpp"

namespace drydock {

// The kernel's link-time base of its image mapping (__START_KERNEL_map).
inline constexpr std::uint64_t kStartKernelMap = 0xffffffff80000000ULL;
// The kernel image's physical load alignment: CONFIG_PHYSICAL_ALIGN is at
// least 2 MiB on x86-64, so the image lies at a multiple of it.
inline constexpr std::uint64_t kKernelLoadAlign = 2ULL << 20;

struct KernelLocation {
  std::string banner;
  std::uint64_t banner_physical = 0;
  // physical address of a kernel image symbol = link address - kStartKernelMap + physical_shift
  std::uint64_t physical_shift = 0;
  // runtime virtual address of a symbol = link address + virtual_shift
  std::uint64_t virtual_shift = 0;
  std::uint64_t dtb = 0;
  PagingMode mode = PagingMode::level4;
  std::string method;  // how the virtual shift was found: "vmcoreinfo" or "scan"
  std::optional<std::string> vmcoreinfo;  // the note's text when found
};

Result<KernelLocation> locate_kernel(const PhysicalMemory& memory, const SymbolTable& symbols);

// Parses "KEY=value" lines of a VMCOREINFO text; nullopt when the key is absent.
std::optional<std::string> vmcoreinfo_value(std::string_view text, std::string_view key);

}  // namespace drydock
