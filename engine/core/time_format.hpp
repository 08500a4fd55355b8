#pragma once
// Timestamps as ISO 8601 UTC text, and RFC 3339 text read back.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace drydock {

// "2026-11-22T16:31:57.123456789Z" from nanoseconds since the Unix epoch.
std::string iso8601_utc(std::int64_t unix_ns);

// Nanoseconds since the Unix epoch from RFC 3339 text, as container engines
// record times ("2026-12-01T20:55:57.237671798Z", "...57+01:00", "...57.5z";
// up to 9 fraction digits, more are cut). nullopt for anything else,
// including out-of-range fields (month 13, hour 24, day 31 of a 30-day month).
std::optional<std::int64_t> parse_rfc3339(std::string_view text);

}  // namespace drydock
