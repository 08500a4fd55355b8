#pragma once
// Recognises and undoes the compression of evidence files (zstd, xz, gzip),
// by the file's magic bytes, never by its name.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>

#include "engine/core/mapped_file.hpp"
#include "engine/core/result.hpp"

namespace drydock {

enum class Compression { none, zstd, xz, gzip };

std::string_view to_string(Compression c);

// Looks at the first bytes of a file (8 are enough): zstd frame or skippable
// frame magic, xz stream magic, gzip magic with method deflate. Pure.
Compression detect_compression(std::span<const std::byte> head);

// Reads a whole file into memory, decompressing it if it is compressed.
// Fails (naming the file) when the output would exceed max_bytes or the stream
// is corrupt or truncated.
Result<std::string> read_decompressed(const std::filesystem::path& path, std::size_t max_bytes);

// Decompresses `path` into an unlinked temporary file under `temp_dir` and maps
// it. The temporary file disappears when the mapping is dropped. The cost is
// disk space under temp_dir equal to the decompressed size, and no resident
// memory beyond the page cache. All-zero pages are left as holes in the
// temporary file, so the mostly-zero memory images cost far less.
// Multi-frame zstd, concatenated xz and multi-member gzip streams are whole
// streams. Fails, naming the file, on a corrupt stream ("... at compressed
// offset N: why"), a truncated one, or a write error (naming temp_dir).
// With Compression::none it simply maps `path`.
// Memory: two 8 MiB output buffers and a 4 MiB input buffer, plus what the
// stream asks its decoder to hold, which decoder_memory_limit bounds: a zstd
// window (at most 2 GiB, for `zstd --long=31`) or an xz dictionary. A stream
// that needs more is refused, saying how much it wanted (gzip needs 32 KiB).
// With in_memory_limit > 0 the temporary file is first an anonymous memory
// file (memfd), which spares the filesystem's work, while its non-zero pages
// fit in in_memory_limit bytes; past that it moves to temp_dir and goes on
// there. *held_in_memory (if given) receives the bytes the result holds in
// memory: 0 when it is on disk.
Result<MappedFile> decompress_to_mapping(const std::filesystem::path& path, Compression compression,
                                         const std::filesystem::path& temp_dir,
                                         std::uint64_t decoder_memory_limit = UINT64_MAX,
                                         std::uint64_t in_memory_limit = 0, std::uint64_t* held_in_memory = nullptr);

}  // namespace drydock
