// Splitting a manifest among workers: every entry in exactly one shard, the
// same split on every run, and --shard / --shard auto read as the engines set them.

#include <cstdlib>
#include <fstream>
#include <map>
#include <set>
#include <string>

#include <catch2/catch.hpp>

#include "engine/scan/shard.hpp"
#include "support/temp_dir.hpp"

using namespace drydock;

namespace {

auto env(std::map<std::string, std::string> vars) {
  return [vars = std::move(vars)](const char* name) -> const char* {
    auto it = vars.find(name);
    return it == vars.end() ? nullptr : it->second.c_str();
  };
}

}  // namespace

TEST_CASE("every manifest entry falls in exactly one shard, the same on every call") {
  std::map<std::uint64_t, int> sizes;
  for (int i = 0; i < 1000; ++i) {
    const std::string key = "/evidence/host-" + std::to_string(i) + ".lime.zst";
    const std::uint64_t shard = shard_of(key, 4);
    CHECK(shard < 4);
    CHECK(shard_of(key, 4) == shard);
    ++sizes[shard];
  }
  REQUIRE(sizes.size() == 4);
  for (const auto& [shard, size] : sizes) CHECK((size > 200 && size < 300));  // roughly even
  CHECK(shard_of("anything", 1) == 0);
}

TEST_CASE("shard I/N is checked, with errors that say what to pass") {
  const auto none = env({});
  auto ok = parse_shard("2/4", std::nullopt, none);
  REQUIRE(ok);
  CHECK(ok->index == 2);
  CHECK(ok->count == 4);
  CHECK_FALSE(parse_shard("4/4", std::nullopt, none));
  CHECK_FALSE(parse_shard("0/0", std::nullopt, none));
  CHECK_FALSE(parse_shard("1", std::nullopt, none));
  CHECK_FALSE(parse_shard("a/b", std::nullopt, none));
  CHECK_THAT(parse_shard("x", std::nullopt, none).error().message, Catch::Contains("expected I/N"));
}

TEST_CASE("shard auto takes the index from a Kubernetes Indexed Job or a Slurm array") {
  auto k8s = parse_shard("auto", 8, env({{"JOB_COMPLETION_INDEX", "5"}}));
  REQUIRE(k8s);
  CHECK(k8s->index == 5);
  CHECK(k8s->count == 8);
  CHECK_THAT(parse_shard("auto", std::nullopt, env({{"JOB_COMPLETION_INDEX", "5"}})).error().message,
             Catch::Contains("--shard-count"));
  auto slurm = parse_shard("auto", std::nullopt,
                           env({{"SLURM_ARRAY_TASK_ID", "12"}, {"SLURM_ARRAY_TASK_MIN", "10"},
                                {"SLURM_ARRAY_TASK_COUNT", "4"}}));
  REQUIRE(slurm);
  CHECK(slurm->index == 2);
  CHECK(slurm->count == 4);
  CHECK_FALSE(parse_shard("auto", std::nullopt, env({{"SLURM_ARRAY_TASK_ID", "7"}, {"SLURM_ARRAY_TASK_COUNT", "4"}})));
  CHECK_THAT(parse_shard("auto", std::nullopt, env({})).error().message, Catch::Contains("JOB_COMPLETION_INDEX"));
}

TEST_CASE("a manifest is one path a line, and blank lines and comments are skipped") {
  drydock::testing::TempDir dir;
  const auto path = dir.path() / "manifest.txt";
  std::ofstream(path) << "# the fleet\n/a/one.lime\n\n/b/two three.lime\r\n   \n";
  auto entries = read_manifest(path.string());
  REQUIRE(entries);
  CHECK(*entries == std::vector<std::string>{"/a/one.lime", "/b/two three.lime"});
  CHECK_THAT(read_manifest((dir.path() / "none").string()).error().message, Catch::Contains("cannot open the manifest"));
}
