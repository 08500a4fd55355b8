// Issue 16, done-when: rules written as a user would (addresses, allow-lists
// and thresholds from -d, counting) check and scan correctly on docker-basic.
// Expectations come from ground-truth/ (container-inits.json,
// docker-inspect.json, processes.json), never from drydock's own output.

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <map>
#include <set>

#include <catch2/catch.hpp>

#include "integration/ground_truth.hpp"
#include "integration/real_dump.hpp"

using namespace drydock::test;
using nlohmann::json;

namespace {

constexpr const char* kUserRules = R"RULES(external trusted = "172.16.0.0/12"
external allowed_root = ["systemd"]
external max_priv = 0

rule outside_trusted on container {
  meta: severity = "medium" description = "Address outside the trusted range" message = "{label}: outside {external.trusted}"
  condition: any n in networks : (not cidr(n.ipv4, external.trusted))
}

rule outside_appnet on container {
  meta: severity = "low" description = "Address outside 172.20.0.0/16"
  condition: any n in networks : (not cidr(n.ipv4, "172.20.0.0/16"))
}

rule unexpected_root_process on task {
  meta: severity = "high" description = "Root host process not in the allow-list" message = "{comm} ({pid})"
  condition: euid == 0 and not kernel_thread and not defined(container) and not (comm in external.allowed_root)
}

rule too_many_privileged on host {
  meta: severity = "high" description = "More privileged containers than allowed"
  condition: count(c in containers : c.privileged) > external.max_priv
}

rule busy_container on container {
  meta: severity = "info" description = "More than 2 live processes"
  condition: count(t in tasks : t.state != "zombie" and t.state != "dead") > 2
}
)RULES";

std::string rules_file() {
  const std::string path = work_dir() + "/issue16-user.rules";
  std::ofstream(path) << kUserRules;
  return path;
}

// Container name -> id, and the ipv4 addresses each has (ground truth).
std::map<std::string, std::string> ids_by_name() {
  std::map<std::string, std::string> ids;
  for (const json& c : read_json_file(docker_basic().ground_truth("container-inits.json"))) ids[c["name"]] = c["id"];
  return ids;
}

std::map<std::string, std::vector<std::string>> addresses_by_id() {
  std::map<std::string, std::vector<std::string>> out;
  for (const json& c : read_json_file(docker_basic().ground_truth("docker-inspect.json"))) {
    for (const auto& [net, settings] : c["NetworkSettings"]["Networks"].items()) {
      const std::string ip = settings["IPAddress"];
      if (!ip.empty()) out[c["Id"]].push_back(ip);
    }
  }
  for (const json& c : read_json_file(docker_basic().ground_truth("podman-inspect.json"))) {
    for (const auto& [net, settings] : c["NetworkSettings"]["Networks"].items()) {
      const std::string ip = settings["IPAddress"];
      if (!ip.empty()) out[c["Id"]].push_back(ip);
    }
  }
  return out;
}

bool inside(const std::string& ip, unsigned a, unsigned b, unsigned prefix) {
  unsigned x[4] = {};
  if (std::sscanf(ip.c_str(), "%u.%u.%u.%u", &x[0], &x[1], &x[2], &x[3]) != 4) return false;
  const std::uint32_t addr = x[0] << 24 | x[1] << 16 | x[2] << 8 | x[3];
  const std::uint32_t net = a << 24 | b << 16;
  const std::uint32_t mask = prefix == 0 ? 0 : ~std::uint32_t{0} << (32 - prefix);
  return (addr & mask) == (net & mask);
}

// The root user-space processes of the host, by comm, from processes.json: a
// process is in a container when its cgroup names a container's id (host
// services may have private mount namespaces, so namespaces do not tell).
std::set<std::string> root_host_comms() {
  std::vector<std::string> ids;
  for (const json& c : read_json_file(docker_basic().ground_truth("container-inits.json"))) ids.push_back(c["id"]);
  std::set<std::string> comms;
  for (const json& p : read_json_file(docker_basic().ground_truth("processes.json"))) {
    if (p["kthread"].get<bool>() || p["uid"][1] != 0) continue;
    const std::string cgroup = p["cgroup"].dump();
    if (std::any_of(ids.begin(), ids.end(), [&](const std::string& id) { return cgroup.find(id) != std::string::npos; })) {
      continue;
    }
    comms.insert(p["comm"].get<std::string>());
  }
  return comms;
}

