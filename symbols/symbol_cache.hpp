#pragma once
// A cache of parsed symbol tables, so that every dump after the first of the
// same kernel loads its symbols in milliseconds instead of parsing 40 MB of
// JSON.
//
// An entry is a compact binary image of the tables, named after the SHA-256
// of the ISF file's bytes (so a changed ISF never matches a stale entry). An
// entry carries its format version, its key and a SHA-256 of its payload;
// one that fails any check (truncated, corrupt, other version, other key) is
// ignored and rewritten, never trusted. Entries are written to a temporary
// file and renamed into place, so concurrent drydock runs do not see partial
// entries.
//
// Thread safety: load_symbols may run in several threads and processes at
// once.

#include <filesystem>
#include <memory>
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "engine/core/result.hpp"
#include "symbols/symbol_table.hpp"

namespace drydock {

struct SymbolCacheOptions {
  std::filesystem::path dir;  // empty: no cache
};

// $XDG_CACHE_HOME/drydock, else $HOME/.cache/drydock; empty if neither is set.
std::filesystem::path default_symbol_cache_dir();

enum class CacheOutcome { disabled, hit, miss, rebuilt };  // rebuilt: an entry existed but was invalid
std::string_view to_string(CacheOutcome outcome);

// Loads an ISF file through the cache. A cache that cannot be written (no
// space, read-only directory) is not an error: the parsed table is returned.
Result<std::shared_ptr<const SymbolTable>> load_symbols(const std::filesystem::path& isf,
                                                        const SymbolCacheOptions& options,
                                                        CacheOutcome* outcome = nullptr);

// Tables made from something other than an ISF file (a dump's BTF and
// kallsyms): the entry named after SHA-256(`identity`), holding `source` (the
// table's source() text) beside it. load_cached_table gives nullopt when there
// is no valid entry; store_cached_table is best effort, like load_symbols.
std::optional<std::shared_ptr<const SymbolTable>> load_cached_table(const SymbolCacheOptions& options,
                                                                    std::string_view identity);
void store_cached_table(const SymbolCacheOptions& options, std::string_view identity, const SymbolTable& table);

// What store_cached_table also remembers of each table with a banner: the
// banner and linux_banner's link address, so that a later dump is matched to
// a cached table by probing for its banner (as isf-banners.json does for
// ISFs) before any scan. A hint only: whoever uses it proves the match.
struct CachedTableBanner {
  std::string identity;
  std::string banner;
  std::uint64_t link = 0;
};
std::vector<CachedTableBanner> cached_table_banners(const SymbolCacheOptions& options);

// `drydock symbols warm`: every ISF file the candidates name (files as given,
// directories searched recursively, as --symbols does) loaded through the
// cache in `cache_dir`, and its banner remembered in the banner index there,
// so that the workers of a large run find and load their tables without
// parsing any. Safe while other runs use the same cache.
struct WarmedIsf {
  std::filesystem::path file;
  CacheOutcome outcome = CacheOutcome::disabled;
  std::string banner;                 // empty when the file could not be loaded
  std::optional<std::string> error;   // why it could not be loaded
};
struct WarmReport {
  std::vector<WarmedIsf> files;
  std::vector<std::string> problems;  // directories that could not be listed or hold no ISF file
};
WarmReport warm_symbol_cache(std::span<const std::filesystem::path> candidates, const std::filesystem::path& cache_dir);

// The binary image of a table and its inverse (exposed for tests and fuzzing).
// `key` is the ISF's SHA-256; deserialize fails with a reason on any mismatch
// or inconsistency, never reads out of bounds.
std::string serialize_symbol_table(const SymbolTable& table, std::string_view key);
Result<std::shared_ptr<const SymbolTable>> deserialize_symbol_table(std::string_view image, std::string_view key,
                                                                    std::string source);

}  // namespace drydock
