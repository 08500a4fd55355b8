// `drydock symbols warm PATH...`: fills the symbol cache before a large run,
// so that its workers load every table cheaply instead of each parsing it.

#include <fmt/format.h>

#include <iostream>

#include "engine/cli/commands.hpp"
#include "reports/json_output.hpp"
#include "symbols/symbol_cache.hpp"

namespace drydock {

int run_symbols_warm(const CommonOptions& options, const std::vector<std::string>& paths) {
  if (options.no_symbol_cache) return fail("symbols warm: --no-symbol-cache leaves nothing to warm");
  const std::filesystem::path cache_dir =
      options.cache_dir.empty() ? default_symbol_cache_dir() : std::filesystem::path(options.cache_dir);
  if (cache_dir.empty()) return fail("symbols warm: no cache directory (give --cache-dir, or set HOME or XDG_CACHE_HOME)");
  const std::vector<std::filesystem::path> candidates(paths.begin(), paths.end());
  const WarmReport report = warm_symbol_cache(candidates, cache_dir);

  std::size_t failed = 0;
  std::string text;
  nlohmann::json files = nlohmann::json::array();
  for (const WarmedIsf& w : report.files) {
    failed += w.error.has_value();
    files.push_back({{"file", w.file.string()},
                     {"cache", w.error ? nlohmann::json(nullptr) : nlohmann::json(std::string(to_string(w.outcome)))},
                     {"banner", w.error ? nlohmann::json(nullptr) : nlohmann::json(w.banner)},
                     {"error", w.error ? nlohmann::json(*w.error) : nlohmann::json(nullptr)}});
    text += w.error ? fmt::format("{:<8} {}: {}\n", "error", w.file.string(), *w.error)
                    : fmt::format("{:<8} {}  {}\n", to_string(w.outcome), w.file.string(), w.banner);
  }
  for (const std::string& p : report.problems) std::cerr << "drydock: symbols warm: " << p << "\n";
  if (options.format == "json") {
    text = to_json_text({{"cache_dir", cache_dir.string()}, {"files", files}, {"errors", report.problems}}) + "\n";
  } else {
    text += fmt::format("{} symbol table(s) in {}, {} failed\n", report.files.size() - failed, cache_dir.string(), failed);
  }
  if (!write_output(options, text)) return kExitInputError;
  return failed > 0 || report.files.empty() || !report.problems.empty() ? kExitInputError : kExitOk;
}

}  // namespace drydock
