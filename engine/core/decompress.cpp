#include "engine/core/decompress.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <lzma.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>
#include <zstd_errors.h>

#include <tbb/parallel_invoke.h>

#include <algorithm>
#include <climits>
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

std::string too_much_memory(const std::string& name, std::string_view what, std::uint64_t offset) {
  return name + ": the " + std::string(what) + " at compressed offset " + std::to_string(offset) +
         " needs more decoder memory than this dump's memory budget allows (raise --max-memory)";
}

// The compressed input, read in big chunks. `base` is the compressed offset
// of chunk[0]; `pos` how much of the chunk the decoder has consumed.
struct InputWindow {
  int fd;
  const std::string& name;
  std::unique_ptr<std::byte[]> chunk = std::make_unique_for_overwrite<std::byte[]>(kInputChunk);
  std::size_t size = 0;
  std::size_t pos = 0;
  std::uint64_t base = 0;
  bool eof = false;

  std::size_t left() const { return size - pos; }
  const std::byte* next() const { return chunk.get() + pos; }
  std::uint64_t offset() const { return base + pos; }  // compressed bytes consumed so far
  // Reads the next chunk once the current one is consumed; sets eof at the end.
  Status refill() {
    if (pos < size || eof) return Ok{};
    auto got = read_chunk(fd, {chunk.get(), kInputChunk}, name);
    if (!got) return got.error();
    base += size;
    size = *got;
    pos = 0;
    eof = *got == 0;
    return Ok{};
  }
};

// A decoder is pulled: each fill() writes the next decompressed bytes to the
// start of `out` and says how many; fewer than out.size() only at the end of
// the stream. Errors name the file and the compressed offset.
class StreamDecoder {
 public:
  virtual ~StreamDecoder() = default;
  virtual Result<std::size_t> fill(std::span<std::byte> out) = 0;
};

class ZstdDecoder final : public StreamDecoder {
 public:
  ZstdDecoder(int fd, const std::string& name, std::uint64_t memory_limit) : in_{fd, name} {
    // Accept frames made with `zstd --long=31` unless the memory limit is
    // lower; the window is only allocated when a frame asks for it.
    int window_log = kZstdWindowLogMax;
    while (window_log > kZstdWindowLogMin && (std::uint64_t{1} << window_log) > memory_limit) --window_log;
    if (dctx_) ZSTD_DCtx_setParameter(dctx_.get(), ZSTD_d_windowLogMax, window_log);
  }

  Result<std::size_t> fill(std::span<std::byte> out) override {
    if (!dctx_) return Error::of(in_.name + ": cannot allocate a zstd decoder");
    ZSTD_outBuffer o{out.data(), out.size(), 0};
    while (o.pos < o.size) {
      if (auto status = in_.refill(); !status) return status.error();
      // Input goes in by slices of one maximal block, so that an error's
      // offset is within a block of the bad byte; the per-call cost is negligible.
      ZSTD_inBuffer slice{in_.next(), std::min(kZstdInputSlice, in_.left()), 0};
      const std::size_t produced_before = o.pos;
      // Returns 0 at the end of each frame and carries on with the next one:
      // multi-frame (e.g. pzstd) streams need no special case.
      const std::size_t ret = ZSTD_decompressStream(dctx_.get(), &o, &slice);
      if (ZSTD_getErrorCode(ret) == ZSTD_error_frameParameter_windowTooLarge) {
        return Error::of(too_much_memory(in_.name, "zstd frame", in_.offset() + slice.pos));
      }
      if (ZSTD_isError(ret)) {
        return Error::of(corrupt(in_.name, "zstd", in_.offset() + slice.pos, ZSTD_getErrorName(ret)));
      }
      in_.pos += slice.pos;
      // At the end of the input the decoder may still flush what it holds;
      // once it gives nothing more, the stream is over. (A call with no input
      // after a finished frame answers for a next frame: not a truncation.)
      if (in_.eof && o.pos == produced_before) break;
      pending_ = ret;
    }
    if (o.pos < o.size) {
      if (in_.offset() == 0) return Error::of(in_.name + ": empty zstd stream");
      if (pending_ != 0) return Error::of(truncated(in_.name, "zstd", in_.offset()));
    }
    return o.pos;
  }

