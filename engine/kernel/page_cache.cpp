#include "engine/kernel/page_cache.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <unordered_set>

#include <fmt/format.h>

namespace drydock {
namespace {

constexpr std::uint64_t kPageSize = 4096;
constexpr unsigned kPageShift = 12;
// 64-bit indexes in 6-bit (or wider) steps: no real index is deeper.
constexpr std::size_t kMaxIndexDepth = 12;
// x86-64 defaults of vmemmap without KASLR memory randomisation.
constexpr std::uint64_t kVmemmapLevel4 = 0xffffea0000000000ull;
constexpr std::uint64_t kVmemmapLevel5 = 0xffd4000000000000ull;

// What one index slot holds, decoded from its raw value (a pure function).
enum class SlotKind { empty, page, node, sibling, hole, retry };
struct Slot {
  SlotKind kind = SlotKind::empty;
  std::uint64_t pointer = 0;   // page or node address
  unsigned sibling_of = 0;     // the canonical slot of a sibling entry
};

Slot decode_xarray(std::uint64_t entry) {
  if (entry == 0) return {};
  if (entry & 1) return {SlotKind::hole};  // value entry: shadow of an evicted page, or swap
  if ((entry & 3) == 2) {
    if (entry > 4096) return {SlotKind::node, entry - 2};
    const std::uint64_t value = entry >> 2;
    if (value < 256) return {SlotKind::sibling, 0, static_cast<unsigned>(value)};
    return {SlotKind::retry};  // retry (256) or zero (257) entries: nothing stored
  }
  return {SlotKind::page, entry};
}

Slot decode_radix(std::uint64_t entry) {
  if (entry == 0) return {};
  if (entry & 1) return {SlotKind::node, entry & ~std::uint64_t{1}};
  if (entry & 2) return {SlotKind::hole};  // exceptional entry: shadow or swap
  return {SlotKind::page, entry};
}

class MappingReader {
 public:
  MappingReader(const PageCacheLayout& l, const PageCacheSource& s, std::uint64_t mapping,
                std::uint64_t last_index, const PageCacheOptions& o, PageCacheContent& out)
      : l_(l), s_(s), mapping_(mapping), last_index_(last_index), o_(o), out_(out) {}

  void run(std::uint64_t root) {
    const Slot top = decode(root);
    if (top.kind == SlotKind::node) {
      walk_node(top.pointer, 0, 0);
    } else if (top.kind == SlotKind::page) {
      take(top.pointer, 0, 1, 0);  // a lone entry at index 0
    }
  }

 private:
  Slot decode(std::uint64_t entry) const {
    return l_.index == PageIndexKind::xarray ? decode_xarray(entry) : decode_radix(entry);
  }

  void issue(std::string text) {
    if (out_.issues.size() < o_.max_issues) {
      out_.issues.push_back(std::move(text));
    } else if (out_.issues.size() == o_.max_issues) {
      out_.issues.push_back("more page cache issues not listed");
    }
  }

