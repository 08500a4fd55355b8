#include "support/dump_convert.hpp"

#include <sys/stat.h>

#include <catch2/catch.hpp>

#include <vector>

#include "engine/dump/physical_memory.hpp"
#include "support/dump_builder.hpp"
#include "support/temp_dir.hpp"

using namespace drydock;
using drydock::testing::Bytes;
using drydock::testing::Segment;
using drydock::testing::TempDir;

namespace {

// Ranges with holes, one of them far above the others, and a zero page inside.
std::vector<Segment> sparse_segments() {
  Bytes with_zero_page = drydock::testing::pattern_bytes(0x3000, 2);
  std::fill(with_zero_page.begin() + 0x1000, with_zero_page.begin() + 0x2000, std::byte{0});
  return {
      {0x0, drydock::testing::pattern_bytes(0x1000, 1)},
      {0x5000, with_zero_page},
      {0x400000, drydock::testing::pattern_bytes(0x800, 3)},
  };
}

void check_same_memory(const PhysicalMemory& a, const PhysicalMemory& b) {
  for (const PhysicalRange& range : a.ranges()) {
    Bytes from_a(range.size);
    Bytes from_b(range.size);
    REQUIRE(a.read(range.start, from_a));
    REQUIRE(b.read(range.start, from_b));
    CHECK(from_a == from_b);
  }
}

}  // namespace

TEST_CASE("write_elf_core writes a core that reads back range for range") {
  TempDir dir;
  const Bytes lime = drydock::testing::build_lime(sparse_segments());
  auto source = PhysicalMemory::from_bytes(lime, "memory.lime");
  REQUIRE(source.ok());
  const auto out = dir.path() / "memory.elf";
  REQUIRE(drydock::testing::write_elf_core(*source, out).ok());

  auto core = PhysicalMemory::open(out);
  REQUIRE(core.ok());
  CHECK(core->format() == DumpFormat::elf_core);
  REQUIRE(core->ranges().size() == source->ranges().size());
  for (std::size_t i = 0; i < core->ranges().size(); ++i) {
    CHECK(core->ranges()[i].start == source->ranges()[i].start);
    CHECK(core->ranges()[i].size == source->ranges()[i].size);
  }
  check_same_memory(*source, *core);
}

TEST_CASE("write_raw_image puts each range at its physical address, sparsely") {
  TempDir dir;
  const Bytes lime = drydock::testing::build_lime(sparse_segments());
  auto source = PhysicalMemory::from_bytes(lime, "memory.lime");
  REQUIRE(source.ok());
  const auto out = dir.path() / "memory.raw";
  REQUIRE(drydock::testing::write_raw_image(*source, out).ok());

  auto raw = PhysicalMemory::open(out);
  REQUIRE(raw.ok());
  CHECK(raw->format() == DumpFormat::raw);
  CHECK(raw->file_bytes().size() == 0x400800);
  check_same_memory(*source, *raw);
  std::array<std::byte, 16> hole{};
  REQUIRE(raw->read(0x2000, hole));
  CHECK(hole == std::array<std::byte, 16>{});

  struct stat st {};
  REQUIRE(::stat(out.c_str(), &st) == 0);
  CHECK(static_cast<std::uint64_t>(st.st_blocks) * 512 < 0x400800 / 4);  // mostly holes
}

TEST_CASE("the converters report an unwritable output by name") {
  const Bytes lime = drydock::testing::build_lime(sparse_segments());
  auto source = PhysicalMemory::from_bytes(lime, "memory.lime");
  REQUIRE(source.ok());
  auto status = drydock::testing::write_raw_image(*source, "/nonexistent/dir/memory.raw");
  REQUIRE_FALSE(status.ok());
  CHECK_THAT(status.error().message, Catch::StartsWith("/nonexistent/dir/memory.raw: cannot create"));
}
