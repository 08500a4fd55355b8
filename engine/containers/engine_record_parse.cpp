#include "engine/containers/engine_record_parse.hpp"

#include <algorithm>
#include <array>
#include <cctype>
#include <variant>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "engine/core/keep_first.hpp"

namespace drydock {
namespace {

using nlohmann::json;

constexpr std::size_t kMaxListItems = 4096;

// The nesting depth of JSON text, counting brackets outside strings.
std::size_t json_depth(std::string_view text) {
  std::size_t depth = 0, deepest = 0;
  bool in_string = false, escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) escaped = false;
      else if (c == '\\') escaped = true;
      else if (c == '"') in_string = false;
      continue;
    }
    if (c == '"') in_string = true;
    else if (c == '{' || c == '[') deepest = std::max(deepest, ++depth);
    else if ((c == '}' || c == ']') && depth > 0) --depth;
  }
  return deepest;
}

// The file as a JSON object, or the reason it is refused.
std::variant<json, std::string> parse_object(std::string_view text, const std::string& source,
                                             const RecordParseOptions& options) {
  if (text.size() > options.max_bytes) {
    return fmt::format("{}: {} bytes, more than the {} read", source, text.size(), options.max_bytes);
  }
  if (json_depth(text) > kMaxJsonDepth) return fmt::format("{}: nested deeper than {}", source, kMaxJsonDepth);
  json j = json::parse(text.begin(), text.end(), nullptr, false);
  if (j.is_discarded() || !j.is_object()) return fmt::format("{}: not a JSON object", source);
  return j;
}

const json* member(const json& j, std::string_view path) {
  const json* at = &j;
  while (!path.empty()) {
    const auto dot = path.find('.');
    const std::string key(path.substr(0, dot));
    if (!at->is_object()) return nullptr;
    auto it = at->find(key);
    if (it == at->end()) return nullptr;
    at = &*it;
    path = dot == std::string_view::npos ? std::string_view() : path.substr(dot + 1);
  }
  return at;
}

std::optional<std::string> string_at(const json& j, std::string_view path) {
  const json* m = member(j, path);
  return m && m->is_string() ? std::optional<std::string>(m->get<std::string>()) : std::nullopt;
}

std::optional<bool> bool_at(const json& j, std::string_view path) {
  const json* m = member(j, path);
  return m && m->is_boolean() ? std::optional<bool>(m->get<bool>()) : std::nullopt;
}

std::optional<std::vector<std::string>> strings_at(const json& j, std::string_view path) {
  const json* m = member(j, path);
  if (!m || (!m->is_array() && !m->is_null())) return std::nullopt;
  std::vector<std::string> out;
  if (m->is_array()) {
    for (const json& item : *m) {
      if (item.is_string() && out.size() < kMaxListItems) out.push_back(item.get<std::string>());
    }
  }
  return out;
}

void merge_map(const json& j, std::string_view path, std::map<std::string, std::string>& into) {
  const json* m = member(j, path);
  if (!m || !m->is_object()) return;
  for (auto it = m->begin(); it != m->end() && into.size() < kMaxListItems; ++it) {
    if (it.value().is_string()) into.emplace(it.key(), it.value().get<std::string>());
  }
}

std::vector<std::string> redacted_env(std::vector<std::string> env, const RecordParseOptions& options) {
  if (options.show_secrets) return env;
  for (std::string& entry : env) {
    const auto equals = entry.find('=');
    if (equals != std::string::npos && secret_looking_name(std::string_view(entry).substr(0, equals))) {
      entry = entry.substr(0, equals + 1) + "<redacted>";
    }
  }
  return env;
}

void add_source(EngineRecord& record, const std::string& source) {
  if (std::find(record.sources.begin(), record.sources.end(), source) == record.sources.end()) {
    record.sources.push_back(source);
  }
}

