#pragma once
// Writing a cache file so that readers never see it half written: the bytes
// go to a temporary file beside it (named after this process), which is then
// renamed into place. Any failure leaves no temporary file behind: for the
// caches it only costs the next run some speed; result files report it.

#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <string>
#include <string_view>

namespace drydock::detail {

// Writes `bytes` to `path`, creating its directory. False if it could not.
inline bool write_file_atomically(const std::filesystem::path& path, std::string_view bytes) {
  std::error_code ec;
  std::filesystem::create_directories(path.parent_path(), ec);
  // Named after this host, process and a random number: writers on shared
  // storage (containers with the same pid on several nodes) never share one.
  char host[64] = {};
  ::gethostname(host, sizeof host - 1);
  std::filesystem::path temp = path;
  temp += "." + std::string(host) + "." + std::to_string(::getpid()) + "." + std::to_string(std::random_device{}()) +
          ".tmp";
  {
    std::ofstream out(temp, std::ios::binary | std::ios::trunc);
    out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
    if (!out) {
      std::filesystem::remove(temp, ec);
      return false;
    }
  }
  std::filesystem::rename(temp, path, ec);
  if (ec) std::filesystem::remove(temp, ec);
  return !ec;
}

}  // namespace drydock::detail
