// Loading the real Debian 6.1 ISF (38 MB of JSON) and querying it.

#include <benchmark/benchmark.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "engine/core/decompress.hpp"
#include "symbols/symbol_table.hpp"

namespace drydock {
namespace {

namespace fs = std::filesystem;

const fs::path kIsfXz = fs::path(DRYDOCK_SHARED_DIR) / "dumps" / "docker-basic" / "6.1.0-56-amd64_6.1.192-2.json.xz";

// The .xz decompressed once into a temporary file, removed at exit.
class PlainIsf {
 public:
  PlainIsf() {
    auto text = read_decompressed(kIsfXz, std::size_t{1} << 30);
    if (!text) {
      error_ = text.error().message;
      return;
    }
    path_ = fs::temp_directory_path() / ("drydock-bench-isf-" + std::to_string(::getpid()) + ".json");
    std::ofstream(path_, std::ios::binary).write(text->data(), static_cast<std::streamsize>(text->size()));
  }
  ~PlainIsf() {
    std::error_code ec;
    if (!path_.empty()) fs::remove(path_, ec);
  }
  const fs::path& path() const { return path_; }
  const std::string& error() const { return error_; }

 private:
  fs::path path_;
  std::string error_;
};

const PlainIsf& plain_isf() {
  static const PlainIsf isf;
  return isf;
}

void load_isf(benchmark::State& state, const fs::path& path, const std::string& setup_error) {
  if (!setup_error.empty()) {
    state.SkipWithError(setup_error.c_str());
    return;
  }
  std::size_t table_bytes = 0;
  for (auto _ : state) {
    auto table = SymbolTable::load(path);
    if (!table) {
      state.SkipWithError(table.error().message.c_str());
      return;
    }
    table_bytes = table.value()->memory_bytes();
    benchmark::DoNotOptimize(table);
  }
  state.counters["table_MB"] = static_cast<double>(table_bytes) / 1e6;
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations()) *
                          static_cast<std::int64_t>(fs::file_size(path)));
}

void BM_LoadRealIsfXz(benchmark::State& state) {
  load_isf(state, kIsfXz, fs::exists(kIsfXz) ? "" : "real ISF not found");
}
BENCHMARK(BM_LoadRealIsfXz)->Unit(benchmark::kMillisecond);

void BM_LoadRealIsfPlainJson(benchmark::State& state) {
  load_isf(state, plain_isf().path(), plain_isf().error());
}
BENCHMARK(BM_LoadRealIsfPlainJson)->Unit(benchmark::kMillisecond);

std::shared_ptr<const SymbolTable> real_table() {
  static const std::shared_ptr<const SymbolTable> table = [] {
    auto loaded = SymbolTable::load(kIsfXz);
    return loaded ? *loaded : nullptr;
  }();
  return table;
}

// A direct member, one inside task_struct's anonymous union, and a miss
// (which scans every anonymous member).
void BM_MemberLookup(benchmark::State& state) {
  auto table = real_table();
  if (!table) {
    state.SkipWithError("real ISF did not load");
    return;
  }
  for (auto _ : state) {
    benchmark::DoNotOptimize(table->member("task_struct", "comm"));
    benchmark::DoNotOptimize(table->member("task_struct", "rcu_users"));
    benchmark::DoNotOptimize(table->member("task_struct", "no_such_member"));
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()) * 3);
}
BENCHMARK(BM_MemberLookup);

void BM_SymbolLookup(benchmark::State& state) {
  auto table = real_table();
  if (!table) {
    state.SkipWithError("real ISF did not load");
    return;
  }
  for (auto _ : state) benchmark::DoNotOptimize(table->symbol("init_task"));
}
BENCHMARK(BM_SymbolLookup);

}  // namespace
}  // namespace drydock
