#include <catch2/catch.hpp>

#include <vector>

#include "engine/dump/physical_memory.hpp"
#include "support/dump_builder.hpp"

using namespace drydock;
using drydock::testing::Bytes;
using drydock::testing::Segment;

namespace {

std::vector<Segment> three_segments() {
  return {
      {0x0, drydock::testing::pattern_bytes(0x1000, 1)},
      {0x3000, drydock::testing::pattern_bytes(0x2000, 2)},
      {0x10000, drydock::testing::pattern_bytes(0x800, 3)},
  };
}

}  // namespace

TEST_CASE("parse_lime decodes each header's range and data offset") {
  const auto segments = three_segments();
  const Bytes file = drydock::testing::build_lime(segments);
  auto layout = parse_lime(file, "memory.lime");
  REQUIRE(layout.ok());
  CHECK(layout->format == DumpFormat::lime);
  REQUIRE(layout->ranges.size() == 3);
  CHECK(layout->ranges[0].start == 0x0);
  CHECK(layout->ranges[0].size == 0x1000);
  CHECK(layout->ranges[0].file_offset == 32);
  CHECK(layout->ranges[1].start == 0x3000);
  CHECK(layout->ranges[1].size == 0x2000);
  CHECK(layout->ranges[1].file_offset == 32 + 0x1000 + 32);
  CHECK(layout->ranges[2].start == 0x10000);
  CHECK(layout->ranges[2].end() == 0x10800);
}

TEST_CASE("parse_lime takes a literal one-byte range (e_addr is inclusive)") {
  const Bytes file = {
      std::byte{'E'}, std::byte{'M'}, std::byte{'i'}, std::byte{'L'},  // magic
      std::byte{1},   std::byte{0},   std::byte{0},   std::byte{0},    // version 1
      std::byte{0x00}, std::byte{0x10}, std::byte{0}, std::byte{0}, std::byte{0}, std::byte{0}, std::byte{0},
      std::byte{0},  // s_addr 0x1000
      std::byte{0x00}, std::byte{0x10}, std::byte{0}, std::byte{0}, std::byte{0}, std::byte{0}, std::byte{0},
      std::byte{0},  // e_addr 0x1000
      std::byte{0}, std::byte{0}, std::byte{0}, std::byte{0}, std::byte{0}, std::byte{0}, std::byte{0},
      std::byte{0},     // reserved
      std::byte{0xAB},  // the byte at 0x1000
  };
  auto layout = parse_lime(file, "one.lime");
  REQUIRE(layout.ok());
  REQUIRE(layout->ranges.size() == 1);
  CHECK(layout->ranges[0].start == 0x1000);
  CHECK(layout->ranges[0].size == 1);
  CHECK(layout->ranges[0].file_offset == 32);
}

TEST_CASE("parse_lime sorts ranges stored out of order") {
  std::vector<Segment> segments = three_segments();
  std::swap(segments[0], segments[2]);
  const Bytes file = drydock::testing::build_lime(segments);
  auto layout = parse_lime(file, "memory.lime");
  REQUIRE(layout.ok());
  REQUIRE(layout->ranges.size() == 3);
  CHECK(layout->ranges[0].start == 0x0);
  CHECK(layout->ranges[0].file_offset == drydock::testing::lime_header_offset(segments, 2) + 32);
  CHECK(layout->ranges[1].start == 0x3000);
  CHECK(layout->ranges[2].start == 0x10000);
  CHECK(layout->ranges[2].file_offset == 32);
}

TEST_CASE("parse_lime rejects a truncated header, giving its offset") {
  const auto segments = three_segments();
  Bytes file = drydock::testing::build_lime(segments);
  const std::size_t end = file.size();
  file.resize(end + 20);
  auto layout = parse_lime(file, "memory.lime");
  REQUIRE_FALSE(layout.ok());
  CHECK(layout.error().message == "memory.lime: truncated LiME header at offset " + std::to_string(end) +
                                      ": 20 bytes left, a header needs 32");
}

TEST_CASE("parse_lime rejects a range running past the end of the file") {
  const auto segments = three_segments();
  Bytes file = drydock::testing::build_lime(segments);
  file.resize(file.size() - 1);
  auto layout = parse_lime(file, "memory.lime");
  REQUIRE_FALSE(layout.ok());
  const std::size_t header = drydock::testing::lime_header_offset(segments, 2);
  CHECK(layout.error().message == "memory.lime: LiME range 2 (0x10000-0x107ff) at offset " + std::to_string(header) +
                                      " runs past the end of the file (needs 2048 bytes from offset " +
                                      std::to_string(header + 32) + ", file is " + std::to_string(file.size()) +
                                      " bytes)");
}

