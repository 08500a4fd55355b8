#pragma once
// A scratch directory for one test, removed with everything in it when the
// object goes out of scope. Header-only.

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <system_error>

namespace drydock::testing {

class TempDir {
 public:
  explicit TempDir(std::string_view prefix = "drydock-test") {
    std::string pattern = (std::filesystem::temp_directory_path() / (std::string(prefix) + "-XXXXXX")).string();
    if (::mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed for " + pattern);
    path_ = pattern;
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;
  ~TempDir() {
    std::error_code ignored;
    std::filesystem::remove_all(path_, ignored);
  }

  const std::filesystem::path& path() const { return path_; }

  // Writes `bytes` to a file named `name` in the directory; returns its path.
  template <typename Byte>
  std::filesystem::path write(std::string_view name, std::span<const Byte> bytes) const {
    static_assert(sizeof(Byte) == 1);
    const auto file = path_ / name;
    std::ofstream out(file, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
    if (!out) throw std::runtime_error("cannot write " + file.string());
    return file;
  }
  template <typename Container>
  std::filesystem::path write(std::string_view name, const Container& bytes) const {
    return write(name, std::span<const typename Container::value_type>(bytes.data(), bytes.size()));
  }

 private:
  std::filesystem::path path_;
};

}  // namespace drydock::testing