 private:
  static constexpr int kZstdWindowLogMax = 31;  // 2 GiB
  static constexpr int kZstdWindowLogMin = 20;  // 1 MiB: a floor; smaller limits are not meaningful
  static constexpr std::size_t kZstdInputSlice = std::size_t{128} << 10;  // ZSTD_BLOCKSIZE_MAX
  InputWindow in_;
  std::unique_ptr<ZSTD_DCtx, decltype(&ZSTD_freeDCtx)> dctx_{ZSTD_createDCtx(), &ZSTD_freeDCtx};
  std::size_t pending_ = 0;  // 0 at a frame boundary: the stream may end here
};

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

class XzDecoder final : public StreamDecoder {
 public:
  XzDecoder(int fd, const std::string& name, std::uint64_t memory_limit) : in_{fd, name} {
    // LZMA_CONCATENATED: `cat a.xz b.xz` is one valid input, as for xz(1).
    ready_ = lzma_stream_decoder(&strm_, memory_limit, LZMA_CONCATENATED) == LZMA_OK;
  }
  ~XzDecoder() override { lzma_end(&strm_); }
  XzDecoder(const XzDecoder&) = delete;
  XzDecoder& operator=(const XzDecoder&) = delete;

  Result<std::size_t> fill(std::span<std::byte> out) override {
    if (!ready_) return Error::of(in_.name + ": cannot initialise the xz decoder");
    strm_.next_out = reinterpret_cast<std::uint8_t*>(out.data());
    strm_.avail_out = out.size();
    while (strm_.avail_out > 0 && !ended_) {
      if (strm_.avail_in == 0) {
        if (auto status = in_.refill(); !status) return status.error();
        strm_.next_in = reinterpret_cast<const std::uint8_t*>(in_.next());
        strm_.avail_in = in_.left();
        in_.pos = in_.size;  // liblzma tracks what it consumed (total_in)
      }
      const lzma_ret ret = lzma_code(&strm_, in_.eof ? LZMA_FINISH : LZMA_RUN);
      if (ret == LZMA_STREAM_END) {
        ended_ = true;
      } else if (ret == LZMA_MEMLIMIT_ERROR) {
        return Error::of(too_much_memory(in_.name, "xz stream", strm_.total_in));
      } else if (ret == LZMA_BUF_ERROR && in_.eof) {
        return Error::of(truncated(in_.name, "xz", strm_.total_in));
      } else if (ret != LZMA_OK) {
        return Error::of(corrupt(in_.name, "xz", strm_.total_in, lzma_message(ret)));
      }
    }
    return out.size() - strm_.avail_out;
  }

 private:
  InputWindow in_;
  lzma_stream strm_ = LZMA_STREAM_INIT;
  bool ready_ = false;
  bool ended_ = false;
};

class GzipDecoder final : public StreamDecoder {
 public:
  GzipDecoder(int fd, const std::string& name) : in_{fd, name} { ready_ = inflateInit2(&zs_, 15 + 16) == Z_OK; }
  ~GzipDecoder() override {
    if (ready_) inflateEnd(&zs_);
  }
  GzipDecoder(const GzipDecoder&) = delete;
  GzipDecoder& operator=(const GzipDecoder&) = delete;

  Result<std::size_t> fill(std::span<std::byte> out) override {
    if (!ready_) return Error::of(in_.name + ": cannot initialise the gzip decoder");
    zs_.next_out = reinterpret_cast<Bytef*>(out.data());
    zs_.avail_out = static_cast<uInt>(out.size());
    while (zs_.avail_out > 0) {
      if (zs_.avail_in == 0) {
        in_.pos = in_.size;
        if (auto status = in_.refill(); !status) return status.error();
        if (in_.eof) break;
        zs_.next_in = reinterpret_cast<Bytef*>(in_.chunk.get());
        zs_.avail_in = static_cast<uInt>(in_.size);
      }
      if (!member_open_) {
        // A new member begins (gzip allows several members back to back).
        if (!first_member_) inflateReset(&zs_);
        first_member_ = false;
        member_open_ = true;
      }
      const int ret = inflate(&zs_, Z_NO_FLUSH);
      const std::uint64_t offset = in_.base + (in_.size - zs_.avail_in);
      if (ret == Z_STREAM_END) {
        member_open_ = false;
      } else if (ret == Z_BUF_ERROR && zs_.avail_in > 0) {
        return Error::of(corrupt(in_.name, "gzip", offset, "no progress possible"));
      } else if (ret != Z_OK && ret != Z_BUF_ERROR) {
        return Error::of(corrupt(in_.name, "gzip", offset, zs_.msg != nullptr ? zs_.msg : zError(ret)));
      }
    }
    if (zs_.avail_out > 0) {
      if (in_.base == 0 && in_.size == 0) return Error::of(in_.name + ": empty gzip stream");
      if (member_open_) return Error::of(truncated(in_.name, "gzip", in_.base));
    }
    return out.size() - zs_.avail_out;
  }

