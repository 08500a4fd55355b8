#include "engine/dump/physical_memory.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <vector>

#include "support/compress.hpp"
#include "support/dump_builder.hpp"
#include "support/temp_dir.hpp"

using namespace drydock;
using drydock::testing::Bytes;
using drydock::testing::Segment;
using drydock::testing::TempDir;

namespace {

// Ranges [0x0,0x1000) [0x1000,0x3000) adjacent, hole [0x3000,0x8000), [0x8000,0x9000).
std::vector<Segment> segments_with_hole() {
  return {
      {0x8000, drydock::testing::pattern_bytes(0x1000, 3)},
      {0x0, drydock::testing::pattern_bytes(0x1000, 1)},
      {0x1000, drydock::testing::pattern_bytes(0x2000, 2)},
  };
}

// What a read at `address` must return, from the segments.
Bytes expected(const std::vector<Segment>& segments, std::uint64_t address, std::size_t size) {
  Bytes out(size);
  for (std::size_t i = 0; i < size; ++i) {
    for (const Segment& s : segments) {
      if (address + i >= s.address && address + i < s.address + s.bytes.size()) out[i] = s.bytes[address + i - s.address];
    }
  }
  return out;
}

Bytes read_bytes(const PhysicalMemory& memory, std::uint64_t address, std::size_t size, bool& ok) {
  Bytes out(size);
  ok = memory.read(address, out);
  return out;
}

}  // namespace

TEST_CASE("detect_format recognises LiME and ELF by magic, anything else is raw") {
  CHECK(detect_format(drydock::testing::lime_header(0, 0xfff)) == DumpFormat::lime);
  CHECK(detect_format(drydock::testing::build_elf_core(segments_with_hole())) == DumpFormat::elf_core);
  CHECK(detect_format(drydock::testing::bytes_of("\x7f" "EL")) == DumpFormat::raw);
  CHECK(detect_format({}) == DumpFormat::raw);
  CHECK(detect_format(Bytes(4096)) == DumpFormat::raw);
}

TEST_CASE("to_string names each dump format") {
  CHECK(to_string(DumpFormat::raw) == "raw");
  CHECK(to_string(DumpFormat::lime) == "lime");
  CHECK(to_string(DumpFormat::elf_core) == "elf_core");
}

TEST_CASE("parse_raw makes one range from address 0 over the whole file") {
  const Bytes file(kMinRawDumpBytes + 4096);
  auto layout = parse_raw(file, "memory.raw");
  REQUIRE(layout.ok());
  CHECK(layout->format == DumpFormat::raw);
  REQUIRE(layout->ranges.size() == 1);
  CHECK(layout->ranges[0].start == 0);
  CHECK(layout->ranges[0].size == file.size());
  CHECK(layout->ranges[0].file_offset == 0);
}

TEST_CASE("parse_layout rejects an empty file") {
  auto layout = parse_layout({}, "memory.raw");
  REQUIRE_FALSE(layout.ok());
  CHECK(layout.error().message == "memory.raw: empty file, not a memory dump");
}

TEST_CASE("parse_layout rejects a file too small to be a raw memory dump") {
  const Bytes file(1000, std::byte{0x41});
  auto layout = parse_layout(file, "notes.txt");
  REQUIRE_FALSE(layout.ok());
  CHECK_THAT(layout.error().message, Catch::StartsWith("notes.txt: 1000 bytes is too small to be a memory dump"));
}

