// Reading ISF files from disk: SymbolTable::load and the banner-driven choice
// among candidate files. Kept apart from the parser, which is pure.

#include <algorithm>
#include <system_error>

#include "engine/core/decompress.hpp"
#include "engine/core/sha256.hpp"
#include "symbols/banner_index.hpp"
#include "symbols/detail/isf_banner.hpp"
#include "symbols/detail/isf_parser.hpp"
#include "symbols/symbol_cache.hpp"
#include "symbols/symbol_table.hpp"

namespace drydock {
namespace {

namespace fs = std::filesystem;

// The largest decompressed ISF accepted; real ones are ~40 MB.
constexpr std::size_t kMaxIsfBytes = std::size_t{1} << 30;

// Parses text this code owns, padding it in place instead of copying it.
Result<std::shared_ptr<const SymbolTable>> parse_owned(std::string& text, std::string source) {
  std::size_t wanted = text.size() + detail::isf_padding();
  if (text.capacity() < wanted) text.reserve(wanted);
  return detail::parse_isf(text.data(), text.size(), text.capacity(), std::move(source));
}

bool looks_like_isf_name(const fs::path& path) {
  std::string name = path.filename().string();
  for (std::string_view suffix : {".json", ".json.xz", ".json.gz", ".json.zst"}) {
    if (name.size() > suffix.size() && name.ends_with(suffix)) return true;
  }
  return false;
}

// "Linux version 6.1.0-56-amd64 (...)" -> "6.1.0-56-amd64".
std::string kernel_release(std::string_view banner) {
  constexpr std::string_view kPrefix = "Linux version ";
  if (!banner.starts_with(kPrefix)) return "<release>";
  banner.remove_prefix(kPrefix.size());
  std::string_view release = banner.substr(0, banner.find(' '));
  return release.empty() ? "<release>" : std::string(release);
}

}  // namespace

Result<std::shared_ptr<const SymbolTable>> SymbolTable::load(const std::filesystem::path& path) {
  auto text = read_decompressed(path, kMaxIsfBytes);
  if (!text) return text.error();
  return parse_owned(*text, path.string());
}

namespace {

// The ISF files the candidates name: files as given, directories searched
// recursively (sorted: the choice and the messages are reproducible).
struct IsfFiles {
  std::vector<fs::path> files;
  std::vector<std::string> unlistable;  // "dir (cannot list: why)"
  std::vector<std::string> empty_dirs;
};

IsfFiles list_isf_files(std::span<const fs::path> candidates) {
  IsfFiles out;
  for (const fs::path& candidate : candidates) {
    std::error_code ec;
    if (!fs::is_directory(candidate, ec)) {
      out.files.push_back(candidate);  // a file named explicitly is tried whatever its name
      continue;
    }
    std::vector<fs::path> found;
    fs::recursive_directory_iterator it(candidate, fs::directory_options::skip_permission_denied, ec);
    for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
      std::error_code type_ec;
      if (it->is_regular_file(type_ec) && looks_like_isf_name(it->path())) found.push_back(it->path());
    }
    if (ec) out.unlistable.push_back(candidate.string() + " (cannot list: " + ec.message() + ")");
    if (found.empty()) out.empty_dirs.push_back(candidate.string());
    std::sort(found.begin(), found.end());
    out.files.insert(out.files.end(), found.begin(), found.end());
  }
  return out;
}

std::optional<std::uint64_t> banner_link(const SymbolTable& table) {
  const Symbol* symbol = table.symbol("linux_banner");
  if (!symbol) return std::nullopt;
  return symbol->address;
}

}  // namespace

std::string symbol_files_identity(std::span<const std::filesystem::path> candidates) {
  std::string identity;
  for (const fs::path& file : list_isf_files(candidates).files) {
    std::error_code ec;
    const auto size = fs::file_size(file, ec);
    const auto time = fs::last_write_time(file, ec);
    identity += file.string() + "\n" + std::to_string(ec ? 0 : size) + "\n" +
                std::to_string(ec ? 0 : time.time_since_epoch().count()) + "\n";
  }
  return sha256_hex(identity);
}

