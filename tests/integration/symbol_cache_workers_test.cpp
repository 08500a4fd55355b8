// The symbol cache shared by the workers of one node: several processes
// starting at once on an empty cache all succeed with the same report and
// leave a valid cache; `symbols warm` fills it beforehand.

#include <filesystem>
#include <fstream>
#include <string>

#include <catch2/catch.hpp>

#include "integration/real_dump.hpp"
#include "support/temp_dir.hpp"

using namespace drydock::test;
using nlohmann::json;

namespace {

std::string sample_dir() { return std::string(DRYDOCK_SOURCE_DIR) + "/tests/data/sample"; }
std::string sample_isf() { return sample_dir() + "/docker-basic-sample.json.xz"; }
std::string sample_dump() { return sample_dir() + "/docker-basic-sample.lime.zst"; }

// Temporary files left in the cache (a writer that did not finish cleanly).
std::size_t leftovers(const std::filesystem::path& dir) {
  std::size_t n = 0;
  for (const auto& e : std::filesystem::recursive_directory_iterator(dir)) n += e.path().extension() == ".tmp";
  return n;
}

json without_memory_share(json scan) {
  for (json& d : scan["dumps"]) d["dump"].erase("memory");
  return scan;
}

}  // namespace

TEST_CASE("four first runs at once on an empty shared symbol cache all succeed alike and leave it valid",
          "[sample][symbol-cache]") {
  drydock::testing::TempDir dir;
  const std::string cache = (dir.path() / "cache").string();
  // Given a directory of ISF files, so the banner index is written too.
  const auto isf_dir = dir.path() / "isf";
  std::filesystem::create_directories(isf_dir);
  std::filesystem::copy_file(sample_isf(), isf_dir / "sample.json.xz");
  std::string script;
  for (int i = 0; i < 4; ++i) {
    const std::string out = (dir.path() / ("out-" + std::to_string(i))).string();
    script += "(" + std::string(DRYDOCK_BINARY) + " scan " + shell_quote(sample_dump()) + " --symbols " +
              shell_quote(isf_dir.string()) + " --cache-dir " + shell_quote(cache) + " --format json > " +
              shell_quote(out + ".json") + " 2> " + shell_quote(out + ".err") + "; echo $? > " +
              shell_quote(out + ".rc") + ") & ";
  }
  REQUIRE(run_shell(script + "wait").exit_code == 0);
  const auto text_of = [](const std::filesystem::path& file) {
    std::ifstream in(file);
    return std::string(std::istreambuf_iterator<char>(in), {});
  };
  json first;
  for (int i = 0; i < 4; ++i) {
    const auto base = dir.path() / ("out-" + std::to_string(i));
    INFO("run " << i << ": " << text_of(base.string() + ".err"));
    CHECK(text_of(base.string() + ".rc") == "0\n");
    const json report = read_json_file(base.string() + ".json");
    REQUIRE(report.contains("dumps"));
    CHECK_FALSE(report["dumps"][0]["containers"].empty());
    if (i == 0) first = without_memory_share(report);
    CHECK(without_memory_share(report) == first);
  }
  CHECK(leftovers(cache) == 0);
  // The entry they left is valid: warming finds it current, and so does a scan.
  CommandResult warm_raw;
  const json warm = drydock_json("symbols warm " + shell_quote(isf_dir.string()) + " --cache-dir " + shell_quote(cache) +
                                     " --format json",
                                 &warm_raw);
  INFO(warm_raw.err);
  CHECK(warm_raw.exit_code == 0);
  REQUIRE(warm["files"].size() == 1);
  CHECK(warm["files"][0]["cache"] == "hit");
}

TEST_CASE("symbols warm fills the cache, finds it current the next time and rebuilds a broken entry",
          "[sample][symbol-cache]") {
  drydock::testing::TempDir dir;
  const std::string cache = (dir.path() / "cache").string();
  const auto isf_dir = dir.path() / "isf";
  std::filesystem::create_directories(isf_dir / "nested");
  std::filesystem::copy_file(sample_isf(), isf_dir / "nested" / "sample.json.xz");
  const std::string warm = "symbols warm " + shell_quote(isf_dir.string()) + " --cache-dir " + shell_quote(cache);

  CommandResult first_raw;
  const json first = drydock_json(warm + " --format json", &first_raw);
  INFO(first_raw.err);
  CHECK(first_raw.exit_code == 0);
  REQUIRE(first["files"].size() == 1);
  CHECK(first["files"][0]["cache"] == "miss");
  CHECK_THAT(first["files"][0]["banner"].get<std::string>(), Catch::StartsWith("Linux version 6.1.0"));
  CHECK(first["files"][0]["error"].is_null());
  const CommandResult text = run_drydock(warm);
  CHECK(text.exit_code == 0);
  CHECK_THAT(text.out, Catch::StartsWith("hit ") && Catch::Contains("1 symbol table(s) in " + cache + ", 0 failed"));

  // A damaged entry is never trusted: warming rebuilds it.
  for (const auto& e : std::filesystem::recursive_directory_iterator(cache)) {
    if (e.is_regular_file() && e.path().filename() != "isf-banners.json") {
      std::filesystem::resize_file(e.path(), std::filesystem::file_size(e.path()) / 2);
    }
  }
  CHECK(drydock_json(warm + " --format json")["files"][0]["cache"] == "rebuilt");
  // A warm cache serves a scan that names only the directory.
  const json scan = drydock_json("scan " + shell_quote(sample_dump()) + " --symbols " + shell_quote(isf_dir.string()) +
                                 " --cache-dir " + shell_quote(cache) + " --format json");
  REQUIRE(scan.contains("dumps"));
  CHECK_FALSE(scan["dumps"][0]["containers"].empty());

  // A file that is no ISF fails, and so does a directory without any.
  const auto bogus = dir.path() / "bogus.json";
  std::ofstream(bogus) << "{}";
  const CommandResult bad = run_drydock("symbols warm " + shell_quote(bogus.string()) + " --cache-dir " + shell_quote(cache));
  CHECK(bad.exit_code == 2);
  CHECK_THAT(bad.out, Catch::StartsWith("error "));
  std::filesystem::create_directories(dir.path() / "empty");
  const CommandResult empty =
      run_drydock("symbols warm " + shell_quote((dir.path() / "empty").string()) + " --cache-dir " + shell_quote(cache));
  CHECK(empty.exit_code == 2);
  CHECK_THAT(empty.err, Catch::Contains("no ISF files in it"));
}
