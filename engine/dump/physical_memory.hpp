#pragma once
// The physical memory of a dump: the ranges of physical addresses that the
// acquisition tool saved, and where each lies in the (decompressed) file.
// Reads say whether every requested byte was saved: a hole is a hole, never
// silent zeros.
//
// Thread safety: immutable after open(); reads from any number of threads.

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/decompress.hpp"
#include "engine/core/mapped_file.hpp"
#include "engine/core/result.hpp"
#include "engine/dump/access_recorder.hpp"

namespace drydock {

enum class DumpFormat { raw, lime, elf_core };
std::string_view to_string(DumpFormat f);

struct PhysicalRange {
  std::uint64_t start = 0;        // first physical address
  std::uint64_t size = 0;         // bytes
  std::uint64_t file_offset = 0;  // where the first byte lies in the file
  std::uint64_t end() const { return start + size; }  // one past the last
};

// The framing of a dump: its format and ranges sorted by start, not overlapping.
struct DumpLayout {
  DumpFormat format = DumpFormat::raw;
  std::vector<PhysicalRange> ranges;
};

// Limits on what a dump's framing may claim (rule 8: bound what dump data drives).
// A LiME or ELF core with more ranges than this is rejected.
inline constexpr std::size_t kMaxDumpRanges = std::size_t{1} << 20;
// x86-64 physical addresses have at most 52 bits; a range ending above this is
// rejected, so PhysicalRange::end() never overflows.
inline constexpr std::uint64_t kMaxPhysicalAddress = std::uint64_t{1} << 52;
// A raw image smaller than this cannot hold a kernel: it is rejected rather
// than scanned, as it is far more likely a wrong file than a memory dump.
inline constexpr std::uint64_t kMinRawDumpBytes = std::uint64_t{1} << 20;

// Pure decoders over the whole (decompressed) file. `name` is used in errors,
// which give the file offset of the bad header.
//
// detect_format: LiME by its magic ("EMiL") at offset 0, ELF core by "\x7fELF";
// anything else is raw.
// parse_lime: version 1 headers, each followed by its range's bytes; ranges are
//   sorted by address. Errors: truncated header, bad magic (with its offset),
//   end before start, a range running past the end of the file, overlapping
//   ranges, more than kMaxDumpRanges ranges, and AVML's version 2 (compressed)
//   headers, which are not supported yet.
// parse_elf_core: ELFCLASS64 little-endian x86-64 ET_CORE; each PT_LOAD with
//   saved bytes is a range at p_paddr (only p_filesz bytes: a p_memsz tail was
//   not saved). A PT_LOAD lying wholly inside another is dropped (kdump's
//   kernel-text segment repeats part of a RAM segment); partial overlaps, bad
//   header tables and segments past the end of the file are errors naming the
//   program header index.
// parse_raw: the file is physical memory from address 0: one range [0, size).
//   An empty file, or one smaller than kMinRawDumpBytes, is an error.
DumpFormat detect_format(std::span<const std::byte> file);
Result<DumpLayout> parse_lime(std::span<const std::byte> file, std::string_view name);
Result<DumpLayout> parse_elf_core(std::span<const std::byte> file, std::string_view name);
Result<DumpLayout> parse_raw(std::span<const std::byte> file, std::string_view name);
Result<DumpLayout> parse_layout(std::span<const std::byte> file, std::string_view name);

struct OpenOptions {
  std::filesystem::path temp_dir = std::filesystem::temp_directory_path();
  // When set, every successful read() and view() adds its bytes here. For
  // tools that cut samples; costs one branch per read when unset.
  std::shared_ptr<AccessRecorder> recorder = nullptr;
  // The most the decompressor of a compressed dump may allocate (see
  // decompress_to_mapping); a stream that needs more is refused.
  std::uint64_t decoder_memory_limit = UINT64_MAX;
  // How much of a compressed dump's decompressed image may be held in memory
  // rather than in a file under temp_dir (see decompress_to_mapping); 0: none.
  std::uint64_t in_memory_limit = 0;
};

class PhysicalMemory {
 public:
  // Opens a dump file: decompresses it if needed, recognises its format by
  // content and decodes its framing. A compressed file (zstd, xz or gzip, told
  // by its magic bytes, not its name) is decompressed into an unlinked file
  // under options.temp_dir (see decompress_to_mapping); framing errors then
  // name "<path> (decompressed)" and give offsets in the decompressed bytes.
  static Result<PhysicalMemory> open(const std::filesystem::path& path, const OpenOptions& options = {});
  // Wraps bytes already in memory (tests, fuzzers); the span must outlive the object.
  static Result<PhysicalMemory> from_bytes(std::span<const std::byte> file, std::string name);

  const std::string& path() const { return path_; }
  DumpFormat format() const { return layout_.format; }
  Compression compression() const { return compression_; }
  // Bytes of the decompressed image held in memory (OpenOptions::in_memory_limit).
  std::uint64_t held_in_memory() const { return held_in_memory_; }
  const std::vector<PhysicalRange>& ranges() const { return layout_.ranges; }

  // Copies out.size() bytes from physical address `address`. Returns false if
  // any byte of the range was not saved in the dump (out is then unspecified).
  // read() and view() tell the recorder (OpenOptions::recorder) what they
  // returned; failed ones are not recorded.
  bool read(std::uint64_t address, std::span<std::byte> out) const;
  // Like read(), but through the file with pread() rather than the mapping,
  // and not recorded (a scan would record the whole dump; what a probe finds
  // is read again through read() by whoever uses it): for probing many scattered places (the kernel banner at
  // each aligned position) without making them resident in this process. A
  // syscall per call: for probes, not walks.
  bool probe(std::uint64_t address, std::span<std::byte> out) const;
  // The saved bytes at [address, address + size) when they lie in one range
  // (zero-copy); an empty span otherwise.
  std::span<const std::byte> view(std::uint64_t address, std::size_t size) const;
  // True if every byte of [address, address + size) was saved.
  bool contains(std::uint64_t address, std::uint64_t size) const;
  // The whole file (for scans of the raw bytes).
  std::span<const std::byte> file_bytes() const { return file_; }

  PhysicalMemory(PhysicalMemory&&) noexcept = default;
  PhysicalMemory& operator=(PhysicalMemory&&) noexcept = default;

 private:
  PhysicalMemory() = default;
  const PhysicalRange* find_range(std::uint64_t address) const;
  // Calls copy(file_offset, destination) for each piece of [address, +out.size())
  // in turn; false if a byte was not saved or a copy failed.
  template <typename Copy>
  bool gather(std::uint64_t address, std::span<std::byte> out, Copy copy) const;
  // read() from the mapping, without telling the recorder.
  bool copy_out(std::uint64_t address, std::span<std::byte> out) const;

  std::string path_;
  MappedFile mapping_;
  std::span<const std::byte> file_;
  DumpLayout layout_;
  Compression compression_ = Compression::none;
  std::uint64_t held_in_memory_ = 0;
  std::shared_ptr<AccessRecorder> recorder_;  // null unless a tool asked
};

}  // namespace drydock