TEST_CASE("parse_lime rejects bad magic in the second header, giving its offset") {
  const auto segments = three_segments();
  Bytes file = drydock::testing::build_lime(segments);
  const std::size_t second = drydock::testing::lime_header_offset(segments, 1);
  drydock::testing::put_le<std::uint32_t>(file, second, 0xDEADBEEF);
  auto layout = parse_lime(file, "memory.lime");
  REQUIRE_FALSE(layout.ok());
  CHECK_THAT(layout.error().message,
             Catch::StartsWith("memory.lime: bad magic 0xdeadbeef in LiME header 1 at offset " +
                               std::to_string(second) + " (expected 0x4c694d45)"));
}

TEST_CASE("parse_lime rejects a range that ends before it starts") {
  Bytes file = drydock::testing::lime_header(0x2000, 0x1fff);
  auto layout = parse_lime(file, "memory.lime");
  REQUIRE_FALSE(layout.ok());
  CHECK(layout.error().message ==
        "memory.lime: LiME header 0 at offset 0 ends before it starts (s_addr 0x2000, e_addr 0x1fff)");
}

TEST_CASE("parse_lime rejects a range beyond the physical address space without overflowing") {
  Bytes file = drydock::testing::lime_header(0, UINT64_MAX);
  auto layout = parse_lime(file, "memory.lime");
  REQUIRE_FALSE(layout.ok());
  CHECK_THAT(layout.error().message, Catch::Contains("beyond the 52-bit physical address space"));
}

TEST_CASE("parse_lime rejects overlapping ranges, naming both") {
  const std::vector<Segment> segments = {
      {0x0, drydock::testing::pattern_bytes(0x2000)},
      {0x1000, drydock::testing::pattern_bytes(0x1000)},
  };
  const Bytes file = drydock::testing::build_lime(segments);
  auto layout = parse_lime(file, "memory.lime");
  REQUIRE_FALSE(layout.ok());
  CHECK(layout.error().message ==
        "memory.lime: overlapping LiME ranges: LiME range 0 (0x0-0x1fff) at offset 0 and LiME range 1 "
        "(0x1000-0x1fff) at offset 8224");
}

TEST_CASE("parse_lime accepts adjacent ranges") {
  const std::vector<Segment> segments = {
      {0x1000, drydock::testing::pattern_bytes(0x1000)},
      {0x0, drydock::testing::pattern_bytes(0x1000)},
  };
  auto layout = parse_lime(drydock::testing::build_lime(segments), "memory.lime");
  REQUIRE(layout.ok());
  CHECK(layout->ranges.size() == 2);
}

TEST_CASE("parse_lime rejects AVML's compressed (version 2) LiME clearly") {
  Bytes file = drydock::testing::lime_header(0, 0xfff, 2);
  file.resize(file.size() + 100);
  auto layout = parse_lime(file, "memory.avml");
  REQUIRE_FALSE(layout.ok());
  CHECK_THAT(layout.error().message,
             Catch::StartsWith("memory.avml: LiME header 0 at offset 0 has version 2 (AVML snappy-compressed LiME), "
                               "which is not supported yet"));
}

TEST_CASE("parse_lime rejects an unknown version") {
  Bytes file = drydock::testing::lime_header(0, 0xfff, 7);
  file.resize(file.size() + 0x1000);
  auto layout = parse_lime(file, "memory.lime");
  REQUIRE_FALSE(layout.ok());
  CHECK(layout.error().message == "memory.lime: LiME header 0 at offset 0 has unsupported version 7 (expected 1)");
}

TEST_CASE("parse_lime refuses more ranges than kMaxDumpRanges") {
  // kMaxDumpRanges one-byte ranges: 33 MiB of headers, built once.
  Bytes file;
  file.reserve((kMaxDumpRanges + 1) * 33);
  for (std::uint64_t i = 0; i <= kMaxDumpRanges; ++i) {
    drydock::testing::append(file, drydock::testing::lime_header(i * 2, i * 2));
    file.push_back(std::byte{1});
  }
  auto layout = parse_lime(file, "many.lime");
  REQUIRE_FALSE(layout.ok());
  CHECK_THAT(layout.error().message, Catch::StartsWith("many.lime: more than 1048576 LiME ranges"));
}