TEST_CASE("PhysicalMemory reads within, across adjacent and into missing ranges, in every format") {
  const auto segments = segments_with_hole();
  const auto [format, file] = GENERATE_COPY(table<DumpFormat, Bytes>({
      {DumpFormat::lime, drydock::testing::build_lime(segments)},
      {DumpFormat::elf_core, drydock::testing::build_elf_core(segments)},
  }));
  auto memory = PhysicalMemory::from_bytes(file, "memory");
  REQUIRE(memory.ok());
  CHECK(memory->format() == format);
  CHECK(memory->compression() == Compression::none);
  REQUIRE(memory->ranges().size() == 3);
  bool ok = false;

  SECTION("inside one range") {
    CHECK(read_bytes(*memory, 0x8010, 0x100, ok) == expected(segments, 0x8010, 0x100));
    CHECK(ok);
    CHECK(memory->contains(0x8010, 0x100));
    auto view = memory->view(0x8010, 0x100);
    REQUIRE(view.size() == 0x100);
    CHECK(Bytes(view.begin(), view.end()) == expected(segments, 0x8010, 0x100));
  }
  SECTION("across two adjacent ranges") {
    CHECK(read_bytes(*memory, 0xff0, 0x20, ok) == expected(segments, 0xff0, 0x20));
    CHECK(ok);
    CHECK(memory->contains(0xff0, 0x20));
    CHECK(memory->contains(0, 0x3000));
    CHECK(memory->view(0xff0, 0x20).empty());  // zero-copy only within one range
  }
  SECTION("into a hole") {
    read_bytes(*memory, 0x2ff0, 0x20, ok);
    CHECK_FALSE(ok);
    CHECK_FALSE(memory->contains(0x2ff0, 0x20));
    CHECK_FALSE(memory->contains(0, 0x3001));
    CHECK(memory->view(0x2ff0, 0x20).empty());
  }
  SECTION("inside a hole, before and after every range") {
    read_bytes(*memory, 0x4000, 8, ok);
    CHECK_FALSE(ok);
    read_bytes(*memory, 0x9000, 1, ok);
    CHECK_FALSE(ok);
    read_bytes(*memory, 0x8fff, 2, ok);
    CHECK_FALSE(ok);
    CHECK(memory->contains(0x8fff, 1));
    CHECK_FALSE(memory->contains(0x9000, 1));
    CHECK_FALSE(memory->contains(UINT64_MAX, 1));
  }
  SECTION("from a hole across into a range") {
    read_bytes(*memory, 0x7ff8, 0x10, ok);
    CHECK_FALSE(ok);
  }
  SECTION("empty and overflowing requests") {
    CHECK(memory->read(0x4000, {}));
    CHECK(memory->contains(0x4000, 0));
    std::array<std::byte, 16> out{};
    CHECK_FALSE(memory->read(UINT64_MAX - 4, out));
    CHECK_FALSE(memory->contains(0x8000, UINT64_MAX));
  }
}

TEST_CASE("PhysicalMemory from a raw image reads holes as the zeros the image holds") {
  const auto segments = segments_with_hole();
  const Bytes file = drydock::testing::build_raw(segments);
  auto memory = PhysicalMemory::from_bytes(file, "memory.raw");
  REQUIRE(memory.ok());
  CHECK(memory->format() == DumpFormat::raw);
  bool ok = false;
  CHECK(read_bytes(*memory, 0x2ff0, 0x6000, ok) == expected(segments, 0x2ff0, 0x6000));
  CHECK(ok);
  read_bytes(*memory, file.size() - 1, 2, ok);
  CHECK_FALSE(ok);
}

TEST_CASE("PhysicalMemory::from_bytes reports framing errors under the given name") {
  Bytes file = drydock::testing::build_lime(segments_with_hole());
  file.resize(file.size() - 1);
  auto memory = PhysicalMemory::from_bytes(file, "bad.lime");
  REQUIRE_FALSE(memory.ok());
  CHECK_THAT(memory.error().message, Catch::StartsWith("bad.lime: LiME range 2"));
}

TEST_CASE("PhysicalMemory::open reads plain and compressed dumps alike") {
  TempDir dir;
  const auto segments = segments_with_hole();
  const Bytes lime = drydock::testing::build_lime(segments);
  const auto [name, compression, contents] = GENERATE_COPY(table<std::string, Compression, Bytes>({
      {"memory.lime", Compression::none, lime},
      {"memory.lime.zst", Compression::zstd, drydock::testing::zstd_compress(lime)},
      {"memory.lime.xz", Compression::xz, drydock::testing::xz_compress(lime)},
      {"memory.lime.gz", Compression::gzip, drydock::testing::gzip_compress(lime)},
      // The name does not matter, the content does.
      {"memory.bin", Compression::zstd, drydock::testing::zstd_compress(lime)},
  }));
  const auto path = dir.write(name, contents);
  auto memory = PhysicalMemory::open(path, {.temp_dir = dir.path()});
  REQUIRE(memory.ok());
  CHECK(memory->path() == path.string());
  CHECK(memory->format() == DumpFormat::lime);
  CHECK(memory->compression() == compression);
  CHECK(memory->file_bytes().size() == lime.size());
  REQUIRE(memory->ranges().size() == 3);
  bool ok = false;
  CHECK(read_bytes(*memory, 0x800, 0x1000, ok) == expected(segments, 0x800, 0x1000));
  CHECK(ok);

  // Moving keeps the mapping and the views valid.
  PhysicalMemory moved = std::move(*memory);
  CHECK(read_bytes(moved, 0x8000, 0x1000, ok) == expected(segments, 0x8000, 0x1000));
  CHECK(ok);
}

