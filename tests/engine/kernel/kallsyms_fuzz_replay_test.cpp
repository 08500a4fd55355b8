// Replays the kallsyms fuzz target's seeds and every input that once crashed
// or hung it (tests/fuzz/kallsyms/, tests/fuzz/regressions/kallsyms/) in the
// normal test run, through the same input decoding as the fuzzer.

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <vector>

#include "fuzz/kallsyms_input.hpp"

TEST_CASE("kallsyms fuzz seeds and regressions run clean", "[kallsyms]") {
  const std::filesystem::path root(DRYDOCK_SOURCE_DIR);
  std::size_t replayed = 0;
  for (const char* dir : {"tests/fuzz/kallsyms", "tests/fuzz/regressions/kallsyms"}) {
    if (!std::filesystem::is_directory(root / dir)) continue;
    for (const auto& entry : std::filesystem::directory_iterator(root / dir)) {
      std::ifstream in(entry.path(), std::ios::binary);
      std::vector<char> raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      INFO(entry.path().string());
      drydock::fuzz::run_kallsyms_input(std::as_bytes(std::span(raw.data(), raw.size())));
      ++replayed;
    }
  }
  CHECK(replayed > 0);
}
