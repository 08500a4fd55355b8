#pragma once
// What `drydock scan` is given, expanded into the dumps to scan: files as
// they are, directories recursively (sorted, symlinks not followed), and
// archives (tar, zip, ... optionally compressed; recognised by content)
// entry by entry, each entry extracted to a temporary file while it is
// scanned.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <vector>

#include "engine/core/result.hpp"

namespace drydock {

// One dump to scan. `display` is what reports call it ("evidence.tar:host1.lime").
struct ScanInput {
  std::string display;
  std::filesystem::path path;          // a regular file, or the archive holding it
  std::string archive_entry;           // empty unless inside an archive
  std::uint64_t size = 0;              // bytes (for archives: the entry's)
};

struct InputExpansion {
  std::vector<ScanInput> inputs;
  std::vector<std::pair<std::string, std::string>> errors;  // (path, message) for what could not be read
};

InputExpansion expand_scan_inputs(const std::vector<std::filesystem::path>& paths);

// True when the file is an archive format libarchive reads (not a raw stream).
bool is_archive(const std::filesystem::path& path);

// Extracts one entry of an archive into an unlinked-on-drop temporary file.
class ExtractedEntry {
 public:
  static Result<std::unique_ptr<ExtractedEntry>> extract(const ScanInput& input, const std::filesystem::path& temp_dir);
  ~ExtractedEntry();
  ExtractedEntry(const ExtractedEntry&) = delete;
  ExtractedEntry& operator=(const ExtractedEntry&) = delete;
  const std::filesystem::path& path() const { return path_; }

 private:
  explicit ExtractedEntry(std::filesystem::path path) : path_(std::move(path)) {}
  std::filesystem::path path_;
};

}  // namespace drydock
