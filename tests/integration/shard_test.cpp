// Sharded scans as a distributed engine runs them: shards with --out-dir,
// then `report merge`, give the one-machine scan; re-running a finished shard
// scans nothing; another rule set rescans; a missing result is reported; a
// scan killed midway keeps what it finished.

#include <sys/stat.h>

#include <filesystem>
#include <fstream>
#include <string>

#include <catch2/catch.hpp>

#include "engine/scan/result_store.hpp"
#include "integration/real_dump.hpp"
#include "support/temp_dir.hpp"

using namespace drydock::test;
using nlohmann::json;

namespace {

std::string sample_dir() { return std::string(DRYDOCK_SOURCE_DIR) + "/tests/data/sample"; }
std::string sample_symbols() { return " --symbols " + shell_quote(sample_dir() + "/docker-basic-sample.json.xz") + " "; }

// Copies of the sample (six by default) and a manifest listing them.
struct Fleet {
  drydock::testing::TempDir dir;
  std::string manifest = (dir.path() / "manifest.txt").string();
  std::string out = (dir.path() / "results").string();
  explicit Fleet(int copies = 6) {
    std::ofstream list(manifest);
    for (int i = 0; i < copies; ++i) {
      const auto copy = dir.path() / ("host-" + std::to_string(i) + ".lime.zst");
      std::filesystem::copy_file(sample_dir() + "/docker-basic-sample.lime.zst", copy);
      list << copy.string() << "\n";
    }
  }
  CommandResult shard(int index, const std::string& extra = "") const {
    return run_drydock("scan" + sample_symbols() + "--manifest " + shell_quote(manifest) + " --shard " +
                       std::to_string(index) + "/3 --out-dir " + shell_quote(out) + " -o /dev/null " + extra);
  }
};

// Each dump's memory share depends on how many dumps one process scans at once.
json without_memory_share(json scan) {
  for (json& d : scan["dumps"]) d["dump"].erase("memory");
  return scan;
}

std::size_t result_files(const std::string& dir) {
  std::size_t n = 0;
  for (const auto& e : std::filesystem::directory_iterator(dir)) n += e.path().extension() == ".json";
  return n;
}

}  // namespace

TEST_CASE("three shards merged equal one scan of the whole manifest", "[sample][shard]") {
  Fleet fleet;
  for (int i = 0; i < 3; ++i) {
    const CommandResult r = fleet.shard(i);
    INFO(r.err);
    CHECK(r.exit_code == 0);
  }
  CHECK(result_files(fleet.out) == 6);
  CommandResult merged_raw;
  const json merged = drydock_json("report merge " + shell_quote(fleet.out) + " --manifest " + shell_quote(fleet.manifest),
                                   &merged_raw);
  INFO(merged_raw.err);
  REQUIRE(merged_raw.exit_code == 0);
  const json one = drydock_json("scan --format json" + sample_symbols() + "--manifest " + shell_quote(fleet.manifest));
  REQUIRE(one["dumps"].size() == 6);
  CHECK(without_memory_share(merged) == without_memory_share(one));
  // Without the manifest the run's own order is kept.
  const json unordered = drydock_json("report merge " + shell_quote(fleet.out));
  CHECK(without_memory_share(unordered) == without_memory_share(one));
}

