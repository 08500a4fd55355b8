// libFuzzer target: the decompressors (zstd, xz, gzip) behind both entry
// points, read_decompressed() and decompress_to_mapping(). The input is put in
// a memfd and opened through /proc/self/fd, so no file is written for it;
// decompressed images go to DRYDOCK_FUZZ_TMP (else the system temp dir) as
// unlinked files. Each codec is also forced on the input whatever its magic,
// so that every decoder sees every input. When both entry points succeed on
// the detected codec they must give the same bytes (the mapping's zero pages
// are holes); for half the inputs the image is held in memory up to 64 KiB,
// then moved to disk. Crashes, sanitizer reports, leaks of memory or
// descriptors, hangs and a mismatch (__builtin_trap) are bugs.

#include <sys/mman.h>
#include <unistd.h>

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <string>

#include "engine/core/decompress.hpp"

namespace {

namespace fs = std::filesystem;
using drydock::Compression;

constexpr std::size_t kMaxText = std::size_t{64} << 20;

const fs::path& temp_dir() {
  static const fs::path dir = [] {
    const char* env = std::getenv("DRYDOCK_FUZZ_TMP");
    return env != nullptr && *env != '\0' ? fs::path(env) : fs::temp_directory_path();
  }();
  return dir;
}

// An in-memory file holding the input; closed on scope exit.
class MemFile {
 public:
  MemFile(const std::uint8_t* data, std::size_t size) : fd_(::memfd_create("fuzz-input", MFD_CLOEXEC)) {
    if (fd_ < 0) std::abort();
    std::size_t done = 0;
    while (done < size) {
      const ssize_t n = ::write(fd_, data + done, size - done);
      if (n <= 0) std::abort();
      done += static_cast<std::size_t>(n);
    }
  }
  ~MemFile() { ::close(fd_); }
  MemFile(const MemFile&) = delete;
  MemFile& operator=(const MemFile&) = delete;
  fs::path path() const { return "/proc/self/fd/" + std::to_string(fd_); }

 private:
  int fd_;
};

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const Compression detected =
      drydock::detect_compression({reinterpret_cast<const std::byte*>(data), size});
  const MemFile input(data, size);
  const fs::path path = input.path();

  auto text = drydock::read_decompressed(path, kMaxText);
  // A stream over the limit is a bomb; writing it out once more would only slow the run.
  const bool bomb = !text && text.error().message.find("exceeds the limit") != std::string::npos;
  if (!bomb) {
    // On disk from the start, or in memory until 64 KiB then moved to disk
    // (the input's last byte picks which): both must give read_decompressed's bytes.
    const std::uint64_t in_memory = size > 0 && (data[size - 1] & 1) ? std::uint64_t{64} << 10 : 0;
    auto mapping = drydock::decompress_to_mapping(path, detected, temp_dir(), UINT64_MAX, in_memory);
    if (text && mapping) {
      const auto bytes = mapping->bytes();
      if (bytes.size() != text->size() || (!bytes.empty() && std::memcmp(bytes.data(), text->data(), bytes.size()) != 0)) {
        __builtin_trap();
      }
    }
  }
  if (size <= 4096) {
    for (Compression forced : {Compression::zstd, Compression::xz, Compression::gzip}) {
      if (forced != detected) (void)drydock::decompress_to_mapping(path, forced, temp_dir());
    }
  }
  return 0;
}
