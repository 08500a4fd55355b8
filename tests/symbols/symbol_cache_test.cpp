// The symbol cache: entries round-trip exactly, and an entry that is stale,
// truncated or corrupt is detected and rebuilt, never trusted.

#include <unistd.h>

#include <filesystem>
#include <fstream>

#include <catch2/catch.hpp>

#include "symbols/symbol_cache.hpp"

using namespace drydock;
namespace fs = std::filesystem;

namespace {

const std::string kIsf = std::string(DRYDOCK_REAL_DUMP_DIR) + "/6.1.0-56-amd64_6.1.192-2.json.xz";

fs::path fresh_dir(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("drydock-cache-test-" + std::to_string(::getpid()) + "-" + name);
  fs::remove_all(dir);
  return dir;
}

void check_same(const SymbolTable& a, const SymbolTable& b) {
  CHECK(a.banner() == b.banner());
  CHECK(a.symbol_count() == b.symbol_count());
  CHECK(a.user_type_count() == b.user_type_count());
  CHECK(a.symbol("init_task")->address == b.symbol("init_task")->address);
  for (const char* member : {"comm", "pid", "tasks", "rcu_users"}) {
    INFO(member);
    CHECK(a.member("task_struct", member)->offset == b.member("task_struct", member)->offset);
    CHECK(a.size_of(a.member("task_struct", member)->type) == b.size_of(b.member("task_struct", member)->type));
  }
  CHECK(a.size_of("task_struct") == b.size_of("task_struct"));
  CHECK(a.has_member("net_device", "dev_addr") == b.has_member("net_device", "dev_addr"));
}

}  // namespace

TEST_CASE("a cached table answers like the parsed one", "[real-isf]") {
  auto parsed = SymbolTable::load(kIsf);
  REQUIRE(parsed.ok());
  const std::string image = serialize_symbol_table(**parsed, std::string(64, 'a'));
  auto cached = deserialize_symbol_table(image, std::string(64, 'a'), kIsf);
  REQUIRE(cached.ok());
  check_same(**parsed, **cached);
}

TEST_CASE("corrupt, truncated and foreign cache entries are refused", "[real-isf]") {
  auto parsed = SymbolTable::load(kIsf);
  REQUIRE(parsed.ok());
  const std::string key(64, 'b');
  std::string image = serialize_symbol_table(**parsed, key);
  CHECK(!deserialize_symbol_table(image, std::string(64, 'c'), "x").ok());          // another ISF
  CHECK(!deserialize_symbol_table(image.substr(0, image.size() / 2), key, "x").ok());  // truncated
  std::string flipped = image;
  flipped[flipped.size() - 100] ^= 0x40;
  auto corrupt = deserialize_symbol_table(flipped, key, "x");
  REQUIRE(!corrupt.ok());
  CHECK(corrupt.error().message.find("checksum") != std::string::npos);
  CHECK(!deserialize_symbol_table("", key, "x").ok());
  CHECK(!deserialize_symbol_table(std::string(4096, '\0'), key, "x").ok());
}

TEST_CASE("load_symbols misses, then hits, and rebuilds a damaged entry", "[real-isf]") {
  const fs::path dir = fresh_dir("cycle");
  CacheOutcome outcome{};
  auto first = load_symbols(kIsf, {dir}, &outcome);
  REQUIRE(first.ok());
  CHECK(outcome == CacheOutcome::miss);
  auto second = load_symbols(kIsf, {dir}, &outcome);
  REQUIRE(second.ok());
  CHECK(outcome == CacheOutcome::hit);
  check_same(**first, **second);

  for (const auto& entry : fs::directory_iterator(dir)) {
    std::fstream f(entry.path(), std::ios::in | std::ios::out | std::ios::binary);
    f.seekp(static_cast<std::streamoff>(fs::file_size(entry.path()) / 2));
    f.put('\x7f');
  }
  auto third = load_symbols(kIsf, {dir}, &outcome);
  REQUIRE(third.ok());
  CHECK(outcome == CacheOutcome::rebuilt);
  check_same(**first, **third);
  auto fourth = load_symbols(kIsf, {dir}, &outcome);
  CHECK(outcome == CacheOutcome::hit);
  fs::remove_all(dir);
}

TEST_CASE("an unwritable cache directory only costs speed") {
  CacheOutcome outcome{};
  auto table = load_symbols(std::string(DRYDOCK_TEST_DATA_DIR) + "/isf/candidates/6.1.0-test-amd64.json", {"/proc/drydock-no-such-dir"}, &outcome);
  // The cache cannot turn a loadable file into an error.
  auto direct = SymbolTable::load(std::string(DRYDOCK_TEST_DATA_DIR) + "/isf/candidates/6.1.0-test-amd64.json");
  REQUIRE(direct.ok());
  CHECK(table.ok());
  CHECK(outcome == CacheOutcome::miss);
}
