#pragma once
// Linux capability names, bit 0 (CAP_CHOWN) to 40 (CAP_CHECKPOINT_RESTORE),
// as in include/uapi/linux/capability.h of Linux 6.1.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace drydock::rules {

inline constexpr int kCapabilityCount = 41;

// Index = bit number.
std::span<const std::string_view> capability_names();

std::optional<int> capability_bit(std::string_view name);

// The names of the bits set in `mask`, lowest bit first; unknown bits as "CAP_<n>".
std::vector<std::string> capability_names_of(std::uint64_t mask);

}  // namespace drydock::rules
