#include "engine/core/decompress.hpp"

#include <fcntl.h>
#include <lzma.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <array>
#include <cerrno>
#include <cstring>
#include <functional>
#include <memory>
#include <utility>

namespace drydock {

namespace {

// Large buffers: the decoders run at their full speed and the output reaches
// the temporary file in few, big write() calls.
constexpr std::size_t kInputChunk = std::size_t{4} << 20;
constexpr std::size_t kOutputChunk = std::size_t{8} << 20;

// Accept zstd frames made with `zstd --long=31` (2 GiB window), common for big
// memory images. The window is only allocated when a frame asks for it.
constexpr int kZstdWindowLogMax = 31;
constexpr std::size_t kZstdInputSlice = std::size_t{128} << 10;  // ZSTD_BLOCKSIZE_MAX

std::string errno_text(int err) { return std::strerror(err); }

// Receives each decompressed chunk, in order; an error stops decompression.
using Sink = std::function<Status(std::span<const std::byte>)>;

// Closes a file descriptor on scope exit unless released.
class FdGuard {
 public:
  explicit FdGuard(int fd) : fd_(fd) {}
  FdGuard(const FdGuard&) = delete;
  FdGuard& operator=(const FdGuard&) = delete;
  ~FdGuard() {
    if (fd_ >= 0) ::close(fd_);
  }
  int get() const { return fd_; }
  int release() { return std::exchange(fd_, -1); }

