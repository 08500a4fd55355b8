// `drydock containers` on the real dump against `docker inspect` and
// `podman inspect` recorded in the guest, container by container.

#include <map>
#include <set>

#include <catch2/catch.hpp>

#include "engine/model/capabilities.hpp"
#include "integration/real_dump.hpp"

using namespace drydock::test;
using nlohmann::json;

namespace {

// Docker records the path the user gave; /var/run is a symlink to /run.
std::string normalise(std::string path) {
  if (path.rfind("/var/run/", 0) == 0) path = path.substr(4);
  return path;
}

std::set<std::string> cap_names_of_hex(const std::string& hex) {
  const auto names = drydock::capability_names(std::stoull(hex, nullptr, 16));
  return {names.begin(), names.end()};
}

}  // namespace

TEST_CASE("containers equal the running containers of docker and podman inspect, field by field", "[real]") {
  CommandResult raw;
  const json got = drydock_json("containers --format json --symbols " + shell_quote(real_isf()) + " " +
                                shell_quote(real_lime()), &raw);
  INFO(raw.err);
  REQUIRE(raw.exit_code == 0);
  std::map<std::string, json> ours;
  for (const json& c : got["containers"]) ours[c["id"]] = c;

  std::map<int, json> processes;
  for (const json& p : read_json_file(ground_truth("processes.json"))) processes[p["pid"]] = p;

  std::vector<json> inspected;
  for (const json& c : read_json_file(ground_truth("docker-inspect.json"))) inspected.push_back(c);
  for (const json& c : read_json_file(ground_truth("podman-inspect.json"))) inspected.push_back(c);

  std::vector<std::string> mismatches;
  std::set<std::string> expected_ids;
  for (const json& c : inspected) {
    if (!c["State"]["Running"].get<bool>()) continue;
    const std::string id = c["Id"];
    expected_ids.insert(id);
    const std::string name = c["Name"].get<std::string>();
    auto it = ours.find(id);
    if (it == ours.end()) {
      mismatches.push_back("missing container " + name + " " + id);
      continue;
    }
    const json& o = it->second;
    const auto expect = [&](const std::string& field, const json& want, const json& have) {
      if (want != have) mismatches.push_back(name + " " + field + ": want " + want.dump() + ", got " + have.dump());
    };
    const int init = c["State"]["Pid"];
    expect("init_pid", init, o["init_pid"]);
    const json& p = processes.at(init);
    // Every process whose cgroup names this container.
    std::set<int> pids;
    for (const auto& [pid, proc] : processes) {
      for (const json& cg : proc["cgroup"]) {
        if (cg.get<std::string>().find(id) != std::string::npos && proc["comm"] != "conmon") pids.insert(pid);
      }
    }
    expect("pids", json(pids), o["pids"]);
    expect("privileged", c["HostConfig"]["Privileged"].get<bool>(), o["privileged"]);
    expect("euid", p["euid"], o["euid"]);
    const auto caps = cap_names_of_hex(p["CapEff"]);
    expect("caps_effective", json(caps), json(std::set<std::string>(o["caps_effective"].begin(), o["caps_effective"].end())));
    std::set<std::string> host;
    for (const auto& [mode, ns] : {std::pair{"NetworkMode", "net"}, {"PidMode", "pid"}, {"IpcMode", "ipc"}, {"UTSMode", "uts"}}) {
      if (c["HostConfig"].value(mode, "") == "host") host.insert(ns);
    }
    std::set<std::string> our_host;
    for (const json& ns : o["host_namespaces"]) {
      if (ns == "net" || ns == "pid" || ns == "ipc" || ns == "uts") our_host.insert(ns);
    }
    expect("host_namespaces", json(host), json(our_host));
    // IPv4 and segment on each network.
    std::set<std::string> want_v4, have_v4;
    for (const auto& [network, settings] : c["NetworkSettings"]["Networks"].items()) {
      if (settings["IPAddress"] == "") continue;
      want_v4.insert(settings["IPAddress"].get<std::string>() + "/" + std::to_string(settings["IPPrefixLen"].get<int>()));
    }
    for (const json& n : o["networks"]) {
      if (n["ipv4"].is_string()) have_v4.insert(n["ipv4"]);
    }
    expect("ipv4", json(want_v4), json(have_v4));
    if (c["Name"] == "/app1" || c["Name"] == "/app2") expect("segment", "172.20.0.0/16", o["networks"][0]["segment"]);
    // Non-default mounts with rw/ro.
    std::set<std::tuple<std::string, std::string, bool>> want_mounts, have_mounts;
    for (const json& m : c["Mounts"]) want_mounts.emplace(normalise(m["Source"]), m["Destination"], m["RW"]);
    for (const json& m : o["mounts"]) have_mounts.emplace(normalise(m["source"]), m["destination"], m["access"] == "rw");
    if (want_mounts != have_mounts) mismatches.push_back(name + " mounts differ: got " + o["mounts"].dump());
    expect("upperdir", c["GraphDriver"]["Data"]["UpperDir"], o["overlay"]["upperdir"]);
    expect("merged", c["GraphDriver"]["Data"]["MergedDir"], o["overlay"]["merged"]);
  }
  for (const auto& [id, c] : ours) {
    if (!expected_ids.count(id)) mismatches.push_back("extra container " + id);
  }
  for (const std::string& m : mismatches) UNSCOPED_INFO(m);
  CHECK(mismatches.empty());
  CHECK(expected_ids.size() == 12);
}

TEST_CASE("no host process, kernel thread or runtime process is a container", "[real]") {
  const json got = drydock_json("ps --format json --symbols " + shell_quote(real_isf()) + " " + shell_quote(real_lime()));
  REQUIRE(got.contains("tasks"));
  std::set<int> inits;
  for (const json& c : read_json_file(ground_truth("container-inits.json"))) inits.insert(c["pid"].get<int>());
  for (const json& t : got["tasks"]) {
    const std::string comm = t["comm"];
    const bool runtime = comm == "dockerd" || comm == "containerd" || comm == "containerd-shim" || comm == "conmon";
    if (t["kernel_thread"].get<bool>() || runtime || t["ppid"] == 1 && !inits.count(t["pid"])) {
      INFO(t["pid"] << " " << comm);
      CHECK(t["container_id"].is_null());
    }
  }
}

TEST_CASE("engine signals are each reported on the real dump", "[real]") {
  const json got = drydock_json("containers --format json --symbols " + shell_quote(real_isf()) + " " +
                                shell_quote(real_lime()));
  REQUIRE(got.contains("engine"));
  CHECK(got["engine"]["bridge"] == true);
  CHECK(got["engine"]["overlay_mounts"] == true);
  CHECK(got["engine"]["runtime_processes"] == true);
  const auto& engines = got["engine"]["engines"];
  CHECK(std::find(engines.begin(), engines.end(), "docker") != engines.end());
  CHECK(std::find(engines.begin(), engines.end(), "podman") != engines.end());
}
