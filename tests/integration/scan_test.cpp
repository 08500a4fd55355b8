// `drydock scan` with the bundled rules. On each dataset: every container's
// configuration findings are those its engine's record and its init process
// imply, and each network segment shared by containers is one finding. On
// docker-basic: exactly the findings SCENARIO.md lists, each on the right
// container, none on the containers that must stay clean; the SARIF output
// validates; exit codes follow CONTRACT.md.

#include <algorithm>
#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include <catch2/catch.hpp>

#include "integration/ground_truth.hpp"
#include "integration/real_dump.hpp"

using namespace drydock::test;
using nlohmann::json;

namespace {

std::string symbols_arg() { return " --symbols " + shell_quote(docker_basic().isf) + " "; }

// Container name -> id, from the ground truth.
std::map<std::string, std::string> container_ids() {
  std::map<std::string, std::string> ids;
  for (const json& c : read_json_file(docker_basic().ground_truth("container-inits.json"))) ids[c["name"]] = c["id"];
  return ids;
}

// The severity of the rules whose findings the tests check it for.
const std::map<std::string, std::string>& rule_severities() {
  static const std::map<std::string, std::string> severity = {
      {"privileged_container", "critical"}, {"docker_socket_mounted", "critical"}, {"host_etc_writable", "high"},
      {"dangerous_capabilities_added", "high"}, {"host_network_namespace", "high"}, {"host_pid_namespace", "high"},
      {"host_etc_read_only", "low"}, {"container_engine_present", "info"}, {"shared_network_segment", "info"}};
  return severity;
}

bool under(const std::string& path, const std::string& dir) { return path == dir || path.rfind(dir + "/", 0) == 0; }

// The container rules (rules/containers.rules) a container's configuration
// calls for: from its engine's record (privileged, mounts, added
// capabilities, host namespaces, read-only root) and from its init process
// and the processes in its cgroup (processes.json: euid, seccomp,
// no_new_privs, comm).
std::set<std::string> configuration_findings(const InspectedContainer& c, const std::map<int, json>& processes) {
  const json& config = c.record["HostConfig"];
  const json& init = processes.at(c.record["State"]["Pid"].get<int>());
  const bool privileged = config["Privileged"].get<bool>();
  std::set<std::string> rules;
  if (privileged) rules.insert("privileged_container");
  if (init["euid"] == 0) rules.insert("runs_as_root");
  if (init["Seccomp"] == 0 && !privileged) rules.insert("seccomp_disabled");
  if (init["NoNewPrivs"] == 0) rules.insert("no_new_privileges_not_set");
  if (!config.value("ReadonlyRootfs", false)) rules.insert("writable_root_filesystem");
  for (const auto& [mode, rule] : {std::pair{"NetworkMode", "host_network_namespace"}, {"PidMode", "host_pid_namespace"},
                                   {"IpcMode", "host_ipc_namespace"}, {"UTSMode", "host_uts_namespace"}}) {
    if (config.value(mode, "") == "host") rules.insert(rule);
  }
  static const std::set<std::string> dangerous = {"SYS_ADMIN", "SYS_PTRACE", "SYS_MODULE", "DAC_READ_SEARCH", "NET_ADMIN",
                                                  "SYS_RAWIO", "SYS_BOOT", "SYS_TIME", "BPF", "PERFMON", "MAC_ADMIN",
                                                  "MAC_OVERRIDE", "LINUX_IMMUTABLE", "SYSLOG"};
  for (const json& cap : config.value("CapAdd", json::array())) {
    std::string name = cap;
    if (name.rfind("CAP_", 0) == 0) name = name.substr(4);
    if (dangerous.count(name) && !privileged) rules.insert("dangerous_capabilities_added");
  }
  static const std::regex socket("(^|/)(docker|containerd|podman|crio)\\.sock$");
  static const std::vector<std::string> sensitive = {"/boot", "/dev", "/proc", "/sys", "/root", "/usr", "/lib", "/bin",
                                                     "/sbin", "/var/lib/docker", "/var/lib/containers", "/var/lib/kubelet"};
  bool sensitive_rw = false, sensitive_ro = false;
  for (const json& m : c.record["Mounts"]) {
    const std::string source = m["Source"], destination = m["Destination"];
    const bool rw = m["RW"].get<bool>();
    if (std::regex_search(source, socket) || std::regex_search(destination, socket)) rules.insert("docker_socket_mounted");
    if (under(source, "/etc")) rules.insert(rw ? "host_etc_writable" : "host_etc_read_only");
    const bool is_sensitive = source == "/" || source == "/var/log" ||
                              std::any_of(sensitive.begin(), sensitive.end(), [&](const std::string& dir) { return under(source, dir); });
    (rw ? sensitive_rw : sensitive_ro) |= is_sensitive;
  }
  if (sensitive_rw) rules.insert("sensitive_host_path_writable");
  if (sensitive_ro && !sensitive_rw) rules.insert("sensitive_host_path_read_only");
  for (const auto& [pid, p] : processes) {
    const std::string comm = p["comm"];
    const bool in_container = std::any_of(p["cgroup"].begin(), p["cgroup"].end(), [&](const json& line) {
      return line.get<std::string>().find(c.record["Id"].get<std::string>()) != std::string::npos;
    });
    if (in_container && (comm == "sshd" || comm.rfind("sshd:", 0) == 0)) rules.insert("sshd_in_container");
  }
  return rules;
}

const json& scan_of_real_dump() {
  static const json result = drydock_json("scan --format json" + symbols_arg() + shell_quote(docker_basic().dump));
  return result;
}

}  // namespace

