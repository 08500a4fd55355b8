// -v: each extraction pass a command runs, timed, on stderr; stdout as
// without it.

#include <regex>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "integration/real_dump.hpp"

using namespace drydock::test;

namespace {

// The pass names of "pass NAME 12.3 ms" lines; every other line fails the test.
std::vector<std::string> pass_lines(const std::string& err, const std::string& prefix = "") {
  const std::regex line_form(prefix + "pass ([a-z]+) [0-9]+\\.[0-9] ms");
  std::vector<std::string> names;
  std::istringstream in(err);
  std::string line;
  while (std::getline(in, line)) {
    std::smatch m;
    INFO(line);
    CHECK(std::regex_match(line, m, line_form));
    if (!m.empty()) names.push_back(m[1]);
  }
  return names;
}

}  // namespace

TEST_CASE("verbose (-v) prints the time of each pass a command runs, and its output stays the same", "[dataset]") {
  struct Case {
    std::string command;
    std::vector<std::string> passes;
  };
  const std::vector<Case> cases{
      {"changes", {"tasks", "mounts", "network", "containers", "records", "views", "changes"}},
      {"files --path /etc", {"tasks", "views", "files"}},
      {"mounts --pid 1", {"tasks", "views"}},
      {"net", {"network"}},
      {"ps", {"tasks", "mounts", "network", "containers"}},
  };
  for (const Case& c : cases) {
    INFO(c.command);
    const CommandResult plain = run_drydock(c.command + " --format json" + on_dataset());
    const CommandResult verbose = run_drydock(c.command + " --format json -v" + on_dataset());
    REQUIRE(plain.exit_code == 0);
    REQUIRE(verbose.exit_code == 0);
    CHECK(verbose.out == plain.out);
    CHECK(pass_lines(verbose.err) == c.passes);
    CHECK(plain.err.empty());
  }
}

TEST_CASE("scan -v prints each dump's passes and its rules, named by the dump", "[dataset]") {
  const CommandResult r = run_drydock("scan -q --verbose --format json" + on_dataset());
  REQUIRE(r.exit_code == 0);
  const std::string prefix = std::regex_replace(dataset().dump, std::regex(R"([.^$|()\[\]{}*+?\\])"), R"(\$&)") + ": ";
  CHECK(pass_lines(r.err, prefix) == std::vector<std::string>{"tasks", "mounts", "network", "containers", "records", "pods",
                                                              "sockets", "views", "changes", "creators", "rules"});
}
