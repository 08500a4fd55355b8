#pragma once
// A directory that recovered files are written into, safe against the paths
// a dump may hold: every path from the dump is hostile.
//
// - Nothing is written outside the directory: each path is split on '/',
//   every component is encoded (encode_path_component) so that ".", "..",
//   empty names, NUL, control characters and non-ASCII bytes never reach the
//   file system as such, and each level is opened with openat(O_NOFOLLOW |
//   O_DIRECTORY) from the level above: a symbolic link planted in the
//   directory (by anyone) is never followed.
// - Only directories and regular files are created (never device nodes,
//   FIFOs or links); files with O_EXCL, so an existing file is never
//   overwritten or written through.
// - Missing ranges stay holes: the file is sized with ftruncate() and only the
//   recovered extents are written (a sparse file on file systems that have them).
//
// Thread safety: one ExtractDir per thread (it holds a directory descriptor).

#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/result.hpp"

namespace drydock {

// Reversible encoding of one path component: bytes other than ASCII letters,
// digits and "-_.+,=@~" become %XX (so '%' itself is %25); "." and ".." become
// "%2E" and "%2E%2E"; an empty name becomes "%". decode_path_component undoes it.
std::string encode_path_component(std::string_view raw);
Result<std::string> decode_path_component(std::string_view encoded);

// The component as written: the encoding, or for one longer than 240 bytes
// its first 200 encoded bytes, "%~" and 16 hex digits of the raw name's
// sha256 (the full encoding is kept in the manifest).
std::string file_system_name(std::string_view raw);

// A path's components as written ("/etc/../x" -> {"etc", "%2E%2E", "x"}); empty components are dropped.
std::vector<std::string> encoded_components(std::string_view path);

struct ByteExtent {
  std::uint64_t offset = 0;
  std::span<const std::byte> bytes;
};

class ExtractDir {
 public:
  // Creates `root` (and its parents) when missing; the root itself is the
  // user's choice and trusted.
  static Result<ExtractDir> open(const std::filesystem::path& root);
  ExtractDir(ExtractDir&& other) noexcept;
  ExtractDir& operator=(ExtractDir&&) = delete;
  ExtractDir(const ExtractDir&) = delete;
  ~ExtractDir();

  // Writes a regular file at `components` (as encoded_components gives them)
  // of `size` bytes with the extents in place. Fails (saying why) when a
  // level exists and is not a directory, or the file already exists.
  Result<std::string> write_file(const std::vector<std::string>& components, std::uint64_t size,
                                 std::span<const ByteExtent> extents) const;
  // Makes the directory `components` (and those above it).
  Result<std::string> make_directory(const std::vector<std::string>& components) const;

  const std::filesystem::path& root() const { return root_; }

 private:
  ExtractDir(std::filesystem::path root, int fd) : root_(std::move(root)), fd_(fd) {}
  // The descriptor of the directory `components[0..count)`, made when missing; the caller closes it.
  Result<int> open_levels(const std::vector<std::string>& components, std::size_t count) const;

  std::filesystem::path root_;
  int fd_ = -1;
};

}  // namespace drydock
