// Kernel discovery, address translation and each extraction stage on the
// real docker-basic dump, serial (one thread) and parallel (every core).
// The dump is opened once: set DRYDOCK_BENCH_DUMP to an uncompressed copy to
// skip decompressing memory.lime.zst at start-up.

#include <benchmark/benchmark.h>
#include <tbb/global_control.h>

#include <cstdlib>
#include <memory>
#include <random>

#include "engine/containers/container_detector.hpp"
#include "engine/kernel/banner_scan.hpp"
#include "engine/kernel/dump_session.hpp"
#include "engine/kernel/dump_symbols.hpp"
#include "engine/kernel/kernel_finder.hpp"
#include "engine/kernel/kernel_locator.hpp"
#include "engine/kernel/mount_walker.hpp"
#include "engine/kernel/net_walker.hpp"
#include "engine/kernel/task_walker.hpp"
#include "engine/pipeline/build_model.hpp"
#include "engine/pipeline/pipeline.hpp"

namespace {

using namespace drydock;

const std::string kDumpDir = std::string(DRYDOCK_SHARED_DIR) + "/dumps/docker-basic";

const DumpSession& session() {
  static const std::unique_ptr<DumpSession> opened = [] {
    SessionOptions options;
    options.symbol_paths = {kDumpDir + "/6.1.0-56-amd64_6.1.192-2.json.xz"};
    const char* dump = std::getenv("DRYDOCK_BENCH_DUMP");
    auto s = DumpSession::open(dump ? std::string(dump) : kDumpDir + "/memory.lime.zst", options);
    if (!s) {
      std::fprintf(stderr, "bench_kernel: %s\n", s.error().message.c_str());
      std::exit(1);
    }
    return std::move(s).value();
  }();
  return *opened;
}

void BM_LocateKernel(benchmark::State& state) {
  const auto& s = session();
  for (auto _ : state) {
    auto loc = locate_kernel(s.physical(), s.kernel().symbols());
    benchmark::DoNotOptimize(loc);
  }
}
BENCHMARK(BM_LocateKernel)->Unit(benchmark::kMillisecond);

// Without any ISF: VMCOREINFO found and kallsyms decoded (the kernel
// located), then the whole table built from BTF and kallsyms, no cache: what
// the first dump of a kernel build costs with no --symbols.
void BM_FindKernelWithoutSymbols(benchmark::State& state) {
  const auto& s = session();
  for (auto _ : state) benchmark::DoNotOptimize(find_kernel_without_symbols(s.physical()));
}
BENCHMARK(BM_FindKernelWithoutSymbols)->Unit(benchmark::kMillisecond);

void BM_TablesFromDumpCold(benchmark::State& state) {
  const auto& s = session();
  for (auto _ : state) benchmark::DoNotOptimize(symbols_from_dump(s.physical(), {}));
}
BENCHMARK(BM_TablesFromDumpCold)->Unit(benchmark::kMillisecond);

// Finding the banner without symbols (every byte of the dump is read) and
// with a remembered link address (one small read per 2 MiB block): what
// --symbols DIR costs before and after the banner index knows the ISF.
void BM_ScanBannersWholeDump(benchmark::State& state) {
  const auto& s = session();
  for (auto _ : state) benchmark::DoNotOptimize(scan_banners(s.physical()));
}
BENCHMARK(BM_ScanBannersWholeDump)->Unit(benchmark::kMillisecond);

void BM_ProbeBannerAligned(benchmark::State& state) {
  const auto& s = session();
  const std::string banner(*s.kernel().symbols().banner());
  const std::uint64_t link = s.kernel().symbols().symbol("linux_banner")->address;
  for (auto _ : state) benchmark::DoNotOptimize(find_banner_aligned(s.physical(), banner, link, kKernelLoadAlign));
}
BENCHMARK(BM_ProbeBannerAligned)->Unit(benchmark::kMillisecond);

// Translation of the task_struct addresses the task walk visits.
void BM_TranslateKernelAddress(benchmark::State& state) {
  const auto& k = session().kernel();
  std::vector<std::uint64_t> addresses;
  for (const Task& t : walk_tasks(k).tasks) addresses.push_back(t.address);
  std::size_t i = 0;
  for (auto _ : state) {
    auto t = k.mmu().translate(addresses[i++ % addresses.size()]);
    benchmark::DoNotOptimize(t);
  }
  state.SetItemsProcessed(state.iterations());
}
BENCHMARK(BM_TranslateKernelAddress);

void BM_ReadVirtual4K(benchmark::State& state) {
  const auto& k = session().kernel();
  const std::uint64_t base = *k.symbol_address("init_task");
  std::vector<std::byte> buffer(4096);
  for (auto _ : state) benchmark::DoNotOptimize(k.read(base, buffer));
  state.SetBytesProcessed(state.iterations() * 4096);
}
BENCHMARK(BM_ReadVirtual4K);

// Arg: threads (1 = serial).
void BM_WalkTasks(benchmark::State& state) {
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(walk_tasks(session().kernel()));
}
BENCHMARK(BM_WalkTasks)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);

void BM_WalkMounts(benchmark::State& state) {
  const auto tasks = walk_tasks(session().kernel()).tasks;
  for (auto _ : state) benchmark::DoNotOptimize(walk_mounts(session().kernel(), tasks));
}
BENCHMARK(BM_WalkMounts)->Unit(benchmark::kMillisecond);

void BM_WalkNetwork(benchmark::State& state) {
  for (auto _ : state) benchmark::DoNotOptimize(walk_network(session().kernel()));
}
BENCHMARK(BM_WalkNetwork)->Unit(benchmark::kMillisecond);

void BM_DetectContainers(benchmark::State& state) {
  const ExtractionContext context = extract(session(), {Product::tasks, Product::mounts, Product::network});
  const DumpModel& model = context.model;
  for (auto _ : state) benchmark::DoNotOptimize(detect_containers(model));
}
BENCHMARK(BM_DetectContainers)->Unit(benchmark::kMicrosecond);

// Arg: threads (1 = serial).
void BM_BuildModel(benchmark::State& state) {
  tbb::global_control limit(tbb::global_control::max_allowed_parallelism, static_cast<std::size_t>(state.range(0)));
  for (auto _ : state) benchmark::DoNotOptimize(build_model(session()));
}
BENCHMARK(BM_BuildModel)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond);

}  // namespace
