#pragma once
// Builds x86-64 page tables (4-level or 5-level) inside a PhysicalImageBuilder,
// for tests of the translator and of anything that reads virtual memory.
//
//   testing::PhysicalImageBuilder image;
//   testing::PageTableBuilder tables(image, /*root=*/0x10000, /*first_table=*/0x11000);
//   tables.map(0xffff888000000000, 0x0, testing::kPage1G);   // one 1 GiB page
//   tables.map(0xffffffff81000000, 0x2000000, testing::kPage2M);
//   X86Translator mmu(memory, tables.root(), PagingMode::level4);
//
// Intermediate tables are taken, one 4 KiB page each, from consecutive
// physical pages starting at `first_table`; the caller keeps that area free.
// Raw entries can be written with set_entry() to build broken tables
// (non-present entries, tables outside the dump, self-references).
//
// Header-only; throws std::logic_error on a mapping that contradicts an
// earlier one (a test bug, not a product condition).

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>

#include "support/dump_builder.hpp"

namespace drydock::testing {

inline constexpr std::uint64_t kPage4K = std::uint64_t{1} << 12;
inline constexpr std::uint64_t kPage2M = std::uint64_t{1} << 21;
inline constexpr std::uint64_t kPage1G = std::uint64_t{1} << 30;

// Page table entry bits.
inline constexpr std::uint64_t kPtePresent = 1ULL << 0;
inline constexpr std::uint64_t kPteWritable = 1ULL << 1;
inline constexpr std::uint64_t kPteLarge = 1ULL << 7;  // PS in PDPT/PD entries; PAT in PT entries
inline constexpr std::uint64_t kPteNoExecute = 1ULL << 63;
inline constexpr std::uint64_t kPteAddressMask = 0x000F'FFFF'FFFF'F000ULL;

class PageTableBuilder {
 public:
  // levels: 4 (PML4 at root) or 5 (PML5 at root).
  PageTableBuilder(PhysicalImageBuilder& image, std::uint64_t root, std::uint64_t first_table, int levels = 4)
      : image_(&image), root_(root), next_table_(first_table), levels_(levels) {
    if (levels != 4 && levels != 5) throw std::logic_error("PageTableBuilder: levels must be 4 or 5");
    image_->map(root_, kPage4K);
  }

  std::uint64_t root() const { return root_; }
  int levels() const { return levels_; }
  // The physical page the next intermediate table will take.
  std::uint64_t next_table() const { return next_table_; }

  // Maps one page of page_size (kPage4K, kPage2M or kPage1G) at `virtual_address`
  // to `physical`; both must be aligned to page_size. `flags` are added to
  // Present (and PS for large pages).
  void map(std::uint64_t virtual_address, std::uint64_t physical, std::uint64_t page_size,
           std::uint64_t flags = kPteWritable) {
    if (page_size != kPage4K && page_size != kPage2M && page_size != kPage1G) {
      throw std::logic_error("PageTableBuilder::map: page size must be 4 KiB, 2 MiB or 1 GiB");
    }
    if (virtual_address % page_size != 0 || physical % page_size != 0) {
      throw std::logic_error("PageTableBuilder::map: unaligned page");
    }
    const unsigned leaf_shift = page_size == kPage1G ? 30 : page_size == kPage2M ? 21 : 12;
    const std::uint64_t table = table_for(virtual_address, leaf_shift);
    const std::uint64_t leaf = physical | flags | kPtePresent | (leaf_shift != 12 ? kPteLarge : 0);
    set_entry(table, index_at(virtual_address, leaf_shift), leaf);
  }

  // Maps [virtual_address, virtual_address + size) with pages of page_size.
  void map_range(std::uint64_t virtual_address, std::uint64_t physical, std::uint64_t size, std::uint64_t page_size,
                 std::uint64_t flags = kPteWritable) {
    for (std::uint64_t done = 0; done < size; done += page_size) map(virtual_address + done, physical + done, page_size, flags);
  }

  // The physical address of the table that holds the entry for
  // `virtual_address` at the level whose index starts at bit `shift`
  // (48 PML5, 39 PML4, 30 PDPT, 21 PD, 12 PT), creating missing tables.
  std::uint64_t table_for(std::uint64_t virtual_address, unsigned shift) {
    std::uint64_t table = root_;
    for (unsigned level = top_shift(); level > shift; level -= 9) {
      const std::uint64_t index = index_at(virtual_address, level);
      auto it = entries_.find(entry_address(table, index));
      if (it == entries_.end()) {
        const std::uint64_t next = next_table_;
        next_table_ += kPage4K;
        image_->map(next, kPage4K);
        set_entry(table, index, next | kPteWritable | kPtePresent);
        table = next;
      } else {
        if ((it->second & kPtePresent) == 0 || (it->second & kPteLarge) != 0) {
          throw std::logic_error("PageTableBuilder: mapping crosses a large page or a non-present entry");
        }
        table = it->second & kPteAddressMask;
      }
    }
    return table;
  }

  // Writes a raw entry: table is a physical page address, index 0..511.
  void set_entry(std::uint64_t table, std::uint64_t index, std::uint64_t entry) {
    entries_[entry_address(table, index)] = entry;
    image_->write_u64(entry_address(table, index), entry);
  }

  static std::uint64_t index_at(std::uint64_t virtual_address, unsigned shift) {
    return (virtual_address >> shift) & 0x1ff;
  }
  static std::uint64_t entry_address(std::uint64_t table, std::uint64_t index) { return table + index * 8; }

 private:
  unsigned top_shift() const { return levels_ == 5 ? 48 : 39; }

  PhysicalImageBuilder* image_;
  std::uint64_t root_;
  std::uint64_t next_table_;
  int levels_;
  std::map<std::uint64_t, std::uint64_t> entries_;  // physical address of entry -> value
};

}  // namespace drydock::testing
