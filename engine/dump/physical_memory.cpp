#include "engine/dump/physical_memory.hpp"

#include <algorithm>
#include <cstring>
#include <utility>

#include "engine/dump/detail/bytes.hpp"

namespace drydock {

std::string_view to_string(DumpFormat f) {
  switch (f) {
    case DumpFormat::raw: return "raw";
    case DumpFormat::lime: return "lime";
    case DumpFormat::elf_core: return "elf_core";
  }
  return "unknown";
}

DumpFormat detect_format(std::span<const std::byte> file) {
  auto starts_with = [file](std::string_view magic) {
    return file.size() >= magic.size() && std::memcmp(file.data(), magic.data(), magic.size()) == 0;
  };
  if (starts_with("EMiL")) return DumpFormat::lime;
  if (starts_with("\x7f" "ELF")) return DumpFormat::elf_core;
  return DumpFormat::raw;
}

Result<DumpLayout> parse_raw(std::span<const std::byte> file, std::string_view name) {
  if (file.empty()) return Error::of(std::string(name) + ": empty file, not a memory dump");
  if (file.size() < kMinRawDumpBytes) {
    return Error::of(std::string(name) + ": " + std::to_string(file.size()) +
                     " bytes is too small to be a memory dump (not LiME, not an ELF core, and a raw image needs at "
                     "least " + std::to_string(kMinRawDumpBytes) + " bytes)");
  }
  return DumpLayout{DumpFormat::raw, {PhysicalRange{0, file.size(), 0}}};
}

Result<DumpLayout> parse_layout(std::span<const std::byte> file, std::string_view name) {
  switch (detect_format(file)) {
    case DumpFormat::lime: return parse_lime(file, name);
    case DumpFormat::elf_core: return parse_elf_core(file, name);
    case DumpFormat::raw: break;
  }
  return parse_raw(file, name);
}

Result<PhysicalMemory> PhysicalMemory::open(const std::filesystem::path& path, const OpenOptions& options) {
  auto mapped = MappedFile::open(path);
  if (!mapped) return mapped.error();
  PhysicalMemory memory;
  memory.path_ = path.string();
  memory.compression_ = detect_compression(mapped->bytes().first(std::min<std::size_t>(mapped->bytes().size(), 8)));
  std::string name = memory.path_;
  if (memory.compression_ != Compression::none) {
    mapped = decompress_to_mapping(path, memory.compression_, options.temp_dir, options.decoder_memory_limit,
                                   options.in_memory_limit, &memory.held_in_memory_);
    if (!mapped) return mapped.error();
    // Offsets in framing errors are offsets in the decompressed bytes.
    name += " (decompressed)";
  }
  memory.mapping_ = std::move(*mapped);
  memory.file_ = memory.mapping_.bytes();
  auto layout = parse_layout(memory.file_, name);
  if (!layout) return layout.error();
  memory.layout_ = std::move(*layout);
  memory.recorder_ = options.recorder;
  return memory;
}

Result<PhysicalMemory> PhysicalMemory::from_bytes(std::span<const std::byte> file, std::string name) {
  auto layout = parse_layout(file, name);
  if (!layout) return layout.error();
  PhysicalMemory memory;
  memory.path_ = std::move(name);
  memory.file_ = file;
  memory.layout_ = std::move(*layout);
  return memory;
}

const PhysicalRange* PhysicalMemory::find_range(std::uint64_t address) const {
  const auto& ranges = layout_.ranges;
  // The last range starting at or before `address`.
  auto it = std::upper_bound(ranges.begin(), ranges.end(), address,
                             [](std::uint64_t a, const PhysicalRange& r) { return a < r.start; });
  if (it == ranges.begin()) return nullptr;
  --it;
  return address < it->end() ? &*it : nullptr;
}

bool PhysicalMemory::contains(std::uint64_t address, std::uint64_t size) const {
  if (size == 0) return true;
  if (address > UINT64_MAX - size) return false;
  const PhysicalRange* range = find_range(address);
  if (range == nullptr) return false;
  const PhysicalRange* const past = layout_.ranges.data() + layout_.ranges.size();
  const std::uint64_t end = address + size;
  // Ranges are sorted and disjoint: the request is saved if it runs through
  // adjacent ranges without a gap.
  while (range->end() < end) {
    const PhysicalRange* next = range + 1;
    if (next == past || next->start != range->end()) return false;
    range = next;
  }
  return true;
}

template <typename Copy>
bool PhysicalMemory::gather(std::uint64_t address, std::span<std::byte> out, Copy copy) const {
  if (out.empty()) return true;
  if (address > UINT64_MAX - out.size()) return false;
  const PhysicalRange* range = find_range(address);
  if (range == nullptr) return false;
  const PhysicalRange* const past = layout_.ranges.data() + layout_.ranges.size();
  std::size_t done = 0;
  for (;;) {
    const std::uint64_t at = address + done;
    const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(out.size() - done, range->end() - at));
    if (!copy(range->file_offset + (at - range->start), out.subspan(done, n))) return false;
    done += n;
    if (done == out.size()) return true;
    const PhysicalRange* next = range + 1;
    if (next == past || next->start != range->end()) return false;
    range = next;
  }
}

bool PhysicalMemory::copy_out(std::uint64_t address, std::span<std::byte> out) const {
  return gather(address, out, [this](std::uint64_t offset, std::span<std::byte> to) {
    std::memcpy(to.data(), file_.data() + offset, to.size());
    return true;
  });
}

bool PhysicalMemory::read(std::uint64_t address, std::span<std::byte> out) const {
  const bool ok = copy_out(address, out);
  if (ok && recorder_ && !out.empty()) recorder_->record(address, out.size());
  return ok;
}

bool PhysicalMemory::probe(std::uint64_t address, std::span<std::byte> out) const {
  // Memory given as bytes (from_bytes) has no file behind it.
  if (mapping_.bytes().empty()) return copy_out(address, out);
  return gather(address, out, [this](std::uint64_t offset, std::span<std::byte> to) {
    return mapping_.read_at(offset, to);
  });
}

std::span<const std::byte> PhysicalMemory::view(std::uint64_t address, std::size_t size) const {
  const PhysicalRange* range = find_range(address);
  if (range == nullptr || size > range->end() - address) return {};
  if (recorder_) recorder_->record(address, size);
  return file_.subspan(range->file_offset + (address - range->start), size);
}

}  // namespace drydock
