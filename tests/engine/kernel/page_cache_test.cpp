// The page cache reader over a literal memory: an XArray of pages, value
// (shadow) entries, large folios with sibling entries, reused frames and
// index loops. Holes must stay holes.

#include "engine/kernel/page_cache.hpp"

#include <catch2/catch.hpp>

#include <cstring>
#include <map>
#include <vector>

using namespace drydock;

namespace {

constexpr std::uint64_t kVmemmap = 0xffffea0000000000ull;
constexpr std::uint64_t kMapping = 0xffff888000100000ull;
constexpr std::uint64_t kNodeA = 0xffff888000200000ull;
constexpr std::uint64_t kNodeB = 0xffff888000300000ull;

PageCacheLayout xarray_layout() {
  PageCacheLayout l;
  l.index = PageIndexKind::xarray;
  l.i_mapping = 48, l.i_size = 80, l.pages_root = 16;
  l.node_shift = 0, l.node_slots = 40, l.node_slot_count = 64;
  l.page_mapping = 24, l.page_index = 32, l.page_size = 64;
  return l;
}

// A sparse kernel memory: 8-byte words by virtual address, frames by physical address.
struct FakeMemory {
  std::map<std::uint64_t, std::uint64_t> words;
  std::map<std::uint64_t, std::byte> node_shift;
  std::map<std::uint64_t, std::vector<std::byte>> frames;

  std::uint64_t page(std::uint64_t pfn, std::uint64_t mapping, std::uint64_t index) {
    const std::uint64_t address = kVmemmap + pfn * 64;
    words[address + 24] = mapping;
    words[address + 32] = index;
    frames[pfn << 12] = std::vector<std::byte>(4096, std::byte(static_cast<unsigned char>(pfn)));
    return address;
  }
  void node(std::uint64_t address, unsigned shift, std::map<unsigned, std::uint64_t> slots) {
    node_shift[address] = std::byte(static_cast<unsigned char>(shift));
    for (unsigned i = 0; i < 64; ++i) words[address + 40 + 8 * i] = slots.contains(i) ? slots[i] : 0;
  }

  PageCacheSource source() const {
    PageCacheSource s;
    s.vmemmap_base = kVmemmap;
    s.read_virtual = [this](std::uint64_t a, std::span<std::byte> out) {
      if (out.size() == 1) {
        auto it = node_shift.find(a);
        if (it == node_shift.end()) return false;
        out[0] = it->second;
        return true;
      }
      for (std::size_t i = 0; i < out.size(); i += 8) {
        auto it = words.find(a + i);
        if (it == words.end()) return false;
        std::memcpy(out.data() + i, &it->second, 8);
      }
      return true;
    };
    s.read_physical = [this](std::uint64_t a, std::span<std::byte> out) {
      auto it = frames.find(a & ~std::uint64_t{4095});
      if (it == frames.end() || (a & 4095) + out.size() > 4096) return false;
      std::memcpy(out.data(), it->second.data() + (a & 4095), out.size());
      return true;
    };
    return s;
  }
};

std::uint64_t node_entry(std::uint64_t node) { return node | 2; }
std::uint64_t sibling_entry(unsigned slot) { return (std::uint64_t{slot} << 2) | 2; }
std::uint64_t value_entry(std::uint64_t v) { return (v << 1) | 1; }

}  // namespace

TEST_CASE("page cache: a one-page file held at the index root is read whole") {
  FakeMemory m;
  m.words[kMapping + 16] = m.page(0x1234, kMapping, 0);
  auto r = read_mapping(xarray_layout(), m.source(), kMapping, 100);
  REQUIRE(r);
  CHECK(r->complete());
  CHECK(r->bytes_in_memory == 100);
  REQUIRE(r->extents.size() == 1);
  CHECK(r->extents[0].offset == 0);
  CHECK(r->extents[0].bytes.size() == 100);
  CHECK(r->extents[0].bytes[0] == std::byte(0x34));
}

TEST_CASE("page cache: evicted pages (value entries) and absent slots are holes, not zeros") {
  FakeMemory m;
  m.node(kNodeA, 0, {{0, m.page(10, kMapping, 0)}, {1, value_entry(77)}, {3, m.page(12, kMapping, 3)}});
  m.words[kMapping + 16] = node_entry(kNodeA);
  auto r = read_mapping(xarray_layout(), m.source(), kMapping, 3 * 4096 + 10);
  REQUIRE(r);
  CHECK_FALSE(r->complete());
  CHECK(r->pages_in_memory == 2);
  CHECK(r->bytes_in_memory == 4096 + 10);
  REQUIRE(r->extents.size() == 2);
  CHECK(r->extents[0].offset == 0);
  CHECK(r->extents[1].offset == 3 * 4096);
  CHECK(r->extents[1].bytes.size() == 10);
}

