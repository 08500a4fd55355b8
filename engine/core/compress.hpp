#pragma once
// xz compression of a file's contents, the counterpart of decompress.hpp's
// reader (for the ISF files drydock writes).

#include <string>
#include <string_view>

#include "engine/core/result.hpp"

namespace drydock {

// The .xz stream (CRC64 check, preset 6) of `bytes`.
Result<std::string> compress_xz(std::string_view bytes);

}  // namespace drydock
