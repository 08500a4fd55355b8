#pragma once
// An inode's bytes as the kernel's page cache holds them: the pages of its
// address_space (inode.i_mapping) found through address_space.i_pages, read
// from the physical frames their struct page (or folio) names.
//
// Index structures, chosen by the type of address_space.i_pages in the
// symbol table (kernel_layout.hpp, PageCacheLayout):
//   - XArray (4.20+): xa_head, xa_node.shift/slots. Internal entries have the
//     low bits 10: a node (above 4096), a sibling (a multi-index folio's
//     other slots, below 256) or a retry/zero entry. Value entries (low bit
//     1) are shadow or swap entries: the page is not in memory, a hole.
//   - radix tree (before 4.20: radix_tree_root.rnode, radix_tree_node):
//     internal nodes have the low bit 1, exceptional (shadow) entries bit 1
//     (value 2); multi-order siblings are not followed (a hole and an issue).
// A page pointer becomes a physical frame through the struct page array
// (vmemmap): pfn = (page - vmemmap_base) / sizeof(struct page), vmemmap_base
// read from the kernel's `vmemmap_base` variable (KASLR memory randomisation)
// or the x86-64 default for the paging mode. A large folio's head page is
// found at its first index and its sibling slots; each index reads
// head_pfn + (index - folio index). A page is trusted only when its
// `mapping` is this address_space and its `index` the expected one (a freed
// and reused frame fails this, and is a hole with an issue).
//
// Holes are never zeros: the result lists the extents that were in memory,
// and how many of the file's bytes that is.
//
// Bounds: max_bytes of the file (the rest is `truncated`), max_nodes index
// nodes (each visited once: a loop stops there), kMaxIndexDepth levels; the
// bytes are charged to the dump's memory budget. Every read is checked.
//
// Thread safety: a pure function of the kernel memory; call from any thread.

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "engine/core/result.hpp"
#include "engine/kernel/kernel_layout.hpp"
#include "engine/kernel/kernel_memory.hpp"

namespace drydock {

// Bytes of a file found in memory, starting at `offset`.
struct PageCacheExtent {
  std::uint64_t offset = 0;
  std::vector<std::byte> bytes;
  std::uint64_t end() const { return offset + bytes.size(); }
};

struct PageCacheContent {
  std::int64_t file_size = 0;        // i_size of the inode
  std::uint64_t bytes_in_memory = 0; // bytes of [0, file_size) whose page was in memory
  std::uint64_t pages_in_memory = 0;
  bool truncated = false;            // the file is larger than max_bytes: only its start was read
  std::vector<PageCacheExtent> extents;  // sorted, not overlapping, adjacent ones merged; empty when !want_bytes
  std::vector<std::string> issues;   // pages that could not be trusted or read, index nodes unreadable
  // Every byte of the file was in memory (then `extents` is one piece, or none for an empty file).
  bool complete() const { return !truncated && bytes_in_memory == static_cast<std::uint64_t>(file_size); }
};

struct PageCacheOptions {
  std::uint64_t max_bytes = std::uint64_t{256} << 20;  // of one file
  std::size_t max_nodes = 1u << 16;                    // index nodes of one file
  std::size_t max_issues = 16;
  bool want_bytes = true;  // false: count the pages in memory, keep no bytes
  // Charge the bytes kept to the dump's memory budget (read_page_cache). A
  // caller that holds one file at a time and drops it (hashing, extraction)
  // may turn this off: max_bytes then bounds what it holds.
  bool charge_budget = true;
};

// What the reader needs of the dump: kernel virtual reads (the index, struct
// page) and physical reads (the frames). Both say whether every byte was read.
struct PageCacheSource {
  std::function<bool(std::uint64_t address, std::span<std::byte> out)> read_virtual;
  std::function<bool(std::uint64_t address, std::span<std::byte> out)> read_physical;
  std::uint64_t vmemmap_base = 0;
};

// The pages of the address_space at `mapping` for a file of `file_size`
// bytes. Fails (with the reason) only when the layout lacks the members or the
// index root is unreadable; pages that cannot be read are holes and issues.
Result<PageCacheContent> read_mapping(const PageCacheLayout& layout, const PageCacheSource& source,
                                      std::uint64_t mapping, std::int64_t file_size,
                                      const PageCacheOptions& options = {});

// The same for the inode at `inode` (its i_mapping and i_size) in a located kernel.
Result<PageCacheContent> read_page_cache(const KernelMemory& kernel, std::uint64_t inode,
                                         const PageCacheOptions& options = {});

// Where the struct page array starts in this kernel: the `vmemmap_base`
// variable when the kernel has it, else the x86-64 default of its paging mode.
std::optional<std::uint64_t> vmemmap_base(const KernelMemory& kernel);

}  // namespace drydock
