#pragma once
// JSON documents for every command. Strings from the dump may hold any bytes:
// serialise with to_json_text(), which keeps the output valid UTF-8 (invalid
// sequences become U+FFFD) and escapes control characters.

#include <optional>
#include <string>
#include <type_traits>

#include <nlohmann/json.hpp>

#include "engine/model/dump_model.hpp"

namespace drydock {

// The "dump" member every command prints: {path, format, banner, kernel_release, symbols}.
nlohmann::json dump_header_json(const DumpInfo& info);

// Serialises with two-space indentation (or one line when compact).
std::string to_json_text(const nlohmann::json& document, bool compact = false);
// The same for a document whose objects keep their members in insertion order.
std::string to_ordered_json_text(const nlohmann::ordered_json& document, bool compact = false);

// {uts, ipc, mnt, net, pid, user, cgroup}: inode numbers, as tasks and containers print them.
nlohmann::json namespaces_json(const NamespaceSet& ns);

// A value drydock may not know: the value, or null when unknown.
template <typename T>
nlohmann::json optional_json(const std::optional<T>& value) {
  return value ? nlohmann::json(*value) : nlohmann::json(nullptr);
}

// A mount's access as reports show it: "ro" or "rw"; null (JSON) or "-"
// (text) when its flags could not be read.
nlohmann::json access_json(const std::optional<bool>& read_only);
std::string access_text(const std::optional<bool>& read_only);

// The text form of a value that may be unknown: "-" for unknown (CONTRACT.md).
template <typename T>
std::string optional_text(const std::optional<T>& value) {
  if (!value) return "-";
  if constexpr (std::is_same_v<T, bool>) {
    return *value ? "yes" : "no";
  } else if constexpr (std::is_convertible_v<T, std::string>) {
    return std::string(*value);
  } else {
    return std::to_string(*value);
  }
}

// "0x..." for addresses.
std::string hex_string(std::uint64_t value);

}  // namespace drydock
