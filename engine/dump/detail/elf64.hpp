#pragma once
// Internal: the ELF64 header fields the dump decoders read, by offset, and a
// validated view of the program header table. Shared by the ELF core layout
// decoder and the note reader; not part of the dump facade.

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>

#include "engine/core/result.hpp"
#include "engine/dump/detail/bytes.hpp"

namespace drydock::detail {

inline constexpr std::uint64_t kElfHeaderSize = 64;
inline constexpr std::uint64_t kElfPhdrSize = 56;
inline constexpr std::uint64_t kElfShdrSize = 64;
inline constexpr std::uint16_t kElfPnXnum = 0xffff;  // real e_phnum is in section header 0's sh_info
inline constexpr std::uint16_t kEtCore = 4;
inline constexpr std::uint16_t kEmX86_64 = 62;
inline constexpr std::uint32_t kPtLoad = 1;
inline constexpr std::uint32_t kPtNote = 4;

struct ElfProgramHeader {
  std::uint32_t type = 0;
  std::uint64_t offset = 0;
  std::uint64_t vaddr = 0;
  std::uint64_t paddr = 0;
  std::uint64_t filesz = 0;
  std::uint64_t memsz = 0;
};

// The program header table of a checked ELF64 little-endian x86-64 core.
struct ElfCoreHeaders {
  std::uint64_t phoff = 0;
  std::uint64_t phnum = 0;

  // Precondition: index < phnum (the table was checked to fit in the file).
  ElfProgramHeader at(std::span<const std::byte> file, std::uint64_t index) const {
    const std::uint64_t base = phoff + index * kElfPhdrSize;
    return {load_le<std::uint32_t>(file, base), load_le<std::uint64_t>(file, base + 8),
            load_le<std::uint64_t>(file, base + 16), load_le<std::uint64_t>(file, base + 24),
            load_le<std::uint64_t>(file, base + 32), load_le<std::uint64_t>(file, base + 40)};
  }
};

// Checks the ELF header and that the program header table lies in the file.
inline Result<ElfCoreHeaders> read_elf_core_headers(std::span<const std::byte> file, const std::string& name) {
  const std::uint64_t size = file.size();
  if (size < kElfHeaderSize) {
    return Error::of(name + ": truncated ELF header: file is " + std::to_string(size) + " bytes, the header needs " +
                     std::to_string(kElfHeaderSize));
  }
  const auto elf_class = std::to_integer<unsigned>(file[4]);
  const auto elf_data = std::to_integer<unsigned>(file[5]);
  if (elf_class != 2) {
    return Error::of(name + ": ELF class " + std::to_string(elf_class) +
                     " at offset 4: only 64-bit (ELFCLASS64) cores are supported");
  }
  if (elf_data != 1) {
    return Error::of(name + ": ELF data encoding " + std::to_string(elf_data) +
                     " at offset 5: only little-endian (ELFDATA2LSB) cores are supported");
  }
  const auto type = load_le<std::uint16_t>(file, 16);
  const auto machine = load_le<std::uint16_t>(file, 18);
  if (type != kEtCore) {
    return Error::of(name + ": ELF type " + std::to_string(type) + " at offset 16 is not a core file (ET_CORE = 4)");
  }
  if (machine != kEmX86_64) {
    return Error::of(name + ": ELF machine " + std::to_string(machine) + " at offset 18 is not x86-64 (62)");
  }
  ElfCoreHeaders headers;
  headers.phoff = load_le<std::uint64_t>(file, 32);
  const auto shoff = load_le<std::uint64_t>(file, 40);
  const auto phentsize = load_le<std::uint16_t>(file, 54);
  headers.phnum = load_le<std::uint16_t>(file, 56);
  if (phentsize != kElfPhdrSize) {
    return Error::of(name + ": ELF e_phentsize " + std::to_string(phentsize) + " at offset 54, expected " +
                     std::to_string(kElfPhdrSize));
  }
  if (headers.phnum == kElfPnXnum) {
    // More than 65534 segments: the count lives in section header 0 (sh_info).
    if (!fits(shoff, kElfShdrSize, size)) {
      return Error::of(name + ": e_phnum is PN_XNUM but section header 0 at offset " + std::to_string(shoff) +
                       " runs past the end of the file (file is " + std::to_string(size) + " bytes)");
    }
    headers.phnum = load_le<std::uint32_t>(file, shoff + 44);
  }
  if (headers.phnum == 0) return Error::of(name + ": ELF core has no program headers (e_phnum is 0)");
  if (headers.phnum > size / kElfPhdrSize || !fits(headers.phoff, headers.phnum * kElfPhdrSize, size)) {
    return Error::of(name + ": ELF program header table (e_phoff " + std::to_string(headers.phoff) + ", " +
                     std::to_string(headers.phnum) + " entries of " + std::to_string(kElfPhdrSize) +
                     " bytes) runs past the end of the file (file is " + std::to_string(size) + " bytes)");
  }
  return headers;
}

}  // namespace drydock::detail
