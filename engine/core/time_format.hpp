#pragma once
// Timestamps as ISO 8601 UTC text.

#include <cstdint>
#include <string>

namespace drydock {

// "2026-11-22T16:31:57.123456789Z" from nanoseconds since the Unix epoch.
std::string iso8601_utc(std::int64_t unix_ns);

}  // namespace drydock
