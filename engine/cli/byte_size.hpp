#pragma once
// Sizes as users write them on the command line: "512M", "2G", "1.5GiB",
// "4096". Suffixes are binary (K = 1024) and case-insensitive; "B", "iB" may
// follow them.

#include <cstdint>
#include <optional>
#include <string_view>

namespace drydock {

// nullopt for anything else: no digits, a negative or unknown suffix, a
// value that overflows 64 bits.
std::optional<std::uint64_t> parse_byte_size(std::string_view text);

// Half of the machine's physical memory: the default of --max-memory.
std::uint64_t default_max_memory();

}  // namespace drydock
