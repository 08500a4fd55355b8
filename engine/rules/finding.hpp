#pragma once
// What a rule match reports. Plain values, safe to copy and to hand to any
// thread; reports turn them into text, JSON or SARIF.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace drydock::rules {

enum class Severity : std::uint8_t { info, low, medium, high, critical };

std::string_view to_string(Severity severity);
std::optional<Severity> parse_severity(std::string_view text);

// A meta value as written in the rule: string, integer or boolean.
using MetaValue = std::variant<std::string, std::int64_t, bool>;

struct MetaEntry {
  std::string key;
  MetaValue value;
};

// A value that made a rule true. Lists appear when a rule tested membership.
// Strings longer than 256 bytes are cut and end in "...".
using EvidenceValue = std::variant<std::monostate, std::int64_t, bool, std::string, std::vector<std::string>>;

struct Evidence {
  std::string path;  // "euid", "mounts[3].source", "len(tasks)"
  EvidenceValue value;
  bool hex = false;  // the integer is a bit mask: show it in hex
};

std::string to_display_string(const EvidenceValue& value, bool hex = false);

struct Finding {
  std::string rule;
  Severity severity = Severity::info;
  std::vector<std::string> tags;
  std::vector<MetaEntry> meta;  // every meta entry, in rule order
  std::string message;       // placeholders filled like evidence values (strings cut at 256 bytes)
  std::string scope;         // a scope of the kind table (schema.hpp): "host", "container", "task", ...
  std::string object;        // container id, pid, "mnt_ns:mount_id", "net_ns:name", segment, "host"
  std::string object_label;  // container name, comm, mount path, interface name, bridge, kernel release
                             // (cut at 256 bytes)
  std::vector<Evidence> evidence;
  std::string identity;         // stable object identity for fingerprints: container id, "pid N started T", ...
  std::string container_id;     // the container a task, mount or interface belongs to; empty if none
  std::string container_label;  // its name (or short id)
  std::string title;            // text reports' heading: "task sleep (pid 12)", "container 3a6aa54f0998 (priv)", ...
};

}  // namespace drydock::rules
