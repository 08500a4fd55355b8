#include "engine/core/mapped_file.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <cstdint>
#include <string_view>

#include "support/dump_builder.hpp"
#include "support/temp_dir.hpp"

using namespace drydock;
using drydock::testing::TempDir;

namespace {

std::string_view text_of(std::span<const std::byte> bytes) {
  return {reinterpret_cast<const char*>(bytes.data()), bytes.size()};
}

}  // namespace

TEST_CASE("MappedFile maps a file's bytes read-only") {
  TempDir dir;
  const auto path = dir.write("hello.bin", std::string_view("hello, dump"));
  auto file = MappedFile::open(path);
  REQUIRE(file.ok());
  CHECK(text_of(file->bytes()) == "hello, dump");
  CHECK(file->name() == path.string());
}

TEST_CASE("MappedFile maps an empty file to an empty span without error") {
  TempDir dir;
  const auto path = dir.write("empty.bin", std::string_view());
  auto file = MappedFile::open(path);
  REQUIRE(file.ok());
  CHECK(file->bytes().empty());
}

TEST_CASE("MappedFile::read_at copies file bytes and refuses ranges past the end") {
  TempDir dir;
  const auto path = dir.write("hello.bin", std::string_view("hello, dump"));
  auto file = MappedFile::open(path);
  REQUIRE(file.ok());
  std::array<std::byte, 4> out{};
  REQUIRE(file->read_at(7, out));
  CHECK(text_of(out) == "dump");
  CHECK_FALSE(file->read_at(8, out));                 // one byte past the end
  CHECK_FALSE(file->read_at(UINT64_MAX - 1, out));    // offset + size would overflow
  CHECK(file->read_at(11, std::span<std::byte>()));  // an empty read at the end

  auto empty = MappedFile::open(dir.write("empty.bin", std::string_view()));
  REQUIRE(empty.ok());
  CHECK_FALSE(empty->read_at(0, out));
}

TEST_CASE("MappedFile reports a missing file by name") {
  auto file = MappedFile::open("/nonexistent/drydock/memory.lime");
  REQUIRE_FALSE(file.ok());
  CHECK_THAT(file.error().message, Catch::StartsWith("/nonexistent/drydock/memory.lime: cannot open"));
}

TEST_CASE("MappedFile refuses a directory") {
  TempDir dir;
  auto file = MappedFile::open(dir.path());
  REQUIRE_FALSE(file.ok());
  CHECK_THAT(file.error().message, Catch::Contains("not a regular file"));
}

TEST_CASE("MappedFile keeps its bytes when moved") {
  TempDir dir;
  const auto path = dir.write("moved.bin", drydock::testing::pattern_bytes(10000));
  auto file = MappedFile::open(path);
  REQUIRE(file.ok());
  const std::byte* data = file->bytes().data();
  MappedFile moved = std::move(*file);
  CHECK(moved.bytes().data() == data);
  CHECK(moved.bytes().size() == 10000);
  CHECK(file->bytes().empty());  // NOLINT(bugprone-use-after-move): moved-from is empty by contract
  MappedFile assigned;
  assigned = std::move(moved);
  CHECK(assigned.bytes().data() == data);
  CHECK(std::equal(assigned.bytes().begin(), assigned.bytes().end(), drydock::testing::pattern_bytes(10000).begin()));
}
