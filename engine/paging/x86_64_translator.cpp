#include "engine/paging/x86_64_translator.hpp"

#include <array>
#include <algorithm>
#include <cstring>
#include <fmt/format.h>

namespace drydock {
namespace {

constexpr std::uint64_t kPresent = 1ULL << 0;
constexpr std::uint64_t kPageSizeBit = 1ULL << 7;  // PS: this entry maps a large page

struct Level {
  const char* name;
  unsigned shift;  // the bit where this level's 9-bit index starts
};

constexpr std::array<Level, 5> kLevels{{
    {"PML5", 48}, {"PML4", 39}, {"PDPT", 30}, {"PD", 21}, {"PT", 12}}};

std::string hex(std::uint64_t v) { return fmt::format("{:#x}", v); }

}  // namespace

Result<Translation> X86Translator::translate(std::uint64_t virtual_address) const {
  // The bits above the top level's index must copy its highest bit; the MMU
  // faults on any other address, so a corrupted pointer must not translate.
  const unsigned bits = mode_ == PagingMode::level5 ? 57 : 48;
  const auto canonical = static_cast<std::uint64_t>(static_cast<std::int64_t>(virtual_address << (64 - bits)) >> (64 - bits));
  if (canonical != virtual_address) {
    return Error::of(fmt::format("virtual {}: not a canonical address", hex(virtual_address)));
  }
  std::uint64_t table = dtb_;
  const std::size_t first = mode_ == PagingMode::level5 ? 0 : 1;
  for (std::size_t i = first; i < kLevels.size(); ++i) {
    const Level& level = kLevels[i];
    const std::uint64_t index = (virtual_address >> level.shift) & 0x1ff;
    const std::uint64_t entry_address = table + index * 8;
    std::array<std::byte, 8> raw{};
    if (!memory_->read(entry_address, raw)) {
      return Error::of(fmt::format("virtual {}: {} entry at physical {} is not in the dump",
                                   hex(virtual_address), level.name, hex(entry_address)));
    }
    std::uint64_t entry = 0;
    std::memcpy(&entry, raw.data(), sizeof entry);
    if (!(entry & kPresent)) {
      return Error::of(fmt::format("virtual {}: {} entry {} is not present", hex(virtual_address),
                                   level.name, hex(entry)));
    }
    // Only PDPT (1 GiB) and PD (2 MiB) entries may map a large page.
    const bool large = (entry & kPageSizeBit) && (level.shift == 30 || level.shift == 21);
    if (large || level.shift == 12) {
      const std::uint64_t page_size = 1ULL << level.shift;
      const std::uint64_t base = entry & kAddressMask & ~(page_size - 1);
      return Translation{base | (virtual_address & (page_size - 1)), page_size};
    }
    table = entry & kAddressMask;
  }
  return Error::of(fmt::format("virtual {}: page walk ended without a page", hex(virtual_address)));
}

bool X86Translator::read(std::uint64_t virtual_address, std::span<std::byte> out) const {
  std::size_t done = 0;
  while (done < out.size()) {
    const std::uint64_t address = virtual_address + done;
    auto translation = translate(address);
    if (!translation) return false;
    const std::uint64_t in_page = translation->page_size - (address & (translation->page_size - 1));
    const std::size_t chunk = static_cast<std::size_t>(std::min<std::uint64_t>(in_page, out.size() - done));
    if (!memory_->read(translation->physical, out.subspan(done, chunk))) return false;
    done += chunk;
  }
  return true;
}

}  // namespace drydock
