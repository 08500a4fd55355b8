#include "symbols/vmlinux_file.hpp"

#include <cstring>

namespace drydock {
namespace {

constexpr std::size_t kElfHeaderSize = 64;
constexpr std::size_t kSectionHeaderSize = 64;
constexpr std::size_t kSymbolSize = 24;
constexpr std::uint32_t kShtSymtab = 2;
constexpr std::uint32_t kShtNobits = 8;
constexpr std::uint64_t kShfAlloc = 2;

template <typename T>
T read(std::span<const std::byte> bytes, std::size_t offset) {
  T value{};
  std::memcpy(&value, bytes.data() + offset, sizeof value);
  return value;
}

struct Section {
  std::uint32_t name = 0;
  std::uint32_t type = 0;
  std::uint64_t flags = 0;
  std::uint64_t addr = 0;
  std::uint64_t offset = 0;
  std::uint64_t size = 0;
  std::uint32_t link = 0;
};

// The section headers, each checked to lie inside the file (NOBITS excepted).
Result<std::vector<Section>> sections_of(std::span<const std::byte> file, std::string_view name) {
  const std::string where(name);
  if (file.size() < kElfHeaderSize || std::memcmp(file.data(), "\x7f" "ELF", 4) != 0) {
    return Error::of(where + ": not an ELF file");
  }
  if (std::to_integer<int>(file[4]) != 2 || std::to_integer<int>(file[5]) != 1) {
    return Error::of(where + ": not a little-endian 64-bit ELF file");
  }
  const auto shoff = read<std::uint64_t>(file, 0x28);
  const auto shentsize = read<std::uint16_t>(file, 0x3a);
  const auto shnum = read<std::uint16_t>(file, 0x3c);
  if (shentsize != kSectionHeaderSize || shoff > file.size() || std::uint64_t{shnum} * kSectionHeaderSize > file.size() - shoff) {
    return Error::of(where + ": section headers at offset " + std::to_string(shoff) + " lie outside the file");
  }
  std::vector<Section> sections;
  for (std::uint16_t i = 0; i < shnum; ++i) {
    const std::size_t at = shoff + std::size_t{i} * kSectionHeaderSize;
    Section s{read<std::uint32_t>(file, at), read<std::uint32_t>(file, at + 4), read<std::uint64_t>(file, at + 8),
              read<std::uint64_t>(file, at + 16), read<std::uint64_t>(file, at + 24), read<std::uint64_t>(file, at + 32),
              read<std::uint32_t>(file, at + 40)};
    if (s.type != kShtNobits && (s.offset > file.size() || s.size > file.size() - s.offset)) {
      return Error::of(where + ": section " + std::to_string(i) + " lies outside the file");
    }
    sections.push_back(s);
  }
  return sections;
}

std::string_view string_in(std::span<const std::byte> file, const Section& table, std::uint32_t offset) {
  if (offset >= table.size) return {};
  const char* start = reinterpret_cast<const char*>(file.data() + table.offset + offset);
  const void* nul = std::memchr(start, '\0', table.size - offset);
  if (!nul) return {};
  return std::string_view(start, static_cast<std::size_t>(static_cast<const char*>(nul) - start));
}

}  // namespace

Result<VmlinuxContents> read_vmlinux(std::span<const std::byte> file, std::string_view name) {
  auto sections = sections_of(file, name);
  if (!sections) return sections.error();
  const auto& all = sections.value();
  const auto shstrndx = read<std::uint16_t>(file, 0x3e);
  if (shstrndx >= all.size()) return Error::of(std::string(name) + ": no section name table");
  VmlinuxContents out;
  bool has_btf = false;
  for (const Section& s : all) {
    if (string_in(file, all[shstrndx], s.name) == ".BTF" && s.type != kShtNobits) {
      out.btf = file.subspan(s.offset, s.size);
      has_btf = true;
    }
    if (s.type == kShtSymtab && s.link < all.size()) {
      const Section& strings = all[s.link];
      for (std::uint64_t at = s.offset; at + kSymbolSize <= s.offset + s.size; at += kSymbolSize) {
        const std::string_view symbol = string_in(file, strings, read<std::uint32_t>(file, at));
        const auto shndx = read<std::uint16_t>(file, at + 6);
        if (symbol.empty() || shndx == 0) continue;  // undefined symbols have no address
        out.symbols.push_back(KernelSymbolAddress{std::string(symbol), read<std::uint64_t>(file, at + 8)});
      }
    }
  }
  if (!has_btf) {
    return Error::of(std::string(name) + ": no .BTF section (the kernel was built without CONFIG_DEBUG_INFO_BTF); "
                     "build an ISF with dwarf2json from its debug package instead");
  }
  return out;
}

std::optional<std::string> read_vmlinux_string(std::span<const std::byte> file, std::uint64_t address) {
  auto sections = sections_of(file, "vmlinux");
  if (!sections) return std::nullopt;
  for (const Section& s : sections.value()) {
    if (!(s.flags & kShfAlloc) || s.type == kShtNobits || address < s.addr || address - s.addr >= s.size) continue;
    const std::uint64_t offset = s.offset + (address - s.addr);
    const std::size_t available = static_cast<std::size_t>(std::min<std::uint64_t>(1024, s.offset + s.size - offset));
    const char* start = reinterpret_cast<const char*>(file.data() + offset);
    const void* nul = std::memchr(start, '\0', available);
    return std::string(start, nul ? static_cast<std::size_t>(static_cast<const char*>(nul) - start) : available);
  }
  return std::nullopt;
}

}  // namespace drydock