TEST_CASE("page cache: a large folio's sibling slots read the frames after its head") {
  FakeMemory m;
  const std::uint64_t head = m.page(0x100, kMapping, 4);
  for (std::uint64_t pfn = 0x101; pfn < 0x104; ++pfn) m.frames[pfn << 12] = std::vector<std::byte>(4096, std::byte(7));
  m.node(kNodeA, 0, {{4, head}, {5, sibling_entry(4)}, {6, sibling_entry(4)}, {7, sibling_entry(4)}});
  m.words[kMapping + 16] = node_entry(kNodeA);
  auto r = read_mapping(xarray_layout(), m.source(), kMapping, 8 * 4096);
  REQUIRE(r);
  CHECK(r->pages_in_memory == 4);
  REQUIRE(r->extents.size() == 1);
  CHECK(r->extents[0].offset == 4 * 4096);
  CHECK(r->extents[0].bytes.size() == 4 * 4096);
  CHECK(r->extents[0].bytes[4096] == std::byte(7));
}

TEST_CASE("page cache: a two-level index and a frame reused by another file") {
  FakeMemory m;
  m.node(kNodeB, 0, {{0, m.page(20, kMapping, 64)}, {1, m.page(21, 0xdead0000, 9)}});
  m.node(kNodeA, 6, {{1, node_entry(kNodeB)}});
  m.words[kMapping + 16] = node_entry(kNodeA);
  auto r = read_mapping(xarray_layout(), m.source(), kMapping, 66 * 4096);
  REQUIRE(r);
  CHECK(r->pages_in_memory == 1);
  CHECK(r->extents.size() == 1);
  CHECK(r->extents[0].offset == 64 * 4096);
  REQUIRE(r->issues.size() == 1);
  CHECK_THAT(r->issues[0], Catch::Contains("reused"));
}

TEST_CASE("page cache: an index that loops, or a node that cannot be read, stops with an issue") {
  FakeMemory m;
  m.node(kNodeA, 6, {{0, node_entry(kNodeA)}, {1, node_entry(kNodeB)}});
  m.words[kMapping + 16] = node_entry(kNodeA);
  auto r = read_mapping(xarray_layout(), m.source(), kMapping, 200 * 4096);
  REQUIRE(r);
  CHECK(r->bytes_in_memory == 0);
  CHECK(r->extents.empty());
  CHECK(r->issues.size() == 2);
}

TEST_CASE("page cache: only max_bytes of a large file are read, and the result says so") {
  FakeMemory m;
  m.node(kNodeA, 0, {{0, m.page(30, kMapping, 0)}, {1, m.page(31, kMapping, 1)}});
  m.words[kMapping + 16] = node_entry(kNodeA);
  PageCacheOptions o;
  o.max_bytes = 4096;
  auto r = read_mapping(xarray_layout(), m.source(), kMapping, 2 * 4096, o);
  REQUIRE(r);
  CHECK(r->truncated);
  CHECK_FALSE(r->complete());
  CHECK(r->bytes_in_memory == 4096);
}

TEST_CASE("page cache: a layout without the index members refuses, naming them") {
  FakeMemory m;
  PageCacheLayout l = xarray_layout();
  l.missing.push_back("xa_node.slots");
  auto r = read_mapping(l, m.source(), kMapping, 10);
  REQUIRE_FALSE(r);
  CHECK_THAT(r.error().message, Catch::Contains("xa_node.slots"));
}

TEST_CASE("page cache: a radix tree (before 4.20) tags nodes with bit 0 and shadow entries with bit 1") {
  FakeMemory m;
  PageCacheLayout l = xarray_layout();
  l.index = PageIndexKind::radix_tree;
  m.node(kNodeA, 0, {{0, m.page(40, kMapping, 0)}, {1, (std::uint64_t{55} << 2) | 2}, {2, m.page(42, kMapping, 2)}});
  m.words[kMapping + 16] = kNodeA | 1;
  auto r = read_mapping(l, m.source(), kMapping, 3 * 4096);
  REQUIRE(r);
  CHECK(r->pages_in_memory == 2);
  REQUIRE(r->extents.size() == 2);
  CHECK(r->extents[1].offset == 2 * 4096);
  CHECK(r->issues.empty());
}

TEST_CASE("page cache: a node whose shift would wrap the index is refused, nothing counted twice") {
  FakeMemory m;
  const std::uint64_t page = m.page(50, kMapping, 0);
  // With shift 63, slot 2 would start at index 0 again (2 << 63 wraps).
  m.node(kNodeA, 63, {{0, page}, {2, page}});
  m.words[kMapping + 16] = node_entry(kNodeA);
  auto r = read_mapping(xarray_layout(), m.source(), kMapping, 4096);
  REQUIRE(r);
  CHECK(r->bytes_in_memory == 0);
  REQUIRE(r->issues.size() == 1);
  CHECK_THAT(r->issues[0], Catch::Contains("shift 63"));
}