TEST_CASE("merged text and SARIF equal one scan's, and --fail-on and --strict exit as scan does in every format",
          "[sample][shard]") {
  Fleet fleet;
  // SARIF artifacts carry each dump's SHA-256, which a shard computes with --format sarif.
  for (int i = 0; i < 3; ++i) REQUIRE(fleet.shard(i, "--format sarif").exit_code == 0);
  const std::string merge = "report merge " + shell_quote(fleet.out) + " --manifest " + shell_quote(fleet.manifest);
  const std::string one = "scan" + sample_symbols() + "--manifest " + shell_quote(fleet.manifest);
  for (const std::string format : {"text", "sarif"}) {
    INFO(format);
    const CommandResult merged = run_drydock(merge + " --format " + format);
    INFO(merged.err);
    REQUIRE(merged.exit_code == 0);
    const CommandResult scanned = run_drydock(one + " --format " + format);
    REQUIRE(scanned.exit_code == 0);
    CHECK(merged.out == scanned.out);
    CHECK(merged.err.find("SHA-256") == std::string::npos);
  }
  // A shard run without --format sarif leaves the digest out, and the merge says so.
  REQUIRE(fleet.shard(0, "--force").exit_code == 0);
  CHECK_THAT(run_drydock(merge + " --format sarif").err, Catch::Contains("have no SHA-256"));

  for (const std::string level : {"medium", "critical"}) {
    const int expected = run_drydock(one + " -o /dev/null --fail-on " + level).exit_code;
    for (const std::string format : {"text", "json", "jsonl", "sarif"}) {
      INFO(level << " " << format);
      CHECK(run_drydock(merge + " -q -o /dev/null --format " + format + " --fail-on " + level).exit_code == expected);
    }
  }
  CHECK(run_drydock(one + " -o /dev/null --fail-on medium").exit_code == 1);
  CHECK(run_drydock(merge + " --fail-on nonsense").exit_code == 2);

  // One result lost: --strict exits 2 in every format, and the text and SARIF reports name the dump.
  std::filesystem::remove(fleet.out + "/" + drydock::result_file_name((fleet.dir.path() / "host-4.lime.zst").string()));
  for (const std::string format : {"text", "json", "jsonl", "sarif"}) {
    INFO(format);
    const CommandResult strict = run_drydock(merge + " -q --strict --format " + format);
    CHECK(strict.exit_code == 2);
    CHECK_THAT(strict.out, Catch::Contains("host-4.lime.zst"));
    CHECK(run_drydock(merge + " -q -o /dev/null --format " + format).exit_code == 0);
  }
}

TEST_CASE("re-running a finished shard scans nothing, while another rule set or --force rescans", "[sample][shard]") {
  Fleet fleet;
  for (int i = 0; i < 3; ++i) REQUIRE(fleet.shard(i).exit_code == 0);
  const auto stamp_of_results = [&] {
    std::map<std::string, std::filesystem::file_time_type> times;
    for (const auto& e : std::filesystem::directory_iterator(fleet.out)) {
      if (e.path().extension() == ".json") times[e.path().string()] = e.last_write_time();
    }
    return times;
  };
  const auto before = stamp_of_results();
  for (int i = 0; i < 3; ++i) {
    const CommandResult again = fleet.shard(i);
    CHECK(again.exit_code == 0);
  }
  CHECK(stamp_of_results() == before);  // nothing rewritten, so nothing scanned
  CHECK_THAT(fleet.shard(0).err + fleet.shard(1).err + fleet.shard(2).err,
             Catch::Contains("already have a current result"));

  // A rule set with one more definition is another rule set.
  const auto rules = fleet.dir.path() / "extra.rules";
  std::ofstream(rules) << "rule tiny on host { meta: severity = \"info\" description = \"d\" condition: true }\n";
  for (int i = 0; i < 3; ++i) REQUIRE(fleet.shard(i, "--rules " + shell_quote(rules.string())).exit_code == 0);
  for (const auto& [file, time] : stamp_of_results()) {
    INFO(file);
    CHECK(time != before.at(file));
  }
  const json merged = drydock_json("report merge " + shell_quote(fleet.out));
  for (const json& d : merged["dumps"]) {
    bool tiny = false;
    for (const json& f : d["findings"]) tiny = tiny || f["rule"] == "tiny";
    CHECK(tiny);
  }
  const auto after_rules = stamp_of_results();
  REQUIRE(fleet.shard(1, "--rules " + shell_quote(rules.string()) + " --force").exit_code == 0);
  CHECK(stamp_of_results() != after_rules);
}

