#include "engine/dump/elf_notes.hpp"

#include <string_view>

#include "engine/dump/detail/elf64.hpp"

namespace drydock {

namespace {

constexpr std::uint64_t kNoteHeaderSize = 12;  // namesz, descsz, type
constexpr std::string_view kVmcoreinfoName = "VMCOREINFO";

constexpr std::uint64_t align4(std::uint64_t n) { return (n + 3) & ~std::uint64_t{3}; }

// Walks one PT_NOTE segment; `notes` is exactly the segment's bytes.
std::optional<std::string> find_in_segment(std::span<const std::byte> notes) {
  std::uint64_t pos = 0;
  while (detail::fits(pos, kNoteHeaderSize, notes.size())) {
    const std::uint64_t namesz = detail::load_le<std::uint32_t>(notes, pos);
    const std::uint64_t descsz = detail::load_le<std::uint32_t>(notes, pos + 4);
    const std::uint64_t name_at = pos + kNoteHeaderSize;
    const std::uint64_t desc_at = name_at + align4(namesz);
    if (!detail::fits(name_at, align4(namesz), notes.size()) || !detail::fits(desc_at, descsz, notes.size())) {
      return std::nullopt;
    }
    std::string_view name(reinterpret_cast<const char*>(notes.data() + name_at), namesz);
    while (!name.empty() && name.back() == '\0') name.remove_suffix(1);
    if (name == kVmcoreinfoName) {
      std::string text(reinterpret_cast<const char*>(notes.data() + desc_at), descsz);
      while (!text.empty() && text.back() == '\0') text.pop_back();
      return text;
    }
    pos = desc_at + align4(descsz);
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> find_vmcoreinfo_note(std::span<const std::byte> file) {
  if (file.size() < 4 || file[0] != std::byte{0x7f} || file[1] != std::byte{'E'} || file[2] != std::byte{'L'} ||
      file[3] != std::byte{'F'}) {
    return std::nullopt;
  }
  auto headers = detail::read_elf_core_headers(file, {});
  if (!headers) return std::nullopt;
  for (std::uint64_t i = 0; i < headers->phnum; ++i) {
    const detail::ElfProgramHeader ph = headers->at(file, i);
    if (ph.type != detail::kPtNote || !detail::fits(ph.offset, ph.filesz, file.size())) continue;
    if (auto text = find_in_segment(file.subspan(ph.offset, ph.filesz))) return text;
  }
  return std::nullopt;
}

}  // namespace drydock
