// `drydock changes`, `--extract` and `timeline` against the guest's own
// listing of each container's overlay upper directory
// (ground-truth/upperdirs/<name>.tsv, index.json) and the host file the
// attack wrote (host-files.tsv). Datasets without upperdirs/ skip.

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <unistd.h>

#include <catch2/catch.hpp>

#include "engine/core/sha256.hpp"
#include "integration/real_dump.hpp"

using namespace drydock::test;
using nlohmann::json;

namespace {

struct UpperEntry {
  std::string path;  // "/etc/passwd"
  std::string kind;  // as drydock names it
  std::int64_t size = 0;
  unsigned mode = 0;  // permission bits
  std::uint32_t uid = 0, gid = 0;
  std::int64_t mtime_ns = 0;
  std::string sha256;  // "-" when none
};

std::vector<std::string> split_tabs(const std::string& line) {
  std::vector<std::string> out;
  std::stringstream in(line);
  std::string field;
  while (std::getline(in, field, '\t')) out.push_back(field);
  return out;
}

// "1796158543.2919955910" -> ns (the fraction is cut to nine digits).
std::int64_t seconds_to_ns(const std::string& text) {
  const auto dot = text.find('.');
  std::int64_t ns = std::stoll(text.substr(0, dot)) * 1'000'000'000;
  if (dot != std::string::npos) {
    std::string frac = text.substr(dot + 1, 9);
    while (frac.size() < 9) frac += '0';
    ns += std::stoll(frac);
  }
  return ns;
}

std::vector<UpperEntry> read_upperdir(const std::string& file) {
  std::vector<UpperEntry> out;
  std::ifstream in(file);
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto f = split_tabs(line);
    REQUIRE(f.size() >= 9);
    UpperEntry e;
    e.path = "/" + f[0];
    e.kind = f[1] == "f" ? "file" : f[1] == "d" ? "directory" : f[1] == "l" ? "symlink"
             : f[1] == "c" ? (f[8] == "0:0" ? "whiteout" : "char_device") : f[1];
    e.size = std::stoll(f[2]);
    e.mode = static_cast<unsigned>(std::stoul(f[3], nullptr, 8));
    e.uid = static_cast<std::uint32_t>(std::stoul(f[4]));
    e.gid = static_cast<std::uint32_t>(std::stoul(f[5]));
    e.mtime_ns = seconds_to_ns(f[6]);
    e.sha256 = f[7];
    out.push_back(e);
  }
  std::sort(out.begin(), out.end(), [](const UpperEntry& a, const UpperEntry& b) { return a.path < b.path; });
  return out;
}

bool has_upperdirs() { return dataset().has_ground_truth("upperdirs/index.json"); }

// Container id -> its tsv entries.
std::map<std::string, std::vector<UpperEntry>> expected_changes() {
  std::map<std::string, std::vector<UpperEntry>> out;
  for (const json& c : read_json_file(dataset().ground_truth("upperdirs/index.json"))) {
    out[c["id"].get<std::string>()] = read_upperdir(dataset().ground_truth("upperdirs/" + c["name"].get<std::string>() + ".tsv"));
  }
  return out;
}

std::string scratch(const std::string& name) {
  const std::string dir = dataset().work_dir + "/" + name + "-" + std::to_string(::getpid());
  std::filesystem::remove_all(dir);
  return dir;
}

}  // namespace

