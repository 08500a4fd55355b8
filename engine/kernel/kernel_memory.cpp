#include "engine/kernel/kernel_memory.hpp"

#include <algorithm>

namespace drydock {

std::optional<std::string> KernelMemory::read_string(std::uint64_t address, std::size_t max_bytes) const {
  std::string out;
  // Read in chunks that stop at page boundaries, so a string that ends just
  // before an unmapped page is still read.
  while (out.size() < max_bytes) {
    const std::uint64_t at = address + out.size();
    const std::size_t to_page_end = 4096 - static_cast<std::size_t>(at & 4095);
    const std::size_t chunk = std::min(to_page_end, max_bytes - out.size());
    std::vector<std::byte> buffer(chunk);
    if (!read(at, buffer)) {
      if (out.empty()) return std::nullopt;
      break;
    }
    const auto* begin = reinterpret_cast<const char*>(buffer.data());
    const auto* nul = std::find(begin, begin + chunk, '\0');
    out.append(begin, nul);
    if (nul != begin + chunk) break;
  }
  return out;
}

std::optional<std::vector<std::byte>> KernelMemory::read_struct(std::uint64_t address, std::string_view type) const {
  const auto size = symbols_->size_of(type);
  if (!size || *size == 0 || *size > (1u << 20)) return std::nullopt;
  std::vector<std::byte> bytes(*size);
  if (!read(address, bytes)) return std::nullopt;
  return bytes;
}

std::string StructBytes::chars(std::uint32_t offset, std::size_t length) const {
  if (offset >= bytes_.size()) return {};
  length = std::min(length, bytes_.size() - offset);
  const auto* begin = reinterpret_cast<const char*>(bytes_.data() + offset);
  return std::string(begin, std::find(begin, begin + length, '\0'));
}

}  // namespace drydock
