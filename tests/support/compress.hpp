#pragma once
// In-memory compressors for tests: produce the .zst/.xz/.gz inputs that the
// decompression code must undo. Header-only; link with libzstd, liblzma, zlib
// (drydock_core already does). They abort the test (throw) on library failure.

#include <lzma.h>
#include <zlib.h>
#include <zstd.h>

#include <cstddef>
#include <span>
#include <stdexcept>
#include <vector>

namespace drydock::testing {

// One zstd frame; append several to make a multi-frame stream.
inline std::vector<std::byte> zstd_compress(std::span<const std::byte> input, int level = 3) {
  std::vector<std::byte> out(ZSTD_compressBound(input.size()));
  const std::size_t n = ZSTD_compress(out.data(), out.size(), input.data(), input.size(), level);
  if (ZSTD_isError(n)) throw std::runtime_error(ZSTD_getErrorName(n));
  out.resize(n);
  return out;
}

// One .xz stream; concatenated streams are valid .xz too.
inline std::vector<std::byte> xz_compress(std::span<const std::byte> input, std::uint32_t preset = 1) {
  std::vector<std::byte> out(lzma_stream_buffer_bound(input.size()));
  std::size_t pos = 0;
  const lzma_ret ret = lzma_easy_buffer_encode(preset, LZMA_CHECK_CRC64, nullptr,
                                               reinterpret_cast<const std::uint8_t*>(input.data()), input.size(),
                                               reinterpret_cast<std::uint8_t*>(out.data()), &pos, out.size());
  if (ret != LZMA_OK) throw std::runtime_error("lzma_easy_buffer_encode failed");
  out.resize(pos);
  return out;
}

// One gzip member; append several to make a multi-member file.
inline std::vector<std::byte> gzip_compress(std::span<const std::byte> input, int level = 6) {
  z_stream zs{};
  if (deflateInit2(&zs, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
    throw std::runtime_error("deflateInit2 failed");
  }
  std::vector<std::byte> out(deflateBound(&zs, input.size()) + 64);
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<std::byte*>(input.data()));
  zs.avail_in = static_cast<uInt>(input.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  const int ret = deflate(&zs, Z_FINISH);
  deflateEnd(&zs);
  if (ret != Z_STREAM_END) throw std::runtime_error("deflate failed");
  out.resize(zs.total_out);
  return out;
}

}  // namespace drydock::testing