// containerd's CRI plugin names the pod and container in the spec's annotations.
void kubernetes_from_annotations(EngineRecord& record) {
  const auto get = [&](const char* key) -> std::optional<std::string> {
    auto it = record.annotations.find(key);
    return it == record.annotations.end() ? std::nullopt : std::optional<std::string>(it->second);
  };
  auto type = get("io.kubernetes.cri.container-type");
  if (!type) return;
  KubernetesIdentity k;
  k.sandbox = type == "sandbox";
  k.pod = get("io.kubernetes.cri.sandbox-name");
  k.namespace_ = get("io.kubernetes.cri.sandbox-namespace");
  k.pod_uid = get("io.kubernetes.cri.sandbox-uid");
  k.sandbox_id = get("io.kubernetes.cri.sandbox-id");
  if (!k.sandbox) k.container = get("io.kubernetes.cri.container-name");
  keep_first(record.kubernetes, std::optional<KubernetesIdentity>(std::move(k)));
  if (!record.kubernetes->sandbox) keep_first(record.image, get("io.kubernetes.cri.image-name"));
  // The container's name in its pod is what `crictl ps` calls it; a sandbox has none (its pod's name is its name).
  if (!record.kubernetes->sandbox) keep_first(record.name, record.kubernetes->container);
}

}  // namespace

bool secret_looking_name(std::string_view name) {
  std::string upper(name);
  std::transform(upper.begin(), upper.end(), upper.begin(), [](unsigned char c) { return std::toupper(c); });
  static constexpr std::array<std::string_view, 12> kWords = {"PASSWORD", "PASSWD", "PASS",       "SECRET",
                                                              "TOKEN",    "API_KEY", "APIKEY",    "ACCESS_KEY",
                                                              "PRIVATE_KEY", "CREDENTIAL", "AUTH", "PWD"};
  return std::any_of(kWords.begin(), kWords.end(), [&](std::string_view w) {
    // PWD alone is the working directory, not a password.
    return upper.find(w) != std::string::npos && !(w == "PWD" && upper == "PWD") &&
           !(w == "PASS" && upper.find("PASSTHROUGH") != std::string::npos);
  });
}

MergeError merge_docker_config_v2(std::string_view text, const std::string& source, EngineRecord& record,
                                  const RecordParseOptions& options) {
  auto parsed = parse_object(text, source, options);
  if (auto* error = std::get_if<std::string>(&parsed)) return *error;
  const json& j = std::get<json>(parsed);
  if (!member(j, "Config") && !member(j, "ID")) return source + ": no Config or ID (not Docker's config.v2.json)";
  auto name = string_at(j, "Name");
  if (name && name->starts_with('/')) name->erase(0, 1);
  keep_first(record.name, name);
  keep_first(record.image, string_at(j, "Config.Image"));
  merge_map(j, "Config.Labels", record.labels);
  if (auto env = strings_at(j, "Config.Env")) keep_first(record.env, std::optional(redacted_env(*env, options)));
  keep_first(record.created, string_at(j, "Created"));
  if (auto profile = string_at(j, "AppArmorProfile"); profile && !profile->empty()) keep_first(record.apparmor_profile, profile);
  if (const json* points = member(j, "MountPoints"); points && points->is_object() && !record.mounts) {
    std::vector<DeclaredMount> mounts;
    for (auto it = points->begin(); it != points->end() && mounts.size() < kMaxListItems; ++it) {
      const json& p = it.value();
      if (!p.is_object()) continue;
      DeclaredMount m;
      m.source = string_at(p, "Source").value_or("");
      m.destination = string_at(p, "Destination").value_or(it.key());
      m.type = string_at(p, "Type").value_or("");
      if (auto rw = bool_at(p, "RW")) m.read_only = !*rw;
      mounts.push_back(std::move(m));
    }
    std::sort(mounts.begin(), mounts.end(),
              [](const DeclaredMount& a, const DeclaredMount& b) { return a.destination < b.destination; });
    record.mounts = std::move(mounts);
  }
  add_source(record, source);
  return std::nullopt;
}

