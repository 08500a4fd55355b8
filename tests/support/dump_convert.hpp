#pragma once
// Rewrites an opened dump in another format, for integration tests that check
// every format yields the same findings:
//   write_elf_core   an ELF core with one PT_LOAD per range, as QEMU's
//                    dump-guest-memory (paging off) writes it;
//   write_raw_image  a raw image with each range at its physical address; the
//                    holes between ranges, and all-zero pages, are left sparse.
// Header-only; I/O errors come back as Status naming the output file.

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <string>
#include <vector>

#include "engine/core/result.hpp"
#include "engine/dump/physical_memory.hpp"

namespace drydock::testing {

namespace convert_detail {

class OutFile {
 public:
  explicit OutFile(const std::filesystem::path& path)
      : path_(path), fd_(::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644)) {}
  OutFile(const OutFile&) = delete;
  OutFile& operator=(const OutFile&) = delete;
  ~OutFile() {
    if (fd_ >= 0) ::close(fd_);
  }

  Status opened() const { return fd_ >= 0 ? Status(Ok{}) : failure("cannot create"); }

  // Writes bytes at `offset`; all-zero 4 KiB blocks are skipped (left as holes).
  Status write_at(std::uint64_t offset, std::span<const std::byte> bytes) {
    constexpr std::size_t kBlock = 4096;
    static const std::vector<std::byte> zeros(kBlock);
    for (std::size_t pos = 0; pos < bytes.size(); pos += kBlock) {
      const auto block = bytes.subspan(pos, std::min(kBlock, bytes.size() - pos));
      if (std::memcmp(block.data(), zeros.data(), block.size()) == 0) continue;
      for (std::size_t done = 0; done < block.size();) {
        const ssize_t n = ::pwrite(fd_, block.data() + done, block.size() - done,
                                   static_cast<off_t>(offset + pos + done));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return failure("cannot write at offset " + std::to_string(offset + pos + done));
        done += static_cast<std::size_t>(n);
      }
    }
    return Ok{};
  }

  Status finish(std::uint64_t size) {
    if (::ftruncate(fd_, static_cast<off_t>(size)) != 0) return failure("cannot set the size");
    if (::close(std::exchange(fd_, -1)) != 0) return failure("cannot close");
    return Ok{};
  }

 private:
  Error failure(const std::string& what) const {
    return Error::of(path_.string() + ": " + what + ": " + std::strerror(errno));
  }

  std::filesystem::path path_;
  int fd_;
};

template <typename T>
void put(std::vector<std::byte>& buffer, std::size_t offset, T value) {
  std::memcpy(buffer.data() + offset, &value, sizeof(T));
}

inline std::span<const std::byte> range_bytes(const PhysicalMemory& memory, const PhysicalRange& range) {
  return memory.file_bytes().subspan(range.file_offset, range.size);
}

}  // namespace convert_detail

inline Status write_elf_core(const PhysicalMemory& memory, const std::filesystem::path& out_path) {
  using convert_detail::put;
  constexpr std::size_t kEhdr = 64, kPhdr = 56, kDataAlign = 4096;
  const auto& ranges = memory.ranges();
  if (ranges.size() >= 0xffff) return Error::of(out_path.string() + ": too many ranges for e_phnum");
  std::vector<std::byte> headers(kEhdr + ranges.size() * kPhdr);
  const unsigned char ident[16] = {0x7f, 'E', 'L', 'F', 2, 1, 1};
  std::memcpy(headers.data(), ident, sizeof ident);
  put<std::uint16_t>(headers, 16, 4);   // ET_CORE
  put<std::uint16_t>(headers, 18, 62);  // EM_X86_64
  put<std::uint32_t>(headers, 20, 1);
  put<std::uint64_t>(headers, 32, kEhdr);
  put<std::uint16_t>(headers, 52, kEhdr);
  put<std::uint16_t>(headers, 54, kPhdr);
  put<std::uint16_t>(headers, 56, static_cast<std::uint16_t>(ranges.size()));

  convert_detail::OutFile out(out_path);
  if (auto status = out.opened(); !status) return status;
  std::uint64_t offset = (headers.size() + kDataAlign - 1) / kDataAlign * kDataAlign;
  for (std::size_t i = 0; i < ranges.size(); ++i) {
    const std::size_t ph = kEhdr + i * kPhdr;
    put<std::uint32_t>(headers, ph, 1);      // PT_LOAD
    put<std::uint32_t>(headers, ph + 4, 7);  // RWX, as QEMU writes
    put<std::uint64_t>(headers, ph + 8, offset);
    put<std::uint64_t>(headers, ph + 16, 0);  // p_vaddr: paging off
    put<std::uint64_t>(headers, ph + 24, ranges[i].start);
    put<std::uint64_t>(headers, ph + 32, ranges[i].size);
    put<std::uint64_t>(headers, ph + 40, ranges[i].size);
    if (auto status = out.write_at(offset, convert_detail::range_bytes(memory, ranges[i])); !status) return status;
    offset += ranges[i].size;
  }
  // Every 56-byte program header holds a non-zero p_type, so no header block is skipped as zero.
  if (auto status = out.write_at(0, headers); !status) return status;
  return out.finish(offset);
}

inline Status write_raw_image(const PhysicalMemory& memory, const std::filesystem::path& out_path) {
  convert_detail::OutFile out(out_path);
  if (auto status = out.opened(); !status) return status;
  std::uint64_t size = 0;
  for (const PhysicalRange& range : memory.ranges()) {
    if (auto status = out.write_at(range.start, convert_detail::range_bytes(memory, range)); !status) return status;
    size = std::max(size, range.end());
  }
  return out.finish(size);
}

}  // namespace drydock::testing
