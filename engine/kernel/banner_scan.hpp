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

// Physical addresses where `banner` lies at the positions a kernel image
// loaded at a multiple of `align` (CONFIG_PHYSICAL_ALIGN, at least 2 MiB on
// x86-64) puts it: linux_banner's link address `banner_link` fixes the offset
// within each aligned block. Reads through the file (PhysicalMemory::probe),
// one small read per block: a 1 GiB dump costs 512 reads, not a scan.
std::vector<std::uint64_t> find_banner_aligned(const PhysicalMemory& memory, std::string_view banner,
                                               std::uint64_t banner_link, std::uint64_t align);

// The kernel release ("6.1.0-56-amd64") from a banner; empty if it has none.
std::string kernel_release_of(std::string_view banner);

}  // namespace drydock
