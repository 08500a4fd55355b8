// `drydock containers` on each dataset against `docker inspect` and, where
// the dataset has it, `podman inspect` recorded in the guest, container by
// container.

#include <algorithm>
#include <map>
#include <set>

#include <catch2/catch.hpp>

#include "engine/model/capabilities.hpp"
#include "integration/ground_truth.hpp"
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

// A container runtime's own process (its comm, at most 15 characters).
bool is_runtime(const std::string& comm) {
  return comm == "dockerd" || comm == "containerd" || comm == "containerd-shim" || comm == "conmon";
}

}  // namespace

TEST_CASE("containers equal the running containers of docker and podman inspect, field by field", "[dataset]") {
  CommandResult raw;
  const json got = drydock_json("containers --format json" + on_dataset(), &raw);
  INFO(raw.err);
  REQUIRE(raw.exit_code == 0);
  std::map<std::string, json> ours;
  for (const json& c : got["containers"]) ours[c["id"]] = c;

  std::map<int, json> processes;
  for (const json& p : read_json_file(dataset().ground_truth("processes.json"))) processes[p["pid"]] = p;

  std::vector<std::string> mismatches;
  std::set<std::string> expected_ids;
  for (const InspectedContainer& inspected : running_containers()) {
    const json& c = inspected.record;
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
    // IPv4 address and segment on each network.
    std::map<std::string, std::string> want_networks, have_networks;
    for (const Attachment& a : attachments(inspected)) want_networks[a.ipv4] = a.segment;
    for (const json& n : o["networks"]) {
      if (n["ipv4"].is_string()) have_networks[n["ipv4"]] = n["segment"].is_string() ? n["segment"].get<std::string>() : "";
    }
    expect("networks (ipv4: segment)", json(want_networks), json(have_networks));
    // Non-default mounts with rw/ro: the engine's Mounts, and the mounts that
    // came along below a bind's destination (Docker binds recursively), as
    // the init's mountinfo shows them. Where those come from is not recorded,
    // so they are compared by mount point and access alone.
    using Mount = std::tuple<std::string, std::string, bool>;  // source, destination, read-write
    std::set<Mount> want_mounts, have_mounts;
    std::set<std::string> binds;
    for (const json& m : c["Mounts"]) {
      want_mounts.emplace(normalise(m["Source"]), m["Destination"], m["RW"]);
      binds.insert(m["Destination"].get<std::string>() + "/");
    }
    const auto below_a_bind = [&](const std::string& path) {
      return std::any_of(binds.begin(), binds.end(), [&](const std::string& bind) { return path.rfind(bind, 0) == 0; });
    };
    for (const MountinfoEntry& e : read_mountinfo(dataset().ground_truth("mountinfo/" + std::to_string(init) + ".txt"))) {
      if (below_a_bind(e.point)) want_mounts.emplace("", e.point, !e.read_only());
    }
    for (const json& m : o["mounts"]) {
      const std::string destination = m["destination"];
      have_mounts.emplace(below_a_bind(destination) ? "" : normalise(m["source"]), destination, m["access"] == "rw");
    }
    const auto mount_text = [](const Mount& m) {
      return (std::get<0>(m).empty() ? "" : std::get<0>(m) + " on ") + std::get<1>(m) + (std::get<2>(m) ? " rw" : " ro");
    };
    for (const Mount& m : want_mounts) {
      if (!have_mounts.count(m)) mismatches.push_back(name + " mount missing: " + mount_text(m));
    }
    for (const Mount& m : have_mounts) {
      if (!want_mounts.count(m)) mismatches.push_back(name + " mount extra or different: " + mount_text(m));
    }
    expect("upperdir", c["GraphDriver"]["Data"]["UpperDir"], o["overlay"]["upperdir"]);
    expect("merged", c["GraphDriver"]["Data"]["MergedDir"], o["overlay"]["merged"]);
  }
  for (const auto& [id, c] : ours) {
    if (!expected_ids.count(id)) mismatches.push_back("extra container " + id);
  }
  for (const std::string& m : mismatches) UNSCOPED_INFO(m);
  CHECK(mismatches.empty());
  std::set<std::string> running_inits;
  for (const json& c : read_json_file(dataset().ground_truth("container-inits.json"))) {
    if (c["running"].get<bool>()) running_inits.insert(c["id"].get<std::string>());
  }
  CHECK(expected_ids == running_inits);
}

TEST_CASE("no host process, kernel thread or runtime process is a container", "[dataset]") {
  const json got = drydock_json("ps --format json" + on_dataset());
  REQUIRE(got.contains("tasks"));
  std::set<int> inits;
  for (const json& c : read_json_file(dataset().ground_truth("container-inits.json"))) inits.insert(c["pid"].get<int>());
  for (const json& t : got["tasks"]) {
    const std::string comm = t["comm"];
    if (t["kernel_thread"].get<bool>() || is_runtime(comm) || (t["ppid"] == 1 && !inits.count(t["pid"]))) {
      INFO(t["pid"] << " " << comm);
      CHECK(t["container_id"].is_null());
    }
  }
}

TEST_CASE("engine signals are each reported as the ground truth shows them", "[dataset]") {
  const json got = drydock_json("containers --format json" + on_dataset());
  REQUIRE(got.contains("engine"));
  // An engine is reported when it has running containers, and only then.
  std::set<std::string> engines_running;
  bool bridged = false, overlay = false;
  for (const InspectedContainer& c : running_containers()) {
    engines_running.insert(c.engine);
    for (const Attachment& a : attachments(c)) bridged = bridged || a.driver == "bridge";
    const std::string driver = c.record["GraphDriver"]["Name"];
    overlay = overlay || driver.rfind("overlay", 0) == 0;
  }
  bool runtime = false;
  for (const json& p : read_json_file(dataset().ground_truth("processes.json"))) runtime = runtime || is_runtime(p["comm"]);
  CHECK(got["engine"]["bridge"] == bridged);
  CHECK(got["engine"]["overlay_mounts"] == overlay);
  CHECK(got["engine"]["runtime_processes"] == runtime);
  const auto& engines = got["engine"]["engines"];
  for (const std::string engine : {"docker", "podman"}) {
    INFO(engine);
    CHECK((std::find(engines.begin(), engines.end(), engine) != engines.end()) == engines_running.count(engine) > 0);
  }
}