TEST_CASE("PhysicalMemory::open names the decompressed bytes in framing errors") {
  TempDir dir;
  Bytes lime = drydock::testing::build_lime(segments_with_hole());
  drydock::testing::put_le<std::uint32_t>(lime, 32 + 0x1000, 0x12345678);
  const auto path = dir.write("memory.lime.zst", drydock::testing::zstd_compress(lime));
  auto memory = PhysicalMemory::open(path, {.temp_dir = dir.path()});
  REQUIRE_FALSE(memory.ok());
  CHECK_THAT(memory.error().message,
             Catch::StartsWith(path.string() + " (decompressed): bad magic 0x12345678 in LiME header 1 at offset " +
                               std::to_string(32 + 0x1000)));
}

TEST_CASE("PhysicalMemory::open rejects an empty file and a missing one") {
  TempDir dir;
  const auto empty = dir.write("empty.lime", Bytes{});
  auto memory = PhysicalMemory::open(empty);
  REQUIRE_FALSE(memory.ok());
  CHECK(memory.error().message == empty.string() + ": empty file, not a memory dump");

  auto missing = PhysicalMemory::open(dir.path() / "missing.lime");
  REQUIRE_FALSE(missing.ok());
  CHECK_THAT(missing.error().message, Catch::Contains("missing.lime: cannot open"));
}

TEST_CASE("PhysicalImageBuilder gathers writes into page runs, one range per run") {
  drydock::testing::PhysicalImageBuilder image;
  image.write_u64(0x1ff8, 0x1122334455667788);  // spans pages 1 and 2
  image.write_u32(0x2000, 0xAABBCCDD);
  image.write_string(0x10010, "Linux version 6.1.0");
  image.map(0x20000, 1);
  const auto segments = image.segments();
  REQUIRE(segments.size() == 3);
  CHECK(segments[0].address == 0x1000);
  CHECK(segments[0].bytes.size() == 0x2000);
  CHECK(segments[1].address == 0x10000);
  CHECK(segments[2].address == 0x20000);

  for (const Bytes& file : {image.lime(), image.elf_core(), image.raw()}) {
    auto memory = PhysicalMemory::from_bytes(file, "synthetic");
    REQUIRE(memory.ok());
    std::array<std::byte, 8> word{};
    REQUIRE(memory->read(0x1ff8, word));
    CHECK(drydock::testing::get_le<std::uint64_t>(word, 0) == 0x1122334455667788);
    REQUIRE(memory->read(0x2000, std::span(word).first(4)));
    CHECK(drydock::testing::get_le<std::uint32_t>(word, 0) == 0xAABBCCDD);
    auto banner = memory->view(0x10010, 19);
    REQUIRE(banner.size() == 19);
    CHECK(std::string_view(reinterpret_cast<const char*>(banner.data()), 19) == "Linux version 6.1.0");
    CHECK(memory->contains(0x20000, 0x1000));
  }
}

TEST_CASE("PhysicalMemory::probe reads through the file exactly what read() returns") {
  TempDir dir;
  const auto segments = segments_with_hole();
  const auto path = dir.write("memory.lime", drydock::testing::build_lime(segments));
  auto memory = PhysicalMemory::open(path);
  REQUIRE(memory.ok());
  // Inside a range, across adjacent ranges, into a hole, past the end.
  const std::vector<std::pair<std::uint64_t, std::size_t>> cases = {
      {0x8010, 0x100}, {0xff0, 0x20}, {0x2ff0, 0x20}, {0x8fff, 2}, {0x4000, 8}};
  for (const auto& [address, size] : cases) {
    CAPTURE(address, size);
    Bytes by_read(size), by_probe(size);
    const bool read_ok = memory->read(address, by_read);
    CHECK(memory->probe(address, by_probe) == read_ok);
    if (read_ok) CHECK(by_probe == expected(segments, address, size));
  }
}
