// The sample in tests/data/sample (cut out of the real dump by
// tests/tools/make_sample.cpp) must scan exactly like the real dump: same
// findings, same containers, same inventories. When an engine change makes
// drydock read memory the sample lacks, these tests fail: regenerate the
// sample as tests/data/sample/README.md says.

#include <filesystem>
#include <string>

#include <catch2/catch.hpp>

#include "integration/real_dump.hpp"

using namespace drydock::test;
using nlohmann::json;

namespace {

std::string sample_dir() { return std::string(DRYDOCK_SOURCE_DIR) + "/tests/data/sample"; }
std::string sample_lime() { return sample_dir() + "/docker-basic-sample.lime.zst"; }
std::string sample_isf() { return sample_dir() + "/docker-basic-sample.json.xz"; }

// `scan --format json` of one dump: its entry in "dumps", or null.
json scan_entry(const std::string& isf, const std::string& dump) {
  CommandResult raw;
  const json j = drydock_json("scan --format json --symbols " + shell_quote(isf) + " " + shell_quote(dump), &raw);
  INFO(raw.err);
  if (raw.exit_code != 0 || !j.contains("dumps") || j["dumps"].size() != 1) return nullptr;
  return j["dumps"][0];
}

const json& full_scan() {
  static const json entry = scan_entry(docker_basic().isf, docker_basic().dump);
  return entry;
}

const json& sample_scan() {
  static const json entry = scan_entry(sample_isf(), sample_lime());
  return entry;
}

}  // namespace

TEST_CASE("the sample is small enough to live in the repository", "[sample]") {
  const auto size = std::filesystem::file_size(sample_lime()) + std::filesystem::file_size(sample_isf());
  CHECK(size < 3u * 1024 * 1024);
}

TEST_CASE("the sample scans without errors and finds what the real dump holds", "[sample]") {
  const json& sample = sample_scan();
  REQUIRE(sample.is_object());
  CHECK(sample["errors"].empty());
  CHECK(sample["containers"].size() == 12);
  CHECK(sample["findings"].size() > 10);
}

TEST_CASE("the sample gives the same findings and inventories as the full dump", "[sample][real]") {
  const json& full = full_scan();
  const json& sample = sample_scan();
  REQUIRE(full.is_object());
  REQUIRE(sample.is_object());
  // Only "dump" may differ: the file's path, compression and symbol table.
  for (const auto& [key, value] : full.items()) {
    if (key == "dump") continue;
    INFO("section " << key);
    CHECK(sample.contains(key));
    CHECK(sample.value(key, json()) == value);
  }
  CHECK(sample.size() == full.size());
  CHECK(sample["dump"]["banner"] == full["dump"]["banner"]);
}

TEST_CASE("the sample's containers equal the full dump's", "[sample][real]") {
  const auto containers = [](const std::string& isf, const std::string& dump) {
    CommandResult raw;
    const json j =
        drydock_json("containers --format json --symbols " + shell_quote(isf) + " " + shell_quote(dump), &raw);
    INFO(raw.err);
    CHECK(raw.exit_code == 0);
    return j.value("containers", json());
  };
  const json full = containers(docker_basic().isf, docker_basic().dump);
  REQUIRE(full.is_array());
  CHECK(full.size() == 12);
  CHECK(containers(sample_isf(), sample_lime()) == full);
}

TEST_CASE("the sample's ISF is found by banner in its directory", "[sample]") {
  // `--symbols DIR` matches the ISF to the banners scanned in the raw dump.
  CommandResult raw;
  const json j = drydock_json("scan --format json --symbols " + shell_quote(sample_dir()) + " " +
                              shell_quote(sample_lime()), &raw);
  INFO(raw.err);
  REQUIRE(raw.exit_code == 0);
  REQUIRE(j["dumps"].size() == 1);
  CHECK(j["dumps"][0]["dump"]["symbols"] == sample_isf());
  CHECK(j["dumps"][0]["findings"] == sample_scan()["findings"]);
}

TEST_CASE("a bulk scan of compressed dumps with an uncached .xz ISF finishes with every dump complete", "[sample]") {
  // Every dump decompresses and every session loads the ISF at once, each
  // with nested parallel work: the case where a thread waiting in one load
  // must not take up another dump's task (it would wait on itself).
  std::string dumps;
  for (int i = 0; i < 8; ++i) dumps += " " + shell_quote(sample_lime());
  CommandResult raw;
  const json j = drydock_json("scan --format json -j 2 --no-symbol-cache --symbols " + shell_quote(sample_isf()) +
                              dumps, &raw);
  INFO(raw.err);
  REQUIRE(raw.exit_code == 0);
  REQUIRE(j["dumps"].size() == 8);
  for (const json& dump : j["dumps"]) CHECK(dump["findings"] == sample_scan()["findings"]);
}
