// The main of every test executable: Catch2's session, which refuses a test
// spec that matches no test case.
//
// catch_discover_tests runs each test case as `<executable> "<name>"`. A name
// CMake cannot carry intact (it splits lists at ';') arrives as a spec that
// matches nothing, and Catch2 v2 then runs zero tests and exits 0, so CTest
// would count a test that never ran as passed. Catch2 v2.13 exits 2 for such a
// spec with `--warn NoTests`; this main turns that on for every run and says
// which spec matched nothing.

#define CATCH_CONFIG_RUNNER
#include <catch2/catch.hpp>

#include "support/catch_session.hpp"

int main(int argc, char* argv[]) {
  Catch::Session session;
  return drydock::test::run_catch_session(session, argc, argv);
}
