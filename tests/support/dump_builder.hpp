#pragma once
// Builds synthetic memory dumps in memory, for tests: LiME, ELF core (as QEMU's
// dump-guest-memory writes them) and raw images, from a list of segments of
// physical memory, or from a PhysicalImageBuilder that collects writes at
// physical addresses page by page (handy for page tables and kernel structures).
//
//   testing::PhysicalImageBuilder image;
//   image.write_u64(0x1000, 0x2003);                 // a page table entry
//   image.write_string(0x5000, "Linux version 6.1.0");
//   auto lime = image.lime();                         // std::vector<std::byte>
//   auto memory = PhysicalMemory::from_bytes(lime, "synthetic.lime");
//
// Header-only; no dependency beyond the standard library.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

namespace drydock::testing {

using Bytes = std::vector<std::byte>;

inline Bytes bytes_of(std::string_view text) {
  Bytes out(text.size());
  if (!text.empty()) std::memcpy(out.data(), text.data(), text.size());
  return out;
}

// n bytes of a deterministic, non-zero, position-dependent pattern: a read
// from the wrong offset shows up as a mismatch.
inline Bytes pattern_bytes(std::size_t n, std::uint8_t seed = 1) {
  Bytes out(n);
  for (std::size_t i = 0; i < n; ++i) {
    out[i] = std::byte(static_cast<std::uint8_t>((i * 131 + (i >> 8) * 7 + seed) % 251 + 1));
  }
  return out;
}

// Stores a little-endian integer at `offset`, growing the buffer if needed.
// Tests use it to corrupt a built image ("bad magic in the 2nd header").
template <typename T>
void put_le(Bytes& buffer, std::size_t offset, T value) {
  static_assert(std::is_unsigned_v<T>);
  if (buffer.size() < offset + sizeof(T)) buffer.resize(offset + sizeof(T));
  // Byte by byte rather than memcpy: GCC 12 at -O3 warns (-Wstringop-overflow)
  // about a memcpy after a resize it cannot see through.
  for (std::size_t i = 0; i < sizeof(T); ++i) buffer[offset + i] = std::byte(static_cast<std::uint8_t>(value >> (8 * i)));
}

template <typename T>
T get_le(std::span<const std::byte> buffer, std::size_t offset) {
  T value{};
  std::memcpy(&value, buffer.data() + offset, sizeof(T));
  return value;
}

inline void append(Bytes& out, std::span<const std::byte> bytes) { out.insert(out.end(), bytes.begin(), bytes.end()); }

// A run of saved physical memory.
struct Segment {
  std::uint64_t address = 0;
  Bytes bytes{};
  // ELF cores only: bytes after the saved ones that the segment claims but did
  // not save (p_memsz - p_filesz).
  std::uint64_t unsaved_tail = 0;
};

// --- LiME ------------------------------------------------------------------

inline constexpr std::uint32_t kLimeMagic = 0x4C694D45;
inline constexpr std::size_t kLimeHeaderSize = 32;

// One LiME header (version 1 unless told), e_addr inclusive.
inline Bytes lime_header(std::uint64_t start, std::uint64_t last, std::uint32_t version = 1,
                         std::uint32_t magic = kLimeMagic) {
  Bytes header(kLimeHeaderSize);
  put_le<std::uint32_t>(header, 0, magic);
  put_le<std::uint32_t>(header, 4, version);
  put_le<std::uint64_t>(header, 8, start);
  put_le<std::uint64_t>(header, 16, last);
  return header;
}

// Segments in the given order (LiME files need not be sorted). Empty segments
// are skipped (LiME cannot express them).
inline Bytes build_lime(std::span<const Segment> segments) {
  Bytes out;
  for (const Segment& s : segments) {
    if (s.bytes.empty()) continue;
    append(out, lime_header(s.address, s.address + s.bytes.size() - 1));
    append(out, s.bytes);
  }
  return out;
}

// Offset of the header of the index-th segment in build_lime's output.
inline std::size_t lime_header_offset(std::span<const Segment> segments, std::size_t index) {
  std::size_t offset = 0;
  for (std::size_t i = 0; i < index; ++i) {
    if (!segments[i].bytes.empty()) offset += kLimeHeaderSize + segments[i].bytes.size();
  }
  return offset;
}

// --- ELF core --------------------------------------------------------------

inline constexpr std::size_t kElfHeaderSize = 64;
inline constexpr std::size_t kElfPhdrSize = 56;

struct ElfCoreOptions {
  // Adds a PT_NOTE (first, as QEMU does) holding a "VMCOREINFO" note.
  std::optional<std::string> vmcoreinfo{};
  // Aligns each PT_LOAD's data in the file to this many bytes (1: packed).
  std::size_t data_alignment = 1;
};

inline Bytes elf_note(std::string_view name, std::uint32_t type, std::string_view desc) {
  auto align4 = [](std::size_t n) { return (n + 3) & ~std::size_t{3}; };
  Bytes note(12 + align4(name.size() + 1) + align4(desc.size()));
  put_le<std::uint32_t>(note, 0, static_cast<std::uint32_t>(name.size() + 1));
  put_le<std::uint32_t>(note, 4, static_cast<std::uint32_t>(desc.size()));
  put_le<std::uint32_t>(note, 8, type);
  std::memcpy(note.data() + 12, name.data(), name.size());
  std::memcpy(note.data() + 12 + align4(name.size() + 1), desc.data(), desc.size());
  return note;
}

// ELF64 little-endian x86-64 ET_CORE: one PT_LOAD per segment, in the given
// order, with p_paddr = p_vaddr = the physical address.
inline Bytes build_elf_core(std::span<const Segment> segments, const ElfCoreOptions& options = {}) {
  const Bytes note = options.vmcoreinfo ? elf_note("VMCOREINFO", 0, *options.vmcoreinfo) : Bytes{};
  const std::size_t phnum = segments.size() + (options.vmcoreinfo ? 1 : 0);
  Bytes out(kElfHeaderSize + phnum * kElfPhdrSize);
  const unsigned char ident[16] = {0x7f, 'E', 'L', 'F', 2 /*64-bit*/, 1 /*LSB*/, 1 /*version*/};
  std::memcpy(out.data(), ident, sizeof ident);
  put_le<std::uint16_t>(out, 16, 4);   // ET_CORE
  put_le<std::uint16_t>(out, 18, 62);  // EM_X86_64
  put_le<std::uint32_t>(out, 20, 1);   // EV_CURRENT
  put_le<std::uint64_t>(out, 32, kElfHeaderSize);  // e_phoff
  put_le<std::uint16_t>(out, 52, kElfHeaderSize);  // e_ehsize
  put_le<std::uint16_t>(out, 54, kElfPhdrSize);    // e_phentsize
  put_le<std::uint16_t>(out, 56, static_cast<std::uint16_t>(phnum));

  std::size_t ph = kElfHeaderSize;
  auto put_phdr = [&](std::uint32_t type, std::uint64_t offset, std::uint64_t address, std::uint64_t filesz,
                      std::uint64_t memsz) {
    put_le<std::uint32_t>(out, ph, type);
    put_le<std::uint64_t>(out, ph + 8, offset);
    put_le<std::uint64_t>(out, ph + 16, address);  // p_vaddr
    put_le<std::uint64_t>(out, ph + 24, address);  // p_paddr
    put_le<std::uint64_t>(out, ph + 32, filesz);
    put_le<std::uint64_t>(out, ph + 40, memsz);
    ph += kElfPhdrSize;
  };
  if (options.vmcoreinfo) {
    put_phdr(4 /*PT_NOTE*/, out.size(), 0, note.size(), 0);
    append(out, note);
  }
  const std::size_t align = std::max<std::size_t>(options.data_alignment, 1);
  for (const Segment& s : segments) {
    out.resize((out.size() + align - 1) / align * align);
    put_phdr(1 /*PT_LOAD*/, out.size(), s.address, s.bytes.size(), s.bytes.size() + s.unsaved_tail);
    append(out, s.bytes);
  }
  return out;
}

// Offset of the program header of the index-th segment in build_elf_core's
// output (without a vmcoreinfo note).
inline std::size_t elf_phdr_offset(std::size_t index) { return kElfHeaderSize + index * kElfPhdrSize; }

// --- raw -------------------------------------------------------------------

// Each segment at its physical address, zeros in between, at least min_size
// bytes (PhysicalMemory rejects raw images under 1 MiB).
inline Bytes build_raw(std::span<const Segment> segments, std::size_t min_size = std::size_t{1} << 20) {
  std::size_t size = min_size;
  for (const Segment& s : segments) size = std::max<std::size_t>(size, s.address + s.bytes.size());
  Bytes out(size);
  for (const Segment& s : segments) std::copy(s.bytes.begin(), s.bytes.end(), out.begin() + s.address);
  return out;
}

// --- page-granular image ---------------------------------------------------

// Physical memory assembled from writes at arbitrary addresses. Each touched
// 4 KiB page exists (zero-filled where not written); untouched pages are holes.
// segments() merges adjacent pages, so the dump has one range per run.
class PhysicalImageBuilder {
 public:
  static constexpr std::uint64_t kPageSize = 4096;

