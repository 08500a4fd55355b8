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
#include "parser/diagnostic_codes.hpp"

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

// The diagnostic codes are one table (parser/diagnostic_codes.hpp): every code
// has a golden case that shows it (or names the test that covers it), and
// README.md lists every code.
TEST_CASE("every diagnostic code has a golden case showing it", "[golden][diagnostics]") {
  const fs::path dir = fs::path(DRYDOCK_SOURCE_DIR) / "tests" / "parser" / "golden";
  for (const auto& c : drydock::rules::diagnostic_codes()) {
    INFO(c.code);
    const std::string golden(c.golden);
    if (golden.rfind("test:", 0) == 0) {
      const std::string file = golden.substr(5, golden.find(' ') == std::string::npos ? std::string::npos : golden.find(' ') - 5);
      const fs::path test = fs::path(DRYDOCK_SOURCE_DIR) / "tests" / (file.find('/') == std::string::npos ? "parser/" + file : file);
      CHECK(slurp(test).find(std::string(c.code)) != std::string::npos);
      continue;
    }
    REQUIRE(fs::exists(dir / (golden + ".rules")));
    const std::string out = slurp(dir / (golden + ".out"));
    CHECK(out.find("[" + std::string(c.code) + "]") != std::string::npos);
  }
}

TEST_CASE("README lists every diagnostic code with its title", "[golden][diagnostics][readme]") {
  const std::string readme = slurp(fs::path(DRYDOCK_SOURCE_DIR) / "README.md");
  for (const auto& c : drydock::rules::diagnostic_codes()) {
    INFO(c.code);
    CHECK(readme.find("| " + std::string(c.code) + " | " + std::string(c.title) + " |") != std::string::npos);
  }
}