  void walk_node(std::uint64_t node, std::uint64_t base, std::size_t depth) {
    if (depth >= kMaxIndexDepth) return issue(fmt::format("index node {:#x} deeper than {} levels", node, depth));
    if (!visited_.insert(node).second) return issue(fmt::format("index node {:#x} reached twice (loop)", node));
    if (visited_.size() > o_.max_nodes) return issue(fmt::format("more than {} index nodes, stopped", o_.max_nodes));
    std::array<std::byte, 1> shift_raw{};
    std::vector<std::byte> slots_raw(std::size_t{l_.node_slot_count} * 8);
    if (!s_.read_virtual(node + *l_.node_shift, shift_raw) || !s_.read_virtual(node + *l_.node_slots, slots_raw)) {
      return issue(fmt::format("index node {:#x} unreadable", node));
    }
    const unsigned shift = static_cast<unsigned>(shift_raw[0]);
    // Slots of a node cover 2^shift indexes each; 64 of them must fit in 64 bits.
    if (shift > 57) return issue(fmt::format("index node {:#x}: shift {} impossible", node, shift));
    const std::uint64_t span = std::uint64_t{1} << shift;
    std::vector<std::uint64_t> entries(l_.node_slot_count);
    std::memcpy(entries.data(), slots_raw.data(), slots_raw.size());
    for (unsigned i = 0; i < entries.size(); ++i) {
      const std::uint64_t start = base + i * span;
      if (start > last_index_) break;
      Slot slot = decode(entries[i]);
      std::uint64_t head_start = start;
      if (slot.kind == SlotKind::sibling) {
        if (l_.index != PageIndexKind::xarray || slot.sibling_of >= i) {
          issue(fmt::format("index node {:#x} slot {}: sibling entry not followed", node, i));
          continue;
        }
        head_start = base + slot.sibling_of * span;
        slot = decode(entries[slot.sibling_of]);
        if (slot.kind != SlotKind::page) continue;
      }
      if (slot.kind == SlotKind::node) {
        if (shift == 0) {
          issue(fmt::format("index node {:#x} slot {}: a node below the last level", node, i));
          continue;
        }
        walk_node(slot.pointer, start, depth + 1);
      } else if (slot.kind == SlotKind::page) {
        take(slot.pointer, start, span, head_start);
      }
    }
  }

  // Reads the frames of indexes [start, start + span) of the folio whose head
  // page `page` sits at index `head_start`.
  void take(std::uint64_t page, std::uint64_t start, std::uint64_t span, std::uint64_t head_start) {
    if (page < s_.vmemmap_base || (page - s_.vmemmap_base) % l_.page_size != 0) {
      return issue(fmt::format("page {:#x} at index {} is not in the struct page array", page, start));
    }
    if (!verified_.contains(page)) {
      const auto mapping = value_at(page + *l_.page_mapping);
      const auto index = value_at(page + *l_.page_index);
      if (!mapping || !index) return issue(fmt::format("page {:#x} at index {} unreadable", page, start));
      if (*mapping != mapping_ || *index != head_start) {
        return issue(fmt::format("page {:#x} at index {} belongs to mapping {:#x} index {} (reused): a hole", page,
                                 start, *mapping, *index));
      }
      verified_.insert(page);
    }
    const std::uint64_t head_pfn = (page - s_.vmemmap_base) / l_.page_size;
    for (std::uint64_t index = start; index < start + span && index <= last_index_; ++index) {
      // The walk goes left to right: an index not past the last one taken is
      // a hostile index naming a page twice.
      if (taken_any_ && index <= last_taken_) {
        issue(fmt::format("index {} reached twice, not read again", index));
        continue;
      }
      taken_any_ = true;
      last_taken_ = index;
      const std::uint64_t pfn = head_pfn + (index - head_start);
      const std::uint64_t offset = index * kPageSize;
      const std::uint64_t length = std::min<std::uint64_t>(kPageSize, limit_ - offset);
      if (o_.want_bytes) {
        std::vector<std::byte> bytes(length);
        if (!s_.read_physical(pfn << kPageShift, bytes)) {
          issue(fmt::format("frame {:#x} of index {} not in the dump", pfn << kPageShift, index));
          continue;
        }
        add_extent(offset, std::move(bytes));
      }
      out_.bytes_in_memory += length;
      ++out_.pages_in_memory;
    }
  }

  std::optional<std::uint64_t> value_at(std::uint64_t address) const {
    std::array<std::byte, 8> raw{};
    if (!s_.read_virtual(address, raw)) return std::nullopt;
    std::uint64_t v = 0;
    std::memcpy(&v, raw.data(), 8);
    return v;
  }

  void add_extent(std::uint64_t offset, std::vector<std::byte> bytes) {
    // Pages arrive in index order (the walk goes left to right), so merging
    // with the last extent is enough.
    if (!out_.extents.empty() && out_.extents.back().end() == offset) {
      auto& last = out_.extents.back().bytes;
      last.insert(last.end(), bytes.begin(), bytes.end());
    } else {
      out_.extents.push_back({offset, std::move(bytes)});
    }
  }