TEST_CASE("scan reports exactly the findings SCENARIO.md lists, on the right containers", "[real]") {
  const json& scan = scan_of_real_dump();
  REQUIRE(scan.contains("dumps"));
  REQUIRE(scan["dumps"].size() == 1);
  const json& dump = scan["dumps"][0];
  CHECK(dump["errors"].empty());

  // SCENARIO.md, "Expected findings": the hygiene findings (no-new-privileges,
  // writable root filesystem) apply to every container.
  const std::set<std::string> hygiene = {"no_new_privileges_not_set", "writable_root_filesystem"};
  const auto with = [&](std::set<std::string> extra) {
    extra.insert(hygiene.begin(), hygiene.end());
    return extra;
  };
  const std::map<std::string, std::set<std::string>> expected = {
      {"web", with({})},
      {"priv", with({"privileged_container", "runs_as_root"})},
      {"sock", with({"docker_socket_mounted", "runs_as_root"})},
      {"etcrw", with({"host_etc_writable", "runs_as_root"})},
      {"etcro", with({"runs_as_root", "host_etc_read_only"})},
      {"caps", with({"dangerous_capabilities_added", "runs_as_root"})},
      {"hostnet", with({"host_network_namespace", "runs_as_root"})},
      {"hostpid", with({"host_pid_namespace", "runs_as_root"})},
      {"app1", with({"runs_as_root"})},
      {"app2", with({"runs_as_root"})},
      {"multi", with({"runs_as_root"})},
      {"pod1", with({"runs_as_root"})},
  };
  const auto& severity = rule_severities();

  std::map<std::string, std::set<std::string>> got;
  std::vector<json> segments;
  std::set<std::string> host_rules;
  for (const json& f : dump["findings"]) {
    if (severity.count(f["rule"])) CHECK(f["severity"] == severity.at(f["rule"]));
    if (f["scope"] == "container") got[f["object"]].insert(f["rule"]);
    if (f["scope"] == "network") segments.push_back(f);
    if (f["scope"] == "host") host_rules.insert(f["rule"]);
    CHECK((f["scope"] == "container" || f["scope"] == "network" || f["scope"] == "host"));
  }
  const auto ids = container_ids();
  for (const auto& [name, rules] : expected) {
    INFO("container " << name);
    CHECK(got[ids.at(name)] == rules);
  }
  CHECK(host_rules == std::set<std::string>{"container_engine_present"});

  // One finding per shared segment, listing exactly its members.
  std::map<std::string, std::set<std::string>> members = {
      {"172.20.0.0/16", {"app1", "app2"}},
      {"172.17.0.0/16", {"web", "priv", "sock", "etcrw", "etcro", "caps", "hostpid", "multi"}}};
  REQUIRE(segments.size() == 2);
  for (const json& f : segments) {
    const std::string segment = f["object"];
    REQUIRE(members.count(segment));
    const std::string message = f["message"];
    for (const auto& [name, id] : ids) {
      const bool listed = message.find(id.substr(0, 12)) != std::string::npos;
      INFO(segment << " " << name);
      CHECK(listed == members[segment].count(name) > 0);
    }
  }
  // The capability finding names the added capabilities' bits (12 NET_ADMIN, 21 SYS_ADMIN).
  for (const json& f : dump["findings"]) {
    if (f["rule"] != "dangerous_capabilities_added") continue;
    bool found = false;
    for (const json& e : f["evidence"]) {
      if (e["path"] == "caps_effective") {
        const auto caps = std::stoull(e["value"].get<std::string>(), nullptr, 16);
        found = (caps & (1ULL << 12)) && (caps & (1ULL << 21));
      }
    }
    CHECK(found);
  }
  // Inventories come with the findings.
  CHECK(dump["containers"].size() == 12);
  CHECK(dump["tasks"].size() > 90);
  CHECK(dump["mounts"].size() > 100);
  CHECK(dump["interfaces"].size() > 20);
}