TEST_CASE("changes lists each container's upper directory entry by entry, as the guest saw it", "[dataset]") {
  if (!has_upperdirs()) SUCCEED("no ground-truth/upperdirs in this dataset");
  if (!has_upperdirs()) return;
  CommandResult raw;
  const json out = drydock_json("changes --format json" + on_dataset(), &raw);
  INFO(raw.err);
  REQUIRE(raw.exit_code == 0);
  std::map<std::string, json> by_id;
  for (const json& c : out["containers"]) by_id[c["id"].get<std::string>()] = c;
  for (const auto& [id, entries] : expected_changes()) {
    INFO("container " << id);
    REQUIRE(by_id.count(id) == 1);
    const json& changes = by_id[id]["changes"];
    REQUIRE(changes.is_array());
    std::vector<std::string> got_paths, want_paths;
    for (const json& c : changes) got_paths.push_back(c["path"]);
    for (const UpperEntry& e : entries) want_paths.push_back(e.path);
    CHECK(got_paths == want_paths);
    if (got_paths != want_paths) continue;
    for (std::size_t i = 0; i < entries.size(); ++i) {
      const UpperEntry& e = entries[i];
      const json& c = changes[i];
      INFO(e.path);
      CHECK(c["kind"] == e.kind);
      CHECK(c["change"] == (e.kind == "whiteout" ? "deleted" : "added_or_modified"));
      CHECK(c["size"] == e.size);
      CHECK((c["mode_bits"].get<unsigned>() & 07777) == e.mode);
      CHECK(c["uid"] == e.uid);
      CHECK(c["gid"] == e.gid);
      CHECK(std::llabs(c["mtime_ns"].get<std::int64_t>() - e.mtime_ns) < 1000);
      // The opaque flag needs the overlay module's types; no scenario makes an opaque directory.
      if (e.kind == "directory" && symbols() == dataset().isf) CHECK(c["opaque"].is_null());
      if (e.kind == "directory" && symbols() != dataset().isf) CHECK(c["opaque"] == false);
      if (e.kind == "file") {
        REQUIRE(c["bytes_in_memory"].is_number());
        CHECK(c["bytes_in_memory"].get<std::int64_t>() <= e.size);
        // A hash only for a file wholly in memory, and then the right one.
        if (c["content_complete"] == true) {
          CHECK(c["sha256"] == e.sha256);
        } else {
          CHECK(c["sha256"].is_null());
        }
      }
    }
  }
}

TEST_CASE("changes --extract recovers the files in memory with their recorded sha256, and says which are partial",
          "[dataset]") {
  if (!has_upperdirs()) SUCCEED("no ground-truth/upperdirs in this dataset");
  if (!has_upperdirs()) return;
  const std::string dir = scratch("changes-extract");
  CommandResult raw = run_drydock("changes --format json --extract " + shell_quote(dir) + on_dataset());
  INFO(raw.err);
  REQUIRE(raw.exit_code == 0);
  const json manifest = read_json_file(dir + "/manifest.json");
  std::map<std::pair<std::string, std::string>, json> entries;  // (container, path)
  for (const json& f : manifest["files"]) entries[{f["container"].get<std::string>(), f["path"].get<std::string>()}] = f;
  std::set<std::string> complete;
  for (const auto& [id, want] : expected_changes()) {
    for (const UpperEntry& e : want) {
      if (e.kind == "whiteout") {
        // Listed, never created: no device node is made under DIR.
        REQUIRE(entries.count({id, e.path}) == 1);
        CHECK(entries[{id, e.path}]["written_as"].is_null());
      }
      if (e.kind != "file") continue;
      INFO(id << " " << e.path);
      REQUIRE(entries.count({id, e.path}) == 1);
      const json& f = entries[{id, e.path}];
      REQUIRE(f["written_as"].is_string());
      const std::string written = dir + "/" + f["written_as"].get<std::string>();
      CHECK(std::filesystem::file_size(written) == static_cast<std::uintmax_t>(e.size));
      if (f["complete"] == true) {
        CHECK(f["sha256"] == e.sha256);
        CHECK(drydock::sha256_file(written).value() == e.sha256);
        CHECK(f["bytes_recovered"] == e.size);
        complete.insert(e.path);
      } else {
        CHECK(f["sha256"].is_null());
        CHECK(f["bytes_recovered"].get<std::int64_t>() < e.size);
      }
    }
  }
  // SCENARIO.md: these files' pages are all in memory on the dataset that kept its page cache.
  if (dataset().name == "docker-incident-6.12") {
    for (const char* path : {"/etc/passwd", "/root/.ssh/authorized_keys", "/lib64/ld-linux-x86-64.so.2"}) {
      INFO(path);
      CHECK(complete.count(path) == 1);
    }
  }
  std::filesystem::remove_all(dir);
}

