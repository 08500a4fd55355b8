#include "engine/core/decompress.hpp"

#include <sys/resource.h>

#include <csignal>

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>

#include "support/compress.hpp"
#include "support/dump_builder.hpp"
#include "support/temp_dir.hpp"

using namespace drydock;
using drydock::testing::Bytes;
using drydock::testing::TempDir;

namespace {

Bytes head_of(std::initializer_list<unsigned> values) {
  Bytes out;
  for (unsigned v : values) out.push_back(std::byte(v));
  return out;
}

// Like a memory image: runs of pattern bytes between long runs of zero pages,
// crossing the decoders' 4/8 MiB buffer boundaries.
Bytes image_like(std::size_t size) {
  Bytes out(size);
  const Bytes pattern = drydock::testing::pattern_bytes(size, 7);
  for (std::size_t i = 0; i < size; i += 3 * 4096 + 100) {
    std::copy_n(pattern.begin() + i, std::min<std::size_t>(5000, size - i), out.begin() + i);
  }
  return out;
}

std::string as_string(const Bytes& bytes) { return {reinterpret_cast<const char*>(bytes.data()), bytes.size()}; }

bool same(std::span<const std::byte> a, const Bytes& b) { return std::equal(a.begin(), a.end(), b.begin(), b.end()); }

Bytes concat(const Bytes& a, const Bytes& b) {
  Bytes out = a;
  out.insert(out.end(), b.begin(), b.end());
  return out;
}

}  // namespace

TEST_CASE("detect_compression recognises zstd, xz and gzip by magic bytes") {
  CHECK(detect_compression(head_of({0x28, 0xB5, 0x2F, 0xFD, 0x04})) == Compression::zstd);
  CHECK(detect_compression(head_of({0x50, 0x2A, 0x4D, 0x18, 0, 0, 0, 0})) == Compression::zstd);  // skippable frame
  CHECK(detect_compression(head_of({0xFD, '7', 'z', 'X', 'Z', 0x00, 0x00})) == Compression::xz);
  CHECK(detect_compression(head_of({0x1F, 0x8B, 0x08, 0x00})) == Compression::gzip);
}

TEST_CASE("detect_compression says none for dumps, short and look-alike heads") {
  CHECK(detect_compression(head_of({'E', 'M', 'i', 'L', 1, 0, 0, 0})) == Compression::none);
  CHECK(detect_compression(head_of({0x7F, 'E', 'L', 'F'})) == Compression::none);
  CHECK(detect_compression({}) == Compression::none);
  CHECK(detect_compression(head_of({0x28, 0xB5, 0x2F})) == Compression::none);
  CHECK(detect_compression(head_of({0xFD, '7', 'z', 'X', 'Z'})) == Compression::none);
  // Two bytes that happen to be gzip's magic, without method deflate: raw data.
  CHECK(detect_compression(head_of({0x1F, 0x8B, 0x00, 0x00})) == Compression::none);
  CHECK(detect_compression(head_of({0x1F, 0x8B, 0x08, 0xE0})) == Compression::none);
}

TEST_CASE("detect_compression agrees with the in-test compressors") {
  const Bytes data = drydock::testing::pattern_bytes(1000);
  CHECK(detect_compression(drydock::testing::zstd_compress(data)) == Compression::zstd);
  CHECK(detect_compression(drydock::testing::xz_compress(data)) == Compression::xz);
  CHECK(detect_compression(drydock::testing::gzip_compress(data)) == Compression::gzip);
}

TEST_CASE("to_string names each compression") {
  CHECK(to_string(Compression::none) == "none");
  CHECK(to_string(Compression::zstd) == "zstd");
  CHECK(to_string(Compression::xz) == "xz");
  CHECK(to_string(Compression::gzip) == "gzip");
}

TEST_CASE("read_decompressed round-trips zstd, xz and gzip") {
  TempDir dir;
  const Bytes data = drydock::testing::bytes_of(R"({"metadata": {"format": "6.2.0"}, "symbols": {}})");
  const auto [name, compressed] = GENERATE_COPY(table<std::string, Bytes>({
      {"isf.json.zst", drydock::testing::zstd_compress(data)},
      {"isf.json.xz", drydock::testing::xz_compress(data)},
      {"isf.json.gz", drydock::testing::gzip_compress(data)},
      {"isf.json", data},
  }));
  const auto path = dir.write(name, compressed);
  auto text = read_decompressed(path, 1 << 20);
  REQUIRE(text.ok());
  CHECK(*text == as_string(data));
}

