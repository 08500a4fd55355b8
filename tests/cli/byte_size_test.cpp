#include "engine/cli/byte_size.hpp"

#include <catch2/catch.hpp>

using drydock::parse_byte_size;

TEST_CASE("parse_byte_size reads plain bytes and binary suffixes in any case") {
  CHECK(parse_byte_size("4096") == 4096u);
  CHECK(parse_byte_size("0") == 0u);
  CHECK(parse_byte_size("512M") == 512ull << 20);
  CHECK(parse_byte_size("2g") == 2ull << 30);
  CHECK(parse_byte_size("2GiB") == 2ull << 30);
  CHECK(parse_byte_size("64kb") == 64ull << 10);
  CHECK(parse_byte_size("1T") == 1ull << 40);
  CHECK(parse_byte_size("1.5G") == 3ull << 29);
  CHECK(parse_byte_size("100B") == 100u);
}

TEST_CASE("parse_byte_size refuses what is not a size") {
  for (const char* text : {"", "G", "-1G", "2X", "2 G", "1.2.3M", ".5G", "2Gx", "2GiBs", "99999999999999999999",
                           "16777216T"}) {
    CAPTURE(text);
    CHECK_FALSE(parse_byte_size(text).has_value());
  }
}

TEST_CASE("default_max_memory is half of physical memory, never zero") {
  CHECK(drydock::default_max_memory() > 0);
}