TEST_CASE("a result made with other symbol files or another --max-memory is not current", "[sample][shard]") {
  Fleet fleet(2);
  const auto shard_all = [&](const std::string& extra) {
    return run_drydock("scan --manifest " + shell_quote(fleet.manifest) + " --out-dir " + shell_quote(fleet.out) +
                       " -o /dev/null " + extra);
  };
  const auto rescanned = [](const CommandResult& r) { return r.err.find("already have a current result") == std::string::npos; };
  REQUIRE(shard_all(sample_symbols()).exit_code == 0);
  CHECK_FALSE(rescanned(shard_all(sample_symbols())));
  CHECK(rescanned(shard_all(sample_symbols() + "--max-memory 512M")));
  CHECK_FALSE(rescanned(shard_all(sample_symbols() + "--max-memory 512M")));
  // The same table from a directory of ISF files is another symbol set.
  const auto isf_dir = fleet.dir.path() / "isf";
  std::filesystem::create_directories(isf_dir);
  std::filesystem::copy_file(sample_dir() + "/docker-basic-sample.json.xz", isf_dir / "sample.json.xz");
  const std::string from_dir = " --symbols " + shell_quote(isf_dir.string()) + " --max-memory 512M";
  CHECK(rescanned(shard_all(from_dir)));
  CHECK_FALSE(rescanned(shard_all(from_dir)));
  // A symbol file added to that directory changes it too.
  std::filesystem::copy_file(sample_dir() + "/docker-basic-sample.json.xz", isf_dir / "other.json.xz");
  CHECK(rescanned(shard_all(from_dir)));
  const json merged = drydock_json("report merge " + shell_quote(fleet.out) + " --manifest " + shell_quote(fleet.manifest));
  REQUIRE(merged["dumps"].size() == 2);
  for (const json& d : merged["dumps"]) CHECK_FALSE(d["containers"].empty());
}

TEST_CASE("a dump of the manifest without a result is reported, and --strict exits 2 naming it", "[sample][shard]") {
  Fleet fleet;
  for (int i = 0; i < 3; ++i) REQUIRE(fleet.shard(i).exit_code == 0);
  // One worker's result lost: the dump of host-3 has none.
  const std::string lost = (fleet.dir.path() / "host-3.lime.zst").string();
  const json one = drydock_json("report merge " + shell_quote(fleet.out));
  std::string lost_file;
  for (const auto& e : std::filesystem::directory_iterator(fleet.out)) {
    if (e.path().extension() == ".json" && read_json_file(e.path().string())["result"]["path"] == lost) {
      lost_file = e.path().string();
    }
  }
  REQUIRE_FALSE(lost_file.empty());
  std::filesystem::remove(lost_file);

  const std::string merge = "report merge " + shell_quote(fleet.out) + " --manifest " + shell_quote(fleet.manifest);
  const CommandResult strict = run_drydock(merge + " --strict -o /dev/null");
  CHECK(strict.exit_code == 2);
  CHECK_THAT(strict.err, Catch::Contains(lost + ": no result"));
  CommandResult lenient_raw;
  const json lenient = drydock_json(merge, &lenient_raw);
  CHECK(lenient_raw.exit_code == 0);
  REQUIRE(lenient["dumps"].size() == 6);
  CHECK(lenient["dumps"][3]["dump"]["path"] == lost);
  CHECK(lenient["dumps"][3]["findings"].empty());
  CHECK_THAT(lenient["dumps"][3]["errors"][0].get<std::string>(), Catch::Contains("no result"));
  CHECK(lenient["dumps"][2] == one["dumps"][2]);
}

TEST_CASE("a dump whose scan failed is scanned again on the next run", "[sample][shard]") {
  Fleet fleet;
  // A worker that lacks the symbol table: every dump fails, and each failure
  // is written as a result, as a one-machine scan reports it.
  const std::string scan = "scan --manifest " + shell_quote(fleet.manifest) + " --out-dir " + shell_quote(fleet.out) +
                           " -o /dev/null ";
  CHECK(run_drydock(scan + "--symbols /nonexistent/symbols.json").exit_code == 2);
  REQUIRE(result_files(fleet.out) == 6);
  const json failed = drydock_json("report merge " + shell_quote(fleet.out));
  for (const json& d : failed["dumps"]) CHECK_FALSE(d.contains("engine"));  // no model

  // The same run with the symbols: nothing is skipped, every dump scanned.
  const CommandResult again = run_drydock(scan + sample_symbols());
  INFO(again.err);
  CHECK(again.exit_code == 0);
  CHECK_THAT(again.err, !Catch::Contains("already have a current result"));
  const json merged = drydock_json("report merge " + shell_quote(fleet.out) + " --manifest " + shell_quote(fleet.manifest));
  const json one = drydock_json("scan --format json" + sample_symbols() + "--manifest " + shell_quote(fleet.manifest));
  CHECK(without_memory_share(merged) == without_memory_share(one));
}