 private:
  static_assert(kOutputChunk <= UINT_MAX, "zlib counts in uInt");
  InputWindow in_;
  z_stream zs_{};
  bool ready_ = false;
  bool member_open_ = false;  // inside a gzip member: the input must not end here
  bool first_member_ = true;
};

// Runs the decoder to the end, handing each chunk to the sink. The sink's
// work on one chunk (writing it out) overlaps the decoding of the next, so a
// dump decompresses at the decoder's own speed when a second core is free
// (under a one-thread arena the two simply run in turn).
Status drain(StreamDecoder& decoder, const Sink& sink) {
  auto ready = std::make_unique_for_overwrite<std::byte[]>(kOutputChunk);
  auto next = std::make_unique_for_overwrite<std::byte[]>(kOutputChunk);
  auto filled = decoder.fill({ready.get(), kOutputChunk});
  if (!filled) return filled.error();
  std::size_t size = *filled;
  while (size > 0) {
    Result<std::size_t> decoded = std::size_t{0};
    Status written = Ok{};
    if (size == kOutputChunk) {
      // Not isolated here (measured: isolating each step costs 0.08 s on a
      // 1 GiB dump); callers that hold a lock while decompressing (the
      // symbol memo, DumpSession::open) isolate the whole call.
      tbb::parallel_invoke([&] { decoded = decoder.fill({next.get(), kOutputChunk}); },
                           [&] { written = sink({ready.get(), size}); });
    } else {
      written = sink({ready.get(), size});  // the last chunk: nothing left to decode
    }
    if (!written) return written;
    if (!decoded) return decoded.error();
    std::swap(ready, next);
    size = *decoded;
  }
  return Ok{};
}

