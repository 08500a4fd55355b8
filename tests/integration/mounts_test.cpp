// `drydock mounts --pid P` on each dataset against /proc/P/mountinfo
// recorded in the guest (ground-truth/mountinfo/P.txt) for PID 1 and every
// container init, and the overlay directories of each container against its
// engine's record.

#include <filesystem>
#include <set>
#include <sstream>
#include <tuple>

#include <catch2/catch.hpp>

#include "integration/ground_truth.hpp"
#include "integration/real_dump.hpp"

using namespace drydock::test;
using nlohmann::json;

namespace {

// Splits "a:b:c" at the colons.
std::vector<std::string> split_colons(const std::string& s) {
  std::vector<std::string> parts;
  std::istringstream in(s);
  for (std::string part; std::getline(in, part, ':');) parts.push_back(part);
  return parts;
}

using Row = std::tuple<int, int, std::string, std::string, std::string, std::string>;  // id parent root path fstype access

std::set<Row> rows_of(const std::vector<MountinfoEntry>& entries) {
  std::set<Row> rows;
  for (const MountinfoEntry& e : entries) rows.emplace(e.id, e.parent, e.root, e.point, e.fstype, e.read_only() ? "ro" : "rw");
  return rows;
}

json mounts_of(const std::string& pid) {
  CommandResult raw;
  const json got = drydock_json("mounts --format json --pid " + pid + on_dataset(), &raw);
  INFO("pid " << pid << ": " << raw.err);
  REQUIRE(raw.exit_code == 0);
  return got;
}

// The overlay directories of a container as its engine recorded them:
// upperdirs/index.json where the dataset has it, else GraphDriver.Data of
// docker or podman inspect. Keys LowerDir, UpperDir, WorkDir.
std::map<std::string, json> engine_overlay_dirs() {
  std::map<std::string, json> by_id;
  for (const char* file : {"docker-inspect.json", "podman-inspect.json"}) {
    if (!dataset().has_ground_truth(file)) continue;
    for (const json& c : read_json_file(dataset().ground_truth(file))) by_id[c["Id"]] = c["GraphDriver"]["Data"];
  }
  if (dataset().has_ground_truth("upperdirs/index.json")) {
    for (const json& c : read_json_file(dataset().ground_truth("upperdirs/index.json"))) {
      by_id[c["id"]] = {{"LowerDir", c["lowerdir"]}, {"UpperDir", c["upperdir"]}, {"WorkDir", c["workdir"]}};
    }
  }
  return by_id;
}

}  // namespace

TEST_CASE("mounts --pid gives each recorded process's mountinfo", "[dataset]") {
  const auto inits = read_json_file(dataset().ground_truth("container-inits.json"));
  int checked = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dataset().ground_truth("mountinfo"))) {
    const std::string pid = entry.path().stem().string();
    const std::set<Row> truth = rows_of(read_mountinfo(entry.path().string()));
    const json got = mounts_of(pid);
    std::set<Row> ours;
    for (const json& m : got["mounts"]) {
      ours.emplace(m["mount_id"], m["parent_id"], m["root"], m["path"], m["fstype"], m["access"]);
    }
    for (const Row& r : truth) {
      if (!ours.count(r)) UNSCOPED_INFO("pid " << pid << " missing: " << std::get<0>(r) << " " << std::get<3>(r));
    }
    for (const Row& r : ours) {
      if (!truth.count(r)) UNSCOPED_INFO("pid " << pid << " extra or different: " << std::get<0>(r) << " "
                                               << std::get<1>(r) << " " << std::get<2>(r) << " " << std::get<3>(r)
                                               << " " << std::get<4>(r) << " " << std::get<5>(r));
    }
    CHECK(ours == truth);
    ++checked;
  }
  // SCENARIO.md: mountinfo/ holds PID 1 and every container init.
  CHECK(checked == 1 + static_cast<int>(inits.size()));
}

TEST_CASE("overlay mounts carry the upper, work and lower directories the engine gave them", "[dataset]") {
  // A container's root overlay has the UpperDir and WorkDir its engine
  // recorded, and as many lower layers as LowerDir, each named as there or
  // through the engine's short link (overlay2/l/...) that mountinfo shows.
  // Every other overlay mount has the directories its mountinfo line shows.
  const auto engine_dirs = engine_overlay_dirs();
  std::map<int, std::string> container_of_init;
  for (const json& c : read_json_file(dataset().ground_truth("container-inits.json"))) container_of_init[c["pid"]] = c["id"];
  std::vector<std::string> mismatches;
  const auto expect = [&](const std::string& where, const std::string& key, const json& want, const json& got) {
    if (want != got) mismatches.push_back(where + " " + key + ": want " + want.dump() + ", got " + got.dump());
  };
  int overlays = 0, roots = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dataset().ground_truth("mountinfo"))) {
    const std::string pid = entry.path().stem().string();
    std::map<int, MountinfoEntry> truth;
    for (const MountinfoEntry& e : read_mountinfo(entry.path().string())) truth[e.id] = e;
    const auto container = container_of_init.find(std::stoi(pid));
    const json got = mounts_of(pid);
    for (const json& m : got["mounts"]) {
      const auto line = truth.find(m["mount_id"].get<int>());
      if (m["fstype"] != "overlay" || line == truth.end()) continue;  // the test above reports mounts that differ
      ++overlays;
      const std::string where = "pid " + pid + " mount " + m["mount_id"].dump() + " " + m["path"].get<std::string>();
      const auto option = [&](const char* key) { return m["options"].value(key, json()); };
      const auto& super = line->second.super_options;
      if (container == container_of_init.end() || m["path"] != "/") {
        for (const char* key : {"lowerdir", "upperdir", "workdir"}) {
          if (super.count(key)) expect(where, key, super.at(key), option(key));
        }
        continue;
      }
      ++roots;
      const auto recorded = engine_dirs.find(container->second);
      if (recorded == engine_dirs.end()) {
        mismatches.push_back(where + ": no engine record of container " + container->second);
        continue;
      }
      const json& dirs = recorded->second;
      expect(where, "upperdir", dirs["UpperDir"], option("upperdir"));
      expect(where, "workdir", dirs["WorkDir"], option("workdir"));
      const auto layers = split_colons(dirs["LowerDir"]);
      const auto links = split_colons(super.count("lowerdir") ? super.at("lowerdir") : "");
      const auto ours = split_colons(option("lowerdir").is_string() ? option("lowerdir").get<std::string>() : "");
      bool same = ours.size() == layers.size();
      for (std::size_t i = 0; same && i < ours.size(); ++i) {
        same = ours[i] == layers[i] || (i < links.size() && ours[i] == links[i]);
      }
      if (!same) expect(where, "lowerdir", dirs["LowerDir"], option("lowerdir"));
    }
  }
  for (const std::string& m : mismatches) UNSCOPED_INFO(m);
  CHECK(mismatches.empty());
  CHECK(overlays > 0);
  CHECK(roots == static_cast<int>(container_of_init.size()));
}
