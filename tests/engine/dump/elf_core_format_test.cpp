#include <catch2/catch.hpp>

#include <vector>

#include "engine/dump/physical_memory.hpp"
#include "support/dump_builder.hpp"

using namespace drydock;
using drydock::testing::Bytes;
using drydock::testing::Segment;
using drydock::testing::put_le;

namespace {

// Two PT_LOADs with a hole between them (0x2000-0x7fff).
std::vector<Segment> two_loads() {
  return {
      {0x0, drydock::testing::pattern_bytes(0x2000, 1)},
      {0x8000, drydock::testing::pattern_bytes(0x1000, 2)},
  };
}

constexpr std::size_t kPhdr0 = 64;  // first program header (no note)
constexpr std::size_t kPhdr1 = 64 + 56;

}  // namespace

TEST_CASE("parse_elf_core makes one range per PT_LOAD at p_paddr") {
  const Bytes file = drydock::testing::build_elf_core(two_loads());
  auto layout = parse_elf_core(file, "vmcore");
  REQUIRE(layout.ok());
  CHECK(layout->format == DumpFormat::elf_core);
  REQUIRE(layout->ranges.size() == 2);
  CHECK(layout->ranges[0].start == 0x0);
  CHECK(layout->ranges[0].size == 0x2000);
  CHECK(layout->ranges[0].file_offset == 64 + 2 * 56);
  CHECK(layout->ranges[1].start == 0x8000);
  CHECK(layout->ranges[1].size == 0x1000);
  CHECK(layout->ranges[1].file_offset == 64 + 2 * 56 + 0x2000);
}

TEST_CASE("parse_elf_core takes PT_LOAD data at aligned file offsets") {
  const Bytes file = drydock::testing::build_elf_core(two_loads(), {.data_alignment = 4096});
  auto layout = parse_elf_core(file, "vmcore");
  REQUIRE(layout.ok());
  REQUIRE(layout->ranges.size() == 2);
  CHECK(layout->ranges[0].file_offset == 0x1000);
  CHECK(layout->ranges[1].file_offset == 0x3000);
}

TEST_CASE("parse_elf_core skips PT_NOTE and sorts PT_LOADs") {
  auto segments = two_loads();
  std::swap(segments[0], segments[1]);
  const Bytes file = drydock::testing::build_elf_core(segments, {.vmcoreinfo = "OSRELEASE=6.1.0\n"});
  auto layout = parse_elf_core(file, "vmcore");
  REQUIRE(layout.ok());
  REQUIRE(layout->ranges.size() == 2);
  CHECK(layout->ranges[0].start == 0x0);
  CHECK(layout->ranges[1].start == 0x8000);
}

TEST_CASE("parse_elf_core reads only p_filesz bytes when p_memsz is larger") {
  auto segments = two_loads();
  segments[0].unsaved_tail = 0x3000;
  const Bytes file = drydock::testing::build_elf_core(segments);
  auto layout = parse_elf_core(file, "vmcore");
  REQUIRE(layout.ok());
  REQUIRE(layout->ranges.size() == 2);
  CHECK(layout->ranges[0].size == 0x2000);
}

TEST_CASE("parse_elf_core ignores PT_LOADs without saved bytes") {
  std::vector<Segment> segments = two_loads();
  segments.push_back({0x100000, {}, 0x1000});
  auto layout = parse_elf_core(drydock::testing::build_elf_core(segments), "vmcore");
  REQUIRE(layout.ok());
  CHECK(layout->ranges.size() == 2);
}

TEST_CASE("parse_elf_core rejects a program header table past the end of the file") {
  Bytes file = drydock::testing::build_elf_core(two_loads());
  SECTION("bogus e_phoff") {
    put_le<std::uint64_t>(file, 32, file.size() - 10);
    auto layout = parse_elf_core(file, "vmcore");
    REQUIRE_FALSE(layout.ok());
    CHECK(layout.error().message == "vmcore: ELF program header table (e_phoff " + std::to_string(file.size() - 10) +
                                        ", 2 entries of 56 bytes) runs past the end of the file (file is " +
                                        std::to_string(file.size()) + " bytes)");
  }
  SECTION("huge e_phoff does not overflow") {
    put_le<std::uint64_t>(file, 32, UINT64_MAX - 8);
    auto layout = parse_elf_core(file, "vmcore");
    REQUIRE_FALSE(layout.ok());
    CHECK_THAT(layout.error().message, Catch::Contains("runs past the end of the file"));
  }
  SECTION("bogus e_phnum") {
    put_le<std::uint16_t>(file, 56, 60000);
    auto layout = parse_elf_core(file, "vmcore");
    REQUIRE_FALSE(layout.ok());
    CHECK_THAT(layout.error().message, Catch::StartsWith("vmcore: ELF program header table (e_phoff 64, 60000 entries"));
  }
  SECTION("zero e_phnum") {
    put_le<std::uint16_t>(file, 56, 0);
    auto layout = parse_elf_core(file, "vmcore");
    REQUIRE_FALSE(layout.ok());
    CHECK(layout.error().message == "vmcore: ELF core has no program headers (e_phnum is 0)");
  }
  SECTION("wrong e_phentsize") {
    put_le<std::uint16_t>(file, 54, 32);
    auto layout = parse_elf_core(file, "vmcore");
    REQUIRE_FALSE(layout.ok());
    CHECK(layout.error().message == "vmcore: ELF e_phentsize 32 at offset 54, expected 56");
  }
}

