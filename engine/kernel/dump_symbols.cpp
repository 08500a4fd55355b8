#include "engine/kernel/dump_symbols.hpp"

#include <array>
#include <cstring>
#include <fmt/format.h>
#include <vector>

#include "engine/core/sha256.hpp"
#include "engine/kernel/banner_scan.hpp"
#include "engine/paging/x86_64_translator.hpp"
#include "symbols/btf_table.hpp"
#include "symbols/symbol_cache.hpp"

namespace drydock {
namespace {

constexpr std::uint64_t kMaxBtfBytes = 256ULL << 20;      // vmlinux BTF is ~5 MB
constexpr std::uint64_t kMaxModuleBtfBytes = 16ULL << 20;  // a module's split BTF: a few hundred KB at most
constexpr std::uint64_t kMaxImageBytes = 1ULL << 30;       // KERNEL_IMAGE_SIZE
constexpr std::size_t kMaxIdrNodes = 4096;
constexpr std::size_t kMaxIdrEntries = 65536;
constexpr int kMaxXaDepth = 11;  // 64-bit indexes, 6 bits a level
constexpr std::size_t kModuleNameLength = 56;  // MODULE_NAME_LEN on 64-bit

// The modules whose types drydock's readers use (overlay options and dirs,
// bridge and veth devices): the others' types are never looked up.
constexpr std::array<std::string_view, 3> kModulesRead{"overlay", "bridge", "veth"};

std::string megabytes(std::uint64_t bytes) { return fmt::format("{:.1f} MB", static_cast<double>(bytes) / 1e6); }

std::string thousands(std::uint64_t n) {
  std::string digits = std::to_string(n);
  for (int at = static_cast<int>(digits.size()) - 3; at > 0; at -= 3) digits.insert(static_cast<std::size_t>(at), ",");
  return digits;
}

// vmlinux's BTF: __start_BTF..__stop_BTF, else the BTF header found in the
// kernel image (_stext.._end, read through its physical mapping).
Result<std::vector<std::byte>> read_vmlinux_btf(const PhysicalMemory& memory, const X86Translator& mmu,
                                                const DumpKernel& kernel, std::string* where) {
  const auto start = kernel.symbol("__start_BTF");
  const auto stop = kernel.symbol("__stop_BTF");
  if (start && stop && *stop > *start && *stop - *start <= kMaxBtfBytes) {
    std::vector<std::byte> bytes(*stop - *start);
    if (mmu.read(*start, bytes)) {
      *where = fmt::format("__start_BTF..__stop_BTF ({:#x}, {} bytes)", *start, bytes.size());
      return bytes;
    }
  }
  const auto text = kernel.symbol("_stext");
  const auto end = kernel.symbol("_end");
  if (text && end && *end > *text && *end - *text <= kMaxImageBytes) {
    const std::uint64_t physical = *text - kStartKernelMap - kernel.location.virtual_shift + kernel.location.physical_shift;
    const std::span<const std::byte> image = memory.view(physical, *end - *text);
    if (!image.empty()) {
      if (auto blob = find_btf_blob(image)) {
        *where = fmt::format("a BTF header in the kernel image at physical {:#x}",
                             physical + static_cast<std::uint64_t>(blob->data() - image.data()));
        return std::vector<std::byte>(blob->begin(), blob->end());
      }
    }
  }
  return Error::of(fmt::format(
      "the kernel has no BTF type information in the dump: kallsyms {} __start_BTF/__stop_BTF{}, and no BTF header "
      "(magic 0xeB9F) was found in the kernel image (_stext.._end); its kernel may be built without "
      "CONFIG_DEBUG_INFO_BTF, or those pages were not saved",
      start && stop ? "names" : "has no", start && stop ? " but their bytes are not all in the dump" : ""));
}

struct ModuleBtf {
  std::string name;
  std::vector<std::byte> bytes;
};

// The `struct btf` objects of btf_idr (an IDR: an xarray of pointers) whose
// name is one of kModulesRead; their data as split BTF. A module whose BTF
// cannot be read is left out (its types are then missing, which the layout
// reports as for an ISF without module types).
std::vector<ModuleBtf> read_module_btf(const X86Translator& mmu, const DumpKernel& kernel, const SymbolTable& types) {
  std::vector<ModuleBtf> modules;
  const auto idr = kernel.symbol("btf_idr");
  const auto idr_rt = types.member("idr", "idr_rt");
  const auto xa_head = types.member("xarray", "xa_head");
  const auto shift_member = types.member("xa_node", "shift");
  const auto slots_member = types.member("xa_node", "slots");
  const auto data_member = types.member("btf", "data");
  const auto size_member = types.member("btf", "data_size");
  const auto name_member = types.member("btf", "name");
  if (!idr || !idr_rt || !xa_head || !shift_member || !slots_member || !data_member || !size_member || !name_member) {
    return modules;
  }
  const auto head = read_virtual_u64(mmu, *idr + idr_rt->offset + xa_head->offset);
  if (!head) return modules;

  std::vector<std::uint64_t> btfs;
  // Entries to visit with their depth; an internal entry (low bits 10, above
  // 4096) is a node, other internal ones (retry, zero, sibling) are skipped.
  std::vector<std::pair<std::uint64_t, int>> pending{{*head, 0}};
  std::size_t nodes = 0;
  while (!pending.empty() && btfs.size() < kMaxIdrEntries) {
    const auto [entry, depth] = pending.back();
    pending.pop_back();
    if (entry == 0 || (entry & 1)) continue;  // empty, or a value entry
    if ((entry & 3) == 2) {
      if (entry <= 4096 || depth > kMaxXaDepth || ++nodes > kMaxIdrNodes) continue;
      const std::uint64_t node = entry - 2;
      std::array<std::byte, 64 * 8> slots{};
      if (!mmu.read(node + slots_member->offset, slots)) continue;
      for (std::size_t i = 0; i < 64; ++i) {
        std::uint64_t slot = 0;
        std::memcpy(&slot, slots.data() + i * 8, 8);
        if (slot != 0) pending.emplace_back(slot, depth + 1);
      }
      continue;
    }
    btfs.push_back(entry);
  }
  for (std::uint64_t btf : btfs) {
    std::array<char, kModuleNameLength> raw_name{};
    if (!mmu.read(btf + name_member->offset, std::as_writable_bytes(std::span(raw_name)))) continue;
    const std::string name(raw_name.data(), strnlen(raw_name.data(), raw_name.size()));
    if (std::find(kModulesRead.begin(), kModulesRead.end(), name) == kModulesRead.end()) continue;
    const auto data = read_virtual_u64(mmu, btf + data_member->offset);
    std::array<std::byte, 4> raw_size{};
    if (!data || !mmu.read(btf + size_member->offset, raw_size)) continue;
    std::uint32_t size = 0;
    std::memcpy(&size, raw_size.data(), 4);
    if (size == 0 || size > kMaxModuleBtfBytes) continue;
    ModuleBtf module{name, std::vector<std::byte>(size)};
    if (!mmu.read(*data, module.bytes)) continue;
    modules.push_back(std::move(module));
  }
  // The idr's order is load order; sort for a table that does not depend on it.
  std::sort(modules.begin(), modules.end(), [](const ModuleBtf& a, const ModuleBtf& b) { return a.name < b.name; });
  return modules;
}

std::vector<KernelSymbolAddress> link_time_symbols(const DumpKernel& kernel) {
  std::vector<KernelSymbolAddress> symbols;
  symbols.reserve(kernel.kallsyms.symbols.size());
  for (const KallsymsSymbol& s : kernel.kallsyms.symbols) {
    // Absolute per-CPU symbols (offsets into the per-CPU area) are not moved by KASLR.
    const bool in_image = s.address >= kStartKernelMap;
    symbols.push_back({s.name, in_image ? s.address - kernel.location.virtual_shift : s.address});
  }
  return symbols;
}

std::string cache_identity(const VmcoreInfo& info) {
  return fmt::format("drydock dump tables v1\nbuild-id {}\nrelease {}", *info.build_id, info.osrelease);
}

}  // namespace

Result<DumpSymbols> build_symbols_from_dump(const PhysicalMemory& memory, const DumpKernel& kernel,
                                            const std::filesystem::path& cache_dir) {
  const X86Translator mmu(memory, kernel.location.dtb, kernel.location.mode);
  std::string btf_where;
  auto vmlinux_btf = read_vmlinux_btf(memory, mmu, kernel, &btf_where);
  if (!vmlinux_btf) {
    return Error::of(fmt::format("{}: {}; {}", memory.path(), vmlinux_btf.error().message, kGiveIsfInstead));
  }
  // Without a build id the cache key is the banner and the BTF's digest.
  const SymbolCacheOptions cache{cache_dir};
  const std::string identity =
      fmt::format("drydock dump tables v1\nbanner {}\nbtf {}", kernel.location.banner,
                  sha256_hex(std::string_view(reinterpret_cast<const char*>(vmlinux_btf->data()), vmlinux_btf->size())));
  if (auto cached = load_cached_table(cache, identity)) {
    DumpSymbols out;
    out.table = std::move(*cached);
    out.location = kernel.location;
    out.description = out.table->source();
    return out;
  }
  const std::vector<KernelSymbolAddress> symbols = link_time_symbols(kernel);
  std::string description = fmt::format("from dump (BTF {}, kallsyms {} symbols)", megabytes(vmlinux_btf->size()),
                                        thousands(symbols.size()));
  const BtfBlob vmlinux{"vmlinux", *vmlinux_btf};
  auto base = table_from_btf(vmlinux, {}, symbols, kernel.location.banner, description);
  if (!base) {
    return Error::of(fmt::format("{}: the BTF at {} does not decode: {}; {}", memory.path(), btf_where,
                                 base.error().message, kGiveIsfInstead));
  }
  DumpSymbols out;
  out.location = kernel.location;
  const std::vector<ModuleBtf> modules = read_module_btf(mmu, kernel, **base);
  if (modules.empty()) {
    out.table = std::move(base).value();
  } else {
    std::vector<BtfBlob> blobs;
    std::string names;
    for (const ModuleBtf& m : modules) {
      blobs.push_back({m.name, m.bytes});
      names += (names.empty() ? "" : ", ") + m.name;
    }
    description = fmt::format("from dump (BTF {}, modules {}, kallsyms {} symbols)", megabytes(vmlinux_btf->size()),
                              names, thousands(symbols.size()));
    auto full = table_from_btf(vmlinux, blobs, symbols, kernel.location.banner, description);
    // A module's BTF that does not decode costs its types only.
    out.table = full ? std::move(full).value() : std::move(base).value();
  }
  out.description = out.table->source();
  store_cached_table(cache, identity, *out.table);
  return out;
}

Result<DumpSymbols> symbols_from_dump(const PhysicalMemory& memory, const std::filesystem::path& cache_dir,
                                      SymbolMemo* memo) {
  const SymbolCacheOptions cache{cache_dir};
  // A table cached for an earlier dump whose banner lies where this kernel's
  // load alignment puts it: located as with an ISF (banner probe, page
  // tables, VMCOREINFO through vmcoreinfo_note), with no scan of the dump.
  for (const CachedTableBanner& known : cached_table_banners(cache)) {
    if (find_banner_aligned(memory, known.banner, known.link, kKernelLoadAlign).empty()) continue;
    const auto load = [&]() -> Result<std::shared_ptr<const SymbolTable>> {
      if (auto cached = load_cached_table(cache, known.identity)) return std::move(*cached);
      return Error::of("no cached table");
    };
    auto table = memo ? memo->get_or_load("dump-cached:" + known.identity, load) : load();
    if (!table) continue;
    auto location = locate_kernel(memory, **table);
    if (!location || location->method != "vmcoreinfo") continue;
    DumpSymbols out;
    out.table = std::move(table).value();
    out.location = std::move(location).value();
    out.description = out.table->source();
    return out;
  }
  // A kernel with a build id: its table through the run's memo and the
  // on-disk cache. VMCOREINFO places the kernel and the table's linux_banner
  // proves it, so a cached build reads no BTF and decodes no kallsyms. The
  // first VMCOREINFO copy found is tried before all of them are looked for.
  for (std::size_t copies : {std::size_t{1}, kMaxVmcoreinfoCopies}) {
    auto kernels = kernels_from_vmcoreinfo(memory, copies);
    if (!kernels) {
      // No VMCOREINFO, or none that places the kernel: found without it, or the error says why not.
      auto kernel = find_kernel_without_symbols(memory, std::move(kernels));
      if (!kernel) return kernel.error();
      return build_symbols_from_dump(memory, *kernel, cache_dir);
    }
    for (VmcoreinfoKernel& k : *kernels) {
      if (!k.info.build_id) continue;
      const std::string identity = cache_identity(k.info);
      const auto load = [&]() -> Result<std::shared_ptr<const SymbolTable>> {
        if (auto cached = load_cached_table(cache, identity)) return std::move(*cached);
        auto kernel = find_kernel_without_symbols(memory);
        if (!kernel) return kernel.error();
        auto built = build_symbols_from_dump(memory, *kernel, {});
        if (!built) return built.error();
        store_cached_table(cache, identity, *built->table);
        return built->table;
      };
      auto table = memo ? memo->get_or_load("dump:" + identity, load) : load();
      if (!table) return table.error();
      const Symbol* banner = (*table)->symbol("linux_banner");
      if (!banner) continue;
      if (!prove_banner(memory, k.location, banner->address + k.location.virtual_shift, k.info.osrelease)) continue;
      DumpSymbols out;
      out.table = std::move(table).value();
      out.location = std::move(k.location);
      out.description = out.table->source();
      return out;
    }
  }
  auto kernel = find_kernel_without_symbols(memory);
  if (!kernel) return kernel.error();
  return build_symbols_from_dump(memory, *kernel, cache_dir);
}

}  // namespace drydock
