#pragma once
// Translates x86-64 virtual addresses to physical ones by walking the page
// tables saved in a dump, 4-level or 5-level, with 4 KiB, 2 MiB and 1 GiB pages.
//
// A walk touches at most one entry per level, so a page table that points at
// itself cannot make it loop. Faults say which address, which level and which
// entry stopped the walk.
//
// Thread safety: immutable; translate from any number of threads.
// Lifetime: holds a reference to the PhysicalMemory, which must outlive it.

#include <cstdint>
#include <span>
#include <string>

#include "engine/core/result.hpp"
#include "engine/dump/physical_memory.hpp"

namespace drydock {

enum class PagingMode { level4, level5 };

struct Translation {
  std::uint64_t physical = 0;
  std::uint64_t page_size = 0;  // 4096, 2 MiB or 1 GiB
};

class X86Translator {
 public:
  X86Translator(const PhysicalMemory& memory, std::uint64_t dtb, PagingMode mode)
      : memory_(&memory), dtb_(dtb & kAddressMask), mode_(mode) {}

  // The error names the virtual address, the paging level ("PML4", "PDPT",
  // "PD", "PT") and the entry, or the physical address that was not saved.
  Result<Translation> translate(std::uint64_t virtual_address) const;

  // Reads bytes at a virtual address, page by page. False if any byte is not
  // mapped or its page was not saved in the dump.
  bool read(std::uint64_t virtual_address, std::span<std::byte> out) const;

  std::uint64_t dtb() const { return dtb_; }
  PagingMode mode() const { return mode_; }
  const PhysicalMemory& memory() const { return *memory_; }

  static constexpr std::uint64_t kAddressMask = 0x000F'FFFF'FFFF'F000ULL;

 private:
  const PhysicalMemory* memory_;
  std::uint64_t dtb_;
  PagingMode mode_;
};

}  // namespace drydock