TEST_CASE("read_decompressed round-trips data larger than its buffers") {
  TempDir dir;
  const Bytes data = image_like((std::size_t{9} << 20) + 12345);
  const auto path = dir.write("big.xz", drydock::testing::xz_compress(data));
  auto text = read_decompressed(path, std::size_t{64} << 20);
  REQUIRE(text.ok());
  CHECK(*text == as_string(data));
}

TEST_CASE("read_decompressed refuses output beyond max_bytes, naming the file") {
  TempDir dir;
  const Bytes data = drydock::testing::pattern_bytes(5000);
  const auto zst = dir.write("isf.json.zst", drydock::testing::zstd_compress(data));
  auto text = read_decompressed(zst, 4999);
  REQUIRE_FALSE(text.ok());
  CHECK_THAT(text.error().message, Catch::StartsWith(zst.string() + ": decompressed size exceeds the limit of 4999"));
  CHECK(read_decompressed(zst, 5000).ok());

  const auto plain = dir.write("isf.json", data);
  auto plain_text = read_decompressed(plain, 100);
  REQUIRE_FALSE(plain_text.ok());
  CHECK_THAT(plain_text.error().message, Catch::StartsWith(plain.string() + ": size exceeds the limit of 100"));
}

TEST_CASE("read_decompressed reports a missing file by name") {
  auto text = read_decompressed("/nonexistent/isf.json.xz", 100);
  REQUIRE_FALSE(text.ok());
  CHECK_THAT(text.error().message, Catch::StartsWith("/nonexistent/isf.json.xz: cannot open"));
}

TEST_CASE("decompress_to_mapping round-trips each codec across buffer boundaries") {
  TempDir dir;
  // 16 MiB is a whole number of the 8 MiB decode buffers: the last fill() of
  // the overlapped loop then returns exactly zero bytes.
  const std::size_t size = GENERATE((std::size_t{17} << 20) + 4097, std::size_t{16} << 20);
  const Bytes data = image_like(size);
  const auto [name, compression, compressed] = GENERATE_COPY(table<std::string, Compression, Bytes>({
      {"memory.lime.zst", Compression::zstd, drydock::testing::zstd_compress(data, 1)},
      {"memory.lime.xz", Compression::xz, drydock::testing::xz_compress(data, 0)},
      {"memory.lime.gz", Compression::gzip, drydock::testing::gzip_compress(data, 1)},
  }));
  const auto path = dir.write(name, compressed);
  auto mapping = decompress_to_mapping(path, compression, dir.path());
  REQUIRE(mapping.ok());
  CHECK(mapping->bytes().size() == data.size());
  CHECK(same(mapping->bytes(), data));
  // The temporary file is unlinked: only the compressed input is in the directory.
  CHECK(std::distance(std::filesystem::directory_iterator(dir.path()), std::filesystem::directory_iterator()) == 1);
}

TEST_CASE("decompress_to_mapping keeps a trailing run of zeros") {
  TempDir dir;
  Bytes data = drydock::testing::pattern_bytes(10000);
  data.resize(data.size() + (std::size_t{3} << 20));  // ends in a hole
  const auto path = dir.write("tail.zst", drydock::testing::zstd_compress(data));
  auto mapping = decompress_to_mapping(path, Compression::zstd, dir.path());
  REQUIRE(mapping.ok());
  CHECK(same(mapping->bytes(), data));
}

TEST_CASE("decompress_to_mapping reads multi-frame zstd, concatenated xz and multi-member gzip") {
  TempDir dir;
  const Bytes a = drydock::testing::pattern_bytes(300000, 1);
  const Bytes b = drydock::testing::pattern_bytes(200000, 2);
  const Bytes whole = concat(a, b);
  const auto [name, compression, compressed] = GENERATE_COPY(table<std::string, Compression, Bytes>({
      {"multi.zst", Compression::zstd, concat(drydock::testing::zstd_compress(a), drydock::testing::zstd_compress(b))},
      {"multi.xz", Compression::xz, concat(drydock::testing::xz_compress(a), drydock::testing::xz_compress(b))},
      {"multi.gz", Compression::gzip, concat(drydock::testing::gzip_compress(a), drydock::testing::gzip_compress(b))},
  }));
  const auto path = dir.write(name, compressed);
  auto mapping = decompress_to_mapping(path, compression, dir.path());
  REQUIRE(mapping.ok());
  CHECK(same(mapping->bytes(), whole));
  auto text = read_decompressed(path, 1 << 20);
  REQUIRE(text.ok());
  CHECK(*text == as_string(whole));
}