TEST_CASE("scan gives each container the findings its configuration calls for, and one per shared segment", "[dataset]") {
  CommandResult raw;
  const json scan = drydock_json("scan --format json" + on_dataset(), &raw);
  INFO(raw.err);
  REQUIRE(raw.exit_code == 0);
  REQUIRE(scan["dumps"].size() == 1);
  const json& dump = scan["dumps"][0];
  CHECK(dump["errors"].empty());
  std::map<int, json> processes;
  for (const json& p : read_json_file(dataset().ground_truth("processes.json"))) processes[p["pid"]] = p;

  std::map<std::string, std::set<std::string>> got;  // container id -> rules
  std::map<std::string, std::string> segment_messages;
  std::set<std::string> host_rules;
  for (const json& f : dump["findings"]) {
    if (rule_severities().count(f["rule"])) CHECK(f["severity"] == rule_severities().at(f["rule"]));
    // Findings about what a container changed come from its upper layer, not
    // its configuration: changes_test.cpp checks them against upperdirs/;
    // crossrules_test.cpp checks the intrusion rules that compare records.
    const auto& tags = f["tags"];
    const bool about_changes = std::find(tags.begin(), tags.end(), "changes") != tags.end() ||
                               std::find(tags.begin(), tags.end(), "intrusion") != tags.end();
    if (f["scope"] == "container" && !about_changes) got[f["object"]].insert(f["rule"]);
    if (f["scope"] == "network") segment_messages[f["object"]] = f["message"];
    if (f["scope"] == "host") host_rules.insert(f["rule"]);
  }
  CHECK(host_rules == std::set<std::string>{"container_engine_present"});

  std::map<std::string, std::set<std::string>> members;  // segment -> container ids
  for (const InspectedContainer& c : running_containers()) {
    const std::string id = c.record["Id"];
    INFO("container " << c.name());
    CHECK(got[id] == configuration_findings(c, processes));
    for (const Attachment& a : attachments(c)) members[a.segment].insert(id);
  }
  // One finding per segment two or more containers share, naming exactly them.
  std::set<std::string> shared;
  for (const auto& [segment, ids] : members) {
    if (ids.size() >= 2) shared.insert(segment);
  }
  std::set<std::string> reported;
  for (const auto& [segment, message] : segment_messages) reported.insert(segment);
  CHECK(reported == shared);
  for (const std::string& segment : shared) {
    if (!segment_messages.count(segment)) continue;
    for (const InspectedContainer& c : running_containers()) {
      const std::string id = c.record["Id"];
      INFO(segment << " " << c.name());
      // Members are listed by name where the engine's record gave one, else by short id.
      const std::string& message = segment_messages[segment];
      const bool listed = message.find(id.substr(0, 12)) != std::string::npos ||
                          message.find(" " + c.name()) != std::string::npos;
      CHECK(listed == members[segment].count(id) > 0);
    }
  }
}