 private:
  int fd_;
};

// Reads up to buffer.size() bytes; short only at end of file.
Result<std::size_t> read_chunk(int fd, std::span<std::byte> buffer, const std::string& name) {
  std::size_t total = 0;
  while (total < buffer.size()) {
    const ssize_t n = ::read(fd, buffer.data() + total, buffer.size() - total);
    if (n < 0) {
      if (errno == EINTR) continue;
      return Error::of(name + ": read error at offset " + std::to_string(total) + ": " + errno_text(errno));
    }
    if (n == 0) break;
    total += static_cast<std::size_t>(n);
  }
  return total;
}

std::string corrupt(const std::string& name, std::string_view codec, std::uint64_t offset, std::string_view why) {
  return name + ": corrupt " + std::string(codec) + " stream at compressed offset " + std::to_string(offset) + ": " +
         std::string(why);
}

std::string truncated(const std::string& name, std::string_view codec, std::uint64_t size) {
  return name + ": truncated " + std::string(codec) + " stream: input ends at compressed offset " +
         std::to_string(size) + " in the middle of a frame";
}

Status decompress_zstd(int in_fd, const std::string& name, const Sink& sink) {
  std::unique_ptr<ZSTD_DCtx, decltype(&ZSTD_freeDCtx)> dctx(ZSTD_createDCtx(), &ZSTD_freeDCtx);
  if (!dctx) return Error::of(name + ": cannot allocate a zstd decoder");
  ZSTD_DCtx_setParameter(dctx.get(), ZSTD_d_windowLogMax, kZstdWindowLogMax);

  auto in_buffer = std::make_unique_for_overwrite<std::byte[]>(kInputChunk);
  auto out_buffer = std::make_unique_for_overwrite<std::byte[]>(kOutputChunk);
  std::uint64_t base = 0;  // compressed offset of in_buffer[0]
  std::size_t pending = 0;  // 0 at a frame boundary: the stream may end here
  for (;;) {
    auto got = read_chunk(in_fd, {in_buffer.get(), kInputChunk}, name);
    if (!got) return got.error();
    if (*got == 0) break;
    // Input goes in by slices of one maximal block, so that an error's offset
    // is within a block of the bad byte; the per-call cost is negligible.
    for (std::size_t slice = 0; slice < *got; slice += kZstdInputSlice) {
      ZSTD_inBuffer in{in_buffer.get() + slice, std::min(kZstdInputSlice, *got - slice), 0};
      // ZSTD_decompressStream returns 0 at the end of each frame and carries on
      // with the next one, so multi-frame (e.g. pzstd) streams need no special case.
      ZSTD_outBuffer out{};
      do {
        out = ZSTD_outBuffer{out_buffer.get(), kOutputChunk, 0};
        const std::size_t ret = ZSTD_decompressStream(dctx.get(), &out, &in);
        if (ZSTD_isError(ret)) {
          return Error::of(corrupt(name, "zstd", base + slice + in.pos, ZSTD_getErrorName(ret)));
        }
        pending = ret;
        if (out.pos > 0) {
          if (auto status = sink({out_buffer.get(), out.pos}); !status) return status;
        }
      } while (in.pos < in.size || out.pos == out.size);
    }
    base += *got;
  }
  if (base == 0) return Error::of(name + ": empty zstd stream");
  if (pending != 0) return Error::of(truncated(name, "zstd", base));
  return Ok{};
}

std::string_view lzma_message(lzma_ret ret) {
  switch (ret) {
    case LZMA_FORMAT_ERROR: return "not in the xz format";
    case LZMA_OPTIONS_ERROR: return "unsupported compression options";
    case LZMA_DATA_ERROR: return "compressed data is corrupt";
    case LZMA_BUF_ERROR: return "unexpected end of input";
    case LZMA_MEM_ERROR: return "out of memory";
    case LZMA_MEMLIMIT_ERROR: return "memory limit reached";
    case LZMA_UNSUPPORTED_CHECK: return "unsupported integrity check";
    default: return "internal decoder error";
  }
}

Status decompress_xz(int in_fd, const std::string& name, const Sink& sink) {
  lzma_stream strm = LZMA_STREAM_INIT;
  // LZMA_CONCATENATED: `cat a.xz b.xz` is one valid input, as for xz(1).
  if (lzma_stream_decoder(&strm, UINT64_MAX, LZMA_CONCATENATED) != LZMA_OK) {
    return Error::of(name + ": cannot initialise the xz decoder");
  }
  std::unique_ptr<lzma_stream, decltype(&lzma_end)> guard(&strm, &lzma_end);

  auto in_buffer = std::make_unique_for_overwrite<std::byte[]>(kInputChunk);
  auto out_buffer = std::make_unique_for_overwrite<std::byte[]>(kOutputChunk);
  lzma_action action = LZMA_RUN;
  for (;;) {
    if (strm.avail_in == 0 && action == LZMA_RUN) {
      auto got = read_chunk(in_fd, {in_buffer.get(), kInputChunk}, name);
      if (!got) return got.error();
      strm.next_in = reinterpret_cast<const std::uint8_t*>(in_buffer.get());
      strm.avail_in = *got;
      if (*got == 0) action = LZMA_FINISH;
    }
    strm.next_out = reinterpret_cast<std::uint8_t*>(out_buffer.get());
    strm.avail_out = kOutputChunk;
    const lzma_ret ret = lzma_code(&strm, action);
    const std::size_t produced = kOutputChunk - strm.avail_out;
    if (produced > 0) {
      if (auto status = sink({out_buffer.get(), produced}); !status) return status;
    }
    if (ret == LZMA_STREAM_END) return Ok{};
    if (ret == LZMA_BUF_ERROR && action == LZMA_FINISH) {
      return Error::of(truncated(name, "xz", strm.total_in));
    }
    if (ret != LZMA_OK) return Error::of(corrupt(name, "xz", strm.total_in, lzma_message(ret)));
  }
}

Status decompress_gzip(int in_fd, const std::string& name, const Sink& sink) {
  z_stream zs{};
  if (inflateInit2(&zs, 15 + 16) != Z_OK) return Error::of(name + ": cannot initialise the gzip decoder");
  std::unique_ptr<z_stream, decltype(&inflateEnd)> guard(&zs, &inflateEnd);

  auto in_buffer = std::make_unique_for_overwrite<std::byte[]>(kInputChunk);
  auto out_buffer = std::make_unique_for_overwrite<std::byte[]>(kOutputChunk);
  std::uint64_t base = 0;
  bool member_open = false;  // inside a gzip member: the input must not end here
  bool first_member = true;
  for (;;) {
    auto got = read_chunk(in_fd, {in_buffer.get(), kInputChunk}, name);
    if (!got) return got.error();
    if (*got == 0) break;
    zs.next_in = reinterpret_cast<Bytef*>(in_buffer.get());
    zs.avail_in = static_cast<uInt>(*got);
    do {
      if (!member_open) {
        // A new member begins (gzip allows several members back to back).
        if (!first_member) inflateReset(&zs);
        first_member = false;
        member_open = true;
      }
      zs.next_out = reinterpret_cast<Bytef*>(out_buffer.get());
      zs.avail_out = static_cast<uInt>(kOutputChunk);
      const int ret = inflate(&zs, Z_NO_FLUSH);
      const std::size_t produced = kOutputChunk - zs.avail_out;
      if (produced > 0) {
        if (auto status = sink({out_buffer.get(), produced}); !status) return status;
      }
      const std::uint64_t offset = base + (*got - zs.avail_in);
      if (ret == Z_STREAM_END) {
        member_open = false;
      } else if (ret == Z_BUF_ERROR) {
        break;  // needs more input
      } else if (ret != Z_OK) {
        return Error::of(corrupt(name, "gzip", offset, zs.msg != nullptr ? zs.msg : zError(ret)));
      }
    } while (zs.avail_in > 0 || zs.avail_out == 0);
    base += *got;
  }
  if (base == 0) return Error::of(name + ": empty gzip stream");
  if (member_open) return Error::of(truncated(name, "gzip", base));
  return Ok{};
}

Status decompress_fd(int in_fd, const std::string& name, Compression compression, const Sink& sink) {
  ::posix_fadvise(in_fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  switch (compression) {
    case Compression::zstd: return decompress_zstd(in_fd, name, sink);
    case Compression::xz: return decompress_xz(in_fd, name, sink);
    case Compression::gzip: return decompress_gzip(in_fd, name, sink);
    case Compression::none: break;
  }
  return Error::of(name + ": not compressed");
}

Result<int> open_input(const std::filesystem::path& path) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) return Error::of(path.string() + ": cannot open: " + errno_text(errno));
  return fd;
}

Result<Compression> sniff(int fd, const std::string& name) {
  std::array<std::byte, 8> head{};
  const ssize_t n = ::pread(fd, head.data(), head.size(), 0);
  if (n < 0) return Error::of(name + ": read error at offset 0: " + errno_text(errno));
  return detect_compression({head.data(), static_cast<std::size_t>(n)});
}

// An anonymous file under temp_dir that vanishes with its last reference.
Result<int> create_temp_file(const std::filesystem::path& temp_dir) {
  int fd = ::open(temp_dir.c_str(), O_TMPFILE | O_RDWR | O_CLOEXEC, 0600);
  if (fd >= 0) return fd;
  // Filesystems without O_TMPFILE support: create, then unlink at once.
  std::string pattern = (temp_dir / "drydock-XXXXXX").string();
  fd = ::mkostemp(pattern.data(), O_CLOEXEC);
  if (fd < 0) {
    return Error::of(temp_dir.string() + ": cannot create a temporary file: " + errno_text(errno));
  }
  ::unlink(pattern.c_str());
  return fd;
}

// Writes the decompressed bytes at their offset, leaving all-zero pages as
// holes: memory images are mostly zero (freed pages, init_on_free), and a hole
// costs neither disk space nor page cache, yet maps to zeros all the same.
class SparseWriter {
 public:
  SparseWriter(int fd, const std::filesystem::path& temp_dir, const std::string& name)
      : fd_(fd), temp_dir_(temp_dir), name_(name) {}

