#include "engine/kernel/kernel_locator.hpp"

#include <array>
#include <charconv>
#include <cstring>
#include <fmt/format.h>
#include <vector>

#include "engine/kernel/banner_scan.hpp"

namespace drydock {
namespace {

constexpr std::uint64_t kKernelImageSpan = 1ULL << 30;  // KASLR moves the image within 1 GiB
constexpr std::size_t kMaxVmcoreinfo = 4096;

std::optional<std::uint64_t> read_u64(const PhysicalMemory& memory, std::uint64_t physical) {
  std::array<std::byte, 8> raw{};
  if (!memory.read(physical, raw)) return std::nullopt;
  std::uint64_t value = 0;
  std::memcpy(&value, raw.data(), sizeof value);
  return value;
}

std::optional<std::uint64_t> parse_hex(std::string_view s) {
  std::uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v, 16);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

// Physical positions of the banner: first the few that the kernel's load
// alignment allows, then a scan of all memory.
std::vector<std::uint64_t> banner_candidates(const PhysicalMemory& memory, std::string_view banner,
                                             std::uint64_t banner_link) {
  std::vector<std::uint64_t> found = find_banner_aligned(memory, banner, banner_link, kKernelLoadAlign);
  if (found.empty()) found = find_banner(memory, banner);
  return found;
}

// Reads the VMCOREINFO note the kernel keeps (vmcoreinfo_note points to an
// ELF note "VMCOREINFO" whose descriptor is KEY=value text).
std::optional<std::string> read_vmcoreinfo(const X86Translator& mmu, const PhysicalMemory& memory,
                                           const SymbolTable& symbols, std::uint64_t physical_shift) {
  const Symbol* note_symbol = symbols.symbol("vmcoreinfo_note");
  if (!note_symbol) return std::nullopt;
  const std::uint64_t note_physical = note_symbol->address - kStartKernelMap + physical_shift;
  // Since 4.19 vmcoreinfo_note is a pointer to a page; before, the note array itself.
  std::uint64_t note_virtual = 0;
  const TypeDesc& type = symbols.type_desc(note_symbol->type);
  std::array<std::byte, 12> header{};
  if (type.kind == TypeKind::pointer) {
    auto pointer = read_u64(memory, note_physical);
    if (!pointer) return std::nullopt;
    note_virtual = *pointer;
    if (!mmu.read(note_virtual, header)) return std::nullopt;
  } else if (!memory.read(note_physical, header)) {
    return std::nullopt;
  }
  std::uint32_t namesz = 0, descsz = 0;
  std::memcpy(&namesz, header.data(), 4);
  std::memcpy(&descsz, header.data() + 4, 4);
  if (namesz != 11 || descsz == 0 || descsz > kMaxVmcoreinfo) return std::nullopt;
  std::vector<std::byte> body(12 + 12 + descsz);  // header, "VMCOREINFO\0" padded to 12, text
  const bool ok = type.kind == TypeKind::pointer ? mmu.read(note_virtual, body) : memory.read(note_physical, body);
  if (!ok || std::memcmp(body.data() + 12, "VMCOREINFO", 11) != 0) return std::nullopt;
  std::string text(reinterpret_cast<const char*>(body.data() + 24), descsz);
  while (!text.empty() && text.back() == '\0') text.pop_back();
  return text;
}

bool translates_to(const X86Translator& mmu, std::uint64_t virtual_address, std::uint64_t physical) {
  auto t = mmu.translate(virtual_address);
  return t && t->physical == physical;
}

}  // namespace

std::optional<std::string> vmcoreinfo_value(std::string_view text, std::string_view key) {
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t end = text.find('\n', at);
    if (end == std::string_view::npos) end = text.size();
    std::string_view line = text.substr(at, end - at);
    if (line.size() > key.size() && line.starts_with(key) && line[key.size()] == '=') {
      return std::string(line.substr(key.size() + 1));
    }
    at = end + 1;
  }
  return std::nullopt;
}