TEST_CASE("scan's SARIF log validates against the SARIF 2.1.0 schema", "[real]") {
  const std::string out = std::string(DRYDOCK_WORK_DIR) + "/scan.sarif";
  CommandResult raw = run_drydock("scan --format sarif -o " + shell_quote(out) + symbols_arg() + shell_quote(docker_basic().dump));
  INFO(raw.err);
  REQUIRE(raw.exit_code == 0);
  const CommandResult check = validate_sarif(out);
  INFO(check.out << check.err);
  CHECK(check.exit_code == 0);
  const json log = read_json_file(out);
  const json& run = log["runs"][0];
  REQUIRE(run["artifacts"].size() == 1);
  CHECK(run["artifacts"][0]["hashes"]["sha-256"] == "827de8d18591bb36ba69a64de7e5218edaee13371316e782b602e2d55623ecf5");
  for (const json& r : run["results"]) {
    CHECK(r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"].is_string());
    CHECK(r["locations"][0]["logicalLocations"][0]["name"].is_string());
    CHECK(r["partialFingerprints"].size() == 1);
  }
}

TEST_CASE("scan exit codes follow the contract", "[real]") {
  const std::string lime = shell_quote(docker_basic().dump);
  SECTION("no --fail-on: 0 even with findings") { CHECK(run_drydock("scan -q" + symbols_arg() + lime).exit_code == 0); }
  SECTION("--fail-on critical with a critical finding: 1") {
    CHECK(run_drydock("scan -q --fail-on critical" + symbols_arg() + lime).exit_code == 1);
  }
  SECTION("--fail-on with nothing at that level: 0") {
    const std::string rules = std::string(DRYDOCK_WORK_DIR) + "/quiet.rules";
    std::ofstream(rules) << "rule never on host { meta: severity = \"high\" description = \"never\" condition: false }\n";
    CHECK(run_drydock("scan -q --no-default-rules --rules " + shell_quote(rules) + " --fail-on info" + symbols_arg() + lime)
              .exit_code == 0);
  }
  SECTION("an unreadable dump beside a good one: 0, and 2 with --strict") {
    const std::string bad = std::string(DRYDOCK_WORK_DIR) + "/not-a-dump.bin";
    std::ofstream(bad) << "hello";
    const CommandResult loose = run_drydock("scan --format json" + symbols_arg() + lime + " " + shell_quote(bad));
    CHECK(loose.exit_code == 0);
    const json j = json::parse(loose.out, nullptr, false);
    REQUIRE(!j.is_discarded());
    CHECK(j["dumps"].size() == 2);
    CHECK(j["dumps"][0]["findings"].size() > 10);
    CHECK(j["dumps"][1]["errors"].size() == 1);
    CHECK(run_drydock("scan -q --strict" + symbols_arg() + lime + " " + shell_quote(bad)).exit_code == 2);
    CHECK(run_drydock("scan -q" + symbols_arg() + shell_quote(bad)).exit_code == 2);
  }
  SECTION("a rule syntax error: 2, with file:line:col") {
    const std::string rules = std::string(DRYDOCK_WORK_DIR) + "/broken.rules";
    std::ofstream(rules) << "rule broken on container {\n  condition: eiud == 0\n}\n";
    const CommandResult r = run_drydock("scan --rules " + shell_quote(rules) + symbols_arg() + lime);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("broken.rules:2:14") != std::string::npos);
  }
}

TEST_CASE("scan output is the same for any number of threads", "[real]") {
  const std::string args = " --format json" + symbols_arg() + shell_quote(docker_basic().dump);
  const CommandResult one = run_drydock("scan -j 1" + args);
  const CommandResult two = run_drydock("scan -j 2" + args);
  REQUIRE(one.exit_code == 0);
  CHECK(one.out == two.out);
}

