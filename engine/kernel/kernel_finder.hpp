#pragma once
// Finds the running kernel in a dump with no symbol file: its VMCOREINFO
// gives the KASLR shift (KERNELOFFSET), the physical load base
// (NUMBER(phys_base)), the page table root (SYMBOL(init_top_pgt) or
// SYMBOL(swapper_pg_dir)), the paging mode and, since 6.0, where the
// kallsyms tables lie; kallsyms then names every symbol of the image.
//
// Method: VMCOREINFO from the ELF core's note when there is one, and the
// kernel's own copies in memory (probed at the two places a page holds them,
// then looked for in all of memory); of several, the one whose OSRELEASE
// agrees with the banner in memory. The kallsyms tables are read through the
// page tables and decoded (engine/kernel/kallsyms.hpp) with `_stext` from
// VMCOREINFO as the known address; when VMCOREINFO does not name them
// (before 6.0) they are found by structure in the kernel image
// (engine/kernel/kallsyms_locator.hpp), with `_stext` or the banner found
// there as the known address. The result is proved the way the ISF
// path proves it: linux_banner, at the address kallsyms gives it, reads back
// through the page tables as a Linux banner of VMCOREINFO's release.
// Without VMCOREINFO (kernels built without CONFIG_CRASH_CORE, or its page
// overwritten), the banner in memory and the kallsyms tables around it place
// the kernel; see find_kernel_without_vmcoreinfo.
//
// Thread safety: none needed; reads the immutable PhysicalMemory only.

#include <optional>
#include <string>
#include <vector>

#include "engine/core/result.hpp"
#include "engine/dump/physical_memory.hpp"
#include "engine/kernel/kallsyms.hpp"
#include "engine/kernel/kernel_locator.hpp"
#include "engine/kernel/vmcoreinfo.hpp"
#include "engine/paging/x86_64_translator.hpp"

namespace drydock {

struct DumpKernel {
  KernelLocation location;  // method "vmcoreinfo"
  VmcoreInfo vmcoreinfo;
  std::string vmcoreinfo_source;  // "ELF note", "memory at 0x..."
  Kallsyms kallsyms;              // runtime addresses

  // Runtime address of a kallsyms symbol (the first of that name).
  std::optional<std::uint64_t> symbol(std::string_view name) const;
};

inline constexpr std::size_t kMaxVmcoreinfoCopies = 8;

// The copies of VMCOREINFO in the dump, at most max_copies: the ELF note
// first, then those in memory in address order (with the place each was
// found). The memory is probed through the file: nothing is mapped.
std::vector<std::pair<VmcoreInfo, std::string>> find_vmcoreinfo_copies(const PhysicalMemory& memory,
                                                                      std::size_t max_copies);

// The kernels VMCOREINFO describes, the most trusted first: each with its
// shifts, page table root and paging mode (location.banner still empty).
// Errors name what was looked for and where, and say how to give an ISF instead.
struct VmcoreinfoKernel {
  VmcoreInfo info;
  std::string where;
  KernelLocation location;
};
Result<std::vector<VmcoreinfoKernel>> kernels_from_vmcoreinfo(const PhysicalMemory& memory,
                                                               std::size_t max_copies = kMaxVmcoreinfoCopies);

// The proof: linux_banner at runtime address `banner_address` reads back
// through location's page tables as a Linux banner of `release`. Fills
// location.banner and banner_physical; the error says what did not hold.
Status prove_banner(const PhysicalMemory& memory, KernelLocation& location, std::uint64_t banner_address,
                    std::string_view release);

// Finds the kernel and decodes its kallsyms: with the first VMCOREINFO copy
// found, else with all of them, else without VMCOREINFO. Errors name what
// was looked for and where, and say how to give an ISF instead.
Result<DumpKernel> find_kernel_without_symbols(const PhysicalMemory& memory);
// The same, given what kernels_from_vmcoreinfo(memory, 1) returned (a
// caller that already looked saves a probe of the whole dump).
Result<DumpKernel> find_kernel_without_symbols(const PhysicalMemory& memory,
                                               Result<std::vector<VmcoreinfoKernel>> first_copy);

// The kernel of a dump with no usable VMCOREINFO: each place a Linux banner
// lies (at most 8 a banner) is taken for linux_banner in turn; the kallsyms
// tables are looked for by structure in the physical memory around it (32
// MiB before its 2 MiB block to 64 MiB after it); each reading of them
// (name lengths, addressing) names init_top_pgt, the page table root, and
// is kept only if, through those page tables, linux_banner reads back as
// the banner found, _text lies 2 MiB-aligned in the image mapping where
// kallsyms puts it, and init_task holds the comm "swapper/0". The shifts
// follow: the virtual one from _text (linked at 0xffffffff81000000), the
// physical base from where the banner lies. Bounded: at most 4 banner
// texts, 8 places each, 32 candidates a place, 64 name decodings in all.
// location.method is "kallsyms";
// vmcoreinfo holds only the banner's release.
Result<DumpKernel> find_kernel_without_vmcoreinfo(const PhysicalMemory& memory);
// The same over given copies (the first that decodes and proves out).
Result<DumpKernel> kernel_from_copies(const PhysicalMemory& memory, std::vector<VmcoreinfoKernel>& kernels);

// Reads a little-endian u64 at a kernel virtual address.
std::optional<std::uint64_t> read_virtual_u64(const X86Translator& mmu, std::uint64_t address);

// How to do without: the hint every error of the dump's own tables ends with.
extern const std::string_view kGiveIsfInstead;

}  // namespace drydock
