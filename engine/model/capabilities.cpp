#include "engine/model/capabilities.hpp"

#include <algorithm>
#include <cctype>

namespace drydock {

std::optional<unsigned> capability_bit(std::string_view name) {
  std::string upper(name);
  std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
  if (!upper.starts_with("CAP_")) upper = "CAP_" + upper;
  for (unsigned bit = 0; bit < kCapabilityNames.size(); ++bit) {
    if (kCapabilityNames[bit] == upper) return bit;
  }
  return std::nullopt;
}

}  // namespace drydock
