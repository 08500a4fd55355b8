// Executables (`ps`: exe, exe_layer) against /proc/PID/exe as the guest
// recorded it (ground-truth/processes.json), and `sockets` against `ss -tuanp`
// run in each container's network namespace and on the host
// (ground-truth/sockets/<name>.txt).

#include <filesystem>
#include <fstream>
#include <map>
#include <regex>
#include <set>

#include <catch2/catch.hpp>

#include "integration/real_dump.hpp"

using namespace drydock::test;
using nlohmann::json;

TEST_CASE("ps gives every task's executable as /proc/PID/exe shows it", "[dataset]") {
  CommandResult raw;
  const json got = drydock_json("ps --format json" + on_dataset(), &raw);
  INFO(raw.err);
  REQUIRE(raw.exit_code == 0);
  std::map<int, json> ours;
  for (const json& t : got["tasks"]) ours[t["pid"].get<int>()] = t;
  std::size_t compared = 0;
  std::vector<std::string> mismatches;
  for (const json& p : read_json_file(dataset().ground_truth("processes.json"))) {
    const int pid = p["pid"].get<int>();
    auto it = ours.find(pid);
    if (it == ours.end()) continue;  // exited before the image was taken
    const json& o = it->second;
    if (p.value("kthread", false)) {
      if (!o["exe"].is_null()) mismatches.push_back(std::to_string(pid) + ": a kernel thread with exe " + o["exe"].dump());
      continue;
    }
    if (!p.contains("exe") || !p["exe"].is_string()) continue;
    ++compared;
    if (o["exe"] != p["exe"]) mismatches.push_back(std::to_string(pid) + ": exe " + o["exe"].dump() + ", want " + p["exe"].dump());
    // A container's init runs the image's file; nothing on the host lies on overlay.
    if (!o["container_id"].is_null() && o["exe_layer"].is_null()) {
      mismatches.push_back(std::to_string(pid) + ": container task without exe_layer");
    }
    if (o["container_id"].is_null() && !o["exe_layer"].is_null()) {
      mismatches.push_back(std::to_string(pid) + ": host task with exe_layer " + o["exe_layer"].dump());
    }
  }
  for (const std::string& m : mismatches) UNSCOPED_INFO(m);
  CHECK(compared > 10);
  CHECK(mismatches.empty());
}

TEST_CASE("the disguised process's executable is flagged as written into the container's upper layer",
          "[dataset]") {
  if (dataset().name != "docker-incident-6.12") return;  // the intrusion is in this dataset only
  const json got = drydock_json("ps --format json" + on_dataset());
  std::map<int, json> ours;
  for (const json& t : got["tasks"]) ours[t["pid"].get<int>()] = t;
  REQUIRE(ours.count(1151));
  CHECK(ours[1151]["comm"] == "kworkerd");
  CHECK(ours[1151]["exe"] == "/tmp/.cache/kworkerd");
  CHECK(ours[1151]["exe_layer"] == "upper");
  REQUIRE(ours.count(903));  // shop's init runs busybox from the image
  CHECK(ours[903]["exe"] == "/bin/busybox");
  CHECK(ours[903]["exe_layer"] == "lower");
}

namespace {

// ss's address text as drydock prints it: "*" (any, IPv4 or dual-stack IPv6)
// stays "*", brackets and a "%device" scope are dropped.
std::string ss_address(std::string text) {
  if (auto percent = text.find('%'); percent != std::string::npos) text.resize(percent);
  if (text.size() >= 2 && text.front() == '[' && text.back() == ']') text = text.substr(1, text.size() - 2);
  return text;
}

bool address_matches(const std::string& ss, const json& ours) {
  if (!ours.is_string()) return false;
  if (ss == "*") return ours == "::" || ours == "0.0.0.0";
  return ours == ss;
}

}  // namespace