TEST_CASE("scan of a directory and of an archive finds the dumps inside", "[real]") {
  // A directory holding the repository sample, and a tar of it.
  const std::string sample = std::string(DRYDOCK_SOURCE_DIR) + "/tests/data/sample";
  const std::string isf = " --symbols " + shell_quote(sample + "/docker-basic-sample.json.xz") + " ";
  const std::string tar = std::string(DRYDOCK_WORK_DIR) + "/sample.tar";
  REQUIRE(run_shell("tar -C " + shell_quote(sample) + " -cf " + shell_quote(tar) + " docker-basic-sample.lime.zst")
              .exit_code == 0);
  const json from_tar = drydock_json("scan --format json" + isf + shell_quote(tar));
  REQUIRE(from_tar["dumps"].size() == 1);
  CHECK(from_tar["dumps"][0]["dump"]["path"] == tar + ":docker-basic-sample.lime.zst");
  CHECK(from_tar["dumps"][0]["findings"].size() == 45);
  CommandResult raw = run_drydock("scan --format jsonl" + isf + shell_quote(sample));
  // The directory holds the dump, its ISF and a README: one line per file, the
  // non-dumps with their error; the exit code is 0 because one dump was scanned.
  CHECK(raw.exit_code == 0);
  std::size_t lines = 0, scanned = 0;
  std::istringstream in(raw.out);
  for (std::string line; std::getline(in, line); ++lines) {
    const json j = json::parse(line);
    if (!j["findings"].empty()) ++scanned;
  }
  CHECK(lines == 3);
  CHECK(scanned == 1);
}

TEST_CASE("scan shares --max-memory among the dumps scanned at once, and a dump past its share keeps what fit", "[real]") {
  const std::string lime = shell_quote(docker_basic().dump);
  // Two dumps at once share 1 MiB: 512 KiB each, less than this dump's
  // mounts need. Both are cut the same way, say so, and are still scanned.
  CommandResult raw;
  const json tight = drydock_json("scan --format json -j 2 --max-memory 1M" + symbols_arg() + lime + " " + lime, &raw);
  CHECK(raw.exit_code == 0);
  REQUIRE(tight["dumps"].size() == 2);
  for (const json& dump : tight["dumps"]) {
    const std::string errors = dump["errors"].dump();
    CHECK_THAT(errors, Catch::Contains("memory budget of 512 KiB for this dump is used up"));
    CHECK(dump["dump"]["memory"]["budget_bytes"] == 512 * 1024);
    CHECK(dump["dump"]["memory"]["used_bytes"].get<std::uint64_t>() <= 512 * 1024);
    CHECK(dump["tasks"].size() == scan_of_real_dump()["dumps"][0]["tasks"].size());  // tasks come first and fit
    CHECK(dump["mounts"].size() < scan_of_real_dump()["dumps"][0]["mounts"].size());
  }
  CHECK(tight["dumps"][0]["mounts"] == tight["dumps"][1]["mounts"]);
  // The same two dumps with room: complete, nothing about the budget.
  const json roomy = drydock_json("scan --format json -j 2 --max-memory 64M" + symbols_arg() + lime + " " + lime);
  CHECK_THAT(roomy.dump(), !Catch::Contains("memory budget"));
  CHECK(roomy["dumps"][0]["dump"]["memory"]["budget_bytes"] == 32 << 20);
  CHECK(roomy["dumps"][0]["dump"]["memory"]["used_bytes"] > 0);
  CHECK(roomy["dumps"][0]["mounts"] == scan_of_real_dump()["dumps"][0]["mounts"]);
}

TEST_CASE("scan refuses a --max-memory that is not a size", "[real]") {
  const CommandResult r = run_drydock("scan --max-memory 2X" + symbols_arg() + shell_quote(docker_basic().dump));
  CHECK(r.exit_code == 2);
  CHECK_THAT(r.err, Catch::Contains("--max-memory: expected a size such as 512M, 2G or 1.5GiB, got '2X'"));
}