// rule -> set of finding objects.
std::map<std::string, std::set<std::string>> findings(const std::string& extra) {
  const json result = drydock_json("scan --format json --no-default-rules --rules " + shell_quote(rules_file()) + " " +
                                   extra + " --symbols " + shell_quote(docker_basic().isf) + " " +
                                   shell_quote(docker_basic().dump));
  std::map<std::string, std::set<std::string>> out;
  for (const json& f : result["dumps"][0]["findings"]) out[f["rule"]].insert(f["object"].get<std::string>());
  return out;
}

std::string allow_list(const std::set<std::string>& comms) {
  std::string list;
  for (const auto& c : comms) list += (list.empty() ? "" : ",") + c;
  return list;
}

}  // namespace

TEST_CASE("user rules: rules check compiles them as scan does", "[real][rules]") {
  const CommandResult ok = run_drydock("rules check " + shell_quote(rules_file()) + " -d max_priv=1");
  INFO(ok.out << ok.err);
  CHECK(ok.exit_code == 0);
  CHECK(ok.err.empty());
  // A misspelt -d is a warning, and an error with --strict.
  const CommandResult typo = run_drydock("rules check " + shell_quote(rules_file()) + " -d max_prv=1");
  CHECK(typo.exit_code == 0);
  CHECK(typo.err.find("warning[W002]") != std::string::npos);
  CHECK(typo.err.find("did you mean `max_priv`?") != std::string::npos);
  CHECK(run_drydock("rules check --strict " + shell_quote(rules_file()) + " -d max_prv=1").exit_code == 2);
  // The README's example of a rule named like a bundled one fails check as it fails scan...
  const std::string dup = work_dir() + "/issue16-dup.rules";
  std::ofstream(dup) << "rule runs_as_root on container { meta: severity = \"low\" description = \"d\" condition: euid == 0 }\n";
  const CommandResult clash = run_drydock("rules check " + shell_quote(dup));
  CHECK(clash.exit_code == 2);
  CHECK(clash.err.find("error[E010]") != std::string::npos);
  CHECK(run_drydock("rules list --rules " + shell_quote(dup)).exit_code == 2);
  // ... and `override rule` makes it a replacement.
  std::ofstream(dup) << "override rule runs_as_root on container { meta: severity = \"low\" description = \"d\" condition: euid == 0 }\n";
  CHECK(run_drydock("rules check " + shell_quote(dup)).exit_code == 0);
  // An unknown --tag warns (W001); a file that is not *.rules in a rule directory is skipped with a warning (W003).
  const std::string dir = work_dir() + "/issue16-rules-dir";
  std::filesystem::create_directories(dir);
  std::ofstream(dir + "/mine.rules") << kUserRules;
  std::ofstream(dir + "/mine.rule") << "rule typo_in_name on host { condition: true }\n";
  const CommandResult warned = run_drydock("rules check --rules " + shell_quote(dir) + " --tag nosuch");
  CHECK(warned.exit_code == 0);
  CHECK(warned.err.find("warning[W001]: --tag nosuch") != std::string::npos);
  CHECK(warned.err.find("mine.rule: warning[W003]") != std::string::npos);
  CHECK(run_drydock("scan -q --tag nosuch --strict --symbols " + shell_quote(docker_basic().isf) + " " +
                    shell_quote(docker_basic().dump))
            .exit_code == 2);
}