  void write(std::uint64_t address, std::span<const std::byte> bytes) {
    for (std::size_t done = 0; done < bytes.size();) {
      const std::uint64_t at = address + done;
      auto& page = page_at(at / kPageSize);
      const std::size_t in_page = at % kPageSize;
      const std::size_t n = std::min<std::size_t>(bytes.size() - done, kPageSize - in_page);
      std::memcpy(page.data() + in_page, bytes.data() + done, n);
      done += n;
    }
  }
  void write_string(std::uint64_t address, std::string_view text) { write(address, bytes_of(text)); }
  template <typename T>
  void write_le(std::uint64_t address, T value) {
    std::array<std::byte, sizeof(T)> raw;
    std::memcpy(raw.data(), &value, sizeof(T));
    write(address, raw);
  }
  void write_u64(std::uint64_t address, std::uint64_t value) { write_le(address, value); }
  void write_u32(std::uint64_t address, std::uint32_t value) { write_le(address, value); }

  // Makes the pages covering [address, address + size) exist (zeros if new).
  void map(std::uint64_t address, std::uint64_t size) {
    if (size == 0) return;
    for (std::uint64_t page = address / kPageSize; page <= (address + size - 1) / kPageSize; ++page) page_at(page);
  }

  // Makes the page holding `address` a hole again, as a dump that lost it.
  void drop_page(std::uint64_t address) { pages_.erase(address / kPageSize); }

  std::vector<Segment> segments() const {
    std::vector<Segment> out;
    std::uint64_t next_page = UINT64_MAX;
    for (const auto& [number, page] : pages_) {
      if (out.empty() || number != next_page) out.push_back(Segment{number * kPageSize, {}, 0});
      append(out.back().bytes, page);
      next_page = number + 1;
    }
    return out;
  }

  Bytes lime() const { return build_lime(segments()); }
  Bytes elf_core(const ElfCoreOptions& options = {}) const { return build_elf_core(segments(), options); }
  Bytes raw(std::size_t min_size = std::size_t{1} << 20) const { return build_raw(segments(), min_size); }

 private:
  using Page = std::array<std::byte, kPageSize>;
  Page& page_at(std::uint64_t number) { return pages_.try_emplace(number, Page{}).first->second; }

  std::map<std::uint64_t, Page> pages_;
};

}  // namespace drydock::testing
