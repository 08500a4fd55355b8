// The LiME format: a sequence of 32-byte headers, each followed by the bytes of
// the physical range it names (end address inclusive).

#include <algorithm>
#include <string>
#include <vector>

#include "engine/dump/detail/bytes.hpp"
#include "engine/dump/physical_memory.hpp"

namespace drydock {

namespace {

using detail::hex;
using detail::hex_range;

constexpr std::uint32_t kLimeMagic = 0x4C694D45;  // "EMiL" on disk
constexpr std::uint32_t kLimeVersion = 1;
constexpr std::uint32_t kAvmlCompressedVersion = 2;
constexpr std::uint64_t kHeaderSize = 32;

struct LimeRange {
  PhysicalRange range;
  std::size_t index = 0;           // position in the file, from 0
  std::uint64_t header_offset = 0;

  std::string describe() const {
    return "LiME range " + std::to_string(index) + " (" + hex_range(range.start, range.end() - 1) +
           ") at offset " + std::to_string(header_offset);
  }
};

}  // namespace

Result<DumpLayout> parse_lime(std::span<const std::byte> file, std::string_view name_view) {
  const std::string name(name_view);
  const std::uint64_t size = file.size();
  std::vector<LimeRange> found;
  std::uint64_t offset = 0;
  while (offset < size) {
    const std::size_t index = found.size();
    if (index == kMaxDumpRanges) {
      return Error::of(name + ": more than " + std::to_string(kMaxDumpRanges) + " LiME ranges (next header at offset " +
                       std::to_string(offset) + "); refusing the file");
    }
    if (!detail::fits(offset, kHeaderSize, size)) {
      return Error::of(name + ": truncated LiME header at offset " + std::to_string(offset) + ": " +
                       std::to_string(size - offset) + " bytes left, a header needs " + std::to_string(kHeaderSize));
    }
    const auto magic = detail::load_le<std::uint32_t>(file, offset);
    const auto version = detail::load_le<std::uint32_t>(file, offset + 4);
    const auto first = detail::load_le<std::uint64_t>(file, offset + 8);
    const auto last = detail::load_le<std::uint64_t>(file, offset + 16);
    const std::string where = "LiME header " + std::to_string(index) + " at offset " + std::to_string(offset);
    if (magic != kLimeMagic) {
      return Error::of(name + ": bad magic " + hex(magic) + " in " + where + " (expected " + hex(kLimeMagic) +
                       "); the previous range's size or the file is wrong");
    }
    if (version == kAvmlCompressedVersion) {
      return Error::of(name + ": " + where +
                       " has version 2 (AVML snappy-compressed LiME), which is not supported yet; convert it with "
                       "`avml-convert` to plain LiME first");
    }
    if (version != kLimeVersion) {
      return Error::of(name + ": " + where + " has unsupported version " + std::to_string(version) +
                       " (expected 1)");
    }
    if (last < first) {
      return Error::of(name + ": " + where + " ends before it starts (s_addr " + hex(first) + ", e_addr " +
                       hex(last) + ")");
    }
    if (last >= kMaxPhysicalAddress) {
      return Error::of(name + ": " + where + " names range " + hex_range(first, last) +
                       ", beyond the 52-bit physical address space");
    }
    LimeRange lime{{first, last - first + 1, offset + kHeaderSize}, index, offset};
    if (!detail::fits(lime.range.file_offset, lime.range.size, size)) {
      return Error::of(name + ": " + lime.describe() + " runs past the end of the file (needs " +
                       std::to_string(lime.range.size) + " bytes from offset " +
                       std::to_string(lime.range.file_offset) + ", file is " + std::to_string(size) + " bytes)");
    }
    found.push_back(lime);
    offset = lime.range.file_offset + lime.range.size;
  }
  if (found.empty()) return Error::of(name + ": empty file, not a memory dump");

  std::stable_sort(found.begin(), found.end(),
                   [](const LimeRange& a, const LimeRange& b) { return a.range.start < b.range.start; });
  DumpLayout layout{DumpFormat::lime, {}};
  layout.ranges.reserve(found.size());
  for (std::size_t i = 0; i < found.size(); ++i) {
    if (i > 0 && found[i].range.start < found[i - 1].range.end()) {
      return Error::of(name + ": overlapping LiME ranges: " + found[i - 1].describe() + " and " + found[i].describe());
    }
    layout.ranges.push_back(found[i].range);
  }
  return layout;
}

}  // namespace drydock
