// `drydock ps` on each dataset against the processes the guest kernel
// reported through /proc just before the image was taken
// (ground-truth/processes.json), field by field.
//
// Allowed differences, documented in each SCENARIO.md: the collector's own
// pids (meta.json excluded_collector_pids) are gone from the image, and
// workqueue kernel threads (kworker/*) come and go; /proc/PID/comm of a
// kworker carries a "-<workqueue>" suffix that task_struct.comm does not. A
// user process named like one (docker-incident-6.12's kworkerd) gets none of
// this.

#include <map>
#include <set>
#include <sstream>

#include <catch2/catch.hpp>

#include "integration/real_dump.hpp"

using namespace drydock::test;
using nlohmann::json;

namespace {

// A workqueue worker: a kernel thread named kworker/<cpu>:<id>[-<workqueue>].
bool is_kworker(const json& kthread, const std::string& comm) {
  return kthread.get<bool>() && comm.rfind("kworker/", 0) == 0;
}

std::uint64_t hex(const json& j) { return std::stoull(j.get<std::string>(), nullptr, 16); }

}  // namespace

TEST_CASE("ps matches the kernel's own /proc for every process", "[dataset]") {
  CommandResult raw;
  const json ps = drydock_json("ps --format json" + on_dataset(), &raw);
  INFO(raw.err);
  REQUIRE(raw.exit_code == 0);
  const json truth = read_json_file(dataset().ground_truth("processes.json"));

  std::map<int, json> ours;
  for (const json& t : ps["tasks"]) ours[t["pid"].get<int>()] = t;

  std::vector<std::string> mismatches;
  std::set<int> seen;
  for (const json& p : truth) {
    const int pid = p["pid"];
    seen.insert(pid);
    const std::string comm = p["comm"];
    auto it = ours.find(pid);
    if (it == ours.end()) {
      if (!is_kworker(p["kthread"], comm)) mismatches.push_back("missing pid " + std::to_string(pid));
      continue;
    }
    const json& t = it->second;
    const auto expect = [&](const std::string& field, const json& want, const json& got) {
      if (want != got) {
        std::ostringstream s;
        s << "pid " << pid << " (" << comm << ") " << field << ": want " << want << ", got " << got;
        mismatches.push_back(s.str());
      }
    };
    if (is_kworker(p["kthread"], comm)) {
      if (comm.rfind(t["comm"].get<std::string>(), 0) != 0) expect("comm", comm, t["comm"]);
    } else {
      expect("comm", comm, t["comm"]);
    }
    expect("ppid", p["ppid"], t["ppid"]);
    expect("kernel_thread", p["kthread"], t["kernel_thread"]);
    expect("uid", p["ruid"], t["uid"]);
    expect("gid", p["rgid"], t["gid"]);
    expect("euid", p["euid"], t["euid"]);
    expect("egid", p["egid"], t["egid"]);
    expect("fsuid", p["fsuid"], t["fsuid"]);
    expect("caps.inheritable", hex(p["CapInh"]), t["caps"]["inheritable"]);
    expect("caps.permitted", hex(p["CapPrm"]), t["caps"]["permitted"]);
    expect("caps.effective", hex(p["CapEff"]), t["caps"]["effective"]);
    expect("caps.bounding", hex(p["CapBnd"]), t["caps"]["bounding"]);
    expect("caps.ambient", hex(p["CapAmb"]), t["caps"]["ambient"]);
    for (const char* ns : {"uts", "ipc", "mnt", "net", "pid", "user", "cgroup"}) {
      expect(std::string("ns.") + ns, p["ns"][ns], t["ns"][ns]);
    }
    expect("ns_pid", p["NSpid"].back(), t["ns_pid"]);
    expect("seccomp", p["Seccomp"], t["seccomp"]);
    expect("no_new_privs", p["NoNewPrivs"].get<int>() != 0, t["no_new_privs"]);
    if (!p["kthread"].get<bool>()) {
      std::string want;
      for (const json& arg : p["cmdline"]) {
        if (!want.empty()) want.push_back(' ');
        want.append(arg.get<std::string>());
      }
      expect("cmdline", want, t["cmdline"]);
    }
    const double boot_s = t["start_boottime_ns"].get<double>() / 1e9;
    if (std::abs(boot_s - p["start_time_since_boot_s"].get<double>()) > 1.0) {
      expect("start_time_since_boot_s", p["start_time_since_boot_s"], boot_s);
    }
    if (!t["start_time"].is_string()) expect("start_time", "a timestamp", t["start_time"]);
  }
  const json meta = read_json_file(dataset().ground_truth("meta.json"));
  std::set<int> excluded(meta["excluded_collector_pids"].begin(), meta["excluded_collector_pids"].end());
  for (const auto& [pid, t] : ours) {
    if (seen.count(pid)) continue;
    const bool tolerated = is_kworker(t["kernel_thread"], t["comm"]);
    if (!tolerated) mismatches.push_back("extra pid " + std::to_string(pid) + " (" + t["comm"].get<std::string>() + ")");
    CHECK_FALSE(excluded.count(pid));
  }
  for (const std::string& m : mismatches) UNSCOPED_INFO(m);
  CHECK(mismatches.empty());
  CHECK(ps["errors"].empty());
}

TEST_CASE("ps start times are wall-clock times from the kernel's timekeeper", "[dataset]") {
  const json ps = drydock_json("ps --format json" + on_dataset());
  const json truth = read_json_file(dataset().ground_truth("processes.json"));
  REQUIRE(ps.contains("tasks"));
  // PID 1 started at boot: its start time is the boot time btime.
  for (const json& t : ps["tasks"]) {
    if (t["pid"] != 1) continue;
    const std::string iso = t["start_time"];
    std::tm tm{};
    REQUIRE(strptime(iso.c_str(), "%Y-%m-%dT%H:%M:%S", &tm) != nullptr);
    const long long seconds = timegm(&tm);
    for (const json& p : truth) {
      if (p["pid"] == 1) CHECK(std::llabs(seconds - static_cast<long long>(p["start_time_unix"].get<double>())) <= 1);
    }
  }
}
