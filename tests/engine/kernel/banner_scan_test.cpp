// The banner scan reads the dump in chunks through the file: banners across
// a chunk boundary, at a range's very end, and split by a hole must come out
// exactly as in one pass over the bytes.

#include "engine/kernel/banner_scan.hpp"

#include <catch2/catch.hpp>

#include <cstring>
#include <string>
#include <vector>

#include "support/dump_builder.hpp"

using namespace drydock;
using drydock::testing::Bytes;
using drydock::testing::Segment;

namespace {

const std::string kBanner = "Linux version 6.1.0-test (drydock@tests) (gcc 12) #1 SMP Debian 6.1.0-1";

void put(Bytes& bytes, std::size_t at, const std::string& text) {
  std::memcpy(bytes.data() + at, text.data(), text.size());
}

}  // namespace

TEST_CASE("scan_banners and find_banner find banners across chunk boundaries and at a range's end") {
  constexpr std::size_t kMiB = std::size_t{1} << 20;
  // One 9 MiB range: banners straddling the 4 MiB chunk boundary, inside the
  // overlap the next chunk re-reads, and ending on the range's last byte.
  Bytes ram(9 * kMiB);
  const std::vector<std::size_t> at = {100, 4 * kMiB - 20, 8 * kMiB - 600, 9 * kMiB - kBanner.size() - 1};
  for (std::size_t a : at) put(ram, a, kBanner + "\n");
  const Bytes file = drydock::testing::build_lime(std::vector<Segment>{{0x100000, ram}});
  auto memory = PhysicalMemory::from_bytes(file, "chunks.lime");
  REQUIRE(memory.ok());

  std::vector<std::uint64_t> expected;
  for (std::size_t a : at) expected.push_back(0x100000 + a);
  CHECK(find_banner(*memory, kBanner) == expected);  // each exactly once, in order
  const auto banners = scan_banners(*memory);
  REQUIRE(banners.size() == 1);  // distinct texts
  CHECK(banners[0].physical == expected[0]);
  CHECK(banners[0].text == kBanner);
}

TEST_CASE("a banner split by a hole between ranges is not found") {
  const std::string head = kBanner.substr(0, 20), tail = kBanner.substr(20) + "\n";
  Bytes first(4096), second(4096);
  put(first, 4096 - head.size(), head);
  put(second, 0, tail);
  const Bytes file = drydock::testing::build_lime(std::vector<Segment>{{0x1000, first}, {0x3000, second}});
  auto memory = PhysicalMemory::from_bytes(file, "hole.lime");
  REQUIRE(memory.ok());
  CHECK(find_banner(*memory, kBanner).empty());
  CHECK(scan_banners(*memory).empty());
}

TEST_CASE("find_banner_aligned finds the banner only where the load alignment puts it") {
  constexpr std::uint64_t kAlign = 2 << 20;
  Bytes ram(8 << 20);
  const std::uint64_t link = 0xffffffff81000000ULL + 0x1234;  // offset 0x1234 within each 2 MiB block
  put(ram, 2 * kAlign + 0x1234, kBanner);
  put(ram, kAlign + 0x99, kBanner);  // a copy at another offset is not a candidate
  const Bytes file = drydock::testing::build_lime(std::vector<Segment>{{0, ram}});
  auto memory = PhysicalMemory::from_bytes(file, "aligned.lime");
  REQUIRE(memory.ok());
  CHECK(find_banner_aligned(*memory, kBanner, link, kAlign) == std::vector<std::uint64_t>{2 * kAlign + 0x1234});
  CHECK(find_banner_aligned(*memory, "", link, kAlign).empty());
  CHECK(find_banner_aligned(*memory, kBanner, link, 0).empty());
}
