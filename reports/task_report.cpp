#include "reports/task_report.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>

#include "reports/json_output.hpp"
#include "reports/text_escape.hpp"
#include "reports/time_format.hpp"

namespace drydock {

nlohmann::json task_json(const Task& t) {
  nlohmann::json j = {
      {"pid", t.pid},
      {"tgid", t.tgid},
      {"ppid", optional_json(t.ppid)},
      {"comm", t.comm},
      {"cmdline", t.cmdline ? nlohmann::json(*t.cmdline) : nlohmann::json(nullptr)},
      {"state", optional_json(t.state)},
      {"kernel_thread", optional_json(t.kernel_thread)},
      {"uid", optional_json(t.uid)},
      {"gid", optional_json(t.gid)},
      {"euid", optional_json(t.euid)},
      {"egid", optional_json(t.egid)},
      {"suid", optional_json(t.suid)},
      {"sgid", optional_json(t.sgid)},
      {"fsuid", optional_json(t.fsuid)},
      {"fsgid", optional_json(t.fsgid)},
      {"caps", t.caps ? nlohmann::json{{"inheritable", t.caps->inheritable},
                                         {"permitted", t.caps->permitted},
                                         {"effective", t.caps->effective},
                                         {"bounding", t.caps->bounding},
                                         {"ambient", t.caps->ambient}}
                      : nlohmann::json(nullptr)},
      {"seccomp", optional_json(t.seccomp_mode)},
      {"no_new_privs", optional_json(t.no_new_privs)},
      {"ns", namespaces_json(t.ns)},
      {"ns_pid", optional_json(t.ns_pid)},
      {"start_time", t.start_time_unix_ns ? nlohmann::json(iso8601_utc(*t.start_time_unix_ns)) : nlohmann::json(nullptr)},
      {"start_boottime_ns", optional_json(t.start_boottime_ns)},
      {"hostname", optional_json(t.hostname)},
      {"cgroups", t.cgroups},
      {"container_id", t.container_id ? nlohmann::json(*t.container_id) : nlohmann::json(nullptr)},
      {"exe", optional_json(t.exe)},
      {"exe_layer", optional_json(t.exe_layer)},
      {"address", hex_string(t.address)},
  };
  if (t.is_thread) j["thread"] = true;
  return j;
}

nlohmann::json issues_json(const std::vector<ExtractionIssue>& issues) {
  nlohmann::json out = nlohmann::json::array();
  for (const ExtractionIssue& i : issues) out.push_back(i.stage + ": " + i.message);
  return out;
}

std::string issues_text(const std::vector<ExtractionIssue>& issues) {
  if (issues.empty()) return {};
  std::string out = fmt::format("\n{} part(s) of the dump could not be read:\n", issues.size());
  for (const ExtractionIssue& i : issues) out += "  " + escape_text(i.stage + ": " + i.message) + "\n";
  return out;
}

nlohmann::json tasks_json(const DumpModel& model) {
  nlohmann::json tasks = nlohmann::json::array();
  for (const Task& t : model.tasks) tasks.push_back(task_json(t));
  return {{"dump", dump_header_json(model.info)}, {"tasks", tasks}, {"errors", issues_json(model.issues)}};
}

std::string tasks_text(const DumpModel& model) {
  std::string out = fmt::format("{:>7} {:>7} {:<16} {:>6} {:>6} {:<16} {:<10} {:<10} {:<12} {:<24} {}\n", "PID",
                                "PPID", "COMM", "UID", "EUID", "CAPEFF", "PIDNS", "NETNS", "CONTAINER", "STARTED",
                                "CMDLINE");
  for (const Task& t : model.tasks) {
    const std::string started = t.start_time_unix_ns ? iso8601_utc(*t.start_time_unix_ns).substr(0, 19) + "Z" : "-";
    const std::string cmd = t.kernel_thread == true ? "[" + t.comm + "]" : t.cmdline.value_or("-");
    const std::string caps = t.caps ? fmt::format("{:016x}", t.caps->effective) : std::string("-");
    out += fmt::format("{:>7} {:>7} {:<16} {:>6} {:>6} {} {:<10} {:<10} {:<12} {:<24} {}\n", t.pid,
                       optional_text(t.ppid), escape_text(t.comm), optional_text(t.uid), optional_text(t.euid), caps,
                       optional_text(t.ns.pid), optional_text(t.ns.net),
                       t.container_id ? t.container_id->substr(0, 12) : "-", started, escape_text(cmd));
  }
  return out + issues_text(model.issues);
}

std::string pstree_text(const DumpModel& model) {
  std::map<std::int32_t, std::vector<const Task*>> children;
  std::map<std::int32_t, const Task*> by_pid;
  for (const Task& t : model.tasks) by_pid.emplace(t.pid, &t);
  std::vector<const Task*> roots;
  for (const Task& t : model.tasks) {
    if (t.ppid && *t.ppid != t.pid && by_pid.count(*t.ppid)) {
      children[*t.ppid].push_back(&t);
    } else {
      roots.push_back(&t);
    }
  }
  std::string out;
  // Iterative depth-first walk: a hostile parent chain cannot overflow the stack,
  // and each task is printed once.
  std::vector<std::pair<const Task*, std::size_t>> stack;
  for (auto it = roots.rbegin(); it != roots.rend(); ++it) stack.emplace_back(*it, 0);
  std::map<std::int32_t, bool> printed;
  while (!stack.empty()) {
    auto [task, depth] = stack.back();
    stack.pop_back();
    if (printed[task->pid]) continue;
    printed[task->pid] = true;
    std::string label = fmt::format("{} {}", task->pid, escape_text(task->comm));
    if (task->euid != 0u) label += " euid=" + optional_text(task->euid);
    if (task->container_id) label += " [container " + task->container_id->substr(0, 12) + "]";
    if (task->exe_layer == "upper") label += " [exe " + escape_text(*task->exe) + " in the upper layer]";
    out += std::string(depth * 2, ' ') + (depth ? "└─ " : "") + label + "\n";
    auto kids = children.find(task->pid);
    if (kids == children.end()) continue;
    for (auto it = kids->second.rbegin(); it != kids->second.rend(); ++it) stack.emplace_back(*it, depth + 1);
  }
  return out + issues_text(model.issues);
}

}  // namespace drydock
