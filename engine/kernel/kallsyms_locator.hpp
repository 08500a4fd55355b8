#pragma once
// Finds the kallsyms tables inside a kernel image by their structure, for
// kernels whose VMCOREINFO does not name them (before 6.0).
//
// What is looked for (scripts/kallsyms.c writes every table 8-byte aligned):
//   * kallsyms_token_index: 256 strictly increasing u16 offsets, the first 0,
//     into kallsyms_token_table, which ends (padded to 8) right before it: 256
//     non-empty printable NUL-terminated strings back to back, among which
//     each digit '0'..'9' is a token of its own.
//   * kallsyms_markers before the token table (u32 or unsigned long, padded
//     to 8): increasing offsets into the names, one per 256 symbols, the
//     first 0; so the number of markers bounds kallsyms_num_syms, which
//     lies 8 bytes before kallsyms_names, which ends at or before the markers.
//   * the addresses, where the kernel of the time put them: before
//     kallsyms_num_syms (kallsyms_offsets then kallsyms_relative_base, or
//     kallsyms_addresses; the layout up to 6.3), or right after the token
//     index (kallsyms_offsets then kallsyms_relative_base; 6.4 on).
//   * kallsyms_seqs_of_names (6.2 and 6.3, and stable kernels that took it,
//     such as Debian's 6.1): 3 bytes a symbol, between the markers and the
//     token table; tried for every marker count.
// Each arrangement gives candidate tables; decode_kallsyms decides, by which
// one reproduces a known address.
//
// Pure and bounded: reads only the span given, at most kMaxKallsymsCandidates
// candidates are built and decoded.

#include <cstddef>
#include <cstdint>
#include <optional>
#include <span>
#include <string_view>
#include <vector>

#include "engine/core/result.hpp"
#include "engine/kernel/kallsyms.hpp"

namespace drydock {

inline constexpr std::size_t kMaxKallsymsCandidates = 32;

// The candidate tables in `image`, whose first byte is at runtime virtual
// address `image_address`; spans point into `image`.
std::vector<KallsymsTables> kallsyms_table_candidates(std::span<const std::byte> image, std::uint64_t image_address,
                                                      std::size_t max_candidates = kMaxKallsymsCandidates);

// The first candidate that decodes and reproduces `known`. The error says
// how far the search got.
Result<Kallsyms> locate_kallsyms(std::span<const std::byte> image, std::uint64_t image_address,
                                 std::span<const KnownAddress> known);

// The runtime addresses of the first max_hits "Linux version <release> " in
// `image`: linux_banner is one, the others are copies (the log buffer, ...).
std::vector<std::uint64_t> find_banners_in_image(std::span<const std::byte> image, std::uint64_t image_address,
                                                 std::string_view release, std::size_t max_hits = 4);

}  // namespace drydock
