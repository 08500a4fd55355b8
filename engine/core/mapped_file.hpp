#pragma once
// A read-only view of a file's bytes, memory-mapped. Move-only; unmaps (and
// closes the file) on destruction. Thread safety: the bytes are immutable and
// may be read by any number of threads.

#include <cstddef>
#include <filesystem>
#include <span>
#include <string>

#include "engine/core/result.hpp"

namespace drydock {

class MappedFile {
 public:
  // Maps `path` read-only. An empty file maps to an empty span.
  static Result<MappedFile> open(const std::filesystem::path& path);
  // Maps an already open file descriptor (takes ownership of fd); `name` is
  // used in error messages.
  static Result<MappedFile> from_fd(int fd, std::string name);

  MappedFile() = default;
  MappedFile(MappedFile&& other) noexcept;
  MappedFile& operator=(MappedFile&& other) noexcept;
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile();

  std::span<const std::byte> bytes() const { return {data_, size_}; }
  const std::string& name() const { return name_; }

  // Copies out.size() bytes from `offset` with pread(), not through the
  // mapping: the pages are not mapped into this process, so probing scattered
  // places leaves no resident memory behind (a fault in a mapping may map a
  // whole large page-cache folio, megabytes). False if the range is not all
  // inside the file or the read fails.
  bool read_at(std::uint64_t offset, std::span<std::byte> out) const;

 private:
  const std::byte* data_ = nullptr;
  std::size_t size_ = 0;
  int fd_ = -1;  // kept open for read_at(); -1 for an empty file
  void release();
  std::string name_;
};

}  // namespace drydock