TEST_CASE("user rules: addresses, allow-lists and thresholds on docker-basic", "[real][rules]") {
  const auto ids = ids_by_name();
  const auto addresses = addresses_by_id();
  const auto comms = root_host_comms();
  REQUIRE(comms.count("systemd") == 1);
  REQUIRE(comms.count("systemd-journal") == 1);  // the prefix that `contains` wrongly matched
  auto got = findings("-d trusted=172.16.0.0/12 -d allowed_root=" + shell_quote(allow_list(comms)));

  std::set<std::string> outside_trusted, outside_appnet;
  for (const auto& [id, ips] : addresses) {
    for (const auto& ip : ips) {
      if (!inside(ip, 172, 16, 12)) outside_trusted.insert(id);
      if (!inside(ip, 172, 20, 16)) outside_appnet.insert(id);
    }
  }
  // Only pod1 (Podman's 10.88.0.0/16); docker0 and appnet lie inside 172.16.0.0/12.
  CHECK(outside_trusted == std::set<std::string>{ids.at("pod1")});
  CHECK(got["outside_trusted"] == outside_trusted);
  // Every container with an address but app1 and app2; hostnet has none of its own.
  CHECK(outside_appnet.count(ids.at("app1")) == 0);
  CHECK(outside_appnet.count(ids.at("hostnet")) == 0);
  CHECK(outside_appnet.size() == ids.size() - 3);
  CHECK(got["outside_appnet"] == outside_appnet);
  // Every root host process is in the list: nothing to report.
  CHECK(got["unexpected_root_process"].empty());
  CHECK(got["too_many_privileged"] == std::set<std::string>{"host"});  // priv, with -d max_priv=0 by default
  CHECK(got["busy_container"] == std::set<std::string>{ids.at("multi")});

  auto without_systemd = comms;
  without_systemd.erase("systemd");
  const auto flagged = findings("-d max_priv=1 -d allowed_root=" + shell_quote(allow_list(without_systemd)));
  CHECK(flagged.count("too_many_privileged") == 0);
  CHECK(flagged.at("unexpected_root_process") == std::set<std::string>{"1"});

  // The same list from a file, one name a line.
  const std::string list_file = work_dir() + "/issue16-allowed.txt";
  {
    std::ofstream out(list_file);
    out << "# root processes allowed on the host\n";
    for (const auto& c : without_systemd) out << c << "\n";
  }
  CHECK(findings("-d allowed_root=@" + shell_quote(list_file)).at("unexpected_root_process") ==
        std::set<std::string>{"1"});
}

TEST_CASE("user rules: two scans give the same SARIF fingerprints, and the log passes GitHub's checks", "[real][sarif]") {
  std::vector<json> logs;
  for (int i = 0; i < 2; ++i) {
    const std::string out = work_dir() + "/issue16-" + std::to_string(i) + ".sarif";
    const CommandResult raw = run_drydock("scan --format sarif --sarif-uri-base dumps/docker-basic -o " + shell_quote(out) +
                                          " --rules " + shell_quote(rules_file()) + " --symbols " +
                                          shell_quote(docker_basic().isf) + " " + shell_quote(docker_basic().dump));
    INFO(raw.err);
    REQUIRE(raw.exit_code == 0);
    const CommandResult check = validate_sarif(out);
    INFO(check.out << check.err);
    CHECK(check.exit_code == 0);
    logs.push_back(read_json_file(out));
  }
  const json& a = logs[0]["runs"][0];
  const json& b = logs[1]["runs"][0];
  const std::string host = read_json_file(docker_basic().ground_truth("meta.json"))["hostname"];
  CHECK(a["automationDetails"]["id"] == "drydock/" + host + "/");
  CHECK(a["artifacts"][0]["location"]["uri"] == "dumps/docker-basic/memory.lime");
  REQUIRE(a["results"].size() == b["results"].size());
  std::set<std::string> distinct;
  for (std::size_t i = 0; i < a["results"].size(); ++i) {
    CHECK(a["results"][i]["partialFingerprints"] == b["results"][i]["partialFingerprints"]);
    distinct.insert(a["results"][i]["partialFingerprints"]["drydockFinding/v2"].get<std::string>());
  }
  CHECK(distinct.size() == a["results"].size());
}
