// RFC 3339 times as engines record them, read back to Unix nanoseconds.

#include <catch2/catch.hpp>

#include "engine/core/time_format.hpp"

using drydock::iso8601_utc;
using drydock::parse_rfc3339;

TEST_CASE("RFC 3339 text reads back to the nanosecond, with its offset applied", "[time]") {
  // Docker's config.v2.json "Created" of docker-incident-6.12's escape.
  const auto created = parse_rfc3339("2026-12-01T20:55:57.237671798Z");
  REQUIRE(created);
  CHECK(*created == 1796158557237671798);
  CHECK(iso8601_utc(*created) == "2026-12-01T20:55:57.237671798Z");
  CHECK(parse_rfc3339("1970-01-01T00:00:00Z") == 0);
  CHECK(parse_rfc3339("2026-12-01T21:55:57.5+01:00") == 1796158557500000000);
  CHECK(parse_rfc3339("2026-12-01T20:25:57-00:30") == 1796158557000000000);
  // More than nine fraction digits are cut, not rounded.
  CHECK(parse_rfc3339("2026-12-01T20:55:57.1234567899z") == 1796158557123456789);
  CHECK(parse_rfc3339("1969-12-31T23:59:59Z") == -1'000'000'000);
}

TEST_CASE("text that is not an RFC 3339 time reads as unknown", "[time]") {
  for (const char* bad : {"", "2026-12-01", "2026-12-01T20:55:57", "2026-13-01T20:55:57Z", "2026-11-31T20:55:57Z",
                          "2026-12-01T24:00:00Z", "2026-12-01T20:55:57.Z", "2026-12-01T20:55:57Zx",
                          "2026-12-01T20:55:57+0100", "2026/12/01T20:55:57Z", "0001-01-01T00:00:00", "yesterday"}) {
    INFO(bad);
    CHECK_FALSE(parse_rfc3339(bad));
  }
}