TEST_CASE("files --extract recovers the host file the attack wrote with its recorded sha256", "[dataset]") {
  if (!dataset().has_ground_truth("host-files.tsv")) SUCCEED("no ground-truth/host-files.tsv in this dataset");
  if (!dataset().has_ground_truth("host-files.tsv")) return;
  std::ifstream in(dataset().ground_truth("host-files.tsv"));
  std::string line;
  while (std::getline(in, line)) {
    if (line.empty() || line[0] == '#') continue;
    const auto f = split_tabs(line);
    REQUIRE(f.size() >= 3);
    const std::string path = f[0], sha = f[1];
    INFO(path);
    const std::string dir = scratch("files-extract");
    CommandResult raw = run_drydock("files --format json --path " + shell_quote(path) + " --extract " +
                                    shell_quote(dir) + on_dataset());
    INFO(raw.err);
    REQUIRE(raw.exit_code == 0);
    const json manifest = read_json_file(dir + "/manifest.json");
    REQUIRE(manifest["files"].size() == 1);
    const json& e = manifest["files"][0];
    CHECK(e["path"] == path);
    CHECK(e["complete"] == true);
    CHECK(e["sha256"] == sha);
    CHECK(drydock::sha256_file(dir + "/" + e["written_as"].get<std::string>()).value() == sha);
    std::filesystem::remove_all(dir);
  }
}

TEST_CASE("timeline is Timesketch JSONL sorted by time, with each upper-layer file's modification", "[dataset]") {
  CommandResult raw = run_drydock("timeline" + on_dataset());
  INFO(raw.err);
  REQUIRE(raw.exit_code == 0);
  std::stringstream lines(raw.out);
  std::string line;
  std::int64_t last = INT64_MIN;
  std::size_t count = 0;
  std::map<std::pair<std::string, std::string>, std::int64_t> modified;  // (container, path) -> timestamp
  while (std::getline(lines, line)) {
    const json e = json::parse(line, nullptr, false);
    REQUIRE_FALSE(e.is_discarded());
    for (const char* field : {"message", "datetime", "timestamp", "timestamp_desc"}) REQUIRE(e.contains(field));
    CHECK(e["message"].is_string());
    CHECK(e["datetime"].get<std::string>().back() == 'Z');
    const std::int64_t t = e["timestamp"];
    CHECK(t >= last);
    last = t;
    ++count;
    if (e["event_type"] == "file_modified") {
      modified[{e["container_id"], e["path"]}] = t;
    }
  }
  CHECK(count > 0);
  if (!has_upperdirs()) return;
  // Every upper-layer entry has its mtime event, at the recorded time.
  for (const auto& [id, entries] : expected_changes()) {
    for (const UpperEntry& e : entries) {
      INFO(id << " " << e.path);
      REQUIRE(modified.count({id, e.path}) == 1);
      CHECK(std::llabs(modified[{id, e.path}] - e.mtime_ns / 1000) <= 1);
    }
  }
}

