#pragma once
// `--extract DIR` of `changes` and `files`: each selected file's bytes as the
// page cache holds them, written under DIR (engine/core/extract_dir.hpp:
// hostile paths encoded, nothing outside DIR, holes left sparse), and
// DIR/manifest.json describing every entry, written or not:
//
//   {"files": [{path, written_as (relative to DIR, or null), kind, size,
//               bytes_recovered, complete, sha256 (only when complete),
//               ranges ([start, end) pairs in memory), inode {...}, container, error}],
//    "summary": {entries, written, complete, bytes_recovered}}
//
// DIR must be empty or absent (an earlier extraction is never mixed in).

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/core/result.hpp"
#include "engine/kernel/kernel_memory.hpp"

namespace drydock {

struct ExtractItem {
  std::string path;           // as the dump names it ("/etc/passwd")
  std::string under;          // the directory of DIR it goes under ("2f1c047b5a6b", "mnt-4026531841")
  std::string kind;           // "file" and "directory" are written; other kinds are only listed
  std::uint64_t inode_address = 0;
  std::optional<std::int64_t> size;
  nlohmann::json inode;       // metadata for the manifest
  std::optional<std::string> container;
};

struct ExtractSummary {
  std::size_t entries = 0, written = 0, complete = 0;
  std::uint64_t bytes_recovered = 0;
};

// Fails only when DIR cannot be used (not empty, not creatable) or the
// manifest cannot be written; a file that cannot be recovered or written is
// an entry with its `error`.
Result<ExtractSummary> extract_files(const KernelMemory& kernel, const std::vector<ExtractItem>& items,
                                     const std::filesystem::path& dir);

}  // namespace drydock