MergeError merge_docker_hostconfig(std::string_view text, const std::string& source, EngineRecord& record,
                                   const RecordParseOptions& options) {
  auto parsed = parse_object(text, source, options);
  if (auto* error = std::get_if<std::string>(&parsed)) return *error;
  const json& j = std::get<json>(parsed);
  if (!member(j, "Privileged") && !member(j, "NetworkMode")) return source + ": not Docker's hostconfig.json";
  keep_first(record.privileged, bool_at(j, "Privileged"));
  keep_first(record.read_only_rootfs, bool_at(j, "ReadonlyRootfs"));
  keep_first(record.cap_add, strings_at(j, "CapAdd"));
  keep_first(record.cap_drop, strings_at(j, "CapDrop"));
  if (auto policy = string_at(j, "RestartPolicy.Name")) {
    const json* retries = member(j, "RestartPolicy.MaximumRetryCount");
    if (*policy == "on-failure" && retries && retries->is_number_integer() && retries->get<std::int64_t>() > 0) {
      *policy += ":" + std::to_string(retries->get<std::int64_t>());
    }
    keep_first(record.restart_policy, std::optional(policy->empty() ? std::string("no") : *policy));
  }
  // SecurityOpt: "seccomp=unconfined", "seccomp:<file>", "apparmor=<profile>".
  bool seccomp_set = false;
  for (const std::string& opt : strings_at(j, "SecurityOpt").value_or(std::vector<std::string>{})) {
    const auto sep = opt.find_first_of("=:");
    if (sep == std::string::npos) continue;
    const std::string key = opt.substr(0, sep), value = opt.substr(sep + 1);
    if (key == "seccomp") {
      keep_first(record.seccomp_profile, std::optional(value));
      seccomp_set = true;
    } else if (key == "apparmor") {
      keep_first(record.apparmor_profile, std::optional(value));
    }
  }
  // Docker applies its default profile unless told otherwise (a privileged container runs unconfined).
  if (!seccomp_set && record.privileged) {
    keep_first(record.seccomp_profile, std::optional<std::string>(*record.privileged ? "unconfined" : "default"));
  }
  add_source(record, source);
  return std::nullopt;
}

MergeError merge_oci_spec(std::string_view text, const std::string& source, EngineRecord& record,
                          const RecordParseOptions& options) {
  auto parsed = parse_object(text, source, options);
  if (auto* error = std::get_if<std::string>(&parsed)) return *error;
  const json& j = std::get<json>(parsed);
  if (!member(j, "ociVersion") && !member(j, "process")) return source + ": not an OCI runtime spec";
  merge_map(j, "annotations", record.annotations);
  if (auto env = strings_at(j, "process.env")) keep_first(record.env, std::optional(redacted_env(*env, options)));
  keep_first(record.capabilities, strings_at(j, "process.capabilities.bounding"));
  keep_first(record.read_only_rootfs, bool_at(j, "root.readonly"));
  if (auto profile = string_at(j, "process.apparmorProfile"); profile && !profile->empty()) {
    keep_first(record.apparmor_profile, profile);
  }
  if (const json* linux_ = member(j, "linux"); linux_ && linux_->is_object()) {
    // A spec carries the filter itself, not the profile's name.
    keep_first(record.seccomp_profile,
               std::optional<std::string>(member(*linux_, "seccomp") ? "custom" : "unconfined"));
  }
  if (const json* mounts = member(j, "mounts"); mounts && mounts->is_array() && !record.mounts) {
    std::vector<DeclaredMount> list;
    for (const json& m : *mounts) {
      if (!m.is_object() || list.size() >= kMaxListItems) continue;
      DeclaredMount d;
      d.source = string_at(m, "source").value_or("");
      d.destination = string_at(m, "destination").value_or("");
      d.type = string_at(m, "type").value_or("");
      if (auto opts = strings_at(m, "options")) {
        d.read_only = std::find(opts->begin(), opts->end(), "ro") != opts->end();
        if (std::find(opts->begin(), opts->end(), "bind") != opts->end() || std::find(opts->begin(), opts->end(), "rbind") != opts->end()) d.type = "bind";
      }
      list.push_back(std::move(d));
    }
    record.mounts = std::move(list);
  }
  kubernetes_from_annotations(record);
  if (auto it = record.annotations.find("nerdctl/name"); it != record.annotations.end()) {
    keep_first(record.name, std::optional(it->second));
  }
  add_source(record, source);
  return std::nullopt;
}

MergeError merge_runc_state(std::string_view text, const std::string& source, EngineRecord& record,
                            const RecordParseOptions& options) {
  auto parsed = parse_object(text, source, options);
  if (auto* error = std::get_if<std::string>(&parsed)) return *error;
  const json& j = std::get<json>(parsed);
  if (!member(j, "init_process_pid") || !member(j, "config")) return source + ": not runc's state.json";
  keep_first(record.created, string_at(j, "created"));
  keep_first(record.read_only_rootfs, bool_at(j, "config.readonlyfs"));
  // runc keeps the spec's annotations as "key=value" labels.
  for (const std::string& label : strings_at(j, "config.labels").value_or(std::vector<std::string>{})) {
    const auto equals = label.find('=');
    if (equals != std::string::npos && record.annotations.size() < kMaxListItems) {
      record.annotations.emplace(label.substr(0, equals), label.substr(equals + 1));
    }
  }
  kubernetes_from_annotations(record);
  add_source(record, source);
  return std::nullopt;
}

}  // namespace drydock
