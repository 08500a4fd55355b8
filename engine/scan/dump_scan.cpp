#include "engine/scan/dump_scan.hpp"

#include <tbb/parallel_for.h>

#include <chrono>
#include <mutex>
#include <tbb/task_arena.h>

#include "engine/core/sha256.hpp"
#include "engine/pipeline/build_model.hpp"
#include "engine/pipeline/pipeline.hpp"

namespace drydock {

DumpScanResult scan_one(const ScanInput& input, const rules::CompiledRules& rules, const ScanOptions& options) {
  DumpScanResult result;
  result.display = input.display;
  result.size = input.size;
  std::unique_ptr<ExtractedEntry> extracted;
  std::filesystem::path path = input.path;
  if (!input.archive_entry.empty()) {
    auto entry = ExtractedEntry::extract(input, options.session.open.temp_dir);
    if (!entry) {
      result.error = entry.error().message;
      return result;
    }
    extracted = std::move(entry).value();
    path = extracted->path();
  }
  if (options.sha256) {
    auto digest = sha256_file(path);
    if (digest) result.sha256 = *digest;
  }
  auto session = DumpSession::open(path, options.session);
  if (!session) {
    result.error = session.error().message;
    return result;
  }
  ExtractionOptions extraction;
  extraction.show_secrets = options.show_secrets;
  ExtractionContext context = extract(**session, kScanProducts, extraction);
  DumpModel& model = context.model;
  model.info.path = input.display;
  const auto start = std::chrono::steady_clock::now();
  result.findings = rules::evaluate(rules, model, options.eval);
  context.timings.push_back({"rules", std::chrono::steady_clock::now() - start});
  result.model = std::move(model);
  result.timings = std::move(context.timings);
  return result;
}

std::vector<DumpScanResult> scan_all(const std::vector<ScanInput>& inputs, const rules::CompiledRules& rules,
                                     const ScanOptions& options) {
  std::vector<DumpScanResult> results(inputs.size());
  const int threads = options.jobs > 0 ? static_cast<int>(options.jobs) : tbb::task_arena::automatic;
  tbb::task_arena arena(threads);
  std::mutex progress_mutex;
  ScanProgress progress{0, inputs.size(), 0};
  arena.execute([&] {
    tbb::parallel_for(std::size_t{0}, inputs.size(), [&](std::size_t i) {
      results[i] = scan_one(inputs[i], rules, options);
      if (options.on_result) options.on_result(i, results[i]);
      if (options.on_progress) {
        std::lock_guard lock(progress_mutex);
        ++progress.done;
        progress.failed += results[i].error.has_value();
        options.on_progress(progress);
      }
    });
  });
  return results;
}

}  // namespace drydock
