// libFuzzer target: the framing of a dump file (LiME, ELF core, raw) and the
// reads through it; each raw input is also fuzzed as a 1 MiB raw image.
// Any byte string is a "file": its layout is decoded, the decoded ranges are
// checked against PhysicalMemory's contract, and reads, views and contains()
// are made at each range's edges and at addresses taken from the input. The
// ELF note reader and the banner scan run on it too.
// Crashes, sanitizer reports, hangs and broken invariants (__builtin_trap)
// are bugs; errors are the expected outcome.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>
#include <vector>

#include "engine/dump/elf_notes.hpp"
#include "engine/dump/physical_memory.hpp"
#include "engine/kernel/banner_scan.hpp"

namespace {

using drydock::PhysicalMemory;
using drydock::PhysicalRange;

void check(bool condition) {
  if (!condition) __builtin_trap();
}

// The decoded layout keeps the promises of physical_memory.hpp: sorted, not
// overlapping, inside the file, below kMaxPhysicalAddress.
void check_layout(const PhysicalMemory& memory, std::size_t file_size) {
  const auto& ranges = memory.ranges();
  check(ranges.size() <= drydock::kMaxDumpRanges);
  for (std::size_t i = 0; i < ranges.size(); ++i) {
    const PhysicalRange& r = ranges[i];
    check(r.size > 0);
    check(r.start <= drydock::kMaxPhysicalAddress && r.size <= drydock::kMaxPhysicalAddress - r.start);
    check(r.file_offset <= file_size && r.size <= file_size - r.file_offset);
    if (i > 0) check(ranges[i - 1].end() <= r.start);
  }
}

// read(), view() and contains() agree with each other and with the file.
void probe(const PhysicalMemory& memory, std::uint64_t address, std::size_t size) {
  std::array<std::byte, 64> buffer{};
  size = std::min(size, buffer.size());
  const std::span<std::byte> out(buffer.data(), size);
  const bool read_ok = memory.read(address, out);
  const bool contained = memory.contains(address, size);
  check(read_ok == contained);
  std::array<std::byte, 64> probed{};
  check(memory.probe(address, std::span(probed.data(), size)) == read_ok);
  check(!read_ok || std::memcmp(probed.data(), buffer.data(), size) == 0);
  const std::span<const std::byte> view = memory.view(address, size);
  if (!view.empty()) {
    check(view.size() == size && contained);
    const auto file = memory.file_bytes();
    check(view.data() >= file.data() && view.data() + view.size() <= file.data() + file.size());
    check(std::memcmp(view.data(), buffer.data(), size) == 0);
  }
}

std::uint64_t load_u64(const std::uint8_t* data, std::size_t size, std::size_t at) {
  std::uint64_t v = 0;
  if (at < size) std::memcpy(&v, data + at, std::min<std::size_t>(8, size - at));
  return v;
}

// Reads at the edges of the ranges and at addresses taken from the input.
void exercise(const PhysicalMemory& memory, const std::uint8_t* data, std::size_t size) {
  check_layout(memory, memory.file_bytes().size());
  const auto& ranges = memory.ranges();
  // Edges of the first ranges (a LiME may hold many).
  for (std::size_t i = 0; i < std::min<std::size_t>(ranges.size(), 16); ++i) {
    const PhysicalRange& r = ranges[i];
    for (std::size_t n : {std::size_t{1}, std::size_t{8}, std::size_t{64}}) {
      probe(memory, r.start, n);
      probe(memory, r.start - 1, n);
      probe(memory, r.end() - 1, n);
      probe(memory, r.end() - n, n);
      probe(memory, r.end(), n);
    }
  }
  // Addresses chosen by the input: its last 32 bytes as four addresses.
  for (std::size_t k = 0; k < 4 && size >= 32; ++k) {
    const std::uint64_t address = load_u64(data, size, size - 32 + 8 * k);
    probe(memory, address, 1 + (address & 63));
    probe(memory, address & 0xffffffffULL, 8);
  }
  probe(memory, UINT64_MAX, 8);
  probe(memory, UINT64_MAX - 7, 8);
  (void)memory.contains(0, UINT64_MAX);
  (void)memory.contains(UINT64_MAX, UINT64_MAX);
  (void)drydock::scan_banners(memory, 4);
  (void)drydock::find_banner(memory, "Linux version 6", 4);
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::span<const std::byte> file(reinterpret_cast<const std::byte*>(data), size);
  // Each decoder on its own, whatever the magic says.
  (void)drydock::detect_format(file);
  (void)drydock::parse_lime(file, "fuzz.lime");
  (void)drydock::parse_elf_core(file, "fuzz.elf");
  (void)drydock::parse_raw(file, "fuzz.raw");
  (void)drydock::find_vmcoreinfo_note(file);

  if (auto memory = PhysicalMemory::from_bytes(file, "fuzz.dump")) exercise(*memory, data, size);

  // A raw image must be at least kMinRawDumpBytes, far above -max_len: the
  // input also becomes a raw image of that size, holding the input at its
  // start and at its end, so that raw framing, reads at its last bytes and
  // banner scans across the whole of it are fuzzed too. Only inputs that are
  // raw already (no LiME or ELF magic) are widened: scanning 1 MiB costs
  // far more than decoding a header, and LiME and ELF inputs keep their pace.
  if (size == 0 || drydock::detect_format(file) != drydock::DumpFormat::raw) return 0;
  std::vector<std::byte> image(drydock::kMinRawDumpBytes);
  const std::size_t n = std::min(size, image.size() / 2);
  std::memcpy(image.data(), data, n);
  std::memcpy(image.data() + image.size() - n, data + size - n, n);
  auto raw = PhysicalMemory::from_bytes(image, "fuzz.raw");
  check(raw.ok() && raw->format() == drydock::DumpFormat::raw && raw->ranges().size() == 1);
  exercise(*raw, reinterpret_cast<const std::uint8_t*>(image.data()), image.size());
  return 0;
}