TEST_CASE("decompress_to_mapping maps an uncompressed file as is") {
  TempDir dir;
  const Bytes data = drydock::testing::pattern_bytes(8192);
  const auto path = dir.write("memory.lime", data);
  auto mapping = decompress_to_mapping(path, Compression::none, dir.path());
  REQUIRE(mapping.ok());
  CHECK(same(mapping->bytes(), data));
}

TEST_CASE("a corrupt zstd stream is reported with the file and the compressed offset") {
  TempDir dir;
  Bytes compressed = drydock::testing::zstd_compress(drydock::testing::pattern_bytes(100000));
  // Clobber the middle of the first block's data.
  for (std::size_t i = compressed.size() / 2; i < compressed.size() / 2 + 64; ++i) compressed[i] = std::byte{0xFF};
  const auto path = dir.write("memory.lime.zst", compressed);
  auto mapping = decompress_to_mapping(path, Compression::zstd, dir.path());
  REQUIRE_FALSE(mapping.ok());
  CHECK_THAT(mapping.error().message,
             Catch::StartsWith(path.string() + ": corrupt zstd stream at compressed offset "));
  auto text = read_decompressed(path, 1 << 20);
  REQUIRE_FALSE(text.ok());
  CHECK_THAT(text.error().message, Catch::Contains("corrupt zstd stream at compressed offset"));
}

TEST_CASE("a truncated stream is reported as truncated, for each codec") {
  TempDir dir;
  const Bytes data = drydock::testing::pattern_bytes(200000);
  const auto [name, compression, full] = GENERATE_COPY(table<std::string, Compression, Bytes>({
      {"memory.lime.zst", Compression::zstd, drydock::testing::zstd_compress(data)},
      {"memory.lime.xz", Compression::xz, drydock::testing::xz_compress(data)},
      {"memory.lime.gz", Compression::gzip, drydock::testing::gzip_compress(data)},
  }));
  const Bytes cut(full.begin(), full.begin() + static_cast<std::ptrdiff_t>(full.size() * 2 / 3));
  const auto path = dir.write(name, cut);
  auto mapping = decompress_to_mapping(path, compression, dir.path());
  REQUIRE_FALSE(mapping.ok());
  CHECK_THAT(mapping.error().message,
             Catch::StartsWith(path.string() + ": truncated " + std::string(to_string(compression)) +
                               " stream: input ends at compressed offset " + std::to_string(cut.size())));
}

TEST_CASE("a truncated xz stream cut inside its index is still reported") {
  TempDir dir;
  const Bytes full = drydock::testing::xz_compress(drydock::testing::pattern_bytes(5000));
  const Bytes cut(full.begin(), full.end() - 6);
  const auto path = dir.write("isf.json.xz", cut);
  auto text = read_decompressed(path, 1 << 20);
  REQUIRE_FALSE(text.ok());
  CHECK_THAT(text.error().message, Catch::StartsWith(path.string() + ": truncated xz stream"));
}

TEST_CASE("a corrupt gzip member is reported with the zlib message") {
  TempDir dir;
  Bytes compressed = drydock::testing::gzip_compress(drydock::testing::pattern_bytes(5000));
  compressed[10] = std::byte{0xFF};  // first byte of the deflate data: invalid block type
  compressed[11] = std::byte{0xFF};
  const auto path = dir.write("memory.lime.gz", compressed);
  auto text = read_decompressed(path, 1 << 20);
  REQUIRE_FALSE(text.ok());
  CHECK_THAT(text.error().message, Catch::StartsWith(path.string() + ": corrupt gzip stream at compressed offset"));
}

TEST_CASE("decompress_to_mapping names temp_dir when it cannot create its file") {
  TempDir dir;
  const auto path = dir.write("memory.lime.zst", drydock::testing::zstd_compress(drydock::testing::pattern_bytes(100)));
  auto mapping = decompress_to_mapping(path, Compression::zstd, dir.path() / "missing");
  REQUIRE_FALSE(mapping.ok());
  CHECK_THAT(mapping.error().message,
             Catch::StartsWith((dir.path() / "missing").string() + ": cannot create a temporary file"));
}

