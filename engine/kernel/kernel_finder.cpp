#include "engine/kernel/kernel_finder.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <fmt/format.h>

#include "engine/dump/elf_notes.hpp"
#include "engine/kernel/banner_scan.hpp"
#include "engine/kernel/kallsyms_locator.hpp"
#include "engine/paging/x86_64_translator.hpp"

namespace drydock {
namespace {

constexpr std::uint64_t kPage = 4096;
constexpr std::size_t kNoteTextOffset = 24;  // Elf64_Nhdr (12) + "VMCOREINFO\0" padded to 12
constexpr std::uint64_t kProbeChunk = 1ULL << 20;
constexpr std::uint64_t kMaxNamesBytes = 64ULL << 20;
constexpr std::uint64_t kMaxTokenTableBytes = 64ULL << 10;
constexpr std::size_t kMaxBanner = 512;
constexpr std::uint64_t kMaxImageScan = 96ULL << 20;     // the kernel image from _stext: text, rodata
constexpr std::uint64_t kDefaultText = 0xffffffff81000000ULL;  // _text at link time: __START_KERNEL_map + 16 MiB


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

// Kernels before 6.0 do not name the kallsyms tables in VMCOREINFO: they
// are looked for by structure in the kernel image (from _stext, or from the
// link-time text address), checked with _stext or the banner found there.
Result<Kallsyms> scan_kallsyms(const PhysicalMemory& memory, const KernelLocation& location, const VmcoreInfo& info) {
  const auto stext = info.symbol("_stext");
  const std::uint64_t start = stext.value_or(kDefaultText + location.virtual_shift);
  const std::uint64_t physical = start - kStartKernelMap - location.virtual_shift + location.physical_shift;
  std::span<const std::byte> image;
  for (const PhysicalRange& range : memory.ranges()) {
    if (physical >= range.start && physical < range.end()) {
      image = memory.view(physical, static_cast<std::size_t>(std::min(kMaxImageScan, range.end() - physical)));
    }
  }
  if (image.empty()) {
    return Error::of(fmt::format("VMCOREINFO does not name the kallsyms tables (kernels before 6.0 do not) and the "
                                 "kernel image at physical {:#x} is not in the dump",
                                 physical));
  }
  // The known address: _stext, else each banner of the release in the image.
  std::vector<KnownAddress> known;
  if (stext) {
    known.push_back({"_stext", *stext});
  } else {
    for (std::uint64_t banner : find_banners_in_image(image, start, info.osrelease)) {
      known.push_back({"linux_banner", banner});
    }
  }
  if (known.empty()) {
    return Error::of(fmt::format("VMCOREINFO names neither the kallsyms tables nor _stext, and no banner of release "
                                 "{} lies in the kernel image at physical {:#x}",
                                 info.osrelease, physical));
  }
  Result<Kallsyms> found = Error::of("");
  for (const KnownAddress& k : known) {
    found = locate_kallsyms(image, start, std::span(&k, 1));
    if (found) return found;
  }
  if (!found) {
    return Error::of("VMCOREINFO does not name the kallsyms tables (kernels before 6.0 do not), and " +
                     found.error().message);
  }
  return found;
}

Result<Kallsyms> read_kallsyms(const PhysicalMemory& memory, const KernelLocation& location,
                               const X86Translator& mmu, const VmcoreInfo& info) {
  const auto names = info.symbol("kallsyms_names");
  const auto num_syms = info.symbol("kallsyms_num_syms");
  const auto token_table = info.symbol("kallsyms_token_table");
  const auto token_index = info.symbol("kallsyms_token_index");
  auto addresses = info.symbol("kallsyms_offsets");
  const bool absolute = !addresses;
  if (absolute) addresses = info.symbol("kallsyms_addresses");
  const auto stext = info.symbol("_stext");
  if (!names || !num_syms || !token_table || !token_index || !addresses || !stext) {
    return scan_kallsyms(memory, location, info);
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

// --- Without VMCOREINFO -----------------------------------------------------
// The kernel image is found through its banner in physical memory; the
// kallsyms tables are looked for by structure around it (image_address =
// the physical address, so self-relative offsets come out physical) and
// every way of reading them is tried against the page tables they name.

constexpr std::uint64_t kImageMapSpan = 1ULL << 30;         // the kernel image mapping (KERNEL_IMAGE_SIZE)
constexpr std::uint64_t kScanBeforeBanner = 32ULL << 20;    // .rodata holds both; the tables may precede the banner
constexpr std::uint64_t kScanAfterBanner = 64ULL << 20;
constexpr std::size_t kMaxBannerHits = 8;                   // linux_banner and its copies (log buffer, ...)
constexpr std::size_t kMaxNameDecodings = 64;               // candidate names decoded, over all banner places
constexpr std::uint64_t kMaxTaskBytes = 16ULL << 10;        // task_struct is 10 KB or so; comm lies in it
constexpr std::string_view kIdleComm{"swapper/0\0", 10};     // init_task's comm since 3.x (init_idle)

// The indexes, in one decoding of the names, of the symbols the proof needs.
struct ProofSymbols {
  std::optional<std::uint64_t> banner, text, init_task, pgd, l5;
};

ProofSymbols proof_symbols(const std::vector<KallsymsName>& names) {
  ProofSymbols p;
  for (std::uint64_t i = 0; i < names.size(); ++i) {
    const std::string& n = names[i].name;
    if (n == "linux_banner" && !p.banner) p.banner = i;
    if (n == "_text" && !p.text) p.text = i;
    if (n == "init_task" && !p.init_task) p.init_task = i;
    if ((n == "init_top_pgt" || n == "init_level4_pgt") && !p.pgd) p.pgd = i;  // init_level4_pgt before 4.13
    if (n == "__pgtable_l5_enabled" && !p.l5) p.l5 = i;
  }
  return p;
}

// Why a reading failed: of all readings tried, the one whose failure came
// at the latest check is the one reported.
struct ReadingFailure {
  int check = -1;
  std::string why;
  void note(int at_check, std::string text) {
    if (at_check < check) return;
    check = at_check;
    why = std::move(text);
  }
};

// One reading of the tables (a candidate, its name lengths and addressing)
// with the banner at physical `banner_physical`: the kernel it places, if
// every check holds. Else why not, in `failure`.
std::optional<DumpKernel> prove_reading(const PhysicalMemory& memory, const KallsymsTables& tables,
                                        KallsymsAddressing addressing, const ProofSymbols& at,
                                        std::uint64_t banner_physical, const std::string& banner,
                                        ReadingFailure& failure) {
  const auto raw = [&](std::optional<std::uint64_t> index) -> std::optional<std::uint64_t> {
    if (!index) return std::nullopt;
    return kallsyms_address(tables, addressing, *index);
  };
  const auto banner_raw = raw(at.banner);
  const auto pgd_raw = raw(at.pgd);
  const auto text_raw = raw(at.text);
  const auto init_task_raw = raw(at.init_task);
  if (!banner_raw || !pgd_raw || !text_raw || !init_task_raw) return std::nullopt;
  // Self-relative offsets were read at physical addresses: they give physical
  // ones. The others give runtime virtual addresses, and the banner's place
  // gives delta = virtual - physical for the whole image.
  const bool physical_addresses = addressing == KallsymsAddressing::self_relative;
  if (physical_addresses && *banner_raw != banner_physical) return std::nullopt;
  std::optional<std::uint64_t> delta;
  if (!physical_addresses) delta = *banner_raw - banner_physical;
  const auto to_physical = [&](std::uint64_t a) { return physical_addresses ? a : a - *delta; };
  KernelLocation loc;
  loc.dtb = to_physical(*pgd_raw);
  if (auto l5 = raw(at.l5)) {
    std::array<std::byte, 4> on{};
    if (memory.read(to_physical(*l5), on) && on[0] == std::byte{1}) loc.mode = PagingMode::level5;
  }
  const X86Translator mmu(memory, loc.dtb, loc.mode);
  if (physical_addresses) {
    // Where the page tables map the banner in the image mapping (2 MiB aligned).
    for (std::uint64_t v = kStartKernelMap + banner_physical % kKernelLoadAlign; v < kStartKernelMap + kImageMapSpan;
         v += kKernelLoadAlign) {
      auto t = mmu.translate(v);
      if (t && t->physical == banner_physical) {
        delta = v - banner_physical;
        break;
      }
    }
    if (!delta) {
      failure.note(0, fmt::format("the page tables at {:#x} do not map the banner into the kernel image mapping",
                                  loc.dtb));
      return std::nullopt;
    }
  }
  const auto to_virtual = [&](std::uint64_t a) { return physical_addresses ? a + *delta : a; };
  const std::uint64_t banner_at = to_virtual(*banner_raw);
  const std::uint64_t text_at = to_virtual(*text_raw);
  // 1. linux_banner reads back, whole, through the page tables kallsyms names.
  auto read_back = read_banner(mmu, banner_at);
  auto banner_translated = mmu.translate(banner_at);
  if (!read_back || *read_back != banner || !banner_translated || banner_translated->physical != banner_physical) {
    failure.note(1, fmt::format("linux_banner at {:#x} does not read back through the page tables at {:#x}",
                                banner_at, loc.dtb));
    return std::nullopt;
  }
  // 2. _text lies at a 2 MiB boundary, virtual and physical, in the image mapping.
  auto text_translated = mmu.translate(text_at);
  if (text_at < kStartKernelMap || text_at - kStartKernelMap >= kImageMapSpan || text_at % kKernelLoadAlign != 0 ||
      !text_translated || text_translated->physical != to_physical(*text_raw) ||
      text_translated->physical % kKernelLoadAlign != 0) {
    failure.note(2, fmt::format("_text at {:#x} is not a 2 MiB-aligned address of the image mapping that the page "
                                "tables at {:#x} map where kallsyms puts it",
                                text_at, loc.dtb));
    return std::nullopt;
  }
  // 3. init_task is the idle task of CPU 0: its comm "swapper/0" lies in it.
  const std::vector<std::byte> task = read_up_to(mmu, to_virtual(*init_task_raw), kMaxTaskBytes);
  if (std::string_view(reinterpret_cast<const char*>(task.data()), task.size()).find(kIdleComm) ==
      std::string_view::npos) {
    failure.note(3, fmt::format("init_task at {:#x} does not hold the comm \"swapper/0\"", to_virtual(*init_task_raw)));
    return std::nullopt;
  }
  KallsymsTables runtime = tables;
  if (physical_addresses) runtime.addresses_at += *delta;
  const std::array known{KnownAddress{"linux_banner", banner_at}, KnownAddress{"_text", text_at}};
  auto kallsyms = decode_kallsyms(runtime, known);
  if (!kallsyms) {
    failure.note(4, kallsyms.error().message);
    return std::nullopt;
  }
  DumpKernel kernel;
  kernel.kallsyms = std::move(kallsyms).value();
  // virtual = physical + delta, and __pa_symbol(x) = x - __START_KERNEL_map + phys_base.
  const std::uint64_t phys_base = kStartKernelMap - *delta;
  loc.virtual_shift = text_at - kDefaultText;
  loc.physical_shift = loc.virtual_shift + phys_base;
  loc.banner = banner;
  loc.banner_physical = banner_physical;
  loc.method = "kallsyms";
  kernel.location = std::move(loc);
  kernel.vmcoreinfo.osrelease = kernel_release_of(banner);
  kernel.vmcoreinfo_source = "none (found by the banner and kallsyms)";
  return kernel;
}

// The kernel whose banner lies at `banner_physical`, from the kallsyms
// tables around it. Else why not. `decodings` counts the names decoded over
// the whole search (each up to kMaxKallsymsSymbols), which hostile bytes
// could otherwise multiply.
Result<DumpKernel> kernel_at_banner(const PhysicalMemory& memory, std::uint64_t banner_physical,
                                    const std::string& banner, std::size_t& decodings) {
  std::span<const std::byte> image;
  std::uint64_t image_start = 0;
  for (const PhysicalRange& range : memory.ranges()) {
    if (banner_physical < range.start || banner_physical >= range.end()) continue;
    const std::uint64_t block = banner_physical / kKernelLoadAlign * kKernelLoadAlign;
    image_start = std::max(range.start, block > kScanBeforeBanner ? block - kScanBeforeBanner : 0);
    const std::uint64_t end = std::min(range.end(), banner_physical + kScanAfterBanner);
    image = memory.view(image_start, static_cast<std::size_t>(end - image_start));
  }
  if (image.empty()) return Error::of("its surroundings are not in the dump");
  const std::vector<KallsymsTables> candidates = kallsyms_table_candidates(image, image_start);
  if (candidates.empty()) {
    return Error::of(fmt::format("no kallsyms tables (a token table and index with markers and a symbol count "
                                 "before them) in physical {:#x}..{:#x}",
                                 image_start, image_start + image.size()));
  }
  constexpr std::array kLengths{KallsymsNameLength::two_byte, KallsymsNameLength::one_byte};
  constexpr std::array kAddressings{KallsymsAddressing::relative_base_percpu, KallsymsAddressing::relative_base,
                                    KallsymsAddressing::self_relative, KallsymsAddressing::absolute};
  ReadingFailure failure{-1, "no reading of them names linux_banner, _text, init_task and init_top_pgt"};
  for (const KallsymsTables& tables : candidates) {
    for (KallsymsNameLength length : kLengths) {
      if (++decodings > kMaxNameDecodings) {
        return Error::of(fmt::format("gave up after decoding the names of {} candidate tables", kMaxNameDecodings));
      }
      auto names = decode_kallsyms_names(tables.names, tables.token_table, tables.token_index, tables.num_syms, length);
      if (!names) continue;
      const ProofSymbols at = proof_symbols(*names);
      if (!at.banner || !at.text || !at.init_task || !at.pgd) continue;
      for (KallsymsAddressing addressing : kAddressings) {
        if (auto kernel = prove_reading(memory, tables, addressing, at, banner_physical, banner, failure)) {
          return std::move(*kernel);
        }
      }
    }
  }
  return Error::of(fmt::format("{} candidate kallsyms tables in physical {:#x}..{:#x}, none proves out (the reading "
                               "that held longest: {})",
                               candidates.size(), image_start, image_start + image.size(), failure.why));
}

}  // namespace

Result<DumpKernel> find_kernel_without_vmcoreinfo(const PhysicalMemory& memory) {
  const std::vector<BannerHit> banners = scan_banners(memory, 4);
  if (banners.empty()) {
    return Error::of("no Linux banner (\"Linux version ...\") in the dump either, so the kernel image cannot be found");
  }
  std::string failures;
  std::size_t decodings = 0;
  for (const BannerHit& hit : banners) {
    for (std::uint64_t at : find_banner(memory, hit.text, kMaxBannerHits)) {
      auto kernel = kernel_at_banner(memory, at, hit.text, decodings);
      if (kernel) return kernel;
      failures += fmt::format("\n  banner at physical {:#x}: {}", at, kernel.error().message);
    }
  }
  return Error::of(fmt::format("looked for the kallsyms tables around each Linux banner and checked each reading "
                               "against the page tables they name (linux_banner, _text, init_task's \"swapper/0\"):{}",
                               failures));
}

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
        "saved page",
        memory.path()));
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
    return Error::of(fmt::format("{}: VMCOREINFO found but it does not place the kernel:{}", memory.path(), failures));
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
  return find_kernel_without_symbols(memory, kernels_from_vmcoreinfo(memory, 1));
}

