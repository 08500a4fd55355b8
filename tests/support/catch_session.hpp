#pragma once
// Runs a Catch2 v2 session that fails when a test spec on the command line
// matches no test case (why: tests/catch_main.cpp). Include after
// <catch2/catch.hpp> in the one file that defines CATCH_CONFIG_RUNNER.

#include <iostream>

namespace drydock::test {

// Applies the command line to `session` (add options to session.cli() before)
// and runs it. Returns the exit code: Catch2's own, and 2 when a test spec
// matches no test case, after naming the spec on stderr.
inline int run_catch_session(Catch::Session& session, int argc, char* argv[]) {
  if (const int rc = session.applyCommandLine(argc, argv); rc != 0) return rc;
  Catch::ConfigData& data = session.configData();
  data.warnings = static_cast<Catch::WarnAbout::What>(data.warnings | Catch::WarnAbout::NoTests);
  const bool listing = data.listTests || data.listTestNamesOnly || data.listTags || data.listReporters;
  if (!listing) {
    const Catch::Config& config = session.config();
    for (const auto& match : config.testSpec().matchesByFilter(Catch::getAllTestCasesSorted(config), config)) {
      if (match.tests.empty()) {
        std::cerr << argv[0] << ": error: the test spec '" << match.name
                  << "' matches no test case (CTest splits a test name at ';'; by hand, write a ',' in a name as '\\,')\n";
      }
    }
  }
  return session.run();
}

}  // namespace drydock::test
