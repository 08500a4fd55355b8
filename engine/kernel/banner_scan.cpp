#include "engine/kernel/banner_scan.hpp"

#include <algorithm>
#include <cstring>
#include <functional>
#include <span>
#include <string>

namespace drydock {
namespace {

constexpr std::string_view kPrefix = "Linux version ";
constexpr std::size_t kMaxBanner = 512;

// Calls visit(physical, bytes-from-there) for each occurrence of needle in
// the saved ranges, with at least kMaxBanner bytes after the occurrence
// unless its range ends first; stops when visit returns false.
//
// The ranges are read in chunks through the file (PhysicalMemory::probe),
// not through the mapping: a scan reads every byte, and through the mapping
// every page of the dump would become resident in this process.
template <typename Visit>
void for_each_occurrence(const PhysicalMemory& memory, std::string_view needle, Visit visit) {
  constexpr std::size_t kChunk = std::size_t{4} << 20;
  const std::size_t overlap = needle.size() + kMaxBanner;  // what an occurrence near a chunk's end needs
  if (needle.empty() || overlap >= kChunk / 2) return;      // no real banner is that long
  const std::boyer_moore_horspool_searcher searcher(needle.begin(), needle.end());
  std::string chunk(kChunk, '\0');
  for (const PhysicalRange& range : memory.ranges()) {
    for (std::uint64_t done = 0; done < range.size;) {
      const std::size_t size = static_cast<std::size_t>(std::min<std::uint64_t>(kChunk, range.size - done));
      if (!memory.probe(range.start + done, std::as_writable_bytes(std::span(chunk.data(), size)))) break;
      const bool last = done + size == range.size;
      // Occurrences starting in the overlap are left to the next chunk.
      const std::size_t searched = last ? size : size - overlap;
      const char* begin = chunk.data();
      const char* end = begin + size;
      for (const char* at = begin;;) {
        at = std::search(at, end, searcher);
        if (at == end || static_cast<std::size_t>(at - begin) >= searched) break;
        const auto offset = static_cast<std::uint64_t>(at - begin);
        if (!visit(range.start + done + offset, std::string_view(at, static_cast<std::size_t>(end - at)))) return;
        ++at;
      }
      done += searched;
    }
  }
}

}  // namespace

std::vector<BannerHit> scan_banners(const PhysicalMemory& memory, std::size_t max_distinct) {
  std::vector<BannerHit> hits;
  for_each_occurrence(memory, kPrefix, [&](std::uint64_t physical, std::string_view rest) {
    const std::size_t limit = std::min(rest.size(), kMaxBanner);
    std::size_t n = kPrefix.size();
    while (n < limit && rest[n] >= 0x20 && rest[n] < 0x7f) ++n;
    // A real banner ends with a newline and names the compiler in parentheses.
    if (n >= limit || rest[n] != '\n') return true;
    std::string_view text = rest.substr(0, n);
    if (text.find(" (") == std::string_view::npos || text.find('#') == std::string_view::npos) return true;
    const bool seen = std::any_of(hits.begin(), hits.end(), [&](const BannerHit& h) { return h.text == text; });
    if (!seen) hits.push_back({physical, std::string(text)});
    return hits.size() < max_distinct;
  });
  return hits;
}

std::vector<std::uint64_t> find_banner(const PhysicalMemory& memory, std::string_view banner,
                                       std::size_t max_hits) {
  std::vector<std::uint64_t> hits;
  if (banner.empty()) return hits;
  for_each_occurrence(memory, banner, [&](std::uint64_t physical, std::string_view) {
    hits.push_back(physical);
    return hits.size() < max_hits;
  });
  return hits;
}

std::vector<std::uint64_t> find_banner_aligned(const PhysicalMemory& memory, std::string_view banner,
                                               std::uint64_t banner_link, std::uint64_t align) {
  std::vector<std::uint64_t> found;
  if (banner.empty() || align == 0) return found;
  const std::uint64_t residue = banner_link % align;  // __START_KERNEL_map is itself aligned
  std::string bytes(banner.size(), '\0');
  const auto out = std::as_writable_bytes(std::span(bytes.data(), bytes.size()));
  for (const PhysicalRange& range : memory.ranges()) {
    std::uint64_t first = range.start - range.start % align + residue;
    if (first < range.start) first += align;
    for (std::uint64_t p = first; p < range.end() && banner.size() <= range.end() - p; p += align) {
      if (memory.probe(p, out) && bytes == banner) found.push_back(p);
    }
  }
  return found;
}

std::string kernel_release_of(std::string_view banner) {
  if (!banner.starts_with(kPrefix)) return {};
  banner.remove_prefix(kPrefix.size());
  return std::string(banner.substr(0, banner.find(' ')));
}

}  // namespace drydock
