#pragma once
// Options every command takes, and the plumbing they share: opening a dump
// with the chosen symbols and writing the output where the user asked.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/result.hpp"
#include "engine/kernel/dump_session.hpp"
#include "engine/pipeline/extraction_context.hpp"

namespace drydock {

inline constexpr int kExitOk = 0;
inline constexpr int kExitFindings = 1;
inline constexpr int kExitInputError = 2;

struct CommonOptions {
  std::string format = "text";            // text|json (scan: also jsonl|sarif)
  std::string output;                     // -o FILE; empty = stdout
  std::vector<std::string> symbols;       // --symbols (files or directories)
  int jobs = 0;                           // -j; 0 = all cores
  std::string temp_dir;                   // --temp-dir for decompressed dumps
  std::string cache_dir;                  // --cache-dir; empty: the default
  bool no_symbol_cache = false;           // --no-symbol-cache
  std::uint64_t max_memory = 0;           // --max-memory in bytes; 0: default_max_memory()
  bool quiet = false;
  bool verbose = false;                   // -v: each extraction pass's time on stderr
  bool show_secrets = false;              // containers, scan: secret-looking env values unredacted
};

// --symbols, else $DRYDOCK_SYMBOLS (colon-separated).
std::vector<std::filesystem::path> symbol_paths(const CommonOptions& options);

// The session options every command shares: symbols, cache, temp dir, and
// the memory budget of one dump when `concurrent_dumps` are opened at once
// (--max-memory shared equally among them).
SessionOptions session_options(const CommonOptions& options, std::size_t concurrent_dumps = 1);
Result<std::unique_ptr<DumpSession>> open_session(const CommonOptions& options, const std::string& dump);

// Writes text to -o FILE or stdout; false (after printing why) if it cannot.
bool write_output(const CommonOptions& options, const std::string& text);

// One line per pass, "pass tasks 12.3 ms" (after `prefix`, e.g. the dump's
// name and ": "), in the order the passes ran.
std::string pass_timings_text(const std::vector<PassTiming>& timings, std::string_view prefix = {});
// Those lines on stderr when -v was given.
void print_pass_timings(const CommonOptions& options, const std::vector<PassTiming>& timings,
                        std::string_view prefix = {});

// Prints "drydock: <message>" to stderr and returns kExitInputError.
int fail(const std::string& message);

}  // namespace drydock
