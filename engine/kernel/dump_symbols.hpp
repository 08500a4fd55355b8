#pragma once
// Symbol tables built from the dump itself, for kernels with BTF
// (CONFIG_DEBUG_INFO_BTF): no ISF needed.
//
//   * types: vmlinux's BTF, between __start_BTF and __stop_BTF (found through
//     kallsyms; else by the BTF header magic in the kernel image), plus the
//     split BTF of the modules drydock reads types of (overlay, bridge, veth),
//     taken from the kernel's `struct btf` objects in btf_idr (the module's
//     own btf_data pointer is cleared after load);
//   * symbols: kallsyms, at link-time addresses (the KASLR shift taken off
//     every symbol but the absolute per-CPU ones);
//   * then symbols/btf_table.hpp's table_from_btf.
//
// Tables are cached like ISF tables (symbols/symbol_cache.hpp), keyed by
// VMCOREINFO's BUILD-ID, so a second dump of the same build reads no BTF and
// decodes no kallsyms; without a BUILD-ID (before 5.9), by the banner and a
// SHA-256 of the vmlinux BTF (kallsyms decoded and BTF read, not parsed).
//
// Thread safety: none needed; reads the immutable PhysicalMemory only.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>

#include "engine/core/result.hpp"
#include "engine/dump/physical_memory.hpp"
#include "engine/kernel/kernel_finder.hpp"
#include "engine/kernel/symbol_memo.hpp"
#include "symbols/symbol_table.hpp"

namespace drydock {

struct DumpSymbols {
  std::shared_ptr<const SymbolTable> table;
  KernelLocation location;
  // What `info` prints: "from dump (BTF 5.3 MB, kallsyms 142,118 symbols)".
  std::string description;
};

// Locates the kernel (engine/kernel/kernel_finder.hpp) and builds its
// tables, or takes them from the run's memo (null: none) or from `cache_dir`
// (empty: no cache). Errors name what was looked for and where, and say how
// to give an ISF instead.
Result<DumpSymbols> symbols_from_dump(const PhysicalMemory& memory, const std::filesystem::path& cache_dir,
                                      SymbolMemo* memo = nullptr);

// The tables alone, from a located kernel; through the cache in `cache_dir`
// (empty: none) under the banner and the vmlinux BTF's SHA-256, for kernels
// whose VMCOREINFO has no BUILD-ID.
Result<DumpSymbols> build_symbols_from_dump(const PhysicalMemory& memory, const DumpKernel& kernel,
                                            const std::filesystem::path& cache_dir = {});

}  // namespace drydock
