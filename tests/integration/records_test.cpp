// The engines' own records (containers: name, image, labels, record_sources)
// against `docker inspect` / `podman inspect` (ground-truth/*-inspect.json):
// equal wherever a record is in memory, null with a reason where none is.

#include <map>

#include <catch2/catch.hpp>

#include "integration/ground_truth.hpp"
#include "integration/real_dump.hpp"

using namespace drydock::test;
using nlohmann::json;

TEST_CASE("containers carry the engine's name, image and labels wherever its records are in memory", "[dataset]") {
  CommandResult raw;
  const json got = drydock_json("containers --format json" + on_dataset(), &raw);
  INFO(raw.err);
  REQUIRE(raw.exit_code == 0);
  std::map<std::string, json> ours;
  for (const json& c : got["containers"]) ours[c["id"].get<std::string>()] = c;
  std::size_t with_docker_record = 0, docker_containers = 0;
  for (const InspectedContainer& c : running_containers()) {
    const std::string id = c.record["Id"];
    INFO("container " << c.name() << " " << raw.out.size());
    REQUIRE(ours.count(id));
    const json& o = ours[id];
    bool docker_record = false;
    for (const json& source : o["record_sources"]) {
      docker_record |= source.get<std::string>().ends_with("/config.v2.json");
    }
    if (c.engine == "docker") ++docker_containers;
    if (docker_record) {
      ++with_docker_record;
      CHECK(o["name"] == c.name());
      CHECK(o["image"] == c.record["Config"]["Image"]);
      const json labels = c.record["Config"]["Labels"].is_null() ? json::object() : c.record["Config"]["Labels"];
      CHECK(o["labels"] == labels);
      CHECK(o["declared_privileged"] == c.record["HostConfig"]["Privileged"]);
    } else if (c.engine == "docker") {
      // Docker's OCI spec names neither: unknown, and the errors say why.
      CHECK(o["image"].is_null());
      CHECK_FALSE(o["record_errors"].empty());
    }
    if (!o["name"].is_null()) CHECK(o["name"] == c.name());
    if (!o["image"].is_null() && c.engine == "podman") CHECK(o["image"] == c.record["ImageName"]);
  }
  // The page cache was kept on the intrusion dataset: Docker's files are all there.
  if (dataset().name == "docker-incident-6.12") CHECK(with_docker_record == docker_containers);
}
