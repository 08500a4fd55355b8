#pragma once
// One opened dump with its kernel found: the physical memory, the symbol
// table chosen for it, and the kernel's virtual address space. Every command
// starts from one.
//
// Ownership: the session owns the memory mapping and shares the symbol table.
// Thread safety: immutable after open; read from any number of threads.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "engine/core/result.hpp"
#include "engine/dump/physical_memory.hpp"
#include "engine/kernel/kernel_memory.hpp"
#include "engine/kernel/symbol_memo.hpp"
#include "engine/model/dump_model.hpp"
#include "symbols/lookup_recorder.hpp"

namespace drydock {

// Where a session's symbol table comes from.
enum class SymbolSource {
  isf,        // the ISFs of symbol_paths only (--symbols PATH)
  automatic,  // a matching ISF of symbol_paths if any, else the dump's own BTF and kallsyms (no --symbols, or auto)
  dump,       // the dump's own BTF and kallsyms (--symbols dump)
};

struct SessionOptions {
  std::vector<std::filesystem::path> symbol_paths;  // ISF files or directories
  SymbolSource symbol_source = SymbolSource::isf;
  OpenOptions open;  // open.recorder, when set, records the physical bytes read
  // When set, records the symbols and types the session looks up (the kernel
  // search included). For tools that cut samples (tests/tools/make_sample.cpp).
  std::shared_ptr<LookupRecorder> symbol_recorder = nullptr;
  // The on-disk cache of parsed ISFs (symbols/symbol_cache.hpp); empty: none.
  std::filesystem::path symbol_cache_dir = {};
  // Tables shared by the dumps of one run; null: each session loads its own.
  std::shared_ptr<SymbolMemo> memo = nullptr;
  // What this dump may keep in memory: its extraction's budget
  // (engine/core/memory_budget.hpp), less what holds its decompressed image
  // (up to half of it; OpenOptions::in_memory_limit), and the most a
  // decompressor may allocate for it (a zstd window, xz's dictionary). No
  // limit by default.
  std::uint64_t memory_budget = UINT64_MAX;
};

class DumpSession {
 public:
  // Opens the dump, picks the ISF whose banner it carries and locates the
  // kernel. Errors name the dump and say what to do.
  static Result<std::unique_ptr<DumpSession>> open(const std::filesystem::path& dump, const SessionOptions& options);

  const PhysicalMemory& physical() const { return *memory_; }
  const KernelMemory& kernel() const { return *kernel_; }
  const std::string& path() const { return path_; }

  // What `drydock info` prints: format, ranges, banner, shifts, DTB, and
  // init_task.comm read through the translation.
  DumpInfo describe() const;

 private:
  DumpSession() = default;
  // Builds (or loads from the cache) the tables from the dump's own BTF and
  // kallsyms, and the kernel memory on them.
  Status attach_dump_symbols(const SessionOptions& options);
  std::string path_;
  std::unique_ptr<PhysicalMemory> memory_;
  std::unique_ptr<KernelMemory> kernel_;
};

}  // namespace drydock
