// The real docker-basic dump (shared/dumps/docker-basic/memory.lime.zst),
// opened through PhysicalMemory::open. One test case: each open costs a ~1 GB
// decompression. Set DRYDOCK_REAL_DUMP_DIR to look elsewhere.

#include <sys/stat.h>

#include <catch2/catch.hpp>

#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string_view>
#include <vector>

#include "engine/dump/elf_notes.hpp"
#include "engine/dump/physical_memory.hpp"
#include "support/dump_convert.hpp"
#include "support/temp_dir.hpp"

using namespace drydock;

namespace {

std::filesystem::path real_dump_dir() {
  if (const char* dir = std::getenv("DRYDOCK_REAL_DUMP_DIR"); dir != nullptr && *dir != '\0') return dir;
  return DRYDOCK_REAL_DUMP_DIR;
}

bool occurs(std::span<const std::byte> haystack, std::string_view needle) {
  return ::memmem(haystack.data(), haystack.size(), needle.data(), needle.size()) != nullptr;
}

}  // namespace

TEST_CASE("the real docker-basic dump opens with its five LiME ranges and its kernel banner", "[real-dump]") {
  const auto path = real_dump_dir() / "memory.lime.zst";
  INFO("the real dump must be in ../shared beside the checkout: " << path);
  REQUIRE(std::filesystem::exists(path));
  auto memory = PhysicalMemory::open(path);
  REQUIRE(memory.ok());
  CHECK(memory->compression() == Compression::zstd);
  CHECK(memory->format() == DumpFormat::lime);
  CHECK(memory->file_bytes().size() == 1090715808);

  // shared/dumps/docker-basic/ground-truth/SCENARIO.md, "one LiME range per QEMU RAM block".
  struct Expected {
    std::uint64_t start, last;
  };
  const std::vector<Expected> expected = {
      {0x0, 0x9ffff}, {0xa0000, 0xaffff}, {0xc0000, 0x3fffffff}, {0xfd000000, 0xfdffffff}, {0xfffc0000, 0xffffffff},
  };
  REQUIRE(memory->ranges().size() == expected.size());
  for (std::size_t i = 0; i < expected.size(); ++i) {
    INFO("range " << i);
    CHECK(memory->ranges()[i].start == expected[i].start);
    CHECK(memory->ranges()[i].end() - 1 == expected[i].last);
  }
  CHECK(memory->contains(0x0, 0xb0000));         // low RAM + VGA window are adjacent
  CHECK_FALSE(memory->contains(0xaf000, 0x2000)); // 0xb0000-0xbffff was not saved
  CHECK(occurs(memory->file_bytes(), "Linux version 6.1.0-56-amd64"));
  CHECK_FALSE(find_vmcoreinfo_note(memory->file_bytes()).has_value());

  SECTION("converted to an ELF core and a raw image, it reads the same") {
    drydock::testing::TempDir dir("drydock-real-dump");
    const auto elf_path = dir.path() / "memory.elf";
    const auto raw_path = dir.path() / "memory.raw";
    REQUIRE(drydock::testing::write_elf_core(*memory, elf_path).ok());
    REQUIRE(drydock::testing::write_raw_image(*memory, raw_path).ok());
    auto elf = PhysicalMemory::open(elf_path);
    auto raw = PhysicalMemory::open(raw_path);
    REQUIRE(elf.ok());
    REQUIRE(raw.ok());
    CHECK(elf->ranges().size() == 5);
    CHECK(raw->file_bytes().size() == 0x100000000);
    // The kernel image at physical 0x29a00000 (SCENARIO.md), and the top of RAM.
    for (std::uint64_t address : {std::uint64_t{0x29a00000}, std::uint64_t{0x3ffff000}, std::uint64_t{0xfffff000}}) {
      std::vector<std::byte> a(4096), b(4096), c(4096);
      REQUIRE(memory->read(address, a));
      REQUIRE(elf->read(address, b));
      REQUIRE(raw->read(address, c));
      CHECK(a == b);
      CHECK(a == c);
    }
  }
}