TEST_CASE("parse_elf_core rejects PT_LOAD data past the end of the file, naming the program header") {
  Bytes file = drydock::testing::build_elf_core(two_loads());
  put_le<std::uint64_t>(file, kPhdr1 + 32, 0x100000);  // p_filesz
  auto layout = parse_elf_core(file, "vmcore");
  REQUIRE_FALSE(layout.ok());
  CHECK(layout.error().message == "vmcore: ELF program header 1 at offset 120: PT_LOAD data (p_offset " +
                                      std::to_string(64 + 2 * 56 + 0x2000) +
                                      ", p_filesz 1048576) runs past the end of the file (file is " +
                                      std::to_string(file.size()) + " bytes)");
}

TEST_CASE("parse_elf_core rejects a huge p_offset without overflowing") {
  Bytes file = drydock::testing::build_elf_core(two_loads());
  put_le<std::uint64_t>(file, kPhdr0 + 8, UINT64_MAX - 0x100);
  auto layout = parse_elf_core(file, "vmcore");
  REQUIRE_FALSE(layout.ok());
  CHECK_THAT(layout.error().message, Catch::StartsWith("vmcore: ELF program header 0 at offset 64: PT_LOAD data"));
}

TEST_CASE("parse_elf_core rejects partially overlapping PT_LOADs") {
  const std::vector<Segment> segments = {
      {0x0, drydock::testing::pattern_bytes(0x2000)},
      {0x1000, drydock::testing::pattern_bytes(0x2000)},
  };
  auto layout = parse_elf_core(drydock::testing::build_elf_core(segments), "vmcore");
  REQUIRE_FALSE(layout.ok());
  CHECK(layout.error().message ==
        "vmcore: overlapping ELF program header 0 (PT_LOAD 0x0-0x1fff) and program header 1 (PT_LOAD 0x1000-0x2fff)");
}

TEST_CASE("parse_elf_core drops a PT_LOAD lying inside another (kdump's kernel text segment)") {
  const Bytes ram = drydock::testing::pattern_bytes(0x10000);
  const std::vector<Segment> segments = {
      {0x4000, Bytes(ram.begin() + 0x4000, ram.begin() + 0x6000)},  // "kernel text"
      {0x0, ram},                                                     // "System RAM"
  };
  auto layout = parse_elf_core(drydock::testing::build_elf_core(segments), "vmcore");
  REQUIRE(layout.ok());
  REQUIRE(layout->ranges.size() == 1);
  CHECK(layout->ranges[0].start == 0);
  CHECK(layout->ranges[0].size == 0x10000);
}

TEST_CASE("parse_elf_core refuses a process core dump") {
  std::vector<Segment> segments = two_loads();
  segments[1].address = 0;  // both p_paddr 0, as in a user-space core
  segments[0].address = 0;
  auto layout = parse_elf_core(drydock::testing::build_elf_core(segments), "core.1234");
  REQUIRE_FALSE(layout.ok());
  CHECK_THAT(layout.error().message, Catch::Contains("looks like a process core dump"));
}

TEST_CASE("parse_elf_core checks class, byte order, type and machine") {
  Bytes file = drydock::testing::build_elf_core(two_loads());
  SECTION("32-bit") {
    file[4] = std::byte{1};
    auto layout = parse_elf_core(file, "vmcore");
    REQUIRE_FALSE(layout.ok());
    CHECK(layout.error().message ==
          "vmcore: ELF class 1 at offset 4: only 64-bit (ELFCLASS64) cores are supported");
  }
  SECTION("big-endian") {
    file[5] = std::byte{2};
    auto layout = parse_elf_core(file, "vmcore");
    REQUIRE_FALSE(layout.ok());
    CHECK_THAT(layout.error().message, Catch::Contains("only little-endian"));
  }
  SECTION("executable, not core") {
    put_le<std::uint16_t>(file, 16, 2);
    auto layout = parse_elf_core(file, "vmcore");
    REQUIRE_FALSE(layout.ok());
    CHECK(layout.error().message == "vmcore: ELF type 2 at offset 16 is not a core file (ET_CORE = 4)");
  }
  SECTION("aarch64") {
    put_le<std::uint16_t>(file, 18, 183);
    auto layout = parse_elf_core(file, "vmcore");
    REQUIRE_FALSE(layout.ok());
    CHECK(layout.error().message == "vmcore: ELF machine 183 at offset 18 is not x86-64 (62)");
  }
  SECTION("truncated header") {
    file.resize(40);
    auto layout = parse_elf_core(file, "vmcore");
    REQUIRE_FALSE(layout.ok());
    CHECK(layout.error().message == "vmcore: truncated ELF header: file is 40 bytes, the header needs 64");
  }
}

TEST_CASE("parse_elf_core follows PN_XNUM to section header 0") {
  Bytes file = drydock::testing::build_elf_core(two_loads());
  const std::size_t shoff = file.size();
  file.resize(shoff + 64);
  put_le<std::uint64_t>(file, 40, shoff);         // e_shoff
  put_le<std::uint16_t>(file, 56, 0xffff);        // e_phnum = PN_XNUM
  put_le<std::uint32_t>(file, shoff + 44, 2);     // sh_info = real count
  auto layout = parse_elf_core(file, "vmcore");
  REQUIRE(layout.ok());
  CHECK(layout->ranges.size() == 2);
}
