#pragma once
// What banner each ISF file of a --symbols directory carries, remembered in
// the symbol cache directory (isf-banners.json), so that later runs find the
// file for a dump's banner without decompressing every candidate. A file is
// known by its absolute path, size and modification time; any change makes
// its entry unknown again. Entries are hints, never trusted: whoever uses one
// checks the banner of the table it loads.
//
// Not thread-safe; each search holds its own. Saving is best effort (a
// directory that cannot be written only costs speed) and atomic (temporary
// file renamed into place), so concurrent runs never see a partial index.

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <string>

namespace drydock {

// What is remembered of one ISF file: its banner and, once the file has been
// loaded in full, linux_banner's link address (which lets a dump be probed
// for the banner at a few aligned places instead of scanned).
struct KnownBanner {
  std::string banner;
  std::optional<std::uint64_t> link;
};

class BannerIndex {
 public:
  // The index in `cache_dir`; empty when there is none or it cannot be read.
  // An empty cache_dir gives an index that neither loads nor saves.
  static BannerIndex load(const std::filesystem::path& cache_dir);

  // What is remembered of `file` if its size and time still match.
  std::optional<KnownBanner> lookup(const std::filesystem::path& file) const;
  void remember(const std::filesystem::path& file, KnownBanner known);
  // Writes the index back if remember() changed it.
  void save() const;

 private:
  struct Entry {
    std::uintmax_t size = 0;
    std::int64_t mtime_ns = 0;
    KnownBanner known;
  };
  static std::optional<Entry> identify(const std::filesystem::path& file);

  std::filesystem::path dir_;
  std::map<std::string, Entry> entries_;  // by absolute path
  bool dirty_ = false;
};

}  // namespace drydock