TEST_CASE("decompress_to_mapping names temp_dir on a write error") {
  // A file-size limit makes write() fail as a full disk would (EFBIG instead
  // of ENOSPC), with SIGXFSZ ignored for the duration.
  TempDir dir;
  const auto path = dir.write("memory.lime.zst", drydock::testing::zstd_compress(drydock::testing::pattern_bytes(1 << 20)));
  struct sigaction ignore {};
  ignore.sa_handler = SIG_IGN;
  struct sigaction previous {};
  REQUIRE(sigaction(SIGXFSZ, &ignore, &previous) == 0);
  rlimit old_limit{};
  REQUIRE(getrlimit(RLIMIT_FSIZE, &old_limit) == 0);
  rlimit small = old_limit;
  small.rlim_cur = 64 * 1024;
  REQUIRE(setrlimit(RLIMIT_FSIZE, &small) == 0);
  auto mapping = decompress_to_mapping(path, Compression::zstd, dir.path());
  setrlimit(RLIMIT_FSIZE, &old_limit);
  sigaction(SIGXFSZ, &previous, nullptr);
  REQUIRE_FALSE(mapping.ok());
  CHECK_THAT(mapping.error().message,
             Catch::StartsWith(dir.path().string() + ": cannot write the decompressed " + path.string()));
  CHECK_THAT(mapping.error().message, Catch::Contains("File too large"));
}

TEST_CASE("decompress_to_mapping refuses a stream whose decoder needs more memory than allowed") {
  TempDir dir;
  SECTION("a zstd frame asking for a 2 GiB window") {
    // Kept from fuzzing: a 40-byte frame header that declares a 2 GiB window.
    const std::filesystem::path frame =
        std::filesystem::path(DRYDOCK_SOURCE_DIR) / "tests/fuzz/regressions/decompress/zstd-2gib-window.zst";
    auto mapping = decompress_to_mapping(frame, Compression::zstd, dir.path(), std::uint64_t{64} << 20);
    REQUIRE_FALSE(mapping.ok());
    CHECK_THAT(mapping.error().message,
               Catch::StartsWith(frame.string() + ": the zstd frame at compressed offset ") &&
                   Catch::EndsWith("needs more decoder memory than this dump's memory budget allows (raise "
                                   "--max-memory)"));
  }
  SECTION("an xz stream with a 64 MiB dictionary (preset 9)") {
    const auto path = dir.write("memory.lime.xz", drydock::testing::xz_compress(image_like(4096), 9));
    auto mapping = decompress_to_mapping(path, Compression::xz, dir.path(), std::uint64_t{4} << 20);
    REQUIRE_FALSE(mapping.ok());
    CHECK_THAT(mapping.error().message, Catch::StartsWith(path.string() + ": the xz stream at compressed offset ") &&
                                            Catch::Contains("raise --max-memory"));
    // With room for the dictionary it decompresses.
    CHECK(decompress_to_mapping(path, Compression::xz, dir.path(), std::uint64_t{128} << 20).ok());
  }
}

TEST_CASE("decompress_to_mapping holds the image in memory while it fits, and moves it to disk past the limit") {
  TempDir dir;
  const Bytes data = image_like((std::size_t{17} << 20) + 4097);
  std::uint64_t nonzero = 0;  // what the image holds outside its zero pages
  for (std::size_t at = 0; at < data.size(); at += 4096) {
    const std::size_t n = std::min<std::size_t>(4096, data.size() - at);
    if (std::any_of(data.begin() + at, data.begin() + at + n, [](std::byte b) { return b != std::byte{0}; })) {
      nonzero += n;
    }
  }
  const auto path = dir.write("memory.lime.zst", drydock::testing::zstd_compress(data, 1));
  const auto files_in_dir = [&] {
    return std::distance(std::filesystem::directory_iterator(dir.path()), std::filesystem::directory_iterator());
  };

  SECTION("room for all of it: in memory") {
    std::uint64_t held = 0;
    auto mapping = decompress_to_mapping(path, Compression::zstd, dir.path(), UINT64_MAX, std::uint64_t{1} << 30, &held);
    REQUIRE(mapping.ok());
    CHECK(same(mapping->bytes(), data));
    CHECK(held == nonzero);
    CHECK(files_in_dir() == 1);  // only the input
  }
  SECTION("room for part of it: moved to temp_dir, holes kept, nothing held") {
    std::uint64_t held = 1;
    auto mapping = decompress_to_mapping(path, Compression::zstd, dir.path(), UINT64_MAX, std::uint64_t{1} << 20, &held);
    REQUIRE(mapping.ok());
    CHECK(mapping->bytes().size() == data.size());
    CHECK(same(mapping->bytes(), data));
    CHECK(held == 0);
  }
  SECTION("no room: on disk from the start") {
    std::uint64_t held = 1;
    auto mapping = decompress_to_mapping(path, Compression::zstd, dir.path(), UINT64_MAX, 0, &held);
    REQUIRE(mapping.ok());
    CHECK(same(mapping->bytes(), data));
    CHECK(held == 0);
  }
}
