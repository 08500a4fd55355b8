#pragma once
// JSON documents for every command. Strings from the dump may hold any bytes:
// serialise with to_json_text(), which keeps the output valid UTF-8 (invalid
// sequences become U+FFFD) and escapes control characters.

#include <string>

#include <nlohmann/json.hpp>

#include "engine/model/dump_model.hpp"

namespace drydock {

// The "dump" member every command prints: {path, format, banner, kernel_release, symbols}.
nlohmann::json dump_header_json(const DumpInfo& info);

// Serialises with two-space indentation (or one line when compact).
std::string to_json_text(const nlohmann::json& document, bool compact = false);

// {uts, ipc, mnt, net, pid, user, cgroup}: inode numbers, as tasks and containers print them.
nlohmann::json namespaces_json(const NamespaceSet& ns);

// "0x..." for addresses.
std::string hex_string(std::uint64_t value);

}  // namespace drydock
