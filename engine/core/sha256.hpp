#pragma once
// SHA-256 digests as lower-case hex (OpenSSL's implementation).

#include <cstddef>
#include <filesystem>
#include <span>
#include <string>
#include <string_view>

#include "engine/core/result.hpp"

namespace drydock {

std::string sha256_hex(std::string_view data);
// Reads the file in 4 MiB blocks; the error names the file.
Result<std::string> sha256_file(const std::filesystem::path& path);

}  // namespace drydock