Result<KernelLocation> locate_kernel(const PhysicalMemory& memory, const SymbolTable& symbols) {
  const auto banner = symbols.banner();
  if (!banner) {
    return Error::of(fmt::format("{}: the symbol table has no linux_banner constant; it cannot be matched "
                                 "to a dump (regenerate it with dwarf2json and the kernel's System.map)",
                                 symbols.source()));
  }
  const Symbol* banner_symbol = symbols.symbol("linux_banner");
  const Symbol* pgt_symbol = symbols.symbol("init_top_pgt");
  if (!pgt_symbol) pgt_symbol = symbols.symbol("init_level4_pgt");  // before 4.13
  if (!banner_symbol || !pgt_symbol) {
    return Error::of(fmt::format("{}: symbol table lacks linux_banner or init_top_pgt; is it an x86-64 "
                                 "Linux kernel ISF?", symbols.source()));
  }
  const auto candidates = banner_candidates(memory, *banner, banner_symbol->address);
  if (candidates.empty()) {
    return Error::of(fmt::format("{}: the banner of symbol table {} does not occur in this dump:\n  {}",
                                 memory.path(), symbols.source(), *banner));
  }

  std::string last_failure;
  for (std::uint64_t banner_physical : candidates) {
    KernelLocation loc;
    loc.banner = std::string(*banner);
    loc.banner_physical = banner_physical;
    loc.physical_shift = banner_physical - (banner_symbol->address - kStartKernelMap);
    loc.dtb = pgt_symbol->address - kStartKernelMap + loc.physical_shift;

    // The paging mode: __pgtable_l5_enabled lies in the image (CONFIG_X86_5LEVEL).
    if (const Symbol* l5 = symbols.symbol("__pgtable_l5_enabled")) {
      std::array<std::byte, 4> raw{};
      std::uint32_t on = 0;
      if (memory.read(l5->address - kStartKernelMap + loc.physical_shift, raw)) std::memcpy(&on, raw.data(), 4);
      if (on == 1) loc.mode = PagingMode::level5;
    }
    const X86Translator mmu(memory, loc.dtb, loc.mode);

    std::optional<std::uint64_t> shift;
    if (auto note = read_vmcoreinfo(mmu, memory, symbols, loc.physical_shift)) {
      loc.vmcoreinfo = note;
      if (auto offset = vmcoreinfo_value(*note, "KERNELOFFSET")) {
        if (auto value = parse_hex(*offset);
            value && translates_to(mmu, banner_symbol->address + *value, banner_physical)) {
          shift = value;
          loc.method = "vmcoreinfo";
        }
      }
    }
    if (!shift) {
      // Try every aligned position of the image in the KASLR window.
      for (std::uint64_t delta = 0; delta < kKernelImageSpan; delta += kKernelLoadAlign) {
        if (translates_to(mmu, banner_symbol->address + delta, banner_physical)) {
          shift = delta;
          loc.method = "scan";
          break;
        }
      }
    }
    if (!shift) {
      last_failure = fmt::format("banner at physical {:#x}: no virtual shift maps linux_banner there through "
                                 "the page tables at {:#x}", banner_physical, loc.dtb);
      continue;
    }
    loc.virtual_shift = *shift;

    // Proof: the whole banner reads back through the page tables.
    std::string check(banner->size(), '\0');
    if (!mmu.read(banner_symbol->address + loc.virtual_shift,
                  std::as_writable_bytes(std::span(check.data(), check.size()))) ||
        check != *banner) {
      last_failure = fmt::format("banner at physical {:#x}: linux_banner does not read back through the "
                                 "page tables", banner_physical);
      continue;
    }
    return loc;
  }
  return Error::of(fmt::format("{}: found the kernel banner but could not locate the kernel ({}). The dump "
                               "may be incomplete or the symbol table may be for another build.",
                               memory.path(), last_failure));
}

}  // namespace drydock