TEST_CASE("sockets finds every TCP and UDP socket ss -tuanp shows, in its namespace", "[dataset]") {
  if (!dataset().has_ground_truth("sockets")) return;
  CommandResult raw;
  const json got = drydock_json("sockets --format json" + on_dataset(), &raw);
  INFO(raw.err);
  REQUIRE(raw.exit_code == 0);
  // Which network namespace each file describes: the host's (PID 1) or its container init's.
  std::map<int, std::uint64_t> net_of_pid;
  for (const json& p : read_json_file(dataset().ground_truth("processes.json"))) {
    net_of_pid[p["pid"].get<int>()] = p["ns"]["net"].get<std::uint64_t>();
  }
  std::map<std::string, std::uint64_t> net_of_name{{"host", net_of_pid.at(1)}};
  for (const json& c : read_json_file(dataset().ground_truth("container-inits.json"))) {
    if (c.value("running", false)) net_of_name[c["name"].get<std::string>()] = net_of_pid.at(c["pid"].get<int>());
  }
  const std::regex line(R"(^(tcp|udp)\s+(\S+)\s+\d+\s+\d+\s+(\S+):(\S+)\s+(\S+):(\S+)\s+users:(.*)$)");
  const std::regex user(R"(pid=(\d+),fd=(\d+))");
  std::size_t compared = 0;
  std::vector<std::string> mismatches;
  for (const auto& entry : std::filesystem::directory_iterator(dataset().ground_truth("sockets"))) {
    const std::string name = entry.path().stem().string();
    REQUIRE(net_of_name.count(name));
    const std::uint64_t ns = net_of_name[name];
    std::ifstream in(entry.path());
    for (std::string text; std::getline(in, text);) {
      std::smatch m;
      if (!std::regex_search(text, m, line)) continue;
      const std::string users = m[7];
      for (auto u = std::sregex_iterator(users.begin(), users.end(), user); u != std::sregex_iterator(); ++u) {
        ++compared;
        const int pid = std::stoi((*u)[1]), fd = std::stoi((*u)[2]);
        const std::string local = ss_address(m[3]);
        const int port = m[4] == "*" ? 0 : std::stoi(m[4]);
        bool found = false;
        for (const json& s : got["sockets"]) {
          if (s["pid"] == pid && s["fd"] == fd && s["protocol"] == m[1].str() && s["net_ns"] == ns &&
              s["state"] == m[2].str() && address_matches(local, s["local"]) && s["local_port"] == port) {
            found = true;
          }
        }
        if (!found) mismatches.push_back(name + ": " + text);
      }
    }
  }
  for (const std::string& m : mismatches) UNSCOPED_INFO("not found: " << m);
  CHECK(compared > 0);
  CHECK(mismatches.empty());
}

TEST_CASE("the intrusion rules report the disguised bind shell and nothing on clean tasks", "[dataset]") {
  CommandResult raw;
  const json scan = drydock_json("scan --format json" + on_dataset(), &raw);
  INFO(raw.err);
  REQUIRE(raw.exit_code == 0);
  std::map<std::string, std::set<std::string>> by_rule;  // rule -> objects
  for (const json& f : scan["dumps"][0]["findings"]) {
    if (f["scope"] == "task") by_rule[f["rule"]].insert(f["object"].get<std::string>());
  }
  if (dataset().name == "docker-incident-6.12") {
    // SCENARIO.md: kworkerd (1151) in shop, a user process dressed as a kernel
    // worker, running busybox copied into the upper layer, listening on 4444.
    const std::set<std::string> kworkerd = {"1151"};
    CHECK(by_rule["disguised_kernel_thread"] == kworkerd);
    CHECK(by_rule["exe_from_upper_layer"] == kworkerd);
    CHECK(by_rule["suspicious_listener"] == kworkerd);
    bool port = false;
    for (const json& f : scan["dumps"][0]["findings"]) {
      if (f["rule"] != "suspicious_listener") continue;
      for (const json& e : f["evidence"]) {
        const std::string path = e["path"];
        port |= path.ends_with(".local_port") && e["value"] == 4444;
      }
    }
    CHECK(port);
  } else {
    // No intrusion: no task finding at all.
    CHECK(by_rule.empty());
  }
}
