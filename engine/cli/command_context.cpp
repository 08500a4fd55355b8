#include "engine/cli/command_context.hpp"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>

#include <fmt/format.h>

#include "engine/cli/byte_size.hpp"
#include "symbols/symbol_cache.hpp"

namespace drydock {

std::vector<std::filesystem::path> symbol_paths(const CommonOptions& options) {
  std::vector<std::filesystem::path> paths(options.symbols.begin(), options.symbols.end());
  if (paths.empty()) {
    if (const char* env = std::getenv("DRYDOCK_SYMBOLS"); env && *env) {
      std::string_view rest(env);
      while (!rest.empty()) {
        const auto colon = rest.find(':');
        const auto piece = rest.substr(0, colon);
        if (!piece.empty()) paths.emplace_back(std::string(piece));
        if (colon == std::string_view::npos) break;
        rest.remove_prefix(colon + 1);
      }
    }
  }
  return paths;
}

SessionOptions session_options(const CommonOptions& options, std::size_t concurrent_dumps) {
  SessionOptions session;
  const std::uint64_t total = options.max_memory > 0 ? options.max_memory : default_max_memory();
  session.memory_budget = total / std::max<std::size_t>(concurrent_dumps, 1);
  session.symbol_paths = symbol_paths(options);
  // --symbols dump|auto are words, not paths (a file of that name is given as ./dump).
  if (options.symbols.size() == 1 && options.symbols.front() == "dump") {
    session.symbol_source = SymbolSource::dump;
    session.symbol_paths.clear();
  } else if (options.symbols.empty() || (options.symbols.size() == 1 && options.symbols.front() == "auto")) {
    session.symbol_source = SymbolSource::automatic;
    if (!options.symbols.empty()) session.symbol_paths = symbol_paths(CommonOptions{});
  }
  if (!options.temp_dir.empty()) session.open.temp_dir = options.temp_dir;
  if (!options.no_symbol_cache) {
    session.symbol_cache_dir = options.cache_dir.empty() ? default_symbol_cache_dir() : std::filesystem::path(options.cache_dir);
  }
  session.memo = std::make_shared<SymbolMemo>();
  return session;
}

Result<std::unique_ptr<DumpSession>> open_session(const CommonOptions& options, const std::string& dump) {
  return DumpSession::open(dump, session_options(options));
}

bool write_output(const CommonOptions& options, const std::string& text) {
  if (options.output.empty() || options.output == "-") {
    std::fwrite(text.data(), 1, text.size(), stdout);
    std::fflush(stdout);
    return true;
  }
  std::ofstream out(options.output, std::ios::binary | std::ios::trunc);
  out.write(text.data(), static_cast<std::streamsize>(text.size()));
  if (!out) {
    std::cerr << "drydock: cannot write " << options.output << "; check the directory exists and is writable\n";
    return false;
  }
  return true;
}

std::string pass_timings_text(const std::vector<PassTiming>& timings, std::string_view prefix) {
  std::string out;
  for (const PassTiming& t : timings) {
    out += fmt::format("{}pass {} {:.1f} ms\n", prefix, t.name,
                       std::chrono::duration<double, std::milli>(t.elapsed).count());
  }
  return out;
}

void print_pass_timings(const CommonOptions& options, const std::vector<PassTiming>& timings, std::string_view prefix) {
  if (options.verbose) std::cerr << pass_timings_text(timings, prefix) << std::flush;
}

int fail(const std::string& message) {
  std::cerr << "drydock: " << message << "\n";
  return kExitInputError;
}

}  // namespace drydock