TEST_CASE("the bundled change rules report the dropped executables, keys and accounts the upper layers hold",
          "[dataset]") {
  if (!has_upperdirs()) SUCCEED("no ground-truth/upperdirs in this dataset");
  if (!has_upperdirs()) return;
  CommandResult raw;
  const json out = drydock_json("scan --format json" + on_dataset(), &raw);
  INFO(raw.err);
  REQUIRE(out.contains("dumps"));
  std::map<std::string, std::set<std::string>> got;  // container id -> change rules
  std::map<std::pair<std::string, std::string>, std::string> evidence;  // (id, rule) -> all evidence values
  for (const json& f : out["dumps"][0]["findings"]) {
    const auto& tags = f["tags"];
    if (std::find(tags.begin(), tags.end(), "changes") == tags.end()) continue;
    got[f["object"]].insert(f["rule"]);
    for (const json& e : f["evidence"]) evidence[{f["object"], f["rule"]}] += e["value"].dump() + "\n";
  }
  // From the guest's listing: which rules each container's upper layer calls for.
  for (const auto& [id, entries] : expected_changes()) {
    INFO("container " << id);
    std::set<std::string> want;
    for (const UpperEntry& e : entries) {
      if (e.kind == "file" && (e.mode & 0111) && e.size > 0) want.insert("container_new_executable");
      if (e.kind == "file" && e.path.size() >= 15 && e.path.ends_with("authorized_keys")) {
        want.insert("container_authorized_keys_written");
      }
      if (e.kind == "file" && e.path == "/etc/passwd") want.insert("container_account_files_changed");
    }
    std::set<std::string> have = got[id];
    have.erase("container_uid0_account_added");  // needs the content: checked below
    CHECK(have == want);
    // The evidence names the paths.
    for (const UpperEntry& e : entries) {
      if (e.kind == "file" && (e.mode & 0111) && e.size > 0) {
        CHECK(evidence[{id, "container_new_executable"}].find(e.path) != std::string::npos);
      }
    }
  }
  // SCENARIO.md: shop's /etc/passwd (wholly in memory) holds the added uid-0 account `backdoor`.
  if (dataset().name == "docker-incident-6.12") {
    std::string shop;
    for (const json& c : read_json_file(dataset().ground_truth("upperdirs/index.json"))) {
      if (c["name"] == "shop") shop = c["id"];
    }
    REQUIRE(got[shop].count("container_uid0_account_added") == 1);
    CHECK(evidence[{shop, "container_uid0_account_added"}].find("backdoor:x:0:0") != std::string::npos);
    for (const auto& [id, rules] : got) {
      if (id != shop) CHECK(rules.count("container_uid0_account_added") == 0);
    }
  }
}

TEST_CASE("the bundled change rules find nothing on docker-basic's clean containers", "[real]") {
  CommandResult raw;
  const json out = drydock_json("scan --format json --symbols " + shell_quote(docker_basic().isf) + " " +
                                    shell_quote(docker_basic().dump),
                                &raw);
  INFO(raw.err);
  REQUIRE(out.contains("dumps"));
  std::size_t containers_with_changes = 0;
  for (const json& c : out["dumps"][0]["containers"]) containers_with_changes += c.contains("changes") ? 1 : 0;
  CHECK(containers_with_changes > 0);  // the changes were read, and found harmless
  for (const json& f : out["dumps"][0]["findings"]) {
    const auto& tags = f["tags"];
    INFO(f["rule"] << " " << f["object"]);
    CHECK(std::find(tags.begin(), tags.end(), "changes") == tags.end());
  }
}

TEST_CASE("files --extract reads tmpfs files whole even where the page cache was dropped: dockerd's pid file",
          "[dataset]") {
  int dockerd = 0;
  for (const json& p : read_json_file(dataset().ground_truth("processes.json"))) {
    if (p["comm"] == "dockerd") dockerd = p["pid"];
  }
  if (dockerd == 0) SUCCEED("no dockerd in this dataset");
  if (dockerd == 0) return;
  const std::string dir = scratch("tmpfs-extract");
  CommandResult raw = run_drydock("files --format json --path /run/docker.pid --extract " + shell_quote(dir) + on_dataset());
  INFO(raw.err);
  REQUIRE(raw.exit_code == 0);
  const json manifest = read_json_file(dir + "/manifest.json");
  REQUIRE(manifest["files"].size() == 1);
  const json& e = manifest["files"][0];
  CHECK(e["complete"] == true);
  std::ifstream in(dir + "/" + e["written_as"].get<std::string>());
  std::string text;
  std::getline(in, text);
  CHECK(text == std::to_string(dockerd));
  std::filesystem::remove_all(dir);
}
