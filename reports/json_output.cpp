#include "reports/json_output.hpp"

#include <fmt/format.h>

namespace drydock {

nlohmann::json dump_header_json(const DumpInfo& info) {
  return {{"path", info.path},
          {"format", info.format},
          {"compression", info.compression},
          {"banner", info.banner},
          {"kernel_release", info.kernel_release},
          {"symbols", info.symbols}};
}

std::string to_json_text(const nlohmann::json& document, bool compact) {
  return document.dump(compact ? -1 : 2, ' ', false, nlohmann::json::error_handler_t::replace);
}

std::string to_ordered_json_text(const nlohmann::ordered_json& document, bool compact) {
  return document.dump(compact ? -1 : 2, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

nlohmann::json namespaces_json(const NamespaceSet& ns) {
  return {{"uts", optional_json(ns.uts)}, {"ipc", optional_json(ns.ipc)},   {"mnt", optional_json(ns.mnt)},
          {"net", optional_json(ns.net)}, {"pid", optional_json(ns.pid)},   {"user", optional_json(ns.user)},
          {"cgroup", optional_json(ns.cgroup)}};
}

std::string hex_string(std::uint64_t value) { return fmt::format("{:#x}", value); }

nlohmann::json access_json(const std::optional<bool>& read_only) {
  return read_only ? nlohmann::json(*read_only ? "ro" : "rw") : nlohmann::json(nullptr);
}

std::string access_text(const std::optional<bool>& read_only) { return read_only ? (*read_only ? "ro" : "rw") : "-"; }

}  // namespace drydock
