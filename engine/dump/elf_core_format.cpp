// ELF core dumps (QEMU dump-guest-memory, kdump's /proc/vmcore): each PT_LOAD
// with saved bytes is a physical range at p_paddr.

#include <algorithm>
#include <string>
#include <vector>

#include "engine/dump/detail/elf64.hpp"
#include "engine/dump/physical_memory.hpp"

namespace drydock {

namespace {

using detail::hex_range;

struct ElfRange {
  PhysicalRange range;
  std::uint64_t index = 0;  // program header index

  std::string describe() const {
    return "program header " + std::to_string(index) + " (PT_LOAD " + hex_range(range.start, range.end() - 1) + ")";
  }
};

}  // namespace

Result<DumpLayout> parse_elf_core(std::span<const std::byte> file, std::string_view name_view) {
  const std::string name(name_view);
  const std::uint64_t size = file.size();
  auto headers = detail::read_elf_core_headers(file, name);
  if (!headers) return headers.error();

  std::vector<ElfRange> found;
  std::size_t loads = 0;
  bool any_paddr = false;
  for (std::uint64_t i = 0; i < headers->phnum; ++i) {
    const detail::ElfProgramHeader ph = headers->at(file, i);
    if (ph.type != detail::kPtLoad) continue;
    ++loads;
    any_paddr = any_paddr || ph.paddr != 0;
    // p_memsz beyond p_filesz was not saved: only p_filesz bytes are readable.
    if (ph.filesz == 0) continue;
    const std::string where = name + ": ELF program header " + std::to_string(i) + " at offset " +
                              std::to_string(headers->phoff + i * detail::kElfPhdrSize);
    if (found.size() == kMaxDumpRanges) {
      return Error::of(where + ": more than " + std::to_string(kMaxDumpRanges) + " PT_LOAD ranges; refusing the file");
    }
    if (!detail::fits(ph.paddr, ph.filesz, kMaxPhysicalAddress)) {
      return Error::of(where + ": PT_LOAD at p_paddr " + detail::hex(ph.paddr) + " with " +
                       std::to_string(ph.filesz) + " bytes goes beyond the 52-bit physical address space");
    }
    if (!detail::fits(ph.offset, ph.filesz, size)) {
      return Error::of(where + ": PT_LOAD data (p_offset " + std::to_string(ph.offset) + ", p_filesz " +
                       std::to_string(ph.filesz) + ") runs past the end of the file (file is " +
                       std::to_string(size) + " bytes)");
    }
    found.push_back({{ph.paddr, ph.filesz, ph.offset}, i});
  }
  if (loads > 1 && !any_paddr) {
    return Error::of(name + ": every PT_LOAD has p_paddr 0: this looks like a process core dump, not a dump of "
                            "physical memory");
  }
  if (found.empty()) return Error::of(name + ": ELF core has no PT_LOAD segment with saved bytes");

  // By start, the larger first, so that a segment inside another follows it.
  std::stable_sort(found.begin(), found.end(), [](const ElfRange& a, const ElfRange& b) {
    return a.range.start != b.range.start ? a.range.start < b.range.start : a.range.size > b.range.size;
  });
  DumpLayout layout{DumpFormat::elf_core, {}};
  const ElfRange* last = nullptr;
  for (const ElfRange& r : found) {
    if (last != nullptr && r.range.start < last->range.end()) {
      // kdump's kernel-text PT_LOAD repeats bytes of the RAM PT_LOAD holding it.
      if (r.range.end() <= last->range.end()) continue;
      return Error::of(name + ": overlapping ELF " + last->describe() + " and " + r.describe());
    }
    layout.ranges.push_back(r.range);
    last = &r;
  }
  return layout;
}

}  // namespace drydock
