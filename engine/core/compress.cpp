#include "engine/core/compress.hpp"

#include <lzma.h>

namespace drydock {

Result<std::string> compress_xz(std::string_view bytes, std::uint32_t preset) {
  std::string out(lzma_stream_buffer_bound(bytes.size()), '\0');
  std::size_t written = 0;
  const lzma_ret ret = lzma_easy_buffer_encode(preset, LZMA_CHECK_CRC64, nullptr, reinterpret_cast<const std::uint8_t*>(bytes.data()),
                                               bytes.size(), reinterpret_cast<std::uint8_t*>(out.data()), &written, out.size());
  if (ret != LZMA_OK) return Error::of("xz compression failed (liblzma error " + std::to_string(static_cast<int>(ret)) + ")");
  out.resize(written);
  return out;
}

}  // namespace drydock
