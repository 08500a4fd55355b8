#include "engine/kernel/kallsyms_locator.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <fmt/format.h>
#include <string>

namespace drydock {
namespace {

constexpr std::size_t kAlign = 8;          // every table is 8-byte aligned
constexpr std::size_t kTokens = 256;
constexpr std::size_t kIndexBytes = kTokens * 2;
constexpr std::size_t kMaxToken = 256;     // as the decoder bounds tokens
constexpr std::size_t kMaxMarkers = kMaxKallsymsSymbols / 256 + 1;
constexpr std::size_t kMaxBlockBytes = 256 * (2 + kMaxKallsymsName);  // 256 names at most this long
constexpr std::size_t kMaxIndexHits = 8;   // token indexes tried

std::uint64_t load(std::span<const std::byte> bytes, std::size_t at, std::size_t width) {
  std::uint64_t v = 0;
  std::memcpy(&v, bytes.data() + at, width);
  return v;
}

std::size_t align_up(std::size_t n) { return (n + kAlign - 1) / kAlign * kAlign; }

// Where the token table starts, if a token index at `p` points into a token
// table that ends (padded to 8) right before it.
std::optional<std::size_t> token_table_before(std::span<const std::byte> image, std::size_t p) {
  std::array<std::size_t, kTokens> offsets{};
  for (std::size_t i = 0; i < kTokens; ++i) {
    offsets[i] = static_cast<std::size_t>(load(image, p + i * 2, 2));
    if (i == 0 ? offsets[0] != 0 : offsets[i] <= offsets[i - 1] + 1 || offsets[i] - offsets[i - 1] > kMaxToken + 1) {
      return std::nullopt;
    }
  }
  const char* bytes = reinterpret_cast<const char*>(image.data());
  for (std::size_t pad = 0; pad < kAlign && pad + 2 <= p; ++pad) {
    const std::size_t end = p - pad;  // one past the last token's NUL
    if (bytes[end - 1] != 0 || (pad > 0 && bytes[end] != 0)) continue;
    // The last token: back from its NUL to the one before it.
    std::size_t start = end - 1;
    while (start > 0 && end - start <= kMaxToken + 1 && bytes[start - 1] != 0) --start;
    if (start < offsets[kTokens - 1] || start == end - 1) continue;
    const std::size_t q = start - offsets[kTokens - 1];
    bool ok = true;
    std::array<bool, 10> digits{};
    for (std::size_t i = 0; i < kTokens && ok; ++i) {
      const std::size_t from = q + offsets[i];
      const std::size_t to = i + 1 < kTokens ? q + offsets[i + 1] - 1 : end - 1;  // the token's NUL
      if (bytes[to] != 0) ok = false;
      for (std::size_t k = from; k < to && ok; ++k) {
        const auto c = static_cast<unsigned char>(bytes[k]);
        if (c < 0x20 || c > 0x7e) ok = false;
      }
      if (ok && to == from + 1 && bytes[from] >= '0' && bytes[from] <= '9') digits[bytes[from] - '0'] = true;
    }
    if (ok && std::all_of(digits.begin(), digits.end(), [](bool d) { return d; })) return q;
  }
  return std::nullopt;
}

// kallsyms_markers ending at `end` with entries of `width` bytes: the
// offset where it starts and its entry count, if increasing from 0.
struct Markers {
  std::size_t start = 0;
  std::size_t count = 0;
  std::uint64_t last = 0;
};
std::optional<Markers> markers_before(std::span<const std::byte> image, std::size_t end, std::size_t width) {
  std::optional<std::uint64_t> next;
  Markers m;
  for (std::size_t at = end; at >= width && m.count < kMaxMarkers; at -= width) {
    const std::uint64_t v = load(image, at - width, width);
    if (!next) m.last = v;
    ++m.count;
    if (v == 0) {
      if (m.count < 2) return std::nullopt;  // padding, or a kernel of under 257 symbols
      m.start = at - width;
      return m;
    }
    if (next && v >= *next) return std::nullopt;
    next = v;
  }
  return std::nullopt;
}

// Candidates for kallsyms_markers found at markers.start, ending at
// `markers_end`; with `seqs`, kallsyms_seqs_of_names (3 bytes a symbol,
// padded to 8) lies between them and the token table at q.
void add_names(std::span<const std::byte> image, std::uint64_t image_address, std::size_t q, std::size_t p,
               const Markers& markers, std::size_t markers_end, bool seqs, std::size_t max_candidates,
               std::vector<KallsymsTables>& out) {
  if (markers.last > markers.start) return;
  // kallsyms_names starts where the markers say the names take at least
  // markers.last bytes and at most one more block; num_syms 8 before.
  const std::size_t highest = markers.start - static_cast<std::size_t>(markers.last);
  const std::size_t lowest = highest > kMaxBlockBytes + 16 ? highest - kMaxBlockBytes : 16;
  for (std::size_t y = highest; y >= lowest && out.size() < max_candidates; --y) {
    if ((image_address + y) % kAlign != 0 || load(image, y - 4, 4) != 0) continue;
    const std::uint64_t count = load(image, y - 8, 4);
    if (count == 0 || (count + 255) / 256 != markers.count) continue;
    if (seqs && align_up(align_up(markers_end) + static_cast<std::size_t>(count) * 3) != q) continue;
    KallsymsTables base;
    base.names = image.subspan(y, markers.start - y);
    base.token_table = image.subspan(q, p - q);
    base.token_index = image.subspan(p, kIndexBytes);
    base.num_syms = count;
    const auto array_at = [&](std::size_t at, std::size_t entry, std::optional<std::size_t> relative_base) {
      KallsymsTables t = base;
      t.addresses = image.subspan(at, std::min<std::size_t>(count * entry, image.size() - at));
      t.addresses_at = image_address + at;
      if (relative_base && *relative_base + 8 <= image.size()) t.relative_base = load(image, *relative_base, 8);
      if (out.size() < max_candidates) out.push_back(t);
    };
    // Up to 6.3: kallsyms_offsets, kallsyms_relative_base, kallsyms_num_syms.
    if (y >= 16 + align_up(count * 4)) array_at(y - 16 - align_up(count * 4), 4, y - 16);
    // kallsyms_addresses, kallsyms_num_syms (no relative base).
    if (y >= 8 + count * 8) array_at(y - 8 - count * 8, 8, std::nullopt);
    // 6.4 on: kallsyms_offsets, kallsyms_relative_base after the token index.
    const std::size_t after = p + kIndexBytes;
    if (after < image.size()) array_at(after, 4, align_up(after + count * 4));
    return;  // the nearest count that fits is the one
  }
}

void add_candidates(std::span<const std::byte> image, std::uint64_t image_address, std::size_t q, std::size_t p,
                    std::size_t max_candidates, std::vector<KallsymsTables>& out) {
  for (std::size_t width : {std::size_t{4}, std::size_t{8}}) {
    // The markers right before the token table (padded to 8).
    for (std::size_t pad : {std::size_t{0}, std::size_t{4}}) {
      if (q < pad) continue;
      if (auto markers = markers_before(image, q - pad, width)) {
        add_names(image, image_address, q, p, *markers, q - pad, false, max_candidates, out);
      }
    }
    // Or kallsyms_seqs_of_names between them: for each marker count M, the
    // places its end can be for a count of 256(M-1)+1 to 256M symbols.
    for (std::size_t m = 2; m <= kMaxMarkers && out.size() < max_candidates; ++m) {
      const std::size_t fewest = align_up(3 * (256 * (m - 1) + 1));
      const std::size_t most = align_up(3 * 256 * m);
      if (most + width * m + kAlign > q) break;
      for (std::size_t seqs = fewest; seqs <= most; seqs += kAlign) {
        for (std::size_t pad : {std::size_t{0}, std::size_t{4}}) {
          const std::size_t end = q - seqs - pad;
          // Cheap filter: markers[0] is 0 and the last one is not.
          if (load(image, end - width * m, width) != 0 || load(image, end - width, width) == 0) continue;
          auto markers = markers_before(image, end, width);
          if (markers && markers->count == m) {
            add_names(image, image_address, q, p, *markers, end, true, max_candidates, out);
          }
        }
      }
    }
  }
}

}  // namespace

std::vector<KallsymsTables> kallsyms_table_candidates(std::span<const std::byte> image, std::uint64_t image_address,
                                                      std::size_t max_candidates) {
  std::vector<KallsymsTables> out;
  std::size_t hits = 0;
  const std::size_t first = static_cast<std::size_t>((kAlign - image_address % kAlign) % kAlign);
  for (std::size_t p = first; p + kIndexBytes <= image.size() && hits < kMaxIndexHits; p += kAlign) {
    // Cheap filter first: offset 0, then a short first token.
    if (load(image, p, 2) != 0) continue;
    const std::uint64_t second = load(image, p + 2, 2);
    if (second < 2 || second > kMaxToken + 1) continue;
    auto q = token_table_before(image, p);
    if (!q) continue;
    ++hits;
    add_candidates(image, image_address, *q, p, max_candidates, out);
    if (out.size() >= max_candidates) break;
  }
  return out;
}

Result<Kallsyms> locate_kallsyms(std::span<const std::byte> image, std::uint64_t image_address,
                                 std::span<const KnownAddress> known) {
  const std::vector<KallsymsTables> candidates = kallsyms_table_candidates(image, image_address);
  std::string last;
  for (const KallsymsTables& t : candidates) {
    auto decoded = decode_kallsyms(t, known);
    if (decoded) return decoded;
    last = decoded.error().message;
  }
  if (candidates.empty()) {
    return Error::of(fmt::format("no kallsyms token table and index (256 increasing u16 offsets into 256 short "
                                 "strings holding the digits as tokens), with markers and a symbol count before "
                                 "them, in the {} bytes of the kernel image from {:#x}",
                                 image.size(), image_address));
  }
  return Error::of(fmt::format("{} candidate kallsyms tables found by structure in the kernel image from {:#x}, none "
                               "decodes to the known addresses; the last: {}",
                               candidates.size(), image_address, last));
}

std::vector<std::uint64_t> find_banners_in_image(std::span<const std::byte> image, std::uint64_t image_address,
                                                 std::string_view release, std::size_t max_hits) {
  std::vector<std::uint64_t> out;
  if (release.empty()) return out;
  const std::string needle = fmt::format("Linux version {} ", release);
  const std::string_view text(reinterpret_cast<const char*>(image.data()), image.size());
  for (std::size_t at = text.find(needle); at != std::string_view::npos && out.size() < max_hits;
       at = text.find(needle, at + 1)) {
    out.push_back(image_address + at);
  }
  return out;
}

}  // namespace drydock
