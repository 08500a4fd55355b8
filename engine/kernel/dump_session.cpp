#include "engine/kernel/dump_session.hpp"

#include <fmt/format.h>
#include <tbb/parallel_invoke.h>
#include <tbb/task_arena.h>

#include "engine/kernel/banner_scan.hpp"
#include "engine/kernel/dump_symbols.hpp"
#include "engine/kernel/kernel_locator.hpp"
#include "symbols/symbol_cache.hpp"

namespace drydock {
namespace {

// Loads through the run's memo when there is one.
Result<std::shared_ptr<const SymbolTable>> remember(const SessionOptions& options, const std::string& key,
                                                    const SymbolMemo::Loader& load) {
  return options.memo ? options.memo->get_or_load(key, load) : load();
}

// The one ISF file the options name, if that is what they name: it needs
// nothing from the dump, so it can load while the dump opens.
std::optional<std::filesystem::path> single_isf_file(const SessionOptions& options) {
  std::error_code ec;
  if (options.symbol_source == SymbolSource::dump) return std::nullopt;
  if (options.symbol_paths.size() == 1 && std::filesystem::is_regular_file(options.symbol_paths.front(), ec)) {
    return options.symbol_paths.front();
  }
  return std::nullopt;
}

Result<std::shared_ptr<const SymbolTable>> load_single_isf(const std::filesystem::path& isf,
                                                           const SessionOptions& options) {
  return remember(options, "file:" + isf.string(),
                  [&] { return load_symbols(isf, SymbolCacheOptions{options.symbol_cache_dir}); });
}

// The ISF for a dump when the options name directories or several files
// (a single file is loaded by DumpSession::open while the dump opens): the
// dump's banners choose it.
Result<std::shared_ptr<const SymbolTable>> choose_symbols(const PhysicalMemory& memory, const SessionOptions& options) {
  const std::vector<std::filesystem::path>& paths = options.symbol_paths;
  if (paths.empty()) {
    return Error::of(fmt::format("{}: no symbol table given; pass --symbols FILE|DIR (a Volatility 3 ISF, e.g. "
                                 "made by dwarf2json from the kernel's debug vmlinux) or set DRYDOCK_SYMBOLS",
                                 memory.path()));
  }
  // Banners of ISFs that earlier runs loaded are probed for first, at the few
  // places the kernel's load alignment allows: no scan of the whole dump.
  for (const KnownBanner& known : known_isf_banners(paths, options.symbol_cache_dir)) {
    if (find_banner_aligned(memory, known.banner, *known.link, kKernelLoadAlign).empty()) continue;
    auto found = remember(options, "banner:" + known.banner, [&] {
      return find_symbols_for_banner(paths, known.banner, options.symbol_cache_dir);
    });
    if (found) return found;
  }
  const auto banners = scan_banners(memory);
  if (banners.empty()) {
    return Error::of(fmt::format("{}: no Linux banner (\"Linux version ...\") found in the dump; it is not a "
                                 "Linux memory image, or the kernel's pages were not saved", memory.path()));
  }
  std::optional<Error> first_error;
  for (const BannerHit& hit : banners) {
    auto found = remember(options, "banner:" + hit.text,
                          [&] { return find_symbols_for_banner(paths, hit.text, options.symbol_cache_dir); });
    if (found) return found;
    if (!first_error) first_error = found.error();
  }
  return Error::of(fmt::format("{}: {}", memory.path(), first_error->message));
}

// When the kernel cannot be located with the chosen symbols, the most common
// cause is an ISF of another kernel: say so, with both banners.
Error explain_mismatch(const PhysicalMemory& memory, const SymbolTable& symbols, const Error& error) {
  const auto banners = scan_banners(memory, 4);
  const std::string wanted(symbols.banner().value_or(""));
  for (const BannerHit& hit : banners) {
    if (hit.text == wanted) return error;  // right symbols; something else is wrong
  }
  std::string dump_banner = banners.empty() ? "(none found)" : banners.front().text;
  const std::string release = banners.empty() ? "<release>" : kernel_release_of(banners.front().text);
  return Error::of(fmt::format(
      "{}: symbol table {} is for another kernel.\n  dump banner:    {}\n  symbols banner: {}\n"
      "  make the right one with dwarf2json from the kernel's debug vmlinux (package linux-image-{}-dbg "
      "on Debian): dwarf2json linux --elf /usr/lib/debug/boot/vmlinux-{} --system-map System.map-{} | xz > {}.json.xz",
      memory.path(), symbols.source(), dump_banner, wanted, release, release, release, release));
}

}  // namespace

Result<std::unique_ptr<DumpSession>> DumpSession::open(const std::filesystem::path& dump,
                                                       const SessionOptions& options) {
  OpenOptions open = options.open;
  open.decoder_memory_limit = std::min(open.decoder_memory_limit, options.memory_budget);
  // Up to half of the dump's budget may hold its decompressed image; the
  // extraction gets what that leaves.
  open.in_memory_limit = options.memory_budget / 2;
  // A single ISF file loads while the dump opens (decompressing a dump takes
  // long enough to hide parsing the ISF entirely).
  std::optional<Result<PhysicalMemory>> memory;
  std::optional<Result<std::shared_ptr<const SymbolTable>>> early_symbols;
  if (auto isf = single_isf_file(options)) {
    tbb::this_task_arena::isolate([&] {
      tbb::parallel_invoke([&] { memory.emplace(PhysicalMemory::open(dump, open)); },
                           [&] { early_symbols.emplace(load_single_isf(*isf, options)); });
    });
  } else {
    memory.emplace(PhysicalMemory::open(dump, open));
  }
  if (!*memory) return memory->error();
  std::unique_ptr<DumpSession> session(new DumpSession());
  session->path_ = dump.string();
  session->memory_ = std::make_unique<PhysicalMemory>(std::move(*memory).value());

  if (options.symbol_source == SymbolSource::dump ||
      (options.symbol_source == SymbolSource::automatic && options.symbol_paths.empty())) {
    if (auto own = session->attach_dump_symbols(options); !own) return own.error();
    return session;
  }
  auto chosen = early_symbols ? std::move(*early_symbols) : choose_symbols(*session->memory_, options);
  if (!chosen && options.symbol_source == SymbolSource::automatic) {
    // No ISF of $DRYDOCK_SYMBOLS matches: the dump's own tables.
    auto own = session->attach_dump_symbols(options);
    if (own) return session;
    return Error::of(fmt::format("{}\n  and no ISF matched: {}", own.error().message, chosen.error().message));
  }
  if (!chosen) return chosen.error();
  // From here on every lookup, the kernel search's included, is recorded.
  std::shared_ptr<const SymbolTable> symbols =
      SymbolTable::with_recorder(std::move(chosen).value(), options.symbol_recorder);
  auto location = locate_kernel(*session->memory_, *symbols);
  if (!location) return explain_mismatch(*session->memory_, *symbols, location.error());
  session->kernel_ = std::make_unique<KernelMemory>(*session->memory_, std::move(symbols),
                                                    std::move(location).value(),
                                                    std::make_shared<MemoryBudget>(
                                                        options.memory_budget - session->memory_->held_in_memory()));
  return session;
}

Status DumpSession::attach_dump_symbols(const SessionOptions& options) {
  auto own = symbols_from_dump(*memory_, options.symbol_cache_dir, options.memo.get());
  if (!own) return own.error();
  std::shared_ptr<const SymbolTable> symbols = SymbolTable::with_recorder(own->table, options.symbol_recorder);
  kernel_ = std::make_unique<KernelMemory>(
      *memory_, std::move(symbols), std::move(own->location),
      std::make_shared<MemoryBudget>(options.memory_budget - memory_->held_in_memory()));
  return Ok{};
}

}  // namespace drydock

