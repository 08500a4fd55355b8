#pragma once
// Finds Linux banners ("Linux version 6.1.0-... (gcc ...) #1 SMP ...") in the
// saved physical memory, without any symbols. Used to choose a symbol table
// and to locate the kernel image.

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/dump/physical_memory.hpp"

namespace drydock {

struct BannerHit {
  std::uint64_t physical = 0;
  std::string text;  // up to the newline, without it
};

// The distinct banner strings in the dump, first occurrence of each, at most
// max_distinct of them. A banner is "Linux version " followed by printable
// text up to a newline, at most 512 bytes.
std::vector<BannerHit> scan_banners(const PhysicalMemory& memory, std::size_t max_distinct = 16);

// Physical addresses where `banner` (without trailing newline) occurs,
// at most max_hits of them.
std::vector<std::uint64_t> find_banner(const PhysicalMemory& memory, std::string_view banner,
                                       std::size_t max_hits = 64);

// The kernel release ("6.1.0-56-amd64") from a banner; empty if it has none.
std::string kernel_release_of(std::string_view banner);

}  // namespace drydock
