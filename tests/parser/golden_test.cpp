// Golden diagnostics: every tests/parser/golden/NAME.rules is compiled and
// its rendered diagnostics must equal NAME.out byte for byte. Set
// DRYDOCK_UPDATE_GOLDEN=1 to rewrite the .out files (then review the diff).

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "engine/rules/rules.hpp"

namespace fs = std::filesystem;
using namespace drydock::rules;

namespace {

std::string slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

}  // namespace

TEST_CASE("golden diagnostics match their expected output", "[golden][diagnostics]") {
  const fs::path dir = fs::path(DRYDOCK_SOURCE_DIR) / "tests" / "parser" / "golden";
  std::vector<fs::path> inputs;
  for (const auto& entry : fs::directory_iterator(dir)) {
    if (entry.path().extension() == ".rules") inputs.push_back(entry.path());
  }
  std::sort(inputs.begin(), inputs.end());
  REQUIRE(inputs.size() >= 20);
  const bool update = std::getenv("DRYDOCK_UPDATE_GOLDEN") != nullptr;
  for (const auto& input : inputs) {
    RuleCompiler compiler;
    compiler.add_file(input, input.filename().string());
    if (input.filename() == "E028_bad_define.rules") compiler.define("limit", "lots");
    // A first line `// -d NAME=VALUE` or `// --disable-rule NAME` gives the case its command line.
    const std::string first_line = slurp(input).substr(0, slurp(input).find('\n'));
    if (first_line.starts_with("// -d ")) {
      const std::string define = first_line.substr(6);
      compiler.define(define.substr(0, define.find('=')), define.substr(define.find('=') + 1));
    } else if (first_line.starts_with("// --disable-rule ")) {
      compiler.disable(first_line.substr(18));
    }
    (void)compiler.compile();
    const std::string actual = render_diagnostics(compiler.diagnostics());
    fs::path expected_path = input;
    expected_path.replace_extension(".out");
    if (update) {
      std::ofstream(expected_path, std::ios::binary) << actual;
      continue;
    }
    INFO(input.filename().string());
    CHECK(!actual.empty());
    CHECK(actual == slurp(expected_path));
  }
}
