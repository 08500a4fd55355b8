// Benchmarks of the dump layer on the real docker-basic dump:
//   BM_DecompressZstdToMapping  memory.lime.zst -> unlinked temp file, mapped (bytes/s of output)
//   BM_OpenLime                 PhysicalMemory::open of the plain memory.lime (map + layout parse)
//   BM_ParseLimeLayout          parse_lime alone over the mapped bytes
//   BM_RandomRead4K             random page-aligned 4 KiB physical reads
// The plain LiME comes from $DRYDOCK_BENCH_LIME, else <shared>/../data/memory.lime;
// benchmarks that need it are skipped when neither exists.

#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <optional>
#include <random>
#include <vector>

#include "engine/core/decompress.hpp"
#include "engine/dump/physical_memory.hpp"

namespace {

using drydock::PhysicalMemory;

std::filesystem::path zst_path() { return std::filesystem::path(DRYDOCK_SHARED_DIR) / "dumps/docker-basic/memory.lime.zst"; }

std::optional<std::filesystem::path> lime_path() {
  if (const char* env = std::getenv("DRYDOCK_BENCH_LIME"); env != nullptr && *env != '\0') return env;
  auto sibling = std::filesystem::path(DRYDOCK_SHARED_DIR) / "../data/memory.lime";
  if (std::filesystem::exists(sibling)) return sibling;
  return std::nullopt;
}

// Opened once for the read benchmarks.
const PhysicalMemory* shared_memory(std::string& why_not) {
  static std::optional<drydock::Result<PhysicalMemory>> memory;
  if (!memory) {
    const auto path = lime_path();
    memory.emplace(path ? PhysicalMemory::open(*path) : PhysicalMemory::open(zst_path()));
  }
  if (!memory->ok()) {
    why_not = memory->error().message;
    return nullptr;
  }
  return &memory->value();
}

void BM_DecompressZstdToMapping(benchmark::State& state) {
  std::size_t size = 0;
  for (auto _ : state) {
    auto mapping = drydock::decompress_to_mapping(zst_path(), drydock::Compression::zstd,
                                                  std::filesystem::temp_directory_path());
    if (!mapping) {
      state.SkipWithError(mapping.error().message.c_str());
      return;
    }
    size = mapping->bytes().size();
    benchmark::DoNotOptimize(mapping->bytes().data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * size));
}
BENCHMARK(BM_DecompressZstdToMapping)->Unit(benchmark::kMillisecond)->UseRealTime()->Iterations(3);

void BM_OpenLime(benchmark::State& state) {
  const auto path = lime_path();
  if (!path) {
    state.SkipWithError("no plain memory.lime (set DRYDOCK_BENCH_LIME)");
    return;
  }
  for (auto _ : state) {
    auto memory = PhysicalMemory::open(*path);
    if (!memory) {
      state.SkipWithError(memory.error().message.c_str());
      return;
    }
    benchmark::DoNotOptimize(memory->ranges().data());
  }
}
BENCHMARK(BM_OpenLime)->Unit(benchmark::kMicrosecond);

void BM_ParseLimeLayout(benchmark::State& state) {
  std::string why_not;
  const PhysicalMemory* memory = shared_memory(why_not);
  if (memory == nullptr) {
    state.SkipWithError(why_not.c_str());
    return;
  }
  for (auto _ : state) {
    auto layout = drydock::parse_lime(memory->file_bytes(), "memory.lime");
    benchmark::DoNotOptimize(layout.ok());
  }
}
BENCHMARK(BM_ParseLimeLayout);

void BM_RandomRead4K(benchmark::State& state) {
  std::string why_not;
  const PhysicalMemory* memory = shared_memory(why_not);
  if (memory == nullptr) {
    state.SkipWithError(why_not.c_str());
    return;
  }
  // Page addresses drawn uniformly over the saved pages.
  std::vector<std::uint64_t> pages;
  for (const auto& range : memory->ranges()) {
    for (std::uint64_t page = range.start; page + 4096 <= range.end(); page += 4096) pages.push_back(page);
  }
  std::mt19937_64 rng(42);
  std::vector<std::uint64_t> order(1 << 16);
  for (auto& address : order) address = pages[rng() % pages.size()];
  std::vector<std::byte> out(4096);
  std::size_t i = 0;
  for (auto _ : state) {
    const bool ok = memory->read(order[i++ & (order.size() - 1)], out);
    benchmark::DoNotOptimize(ok);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * out.size()));
}
BENCHMARK(BM_RandomRead4K);

}  // namespace
