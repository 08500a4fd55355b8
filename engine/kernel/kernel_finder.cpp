#include "engine/kernel/kernel_finder.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <fmt/format.h>

#include "engine/dump/elf_notes.hpp"
#include "engine/kernel/banner_scan.hpp"
#include "engine/paging/x86_64_translator.hpp"

namespace drydock {
namespace {

constexpr std::uint64_t kPage = 4096;
constexpr std::size_t kNoteTextOffset = 24;  // Elf64_Nhdr (12) + "VMCOREINFO\0" padded to 12
constexpr std::uint64_t kProbeChunk = 1ULL << 20;
constexpr std::uint64_t kMaxNamesBytes = 64ULL << 20;
constexpr std::uint64_t kMaxTokenTableBytes = 64ULL << 10;
constexpr std::size_t kMaxBanner = 512;


bool starts_with_osrelease(std::span<const std::byte> bytes, std::size_t at) {
  constexpr std::string_view kKey = "OSRELEASE=";
  return at + kKey.size() <= bytes.size() && std::memcmp(bytes.data() + at, kKey.data(), kKey.size()) == 0;
}

std::optional<std::vector<std::byte>> read_virtual(const X86Translator& mmu, std::uint64_t address, std::uint64_t size) {
  std::vector<std::byte> out(size);
  if (!mmu.read(address, out)) return std::nullopt;
  return out;
}

// Reads [address, address + size), or as much of it as is mapped from the
// start, page by page (a table's end is not always known; what follows it may
// be unmapped).
std::vector<std::byte> read_up_to(const X86Translator& mmu, std::uint64_t address, std::uint64_t size) {
  std::vector<std::byte> out;
  std::uint64_t at = address;
  while (at < address + size) {
    const std::uint64_t chunk = std::min(kPage - (at % kPage), address + size - at);
    const std::size_t old = out.size();
    out.resize(old + chunk);
    if (!mmu.read(at, std::span(out).subspan(old))) {
      out.resize(old);
      break;
    }
    at += chunk;
  }
  return out;
}

// The next table address above `address` among VMCOREINFO's kallsyms symbols.
std::optional<std::uint64_t> next_table(const VmcoreInfo& info, std::uint64_t address) {
  std::optional<std::uint64_t> best;
  for (const auto& [name, value] : info.symbols) {
    if (!name.starts_with("kallsyms_") || value <= address) continue;
    if (!best || value < *best) best = value;
  }
  return best;
}

Result<Kallsyms> read_kallsyms(const X86Translator& mmu, const VmcoreInfo& info) {
  const auto names = info.symbol("kallsyms_names");
  const auto num_syms = info.symbol("kallsyms_num_syms");
  const auto token_table = info.symbol("kallsyms_token_table");
  const auto token_index = info.symbol("kallsyms_token_index");
  auto addresses = info.symbol("kallsyms_offsets");
  const bool absolute = !addresses;
  if (absolute) addresses = info.symbol("kallsyms_addresses");
  const auto stext = info.symbol("_stext");
  if (!names || !num_syms || !token_table || !token_index || !addresses || !stext) {
    return Error::of("VMCOREINFO does not name the kallsyms tables (SYMBOL(kallsyms_names), kallsyms_num_syms, "
                     "kallsyms_token_table, kallsyms_token_index, kallsyms_offsets or kallsyms_addresses, _stext; "
                     "kernels before 6.0 do not)");
  }
  std::array<std::byte, 4> count_raw{};
  if (!mmu.read(*num_syms, count_raw)) {
    return Error::of(fmt::format("kallsyms_num_syms at {:#x} is not in the dump", *num_syms));
  }
  std::uint32_t count = 0;
  std::memcpy(&count, count_raw.data(), 4);
  if (count == 0 || count > kMaxKallsymsSymbols) {
    return Error::of(fmt::format("kallsyms_num_syms at {:#x} reads {}", *num_syms, count));
  }
  const std::uint64_t names_end = next_table(info, *names).value_or(*names + kMaxNamesBytes);
  const std::vector<std::byte> names_bytes = read_up_to(mmu, *names, std::min(names_end - *names, kMaxNamesBytes));
  const std::uint64_t tokens_size =
      *token_index > *token_table ? std::min(*token_index - *token_table, kMaxTokenTableBytes) : kMaxTokenTableBytes;
  const std::vector<std::byte> token_bytes = read_up_to(mmu, *token_table, tokens_size);
  auto index_bytes = read_virtual(mmu, *token_index, 512);
  if (!index_bytes) return Error::of(fmt::format("kallsyms_token_index at {:#x} is not in the dump", *token_index));
  const std::vector<std::byte> address_bytes = read_up_to(mmu, *addresses, std::uint64_t{count} * (absolute ? 8 : 4));

  KallsymsTables tables;
  tables.names = names_bytes;
  tables.token_table = token_bytes;
  tables.token_index = *index_bytes;
  tables.num_syms = count;
  tables.addresses = address_bytes;
  tables.addresses_at = *addresses;
  if (auto base = info.symbol("kallsyms_relative_base")) tables.relative_base = read_virtual_u64(mmu, *base);
  const std::array known{KnownAddress{"_stext", *stext}};
  return decode_kallsyms(tables, known);
}

// Reads a NUL- or newline-terminated banner at a virtual address.
std::optional<std::string> read_banner(const X86Translator& mmu, std::uint64_t address) {
  std::vector<std::byte> raw = read_up_to(mmu, address, kMaxBanner);
  std::string text(reinterpret_cast<const char*>(raw.data()), raw.size());
  text = text.substr(0, text.find_first_of(std::string_view("\n\0", 2)));
  if (!text.starts_with("Linux version ")) return std::nullopt;
  return text;
}

}  // namespace

std::optional<std::uint64_t> read_virtual_u64(const X86Translator& mmu, std::uint64_t address) {
  std::array<std::byte, 8> raw{};
  if (!mmu.read(address, raw)) return std::nullopt;
  std::uint64_t v = 0;
  std::memcpy(&v, raw.data(), 8);
  return v;
}

const std::string_view kGiveIsfInstead =
    "to use an ISF instead, pass --symbols FILE|DIR (made by dwarf2json from the kernel's debug vmlinux, e.g. "
    "Debian's linux-image-<release>-dbg package)";

std::optional<std::uint64_t> DumpKernel::symbol(std::string_view name) const {
  for (const KallsymsSymbol& s : kallsyms.symbols) {
    if (s.name == name) return s.address;
  }
  return std::nullopt;
}

std::vector<std::pair<VmcoreInfo, std::string>> find_vmcoreinfo_copies(const PhysicalMemory& memory,
                                                                      std::size_t max_copies) {
  std::vector<std::pair<VmcoreInfo, std::string>> copies;
  if (auto note = find_vmcoreinfo_note(memory.file_bytes())) {
    if (auto parsed = parse_vmcoreinfo(*note)) copies.emplace_back(std::move(parsed).value(), "the ELF core's note");
  }
  // The kernel's copies start a page (vmcoreinfo_data) or lie 24 bytes into
  // one (vmcoreinfo_note): probe those two places of every saved page. The
  // pages are read through the file (pread, PhysicalMemory::probe) a chunk at
  // a time, so the scan maps nothing and records nothing; a copy found is
  // then read through the memory like any other.
  std::vector<std::byte> chunk(kProbeChunk);
  for (const PhysicalRange& range : memory.ranges()) {
    for (std::uint64_t at = (range.start + kPage - 1) / kPage * kPage; at + kPage <= range.end(); at += kProbeChunk) {
      if (copies.size() >= max_copies) return copies;
      const std::uint64_t size = std::min<std::uint64_t>(kProbeChunk, (range.end() - at) / kPage * kPage);
      const std::span<std::byte> bytes(chunk.data(), size);
      if (!memory.probe(at, bytes)) continue;
      for (std::uint64_t page = 0; page < size && copies.size() < max_copies; page += kPage) {
        for (std::size_t offset : {std::size_t{0}, kNoteTextOffset}) {
          if (!starts_with_osrelease(bytes.subspan(page, kPage), offset)) continue;
          std::vector<std::byte> text(kPage - offset);
          if (!memory.read(at + page + offset, text)) continue;
          if (auto info = vmcoreinfo_at(text, 0)) {
            copies.emplace_back(std::move(*info), fmt::format("memory at {:#x}", at + page + offset));
          }
        }
      }
    }
  }
  return copies;
}

Result<std::vector<VmcoreinfoKernel>> kernels_from_vmcoreinfo(const PhysicalMemory& memory,
                                                               std::size_t max_copies) {
  auto copies = find_vmcoreinfo_copies(memory, max_copies);
  if (copies.empty()) {
    return Error::of(fmt::format(
        "{}: no VMCOREINFO (text starting \"OSRELEASE=\") in the ELF notes nor at the start or byte 24 of any "
        "saved page, so the kernel cannot be found without a symbol file; {}",
        memory.path(), kGiveIsfInstead));
  }
  // Copies that disagree (a nested guest's kernel, a stale page): the banner decides.
  const bool agree = std::all_of(copies.begin(), copies.end(),
                                 [&](const auto& c) { return c.first.osrelease == copies.front().first.osrelease; });
  if (!agree) {
    for (const BannerHit& hit : scan_banners(memory, 4)) {
      const std::string release = kernel_release_of(hit.text);
      auto it = std::find_if(copies.begin(), copies.end(), [&](const auto& c) { return c.first.osrelease == release; });
      if (it != copies.end()) {
        std::rotate(copies.begin(), it, it + 1);
        break;
      }
    }
  }
  std::vector<VmcoreinfoKernel> kernels;
  std::string failures;
  for (auto& [info, where] : copies) {
    const auto offset = info.kernel_offset;
    const auto phys_base = info.number("phys_base");
    auto pgd = info.symbol("init_top_pgt");
    if (!pgd) pgd = info.symbol("swapper_pg_dir");
    if (!offset || !phys_base || !pgd) {
      failures += fmt::format("\n  VMCOREINFO in {}: no KERNELOFFSET, NUMBER(phys_base) or SYMBOL(init_top_pgt)", where);
      continue;
    }
    VmcoreinfoKernel k;
    KernelLocation& loc = k.location;
    loc.virtual_shift = *offset;
    // __pa_symbol(x) = x - __START_KERNEL_map + phys_base, x the runtime address.
    loc.physical_shift = *offset + static_cast<std::uint64_t>(*phys_base);
    loc.dtb = *pgd - kStartKernelMap + static_cast<std::uint64_t>(*phys_base);
    loc.mode = info.number("pgtable_l5_enabled").value_or(0) == 1 ? PagingMode::level5 : PagingMode::level4;
    loc.method = "vmcoreinfo";
    loc.vmcoreinfo = info.text;
    k.info = std::move(info);
    k.where = std::move(where);
    kernels.push_back(std::move(k));
  }
  if (kernels.empty()) {
    return Error::of(fmt::format("{}: VMCOREINFO found but it does not place the kernel:{}\n  {}", memory.path(),
                                 failures, kGiveIsfInstead));
  }
  return kernels;
}

Status prove_banner(const PhysicalMemory& memory, KernelLocation& location, std::uint64_t banner_address,
                    std::string_view release) {
  const X86Translator mmu(memory, location.dtb, location.mode);
  auto banner = read_banner(mmu, banner_address);
  auto physical = mmu.translate(banner_address);
  if (!banner || !physical || kernel_release_of(*banner) != release) {
    return Error::of(fmt::format("linux_banner at {:#x} does not read back as release {}'s banner through the "
                                 "page tables at {:#x}",
                                 banner_address, release, location.dtb));
  }
  location.banner = *banner;
  location.banner_physical = physical->physical;
  return Ok{};
}

Result<DumpKernel> find_kernel_without_symbols(const PhysicalMemory& memory) {
  // The first copy found is almost always the one; only when it does not
  // prove out are all of them looked for.
  auto kernels = kernels_from_vmcoreinfo(memory, 1);
  if (!kernels) return kernels.error();
  if (auto found = kernel_from_copies(memory, *kernels)) return found;
  kernels = kernels_from_vmcoreinfo(memory, kMaxVmcoreinfoCopies);
  if (!kernels) return kernels.error();
  return kernel_from_copies(memory, *kernels);
}

Result<DumpKernel> kernel_from_copies(const PhysicalMemory& memory, std::vector<VmcoreinfoKernel>& kernels) {
  std::string failures;
  for (VmcoreinfoKernel& k : kernels) {
    const X86Translator mmu(memory, k.location.dtb, k.location.mode);
    auto kallsyms = read_kallsyms(mmu, k.info);
    if (!kallsyms) {
      failures += fmt::format("\n  VMCOREINFO in {} (release {}): {}", k.where, k.info.osrelease,
                              kallsyms.error().message);
      continue;
    }
    DumpKernel found;
    found.kallsyms = std::move(kallsyms).value();
    const auto banner_at = found.symbol("linux_banner");
    if (!banner_at) {
      failures += fmt::format("\n  VMCOREINFO in {}: kallsyms has no linux_banner", k.where);
      continue;
    }
    if (auto proved = prove_banner(memory, k.location, *banner_at, k.info.osrelease); !proved) {
      failures += fmt::format("\n  VMCOREINFO in {}: {}", k.where, proved.error().message);
      continue;
    }
    found.location = std::move(k.location);
    found.vmcoreinfo = std::move(k.info);
    found.vmcoreinfo_source = std::move(k.where);
    return found;
  }
  return Error::of(fmt::format("{}: found VMCOREINFO but could not read the kernel's kallsyms through it:{}\n  {}",
                               memory.path(), failures, kGiveIsfInstead));
}

}  // namespace drydock