namespace drydock {

DumpInfo DumpSession::describe() const {
  DumpInfo info;
  info.path = path_;
  for (const PhysicalRange& r : memory_->ranges()) info.ranges.push_back({r.start, r.end() - 1});
  info.format = std::string(to_string(memory_->format()));
  info.compression = std::string(to_string(memory_->compression()));
  const KernelLocation& loc = kernel_->location();
  info.banner = loc.banner;
  info.kernel_release = kernel_release_of(loc.banner);
  info.symbols = kernel_->symbols().source();
  info.dtb = loc.dtb;
  info.virtual_shift = loc.virtual_shift;
  info.physical_shift = loc.physical_shift;
  info.paging = loc.mode == PagingMode::level5 ? "5-level" : "4-level";
  info.shift_source = loc.method;
  for (const LayoutVariant& v : kernel_->layout().variants) info.layout_variants.emplace_back(v.family, v.variant);
  for (const MissingMember& m : kernel_->layout().missing) {
    info.layout_missing.push_back(m.type + "." + m.member + ": " + m.feeds);
  }
  if (auto init_task = kernel_->symbol_address("init_task")) {
    if (auto comm = kernel_->symbols().member("task_struct", "comm")) {
      info.init_task_comm = kernel_->read_string(*init_task + comm->offset, 16).value_or("");
    }
  }
  return info;
}

}  // namespace drydock