  Status write(std::span<const std::byte> chunk) {
    std::size_t pos = 0;
    while (pos < chunk.size()) {
      // A run of non-zero blocks goes out in one pwrite(); zero blocks are skipped.
      std::size_t end = pos;
      while (end < chunk.size() && !is_zero(block_at(chunk, end))) end += block_at(chunk, end).size();
      if (end > pos) {
        if (auto status = write_at(chunk.subspan(pos, end - pos), offset_ + pos); !status) return status;
      }
      while (end < chunk.size() && is_zero(block_at(chunk, end))) end += block_at(chunk, end).size();
      pos = end;
    }
    offset_ += chunk.size();
    return Ok{};
  }

  // Gives the file its full size, trailing hole included.
  Status finish() {
    if (::ftruncate(fd_, static_cast<off_t>(offset_)) != 0) return failure(offset_, errno);
    return Ok{};
  }

 private:
  static constexpr std::size_t kBlock = 4096;

  static std::span<const std::byte> block_at(std::span<const std::byte> chunk, std::size_t pos) {
    return chunk.subspan(pos, std::min(kBlock, chunk.size() - pos));
  }

  static bool is_zero(std::span<const std::byte> block) {
    constexpr std::size_t kHead = 16;
    if (block.size() <= kHead) return std::all_of(block.begin(), block.end(), [](std::byte b) { return b == std::byte{0}; });
    static constexpr std::array<std::byte, kHead> zeros{};
    // The head is zero and the block equals itself shifted by the head: all zero.
    return std::memcmp(block.data(), zeros.data(), kHead) == 0 &&
           std::memcmp(block.data(), block.data() + kHead, block.size() - kHead) == 0;
  }

