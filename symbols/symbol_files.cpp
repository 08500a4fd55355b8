// Reading ISF files from disk: SymbolTable::load and the banner-driven choice
// among candidate files. Kept apart from the parser, which is pure.

#include <algorithm>
#include <system_error>

#include "engine/core/decompress.hpp"
#include "symbols/detail/isf_banner.hpp"
#include "symbols/detail/isf_parser.hpp"
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

Result<std::shared_ptr<const SymbolTable>> find_symbols_for_banner(std::span<const std::filesystem::path> candidates,
                                                                   std::string_view banner) {
  const std::string_view wanted = detail::trim_banner(banner);
  std::vector<std::string> tried;  // one line per file looked at
  std::vector<fs::path> files;
  std::vector<std::string> empty_dirs;

  for (const fs::path& candidate : candidates) {
    std::error_code ec;
    if (fs::is_directory(candidate, ec)) {
      std::vector<fs::path> found;
      fs::recursive_directory_iterator it(candidate, fs::directory_options::skip_permission_denied, ec);
      for (; !ec && it != fs::recursive_directory_iterator(); it.increment(ec)) {
        std::error_code type_ec;
        if (it->is_regular_file(type_ec) && looks_like_isf_name(it->path())) found.push_back(it->path());
      }
      if (ec) tried.push_back(candidate.string() + " (cannot list: " + ec.message() + ")");
      if (found.empty()) empty_dirs.push_back(candidate.string());
      // Directory order is arbitrary; sorting makes the choice and the
      // message reproducible.
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else {
      // A file named explicitly is tried whatever its name.
      files.push_back(candidate);
    }
  }

  if (files.empty() && tried.empty()) {
    if (candidates.empty()) return Error::of("no symbol table given (no ISF files or directories to search)");
    std::string dirs;
    for (const std::string& dir : empty_dirs) dirs += (dirs.empty() ? "" : ", ") + dir;
    return Error::of("no ISF symbol table files (*.json, *.json.xz, *.json.gz, *.json.zst) found in " + dirs);
  }

  for (const fs::path& file : files) {
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
    if (*file_banner == wanted) return parse_owned(*text, file.string());
    tried.push_back(file.string() + " (banner: " + *file_banner + ")");
  }

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