Status decompress_fd(int in_fd, const std::string& name, Compression compression, std::uint64_t memory_limit,
                     const Sink& sink) {
  ::posix_fadvise(in_fd, 0, 0, POSIX_FADV_SEQUENTIAL);
  std::unique_ptr<StreamDecoder> decoder;
  switch (compression) {
    case Compression::zstd: decoder = std::make_unique<ZstdDecoder>(in_fd, name, memory_limit); break;
    case Compression::xz: decoder = std::make_unique<XzDecoder>(in_fd, name, memory_limit); break;
    case Compression::gzip: decoder = std::make_unique<GzipDecoder>(in_fd, name); break;
    case Compression::none: return Error::of(name + ": not compressed");
  }
  return drain(*decoder, sink);
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
//
// The file is first an anonymous memory file (memfd) while what it holds
// stays within memory_limit, which spares the filesystem's work on the
// temporary file; past it, the bytes move to a temporary file in temp_dir
// and the rest follows there. A memory_limit of 0 starts on disk.
class SparseWriter {
 public:
  SparseWriter(std::uint64_t memory_limit, const std::filesystem::path& temp_dir, const std::string& name)
      : memory_limit_(memory_limit), temp_dir_(temp_dir), name_(name) {}
  ~SparseWriter() {
    if (fd_ >= 0) ::close(fd_);
  }
  SparseWriter(const SparseWriter&) = delete;
  SparseWriter& operator=(const SparseWriter&) = delete;

  Status open() {
    if (memory_limit_ > 0) {
      fd_ = ::memfd_create("drydock-dump", MFD_CLOEXEC);
      if (fd_ >= 0) return Ok{};
    }
    return open_on_disk();
  }

  Status write(std::span<const std::byte> chunk) {
    std::size_t pos = 0;
    while (pos < chunk.size()) {
      // A run of non-zero blocks goes out in one pwrite(); zero blocks are skipped.
      std::size_t end = pos;
      while (end < chunk.size() && !is_zero(block_at(chunk, end))) end += block_at(chunk, end).size();
      if (end > pos) {
        if (in_memory_ && end - pos > memory_limit_ - held_) {
          if (auto status = spill(); !status) return status;
        }
        if (auto status = write_at(chunk.subspan(pos, end - pos), offset_ + pos); !status) return status;
        if (in_memory_) held_ += end - pos;
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

  // The file, for mapping; the writer no longer owns it.
  int release() { return std::exchange(fd_, -1); }
  // Bytes held in memory (0 once on disk).
  std::uint64_t held_in_memory() const { return in_memory_ ? held_ : 0; }

 private:
  Status open_on_disk() {
    auto temp = create_temp_file(temp_dir_);
    if (!temp) return temp.error();
    fd_ = *temp;
    in_memory_ = false;
    return Ok{};
  }

  // Moves what the memory file holds to a file on disk, extent by extent
  // (SEEK_DATA/SEEK_HOLE), keeping the holes.
  Status spill() {
    const int memory = std::exchange(fd_, -1);
    FdGuard memory_guard(memory);
    if (auto status = open_on_disk(); !status) return status;
    auto buffer = std::make_unique_for_overwrite<std::byte[]>(kOutputChunk);
    off_t data = ::lseek(memory, 0, SEEK_DATA);
    while (data >= 0) {
      const off_t hole = ::lseek(memory, data, SEEK_HOLE);
      if (hole < 0) return failure(static_cast<std::uint64_t>(data), errno);
      for (off_t at = data; at < hole;) {
        const std::size_t n = static_cast<std::size_t>(std::min<off_t>(hole - at, kOutputChunk));
        const ssize_t got = ::pread(memory, buffer.get(), n, at);
        if (got <= 0) return failure(static_cast<std::uint64_t>(at), got < 0 ? errno : EIO);
        if (auto status = write_at({buffer.get(), static_cast<std::size_t>(got)}, static_cast<std::uint64_t>(at));
            !status) {
          return status;
        }
        at += got;
      }
      data = ::lseek(memory, hole, SEEK_DATA);
    }
    if (errno != ENXIO) return failure(0, errno);  // ENXIO: no data after the last hole
    held_ = 0;
    return Ok{};
  }

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

  int fd_ = -1;
  std::uint64_t memory_limit_;
  bool in_memory_ = true;
  std::uint64_t held_ = 0;
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

  auto status = decompress_fd(fd.get(), name, *compression, UINT64_MAX, [&](std::span<const std::byte> chunk) -> Status {
    if (chunk.size() > max_bytes - text.size()) return over_limit();
    text.append(reinterpret_cast<const char*>(chunk.data()), chunk.size());
    return Ok{};
  });
  if (!status) return status.error();
  return text;
}

Result<MappedFile> decompress_to_mapping(const std::filesystem::path& path, Compression compression,
                                         const std::filesystem::path& temp_dir, std::uint64_t decoder_memory_limit,
                                         std::uint64_t in_memory_limit, std::uint64_t* held_in_memory) {
  if (held_in_memory) *held_in_memory = 0;
  if (compression == Compression::none) return MappedFile::open(path);

  auto opened = open_input(path);
  if (!opened) return opened.error();
  FdGuard in(*opened);

  const std::string name = path.string();
  SparseWriter writer(in_memory_limit, temp_dir, name);
  if (auto status = writer.open(); !status) return status.error();
  auto status = decompress_fd(in.get(), name, compression, decoder_memory_limit,
                              [&](std::span<const std::byte> chunk) { return writer.write(chunk); });
  if (!status) return status.error();
  if (auto finished = writer.finish(); !finished) return finished.error();
  if (held_in_memory) *held_in_memory = writer.held_in_memory();
  return MappedFile::from_fd(writer.release(), name);
}

}  // namespace drydock