WarmReport warm_symbol_cache(std::span<const std::filesystem::path> candidates, const std::filesystem::path& cache_dir) {
  WarmReport report;
  IsfFiles listed = list_isf_files(candidates);
  report.problems = std::move(listed.unlistable);
  for (const std::string& dir : listed.empty_dirs) report.problems.push_back(dir + " (no ISF files in it)");
  BannerIndex index = BannerIndex::load(cache_dir);
  for (const fs::path& file : listed.files) {
    WarmedIsf warmed{file, CacheOutcome::disabled, {}, std::nullopt};
    auto table = load_symbols(file, SymbolCacheOptions{cache_dir}, &warmed.outcome);
    if (table) {
      warmed.banner = std::string((*table)->banner().value_or(""));
      if (!warmed.banner.empty()) index.remember(file, {warmed.banner, banner_link(**table)});
    } else {
      warmed.error = table.error().message;
    }
    report.files.push_back(std::move(warmed));
  }
  index.save();
  return report;
}

std::vector<KnownBanner> known_isf_banners(std::span<const std::filesystem::path> candidates,
                                           const std::filesystem::path& cache_dir) {
  std::vector<KnownBanner> known;
  if (cache_dir.empty()) return known;
  const BannerIndex index = BannerIndex::load(cache_dir);
  for (const fs::path& file : list_isf_files(candidates).files) {
    if (auto k = index.lookup(file); k && k->link) known.push_back(std::move(*k));
  }
  return known;
}

Result<std::shared_ptr<const SymbolTable>> find_symbols_for_banner(std::span<const std::filesystem::path> candidates,
                                                                   std::string_view banner,
                                                                   const std::filesystem::path& cache_dir) {
  const std::string_view wanted = detail::trim_banner(banner);
  IsfFiles listed = list_isf_files(candidates);
  std::vector<std::string> tried = std::move(listed.unlistable);  // one line per file looked at
  const std::vector<std::string>& empty_dirs = listed.empty_dirs;
  if (listed.files.empty() && tried.empty()) {
    if (candidates.empty()) return Error::of("no symbol table given (no ISF files or directories to search)");
    std::string dirs;
    for (const std::string& dir : empty_dirs) dirs += (dirs.empty() ? "" : ", ") + dir;
    return Error::of("no ISF symbol table files (*.json, *.json.xz, *.json.gz, *.json.zst) found in " + dirs);
  }

  BannerIndex index = BannerIndex::load(cache_dir);
  // The match is loaded through the symbol cache, and its own banner checked:
  // the index is only a hint. Loaded in full, it also tells linux_banner's
  // link address, for the next dump's quick probe.
  const auto load_match = [&](const fs::path& file) -> std::optional<Result<std::shared_ptr<const SymbolTable>>> {
    auto table = load_symbols(file, SymbolCacheOptions{cache_dir});
    if (table && (*table)->banner() != wanted) return std::nullopt;
    if (table) index.remember(file, {std::string(wanted), banner_link(**table)});
    index.save();
    return table;
  };
  for (const fs::path& file : listed.files) {
    if (auto known = index.lookup(file)) {
      if (known->banner != wanted) {
        tried.push_back(file.string() + " (banner: " + known->banner + ")");
        continue;
      }
      if (auto match = load_match(file)) return std::move(*match);
    }
    auto text = read_decompressed(file, kMaxIsfBytes);
    if (!text) {
      tried.push_back(file.string() + " (unreadable: " + text.error().message + ")");
      continue;
    }
    // Only the banner is looked at here; the full parse is for the match.
    std::optional<std::string> file_banner = detail::probe_banner(*text);
    if (!file_banner) {
      tried.push_back(file.string() + " (no linux_banner in it)");
      continue;
    }
    if (*file_banner == wanted) {
      if (cache_dir.empty()) return parse_owned(*text, file.string());
      text->clear();
      text->shrink_to_fit();
      if (auto match = load_match(file)) return std::move(*match);
      return Error::of(file.string() + ": changed while it was being read; run again");
    }
    index.remember(file, {*file_banner, std::nullopt});
    tried.push_back(file.string() + " (banner: " + *file_banner + ")");
  }
  index.save();

  std::string message = "no symbol table matches this dump's kernel.\n  dump banner: " + std::string(wanted);
  for (const std::string& line : tried) message += "\n  tried: " + line;
  for (const std::string& dir : empty_dirs) message += "\n  tried: " + dir + " (no ISF files in it)";
  std::string release = kernel_release(wanted);
  message += "\n  make one with dwarf2json: dwarf2json linux --elf /usr/lib/debug/boot/vmlinux-" + release +
             " --system-map System.map-" + release + " | xz > " + release +
             ".json.xz (vmlinux from the kernel's -dbg / debuginfo package)";
  return Error::of(message);
}

}  // namespace drydock
