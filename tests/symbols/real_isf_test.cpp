// The real Debian 6.1 ISF that comes with the docker-basic dump.

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>

#include "symbols/symbol_table.hpp"

namespace drydock {
namespace {

namespace fs = std::filesystem;

const fs::path kDumpDir = DRYDOCK_REAL_DUMP_DIR;
const fs::path kIsf = kDumpDir / "6.1.0-56-amd64_6.1.192-2.json.xz";

// Loaded once for all cases below: decompressing 38 MB of xz takes a second.
std::shared_ptr<const SymbolTable> real_table() {
  static const std::shared_ptr<const SymbolTable> table = [] {
    auto loaded = SymbolTable::load(kIsf);
    if (!loaded) FAIL(loaded.error().message);
    return *loaded;
  }();
  return table;
}

// The "linux_banner" string of ground-truth/meta.json, read without a JSON
// library: the file is a flat object written by the dump's collector.
std::string ground_truth_banner() {
  std::ifstream in(kDumpDir / "ground-truth" / "meta.json");
  std::stringstream text;
  text << in.rdbuf();
  std::string all = text.str();
  const std::string key = "\"linux_banner\": \"";
  auto at = all.find(key);
  REQUIRE(at != std::string::npos);
  at += key.size();
  return all.substr(at, all.find('"', at) - at);
}

#define SKIP_WITHOUT_REAL_ISF()                                   \
  if (!fs::exists(kIsf)) {                                        \
    WARN("real ISF not found at " << kIsf << "; skipping");       \
    return;                                                       \
  }

TEST_CASE("real ISF: banner matches the dump's ground truth") {
  SKIP_WITHOUT_REAL_ISF();
  auto table = real_table();
  REQUIRE(table->banner().has_value());
  CHECK(*table->banner() == ground_truth_banner());
  CHECK(table->symbol_count() == 160837);
  CHECK(table->user_type_count() == 10318);
}

TEST_CASE("real ISF: init_task is a task_struct") {
  SKIP_WITHOUT_REAL_ISF();
  auto table = real_table();
  const Symbol* init_task = table->symbol("init_task");
  REQUIRE(init_task);
  CHECK(init_task->address == 18446744071606217280ULL);
  CHECK(table->type_desc(init_task->type).name == "task_struct");
  CHECK(table->size_of("task_struct") == 9792);
}

TEST_CASE("real ISF: task_struct.comm is char[16]") {
  SKIP_WITHOUT_REAL_ISF();
  auto table = real_table();
  auto comm = table->member("task_struct", "comm");
  REQUIRE(comm);
  CHECK(comm->offset == 2976);
  const TypeDesc& array = table->type_desc(comm->type);
  CHECK(array.kind == TypeKind::array);
  CHECK(array.count == 16);
  CHECK(table->type_desc(array.subtype).name == "char");
  CHECK(table->size_of(comm->type) == 16);
}

TEST_CASE("real ISF: members of task_struct's anonymous union are found at its offset") {
  SKIP_WITHOUT_REAL_ISF();
  auto table = real_table();
  auto anonymous = table->member("task_struct", "unnamed_field_0");
  REQUIRE(anonymous);
  CHECK(anonymous->offset == 4968);
  auto rcu_users = table->member("task_struct", "rcu_users");
  REQUIRE(rcu_users);
  CHECK(rcu_users->offset == 4968);
  CHECK(table->type_desc(rcu_users->type).name == "refcount_t");
  auto rcu = table->member("task_struct", "rcu");
  REQUIRE(rcu);
  CHECK(rcu->offset == 4968);
}

TEST_CASE("real ISF: kernel_cap_struct.cap is u32[2]") {
  SKIP_WITHOUT_REAL_ISF();
  auto table = real_table();
  auto cap = table->member("kernel_cap_struct", "cap");
  REQUIRE(cap);
  CHECK(cap->offset == 0);
  const TypeDesc& array = table->type_desc(cap->type);
  CHECK(array.kind == TypeKind::array);
  CHECK(array.count == 2);
  CHECK(table->type_desc(array.subtype).name == "unsigned int");
  CHECK(table->size_of(cap->type) == 8);
}

TEST_CASE("real ISF: found by its banner among candidates") {
  SKIP_WITHOUT_REAL_ISF();
  std::vector<fs::path> candidates{fs::path(DRYDOCK_TEST_DATA_DIR) / "isf" / "candidates", kIsf};
  auto found = find_symbols_for_banner(candidates, ground_truth_banner());
  INFO((found ? "" : found.error().message));
  REQUIRE(found.ok());
  CHECK(found.value()->source() == kIsf.string());
}

}  // namespace
}  // namespace drydock
