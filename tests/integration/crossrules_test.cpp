// The bundled rules that compare the engine's records with the kernel's view
// (rules/intrusion.rules): a container created from inside another through
// the engine's API socket is reported with its evidence where the scenario's
// own log (ground-truth/scenario.log) shows one was; no container the engine
// made as recorded gets a record-drift finding.

#include <fstream>
#include <map>
#include <regex>
#include <set>

#include <catch2/catch.hpp>

#include "engine/core/time_format.hpp"
#include "integration/ground_truth.hpp"
#include "integration/real_dump.hpp"

using namespace drydock::test;
using nlohmann::json;

namespace {

// Created container -> creator, by name: "docker exec C1 docker run ... --name C2".
std::map<std::string, std::string> created_from_inside() {
  std::map<std::string, std::string> out;
  if (!dataset().has_ground_truth("scenario.log")) return out;
  std::ifstream in(dataset().ground_truth("scenario.log"));
  static const std::regex run(R"(^\+ docker exec (\S+) docker run .*--name (\S+))");
  std::smatch m;
  for (std::string line; std::getline(in, line);) {
    if (std::regex_search(line, m, run)) out[m[2]] = m[1];
  }
  return out;
}

// The engine's event times of one container: its start and its last `docker cp` into it.
struct EventTimes {
  std::int64_t start = 0, last_copy = 0;
};

EventTimes events_of(const std::string& id) {
  EventTimes t;
  std::ifstream in(dataset().ground_truth("docker-events.jsonl"));
  for (std::string line; std::getline(in, line);) {
    const json e = json::parse(line);
    if (e.value("id", "") != id) continue;
    if (e["Action"] == "start") t.start = e["timeNano"];
    if (e["Action"] == "extract-to-dir") t.last_copy = e["timeNano"];
  }
  return t;
}

const std::set<std::string> kRecordRules = {"created_from_another_container", "mount_differs_from_record",
                                            "capabilities_differ_from_record", "privilege_differs_from_record",
                                            "read_only_root_differs_from_record"};

}  // namespace

TEST_CASE("scan reports a container created through another's engine socket with its evidence, and no record drift",
          "[dataset]") {
  CommandResult raw;
  const json scan = drydock_json("scan --format json" + on_dataset(), &raw);
  INFO(raw.err);
  REQUIRE(raw.exit_code == 0);
  const json& dump = scan["dumps"][0];
  std::map<std::string, std::set<std::string>> got;  // container id -> record rules
  std::map<std::string, std::string> message;        // container id -> created_from_another_container's
  for (const json& f : dump["findings"]) {
    if (f["scope"] != "container" || !kRecordRules.count(f["rule"])) continue;
    got[f["object"]].insert(f["rule"]);
    if (f["rule"] == "created_from_another_container") message[f["object"]] = f["message"];
  }
  std::map<std::string, json> scanned;  // id -> the container in scan's output
  for (const json& c : dump["containers"]) scanned[c["id"]] = c;
  std::map<std::string, std::string> ids;  // name -> id
  for (const InspectedContainer& c : running_containers()) ids[c.name()] = c.record["Id"];

  const auto created = created_from_inside();
  for (const InspectedContainer& c : running_containers()) {
    const std::string id = c.record["Id"];
    INFO("container " << c.name());
    const auto creator = created.find(c.name());
    if (creator == created.end()) {
      CHECK(got[id].empty());
      continue;
    }
    REQUIRE(ids.count(creator->second));
    const std::string creator_id = ids[creator->second];
    // The evidence needs the creator's upper layer: without it nothing is said.
    const json& upper = scanned[creator_id]["changes"];
    if (!upper.is_array()) {
      CHECK(got[id].empty());
      continue;
    }
    CHECK(got[id] == std::set<std::string>{"created_from_another_container"});
    const auto created_ns = drydock::parse_rfc3339(c.record["Created"].get<std::string>());
    REQUIRE(created_ns);
    const std::string& text = message[id];
    // The message gives times to the second, the JSON to the nanosecond.
    CHECK(text.find("created " + drydock::iso8601_utc(*created_ns).substr(0, 19) + "Z") != std::string::npos);
    CHECK(text.find("container " + creator->second + " had the Docker API socket mounted") != std::string::npos);
    const json& candidates = scanned[id]["possible_creators"];
    REQUIRE(candidates.is_array());
    REQUIRE(candidates.size() >= 1);
    for (const json& p : candidates) {
      CHECK(p["creator"] == creator->second);
      CHECK(p["creator_id"] == creator_id);
      CHECK(p["created"] == drydock::iso8601_utc(*created_ns));
      CHECK(p["record_source"].get<std::string>().find(id) != std::string::npos);
      // The socket the engine's record of the creator declares.
      bool declared = false;
      for (const json& m : read_json_file(dataset().ground_truth("docker-inspect.json"))) {
        if (m["Id"] != creator_id) continue;
        for (const json& mount : m["Mounts"]) declared = declared || mount["Destination"] == p["socket_destination"];
      }
      CHECK(declared);
      // The client was written into the creator after its start and by its last `docker cp`.
      const auto changed = drydock::parse_rfc3339(p["client_changed"].get<std::string>());
      REQUIRE(changed);
      const EventTimes events = events_of(creator_id);
      CHECK(*changed > events.start);
      if (events.last_copy > 0) CHECK(*changed <= events.last_copy);
      CHECK(*changed < *created_ns);
      CHECK(text.find(p["client"].get<std::string>()) != std::string::npos);
      // And it is in the guest's own listing of the creator's upper directory.
      if (dataset().has_ground_truth("upperdirs/" + creator->second + ".tsv")) {
        std::ifstream listing(dataset().ground_truth("upperdirs/" + creator->second + ".tsv"));
        bool listed = false;
        for (std::string line; std::getline(listing, line);) {
          listed = listed || line.rfind(p["client"].get<std::string>().substr(1) + "\t", 0) == 0;
        }
        CHECK(listed);
      }
    }
  }
}