Result<DumpKernel> find_kernel_without_symbols(const PhysicalMemory& memory,
                                               Result<std::vector<VmcoreinfoKernel>> kernels) {
  // The first copy found is almost always the one; only when it does not
  // prove out are all of them looked for.
  Error with_vmcoreinfo = kernels ? Error{} : kernels.error();
  if (kernels) {
    if (auto found = kernel_from_copies(memory, *kernels)) return found;
    kernels = kernels_from_vmcoreinfo(memory, kMaxVmcoreinfoCopies);
    auto found = kernels ? kernel_from_copies(memory, *kernels) : Result<DumpKernel>(kernels.error());
    if (found) return found;
    with_vmcoreinfo = found.error();
  }
  // No VMCOREINFO (a kernel without CONFIG_CRASH_CORE, its page overwritten),
  // or none that places the kernel: the banner and kallsyms alone.
  auto found = find_kernel_without_vmcoreinfo(memory);
  if (found) return found;
  return Error::of(fmt::format("{}\n  without VMCOREINFO: {}\n  {}", with_vmcoreinfo.message, found.error().message,
                               kGiveIsfInstead));
}

Result<DumpKernel> kernel_from_copies(const PhysicalMemory& memory, std::vector<VmcoreinfoKernel>& kernels) {
  std::string failures;
  for (VmcoreinfoKernel& k : kernels) {
    const X86Translator mmu(memory, k.location.dtb, k.location.mode);
    auto kallsyms = read_kallsyms(memory, k.location, mmu, k.info);
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
  return Error::of(fmt::format("{}: found VMCOREINFO but could not read the kernel's kallsyms through it:{}",
                               memory.path(), failures));
}

}  // namespace drydock