 public:
  std::uint64_t limit_ = 0;  // bytes of the file considered

 private:
  const PageCacheLayout& l_;
  const PageCacheSource& s_;
  std::uint64_t mapping_;
  std::uint64_t last_index_;
  const PageCacheOptions& o_;
  PageCacheContent& out_;
  std::unordered_set<std::uint64_t> visited_;
  std::unordered_set<std::uint64_t> verified_;
  bool taken_any_ = false;
  std::uint64_t last_taken_ = 0;
};

}  // namespace

Result<PageCacheContent> read_mapping(const PageCacheLayout& l, const PageCacheSource& source, std::uint64_t mapping,
                                      std::int64_t file_size, const PageCacheOptions& options) {
  if (!l.missing.empty() || l.index == PageIndexKind::none || !l.pages_root) {
    std::string names;
    for (const std::string& m : l.missing) names += (names.empty() ? "" : ", ") + m;
    return Error::of(fmt::format("page cache: the symbol table lacks {}", names.empty() ? "the page index" : names));
  }
  if (file_size < 0) return Error::of(fmt::format("page cache: mapping {:#x}: negative file size {}", mapping, file_size));
  PageCacheContent out;
  out.file_size = file_size;
  const std::uint64_t size = static_cast<std::uint64_t>(file_size);
  const std::uint64_t limit = std::min(size, options.max_bytes);
  out.truncated = limit < size;
  if (limit == 0) return out;
  std::array<std::byte, 8> raw{};
  if (!source.read_virtual(mapping + *l.pages_root, raw)) {
    return Error::of(fmt::format("page cache: index root of mapping {:#x} unreadable", mapping));
  }
  std::uint64_t root = 0;
  std::memcpy(&root, raw.data(), 8);
  MappingReader reader(l, source, mapping, (limit - 1) / kPageSize, options, out);
  reader.limit_ = limit;
  reader.run(root);
  return out;
}

std::optional<std::uint64_t> vmemmap_base(const KernelMemory& kernel) {
  if (auto symbol = kernel.symbol_address("vmemmap_base")) return kernel.read_pointer(*symbol);
  return kernel.mmu().mode() == PagingMode::level5 ? kVmemmapLevel5 : kVmemmapLevel4;
}

Result<PageCacheContent> read_page_cache(const KernelMemory& kernel, std::uint64_t inode,
                                         const PageCacheOptions& options) {
  const PageCacheLayout& l = kernel.layout().page_cache;
  if (!l.i_mapping || !l.i_size) return Error::of("page cache: the symbol table lacks inode.i_mapping or i_size");
  const auto mapping = kernel.read_member<std::uint64_t>(inode, l.i_mapping);
  const auto size = kernel.read_member<std::int64_t>(inode, l.i_size);
  if (!mapping || *mapping == 0 || !size) {
    return Error::of(fmt::format("page cache: inode {:#x}: i_mapping or i_size unreadable", inode));
  }
  const auto base = vmemmap_base(kernel);
  if (!base) return Error::of("page cache: the kernel's vmemmap_base is unreadable");
  PageCacheSource source;
  source.read_virtual = [&](std::uint64_t a, std::span<std::byte> out) { return kernel.read(a, out); };
  source.read_physical = [&](std::uint64_t a, std::span<std::byte> out) { return kernel.physical().read(a, out); };
  source.vmemmap_base = *base;
  auto content = read_mapping(l, source, *mapping, *size, options);
  // The bytes kept are charged to the dump's budget; refused, they are dropped.
  if (content && options.charge_budget && !content->extents.empty() &&
      !kernel.budget().charge(content->bytes_in_memory)) {
    content->extents.clear();
    content->issues.push_back(fmt::format("inode {:#x}: bytes not kept: {}", inode, kernel.budget().exhausted_issue()));
  }
  return content;
}

}  // namespace drydock
