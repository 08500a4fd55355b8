#include <catch2/catch.hpp>

#include <chrono>

#include "engine/cli/command_context.hpp"

using namespace drydock;
using namespace std::chrono_literals;

TEST_CASE("verbose (-v) prints one line per pass, in run order, in milliseconds with one decimal") {
  const std::vector<PassTiming> timings{{"tasks", 12'345us}, {"views", 40us}, {"files", 1'500ms}};
  CHECK(pass_timings_text(timings) == "pass tasks 12.3 ms\npass views 0.0 ms\npass files 1500.0 ms\n");
  CHECK(pass_timings_text(timings, "a.lime: ").starts_with("a.lime: pass tasks 12.3 ms\na.lime: pass views"));
  CHECK(pass_timings_text({}).empty());
}