  Status write_at(std::span<const std::byte> bytes, std::uint64_t offset) {
    std::size_t done = 0;
    while (done < bytes.size()) {
      const ssize_t n = ::pwrite(fd_, bytes.data() + done, bytes.size() - done, static_cast<off_t>(offset + done));
      if (n < 0) {
        if (errno == EINTR) continue;
        return failure(offset + done, errno);
      }
      done += static_cast<std::size_t>(n);
    }
    return Ok{};
  }

  Error failure(std::uint64_t offset, int err) const {
    return Error::of(temp_dir_.string() + ": cannot write the decompressed " + name_ + " at offset " +
                     std::to_string(offset) + ": " + errno_text(err));
  }

  int fd_;
  const std::filesystem::path& temp_dir_;
  const std::string& name_;
  std::uint64_t offset_ = 0;
};

}  // namespace

std::string_view to_string(Compression c) {
  switch (c) {
    case Compression::none: return "none";
    case Compression::zstd: return "zstd";
    case Compression::xz: return "xz";
    case Compression::gzip: return "gzip";
  }
  return "unknown";
}

Compression detect_compression(std::span<const std::byte> head) {
  auto starts_with = [head](std::initializer_list<unsigned char> magic) {
    return head.size() >= magic.size() &&
           std::equal(magic.begin(), magic.end(), head.begin(),
                      [](unsigned char m, std::byte b) { return std::byte{m} == b; });
  };
  if (starts_with({0x28, 0xB5, 0x2F, 0xFD})) return Compression::zstd;
  // A zstd stream may also open with a skippable frame (magic 0x184D2A50..5F).
  if (head.size() >= 4 && (std::to_integer<unsigned>(head[0]) & 0xF0) == 0x50 && head[1] == std::byte{0x2A} &&
      head[2] == std::byte{0x4D} && head[3] == std::byte{0x18}) {
    return Compression::zstd;
  }
  if (starts_with({0xFD, '7', 'z', 'X', 'Z', 0x00})) return Compression::xz;
  // gzip: magic, method 8 (deflate), reserved flag bits clear. The two magic
  // bytes alone are too weak: a raw image may start with anything.
  if (starts_with({0x1F, 0x8B, 0x08}) && head.size() >= 4 && (std::to_integer<unsigned>(head[3]) & 0xE0) == 0) {
    return Compression::gzip;
  }
  return Compression::none;
}

Result<std::string> read_decompressed(const std::filesystem::path& path, std::size_t max_bytes) {
  auto opened = open_input(path);
  if (!opened) return opened.error();
  FdGuard fd(*opened);
  const std::string name = path.string();
  auto compression = sniff(fd.get(), name);
  if (!compression) return compression.error();

  std::string text;
  auto over_limit = [&] {
    return Error::of(name + ": " + (*compression == Compression::none ? "" : "decompressed ") +
                     "size exceeds the limit of " + std::to_string(max_bytes) + " bytes");
  };
  if (*compression == Compression::none) {
    struct stat st {};
    if (::fstat(fd.get(), &st) != 0) return Error::of(name + ": cannot stat: " + errno_text(errno));
    if (static_cast<std::uint64_t>(st.st_size) > max_bytes) return over_limit();
    text.resize(static_cast<std::size_t>(st.st_size));
    auto got = read_chunk(fd.get(), {reinterpret_cast<std::byte*>(text.data()), text.size()}, name);
    if (!got) return got.error();
    text.resize(*got);
    return text;
  }

  auto status = decompress_fd(fd.get(), name, *compression, [&](std::span<const std::byte> chunk) -> Status {
    if (chunk.size() > max_bytes - text.size()) return over_limit();
    text.append(reinterpret_cast<const char*>(chunk.data()), chunk.size());
    return Ok{};
  });
  if (!status) return status.error();
  return text;
}

Result<MappedFile> decompress_to_mapping(const std::filesystem::path& path, Compression compression,
                                         const std::filesystem::path& temp_dir) {
  if (compression == Compression::none) return MappedFile::open(path);

  auto opened = open_input(path);
  if (!opened) return opened.error();
  FdGuard in(*opened);
  auto temp = create_temp_file(temp_dir);
  if (!temp) return temp.error();
  FdGuard out(*temp);

  const std::string name = path.string();
  SparseWriter writer(out.get(), temp_dir, name);
  auto status = decompress_fd(in.get(), name, compression,
                              [&](std::span<const std::byte> chunk) { return writer.write(chunk); });
  if (!status) return status.error();
  if (auto finished = writer.finish(); !finished) return finished.error();
  return MappedFile::from_fd(out.release(), name);
}

}  // namespace drydock
