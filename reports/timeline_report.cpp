#include "reports/timeline_report.hpp"

#include <algorithm>
#include <tuple>

#include <fmt/format.h>

#include "reports/json_output.hpp"
#include "reports/time_format.hpp"

namespace drydock {
namespace {

struct Event {
  std::int64_t unix_ns = 0;
  nlohmann::json body;
};

Event make_event(std::int64_t unix_ns, std::string type, std::string desc, std::string message) {
  Event e;
  e.unix_ns = unix_ns;
  e.body = {{"message", std::move(message)},
            {"datetime", iso8601_utc(unix_ns)},
            // Floor division, so times before 1970 stay ordered.
            {"timestamp", unix_ns >= 0 ? unix_ns / 1000 : -((-unix_ns + 999) / 1000)},
            {"timestamp_desc", std::move(desc)},
            {"event_type", std::move(type)},
            {"source", "drydock"}};
  return e;
}

std::string container_label(const Container& c) { return c.name ? *c.name : c.id.substr(0, 12); }

}  // namespace

std::vector<nlohmann::json> timeline_events(const DumpModel& model) {
  std::vector<Event> events;
  if (model.info.boot_time_unix_ns) {
    events.push_back(make_event(*model.info.boot_time_unix_ns, "boot", "Boot Time",
                                fmt::format("Kernel {} booted", model.info.kernel_release)));
  }
  for (const Task& t : model.tasks) {
    if (!t.start_time_unix_ns) continue;
    Event e = make_event(*t.start_time_unix_ns, "process_start", "Process Start Time",
                         fmt::format("Process {} ({}) started{}", t.pid, t.comm,
                                     t.container_id ? " in container " + t.container_id->substr(0, 12) : ""));
    e.body["pid"] = t.pid;
    e.body["ppid"] = optional_json(t.ppid);
    e.body["comm"] = t.comm;
    e.body["cmdline"] = optional_json(t.cmdline);
    e.body["uid"] = optional_json(t.uid);
    e.body["kernel_thread"] = optional_json(t.kernel_thread);
    e.body["container_id"] = optional_json(t.container_id);
    events.push_back(std::move(e));
  }
  for (const Container& c : model.containers) {
    if (c.created_unix_ns) {
      Event e = make_event(*c.created_unix_ns, "container_created", "Container Creation Time",
                           fmt::format("Container {} created (init pid {}: {})", container_label(c), c.init_pid, c.command));
      e.body["container_id"] = c.id;
      e.body["container_name"] = optional_json(c.name);
      e.body["pid"] = c.init_pid;
      events.push_back(std::move(e));
    }
    if (!c.changes) continue;
    for (const FileChange& f : *c.changes) {
      const auto add = [&](const std::optional<std::int64_t>& when, const char* type, const char* desc, const char* verb) {
        if (!when) return;
        const std::string what = f.change == "deleted" ? fmt::format("{} deleted (whiteout)", f.path)
                                                       : fmt::format("{} {} {}", f.kind, f.path, verb);
        Event e = make_event(*when, type, desc, fmt::format("Container {}: {} in its upper layer", container_label(c), what));
        e.body["container_id"] = c.id;
        e.body["container_name"] = optional_json(c.name);
        e.body["path"] = f.path;
        e.body["kind"] = f.kind;
        e.body["change"] = f.change;
        e.body["size"] = optional_json(f.size);
        e.body["mode"] = f.mode_string;
        e.body["uid"] = optional_json(f.uid);
        e.body["sha256"] = optional_json(f.sha256);
        events.push_back(std::move(e));
      };
      add(f.mtime_unix_ns, "file_modified", "Content Modification Time", "modified");
      add(f.ctime_unix_ns, "file_changed", "Metadata Modification Time", "changed");
    }
  }
  std::stable_sort(events.begin(), events.end(), [](const Event& a, const Event& b) {
    return std::tie(a.unix_ns, a.body["event_type"].get_ref<const std::string&>(),
                    a.body["message"].get_ref<const std::string&>()) <
           std::tie(b.unix_ns, b.body["event_type"].get_ref<const std::string&>(),
                    b.body["message"].get_ref<const std::string&>());
  });
  std::vector<nlohmann::json> out;
  out.reserve(events.size());
  for (Event& e : events) out.push_back(std::move(e.body));
  return out;
}

std::string timeline_jsonl(const DumpModel& model) {
  std::string out;
  for (const nlohmann::json& e : timeline_events(model)) out += to_json_text(e, true) + "\n";
  return out;
}

}  // namespace drydock
