#include "engine/containers/engine_records.hpp"

#include <algorithm>
#include <map>

#include <fmt/format.h>

namespace drydock {
namespace {

bool is_hex_id(std::string_view s) {
  return s.size() == 64 && std::all_of(s.begin(), s.end(), [](char c) {
           return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
         });
}

// The path's components.
std::vector<std::string_view> components(std::string_view path) {
  std::vector<std::string_view> out;
  while (!path.empty()) {
    const auto slash = path.find('/');
    if (slash != 0) out.push_back(path.substr(0, slash));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

}  // namespace

const std::vector<std::string>& record_directories() {
  static const std::vector<std::string> kDirs = {
      "/var/lib/docker/containers",                       // Docker: config.v2.json, hostconfig.json
      "/run/containerd/io.containerd.runtime.v2.task",    // containerd bundles: config.json (OCI spec)
      "/run/containerd/runc",                             // runc state under containerd: <ns>/<id>/state.json
      "/run/runc",                                        // runc state when run alone
      "/run/containers/storage/overlay-containers",       // Podman (tmpfs)
      "/var/lib/containers/storage/overlay-containers"};  // Podman (disk; in memory when cached)
  return kDirs;
}

std::optional<RecordPath> classify_record_path(std::string_view path) {
  const auto parts = components(path);
  if (parts.size() < 3) return std::nullopt;
  const std::string_view file = parts.back(), parent = parts[parts.size() - 2];
  using K = RecordPath::Kind;
  const bool docker = path.starts_with("/var/lib/docker/containers/") && parts.size() == 6;
  if (docker && is_hex_id(parent) && file == "config.v2.json") return RecordPath{K::docker_config, std::string(parent)};
  if (docker && is_hex_id(parent) && file == "hostconfig.json") return RecordPath{K::docker_hostconfig, std::string(parent)};
  if (path.starts_with("/run/containerd/io.containerd.runtime.v2.task/") && parts.size() == 6 && is_hex_id(parent) &&
      file == "config.json") {
    return RecordPath{K::oci_spec, std::string(parent)};
  }
  if (path.find("/storage/overlay-containers/") != std::string_view::npos && parts.size() >= 4 &&
      parent == "userdata" && is_hex_id(parts[parts.size() - 3]) && file == "config.json") {
    return RecordPath{K::oci_spec, std::string(parts[parts.size() - 3])};
  }
  if ((path.starts_with("/run/containerd/runc/") || path.starts_with("/run/runc/")) && is_hex_id(parent) &&
      file == "state.json") {
    return RecordPath{K::runc_state, std::string(parent)};
  }
  return std::nullopt;
}

void attach_engine_records(std::vector<Container>& containers, const std::vector<RecordFile>& files,
                           const RecordParseOptions& options) {
  // Files by container id, the engine's own files first (they name the container).
  std::map<std::string, std::vector<std::pair<RecordPath, const RecordFile*>>> by_id;
  for (const RecordFile& f : files) {
    if (auto kind = classify_record_path(f.path)) by_id[kind->id].emplace_back(*kind, &f);
  }
  for (auto& [id, list] : by_id) {
    std::stable_sort(list.begin(), list.end(), [](const auto& a, const auto& b) { return a.first.kind < b.first.kind; });
  }
  for (Container& c : containers) {
    auto it = by_id.find(c.id);
    if (it == by_id.end()) {
      c.record_errors.push_back(fmt::format("no engine record of {} in the dentry cache (looked under {})",
                                            c.id.substr(0, 12), fmt::join(record_directories(), ", ")));
      continue;
    }
    EngineRecord record;
    for (const auto& [kind, file] : it->second) {
      if (!file->content) {
        c.record_errors.push_back(file->path + ": " + file->problem);
        continue;
      }
      MergeError error;
      switch (kind.kind) {
        case RecordPath::Kind::docker_config: error = merge_docker_config_v2(*file->content, file->path, record, options); break;
        case RecordPath::Kind::docker_hostconfig: error = merge_docker_hostconfig(*file->content, file->path, record, options); break;
        case RecordPath::Kind::oci_spec: error = merge_oci_spec(*file->content, file->path, record, options); break;
        case RecordPath::Kind::runc_state: error = merge_runc_state(*file->content, file->path, record, options); break;
      }
      if (error) c.record_errors.push_back(*error);
    }
    if (record.sources.empty()) continue;
    if (!record.name) c.record_errors.push_back("no record in memory names the container");
    if (!record.image) c.record_errors.push_back("no record in memory names its image");
    if (!c.name && record.name) c.name = record.name;
    c.record = std::move(record);
  }
}

}  // namespace drydock
