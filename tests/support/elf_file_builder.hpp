#pragma once
// Builds small ELF64 files (relocatable-style, sections only) for tests: a
// fixture vmlinux with a .BTF section, a .rodata and a symbol table.
//
//   testing::ElfFileBuilder elf;
//   elf.add_section(".BTF", btf_bytes);
//   elf.add_section(".rodata", banner_bytes, 0xffffffff81e00000, /*alloc=*/true);
//   elf.add_symbol("linux_banner", 0xffffffff81e00000, ".rodata");
//   std::vector<std::byte> file = elf.bytes();
//
// Header-only; no dependency beyond the standard library.

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string>
#include <string_view>
#include <vector>

namespace drydock::testing {

class ElfFileBuilder {
 public:
  void add_section(std::string name, std::vector<std::byte> data, std::uint64_t address = 0, bool alloc = false) {
    sections_.push_back({std::move(name), std::move(data), address, alloc});
  }
  // A defined symbol in section `section` (added before bytes()).
  void add_symbol(std::string name, std::uint64_t value, std::string section) {
    symbols_.push_back({std::move(name), value, std::move(section)});
  }

  std::vector<std::byte> bytes() const {
    // Section order: null, the added ones, .symtab, .strtab, .shstrtab.
    std::string strtab(1, '\0');
    std::vector<std::byte> symtab(24);  // the null symbol
    for (const Symbol& s : symbols_) {
      std::uint16_t index = 0;
      for (std::size_t i = 0; i < sections_.size(); ++i) {
        if (sections_[i].name == s.section) index = static_cast<std::uint16_t>(i + 1);
      }
      std::byte entry[24] = {};
      const auto name = static_cast<std::uint32_t>(strtab.size());
      strtab += s.name;
      strtab += '\0';
      std::memcpy(entry, &name, 4);
      entry[4] = std::byte{0x11};  // STB_GLOBAL, STT_OBJECT
      std::memcpy(entry + 6, &index, 2);
      std::memcpy(entry + 8, &s.value, 8);
      symtab.insert(symtab.end(), entry, entry + 24);
    }
    std::vector<Section> all = sections_;
    const auto symtab_index = all.size() + 1;
    all.push_back({".symtab", symtab, 0, false});
    std::vector<std::byte> strtab_bytes(strtab.size());
    std::memcpy(strtab_bytes.data(), strtab.data(), strtab.size());
    all.push_back({".strtab", strtab_bytes, 0, false});
    std::string shstrtab(1, '\0');
    std::vector<std::uint32_t> names;
    for (const Section& s : all) {
      names.push_back(static_cast<std::uint32_t>(shstrtab.size()));
      shstrtab += s.name;
      shstrtab += '\0';
    }
    names.push_back(static_cast<std::uint32_t>(shstrtab.size()));
    shstrtab += ".shstrtab";
    shstrtab += '\0';
    std::vector<std::byte> shstr_bytes(shstrtab.size());
    std::memcpy(shstr_bytes.data(), shstrtab.data(), shstrtab.size());
    all.push_back({".shstrtab", shstr_bytes, 0, false});

    std::vector<std::byte> out(64);
    std::vector<std::uint64_t> offsets;
    for (const Section& s : all) {
      while (out.size() % 8 != 0) out.push_back(std::byte{0});
      offsets.push_back(out.size());
      out.insert(out.end(), s.data.begin(), s.data.end());
    }
    while (out.size() % 8 != 0) out.push_back(std::byte{0});
    const std::uint64_t shoff = out.size();
    out.resize(out.size() + 64 * (all.size() + 1));  // the null section header first
    for (std::size_t i = 0; i < all.size(); ++i) {
      std::byte* h = out.data() + shoff + 64 * (i + 1);
      const std::uint32_t type = all[i].name == ".symtab" ? 2 : all[i].name == ".shstrtab" || all[i].name == ".strtab" ? 3 : 1;
      const std::uint64_t flags = all[i].alloc ? 2 : 0;
      const std::uint64_t size = all[i].data.size();
      const std::uint32_t link = all[i].name == ".symtab" ? static_cast<std::uint32_t>(symtab_index + 1) : 0;
      const std::uint64_t entsize = all[i].name == ".symtab" ? 24 : 0;
      std::memcpy(h, &names[i], 4);
      std::memcpy(h + 4, &type, 4);
      std::memcpy(h + 8, &flags, 8);
      std::memcpy(h + 16, &all[i].address, 8);
      std::memcpy(h + 24, &offsets[i], 8);
      std::memcpy(h + 32, &size, 8);
      std::memcpy(h + 40, &link, 4);
      std::memcpy(h + 56, &entsize, 8);
    }
    const unsigned char ident[16] = {0x7f, 'E', 'L', 'F', 2, 1, 1};
    std::memcpy(out.data(), ident, 16);
    const std::uint16_t type = 2, machine = 62, ehsize = 64, shentsize = 64;
    const std::uint16_t shnum = static_cast<std::uint16_t>(all.size() + 1);
    const std::uint16_t shstrndx = static_cast<std::uint16_t>(all.size());
    const std::uint32_t version = 1;
    std::memcpy(out.data() + 16, &type, 2);
    std::memcpy(out.data() + 18, &machine, 2);
    std::memcpy(out.data() + 20, &version, 4);
    std::memcpy(out.data() + 0x28, &shoff, 8);
    std::memcpy(out.data() + 0x34, &ehsize, 2);
    std::memcpy(out.data() + 0x3a, &shentsize, 2);
    std::memcpy(out.data() + 0x3c, &shnum, 2);
    std::memcpy(out.data() + 0x3e, &shstrndx, 2);
    return out;
  }

 private:
  struct Section {
    std::string name;
    std::vector<std::byte> data;
    std::uint64_t address = 0;
    bool alloc = false;
  };
  struct Symbol {
    std::string name;
    std::uint64_t value = 0;
    std::string section;
  };
  std::vector<Section> sections_;
  std::vector<Symbol> symbols_;
};

}  // namespace drydock::testing