TEST_CASE("a result made with --tag is not current for a run with other tags or none", "[sample][shard]") {
  Fleet fleet;
  for (int i = 0; i < 3; ++i) REQUIRE(fleet.shard(i, "--tag escape").exit_code == 0);
  const json tagged = drydock_json("report merge " + shell_quote(fleet.out));
  for (int i = 0; i < 3; ++i) {
    const CommandResult r = fleet.shard(i);
    CHECK(r.exit_code == 0);
    CHECK_THAT(r.err, !Catch::Contains("already have a current result"));
  }
  const json merged = drydock_json("report merge " + shell_quote(fleet.out) + " --manifest " + shell_quote(fleet.manifest));
  const json one = drydock_json("scan --format json" + sample_symbols() + "--manifest " + shell_quote(fleet.manifest));
  CHECK(without_memory_share(merged) == without_memory_share(one));
  REQUIRE(tagged["dumps"].size() == 6);
  CHECK(tagged["dumps"][0]["findings"].size() < one["dumps"][0]["findings"].size());
  // The same tags in another order are the same filter.
  for (int i = 0; i < 3; ++i) REQUIRE(fleet.shard(i, "--tag escape --tag hygiene").exit_code == 0);
  // (every shard: which of them holds dumps depends on the temporary paths)
  std::string again;
  for (int i = 0; i < 3; ++i) again += fleet.shard(i, "--tag hygiene --tag escape").err;
  CHECK_THAT(again, Catch::Contains("already have a current result") && !Catch::Contains("drydock: /"));
}

TEST_CASE("a scan killed midway keeps the results of the dumps it finished, and its re-run scans the rest",
          "[sample][shard]") {
  // A Slurm time limit or a lost node kills a worker mid-shard. Here the last
  // dump is a FIFO: one writer lets drydock list it (one byte, then end of
  // file), and the scan's own open then waits for a writer that never comes.
  // So the scan is stuck there with every other dump done, and is killed.
  Fleet fleet(20);
  const std::string stuck = (fleet.dir.path() / "stuck.lime").string();
  REQUIRE(::mkfifo(stuck.c_str(), 0600) == 0);
  std::ofstream(fleet.manifest, std::ios::app) << stuck << "\n";
  const std::string scan = std::string(DRYDOCK_BINARY) + " scan" + sample_symbols() + "--manifest " +
                           shell_quote(fleet.manifest) + " --shard 0/1 -j 2 --out-dir " + shell_quote(fleet.out) +
                           " -o /dev/null";
  const CommandResult killed = run_shell(
      "timeout 60 sh -c 'printf x > \"$1\"' sh " + shell_quote(stuck) + " >/dev/null 2>&1 & " + scan + " & pid=$!; i=0; while [ $i -lt 3000 ] && " +
      "[ \"$(ls " + shell_quote(fleet.out) + " 2>/dev/null | grep -c '[.]json$')\" -lt 20 ]; do sleep 0.01; " +
      "i=$((i + 1)); done; kill -KILL $pid; wait $pid; echo $?");
  CHECK(killed.out == "137\n");  // killed, not finished
  CHECK(result_files(fleet.out) == 20);

  // The stuck dump becomes a real one; the re-run scans only it.
  std::filesystem::remove(stuck);
  std::filesystem::copy_file(sample_dir() + "/docker-basic-sample.lime.zst", stuck);
  const CommandResult rerun = run_shell(scan);
  CHECK(rerun.exit_code == 0);
  CHECK_THAT(rerun.err, Catch::Contains("20 dump(s) already have a current result"));
  CHECK(result_files(fleet.out) == 21);
  CommandResult merged_raw;
  const json merged = drydock_json("report merge " + shell_quote(fleet.out) + " --manifest " +
                                       shell_quote(fleet.manifest) + " --strict",
                                   &merged_raw);
  REQUIRE(merged_raw.exit_code == 0);
  const json one = drydock_json("scan --format json" + sample_symbols() + "--manifest " + shell_quote(fleet.manifest));
  CHECK(without_memory_share(merged) == without_memory_share(one));
}
