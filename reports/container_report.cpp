#include "reports/container_report.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "engine/containers/socket_creators.hpp"
#include "engine/model/capabilities.hpp"
#include "reports/change_report.hpp"
#include "reports/json_output.hpp"
#include "reports/task_report.hpp"
#include "reports/text_escape.hpp"
#include "reports/time_format.hpp"

namespace drydock {
namespace {

nlohmann::json optional_string(const std::optional<std::string>& s) {
  return s ? nlohmann::json(*s) : nlohmann::json(nullptr);
}

std::string join(const std::vector<std::string>& items, std::string_view sep) {
  std::string out;
  for (const std::string& item : items) out += (out.empty() ? "" : std::string(sep)) + item;
  return out;
}

template <typename T>
nlohmann::json optional_list(const std::optional<std::vector<T>>& list) {
  return list ? nlohmann::json(*list) : nlohmann::json(nullptr);
}

// What the engine's record says (null fields when no record in memory carries them).
void add_record_json(const Container& c, nlohmann::json& j) {
  const EngineRecord empty;
  const EngineRecord& r = c.record ? *c.record : empty;
  nlohmann::json declared = nullptr;
  if (r.mounts) {
    declared = nlohmann::json::array();
    for (const DeclaredMount& m : *r.mounts) {
      declared.push_back({{"source", m.source}, {"destination", m.destination}, {"type", m.type},
                          {"read_only", optional_json(m.read_only)}});
    }
  }
  nlohmann::json kubernetes = nullptr;
  if (c.kubernetes) {
    const PodMembership& k = *c.kubernetes;
    kubernetes = {{"pod", optional_json(k.pod)},           {"namespace", optional_json(k.namespace_)},
                  {"pod_uid", optional_json(k.pod_uid)},   {"container", optional_json(k.container)},
                  {"sandbox_id", optional_json(k.sandbox_id)}, {"sandbox", optional_json(k.sandbox)},
                  {"qos_class", optional_json(k.qos_class)}, {"sources", k.sources}};
  } else if (r.kubernetes) {  // a model whose pods were not grouped: the record alone
    const KubernetesIdentity& k = *r.kubernetes;
    kubernetes = {{"pod", optional_json(k.pod)},           {"namespace", optional_json(k.namespace_)},
                  {"pod_uid", optional_json(k.pod_uid)},   {"container", optional_json(k.container)},
                  {"sandbox_id", optional_json(k.sandbox_id)}, {"sandbox", k.sandbox},
                  {"qos_class", nullptr}, {"sources", nlohmann::json::array({"record"})}};
  }
  j["image"] = optional_json(r.image);
  j["labels"] = c.record ? nlohmann::json(r.labels) : nlohmann::json(nullptr);
  j["annotations"] = c.record ? nlohmann::json(r.annotations) : nlohmann::json(nullptr);
  j["env"] = optional_list(r.env);
  j["declared_mounts"] = declared;
  j["declared_capabilities"] = optional_list(r.capabilities);
  j["cap_add"] = optional_list(r.cap_add);
  j["cap_drop"] = optional_list(r.cap_drop);
  j["declared_privileged"] = optional_json(r.privileged);
  j["declared_read_only_rootfs"] = optional_json(r.read_only_rootfs);
  j["seccomp_profile"] = optional_json(r.seccomp_profile);
  j["apparmor_profile"] = optional_json(r.apparmor_profile);
  j["restart_policy"] = optional_json(r.restart_policy);
  j["record_created"] = optional_json(r.created);
  j["kubernetes"] = kubernetes;
  j["record_sources"] = r.sources;
  j["record_errors"] = c.record_errors;
}

nlohmann::json possible_creators_json(const std::vector<CreatorCandidate>& list) {
  nlohmann::json out = nlohmann::json::array();
  for (const CreatorCandidate& c : list) {
    out.push_back({{"creator_id", c.creator_id},
                   {"creator", c.creator_label},
                   {"engine", c.engine},
                   {"socket_source", c.socket_source},
                   {"socket_destination", c.socket_destination},
                   {"creator_started", iso8601_utc(c.creator_started_ns)},
                   {"client", c.client},
                   {"client_changed", iso8601_utc(c.client_changed_ns)},
                   {"client_modified", c.client_modified_ns ? nlohmann::json(iso8601_utc(*c.client_modified_ns))
                                                            : nlohmann::json(nullptr)},
                   {"created", iso8601_utc(c.created_ns)},
                   {"record_source", c.record_source},
                   {"summary", describe(c)}});
  }
  return out;
}

}  // namespace

nlohmann::json container_json(const Container& c) {
  nlohmann::json networks = nlohmann::json::array();
  for (const ContainerNetwork& n : c.networks) {
    networks.push_back({{"interface", n.interface},
                        {"ipv4", n.ipv4.empty() ? nlohmann::json(nullptr) : nlohmann::json(n.ipv4)},
                        {"segment", n.segment.empty() ? nlohmann::json(nullptr) : nlohmann::json(n.segment)},
                        {"ipv6", n.ipv6}});
  }
  nlohmann::json mounts = nlohmann::json::array();
  for (const ContainerMount& m : c.mounts) {
    mounts.push_back({{"source", m.source}, {"destination", m.destination}, {"fstype", m.fstype},
                      {"access", access_json(m.read_only)}});
  }
  nlohmann::json overlay = nullptr;
  if (c.overlay) {
    overlay = {{"upperdir", c.overlay->upperdir},
               {"lowerdirs", c.overlay->lowerdirs},
               {"workdir", c.overlay->workdir},
               {"merged", c.overlay->merged.empty() ? nlohmann::json(nullptr) : nlohmann::json(c.overlay->merged)}};
  }
  nlohmann::json j = {{"id", c.id},
          {"short_id", c.id.substr(0, 12)},
          {"runtime", c.runtime},
          {"name", optional_string(c.name)},
          {"hostname", optional_json(c.hostname)},
          {"init_pid", c.init_pid},
          {"pids", c.pids},
          {"command", c.command},
          {"created", c.created_unix_ns ? nlohmann::json(iso8601_utc(*c.created_unix_ns)) : nlohmann::json(nullptr)},
          {"euid", optional_json(c.euid)},
          {"privileged", optional_json(c.privileged)},
          {"caps_effective", c.caps_effective ? nlohmann::json(capability_names(*c.caps_effective)) : nlohmann::json(nullptr)},
          {"caps_bounding", c.caps_bounding ? nlohmann::json(capability_names(*c.caps_bounding)) : nlohmann::json(nullptr)},
          {"seccomp", optional_json(c.seccomp_mode)},
          {"no_new_privs", optional_json(c.no_new_privs)},
          {"read_only_rootfs", optional_json(c.read_only_rootfs)},
          {"ns", namespaces_json(c.ns)},
          {"host_namespaces", c.host_namespaces},
          {"networks", networks},
          {"mounts", mounts},
          {"overlay", overlay},
          {"mount_command", c.mount_command.empty() ? nlohmann::json(nullptr) : nlohmann::json(c.mount_command)},
          {"runtime_pid", c.runtime_pid},
          {"id_sources", c.id_sources}};
  // Only where they were read (scan): absent otherwise, and `errors` says why when unknown.
  if (c.changes) j["changes"] = file_changes_json(*c.changes);
  if (c.possible_creators) j["possible_creators"] = possible_creators_json(*c.possible_creators);
  add_record_json(c, j);
  return j;
}

nlohmann::json pods_json(const std::vector<Pod>& pods) {
  nlohmann::json list = nlohmann::json::array();
  for (const Pod& p : pods) {
    list.push_back({{"uid", optional_json(p.uid)},
                    {"namespace", optional_json(p.namespace_)},
                    {"name", optional_json(p.name)},
                    {"qos_class", optional_json(p.qos_class)},
                    {"sandbox_id", optional_json(p.sandbox_id)},
                    {"containers", p.containers},
                    {"sources", p.sources}});
  }
  return list;
}

std::string pod_label(const PodMembership& k) {
  if (k.namespace_ && k.pod) return *k.namespace_ + "/" + *k.pod;
  if (k.pod_uid) return "uid " + *k.pod_uid;
  return "-";
}

nlohmann::json engine_json(const EngineSignals& e) {
  return {{"bridge", e.bridge},
          {"overlay_mounts", e.overlay_mounts},
          {"runtime_processes", e.runtime_processes},
          {"engines", e.engines},
          {"evidence", e.evidence}};
}

nlohmann::json containers_json(const DumpModel& model) {
  nlohmann::json list = nlohmann::json::array();
  for (const Container& c : model.containers) list.push_back(container_json(c));
  return {{"dump", dump_header_json(model.info)},
          {"engine", engine_json(model.engine)},
          {"containers", list},
          {"pods", pods_json(model.pods)},
          {"errors", issues_json(model.issues)}};
}

std::string containers_text(const DumpModel& model) {
  std::string out;
  const EngineSignals& e = model.engine;
  out += fmt::format("engines: {}  (bridge: {}, overlay mounts: {}, runtime processes: {})\n\n",
                     e.engines.empty() ? "none" : join(e.engines, ", "), e.bridge ? "yes" : "no",
                     e.overlay_mounts ? "yes" : "no", e.runtime_processes ? "yes" : "no");
  // The POD column only where Kubernetes placed a container, so other hosts' tables keep their shape.
  std::vector<std::string> pods;  // the POD column, one cell per container
  std::size_t pod_width = 0;
  for (const Container& c : model.containers) {
    std::string pod = "-";
    if (c.kubernetes) pod = escape_text(pod_label(*c.kubernetes)) + (c.kubernetes->sandbox == true ? " (sandbox)" : "");
    pod_width = std::max(pod_width, c.kubernetes ? pod.size() : 0);
    pods.push_back(std::move(pod));
  }
  const auto pod_column = [&](const std::string& text) {
    return pod_width ? fmt::format("{:<{}}  ", text, pod_width) : std::string();
  };
  out += fmt::format("{:<12}  {:<10}  {:<10}  {}{:>6}  {:<5}  {:<4}  {:<10}  {:<18}  {:<20}  {}\n", "CONTAINER ID",
                     "RUNTIME", "NAME", pod_column("POD"), "PID", "EUID", "PRIV", "HOST NS", "IPV4", "CREATED", "COMMAND");
  for (std::size_t i = 0; i < model.containers.size(); ++i) {
    const Container& c = model.containers[i];
    std::string ipv4;
    for (const ContainerNetwork& n : c.networks) ipv4 += (ipv4.empty() ? "" : ",") + n.ipv4;
    out += fmt::format("{:<12}  {:<10}  {:<10}  {}{:>6}  {:<5}  {:<4}  {:<10}  {:<18}  {:<20}  {}\n", c.id.substr(0, 12),
                       c.runtime, escape_text(c.name.value_or("-")), pod_column(pods[i]), c.init_pid, optional_text(c.euid),
                       optional_text(c.privileged),
                       c.host_namespaces.empty() ? "-" : join(c.host_namespaces, ","), ipv4.empty() ? "-" : ipv4,
                       c.created_unix_ns ? iso8601_utc(*c.created_unix_ns).substr(0, 19) : "-",
                       escape_text(c.command));
  }
  if (!model.pods.empty()) {
    out += fmt::format("\n{:<28}  {:<36}  {:<10}  {:<12}  {}\n", "POD", "UID", "QOS", "SANDBOX", "CONTAINERS");
    for (const Pod& p : model.pods) {
      const std::string name = p.namespace_ && p.name ? *p.namespace_ + "/" + *p.name : "-";
      std::vector<std::string> members;
      for (const std::string& id : p.containers) members.push_back(id.substr(0, 12));
      out += fmt::format("{:<28}  {:<36}  {:<10}  {:<12}  {}\n", escape_text(name), escape_text(p.uid.value_or("-")),
                         p.qos_class.value_or("-"), p.sandbox_id ? escape_text(p.sandbox_id->substr(0, 12)) : "-",
                         join(members, " "));
    }
  }
  for (const Container& c : model.containers) {
    out += fmt::format("\n{} ({}{})\n", c.id, c.runtime, c.name ? ", " + escape_text(*c.name) : "");
    out += fmt::format("  hostname      {}\n", escape_text(c.hostname.value_or("-")));
    if (c.kubernetes) {
      const PodMembership& k = *c.kubernetes;
      const std::string name = k.namespace_ && k.pod ? *k.namespace_ + "/" + *k.pod : "-";
      out += fmt::format("  pod           {} (uid {}, qos {}), container {}, sandbox {}\n", escape_text(name),
                         escape_text(k.pod_uid.value_or("-")), k.qos_class.value_or("-"),
                         escape_text(k.container.value_or("-")), optional_text(k.sandbox));
    }
    out += fmt::format("  pids          {}\n", fmt::join(c.pids, " "));
    const auto caps = capability_names(c.caps_effective.value_or(0));
    out += fmt::format("  caps (eff)    {}\n", !c.caps_effective ? "-" : caps.empty() ? "none" : join(caps, " "));
    out += fmt::format("  seccomp       {}   no_new_privs {}   rootfs {}\n",
                       !c.seccomp_mode         ? "-"
                       : *c.seccomp_mode == 2 ? "filter"
                       : *c.seccomp_mode == 1 ? "strict"
                                              : "disabled",
                       optional_text(c.no_new_privs), access_text(c.read_only_rootfs));
    for (const ContainerNetwork& n : c.networks) {
      out += fmt::format("  network       {} {} (segment {})\n", escape_text(n.interface), n.ipv4.empty() ? "-" : n.ipv4,
                         n.segment.empty() ? "-" : n.segment);
    }
    for (const ContainerMount& m : c.mounts) {
      out += fmt::format("  mount         {} -> {} ({}, {})\n", escape_text(m.source), escape_text(m.destination),
                         escape_text(m.fstype), access_text(m.read_only));
    }
    if (c.overlay) {
      out += fmt::format("  upperdir      {}\n", escape_text(c.overlay->upperdir));
      for (const std::string& dir : c.overlay->lowerdirs) out += fmt::format("  lowerdir      {}\n", escape_text(dir));
      if (!c.overlay->merged.empty()) out += fmt::format("  merged        {}\n", escape_text(c.overlay->merged));
      out += fmt::format("  mount (ro)    {}\n", escape_text(c.mount_command));
    }
  }
  return out + issues_text(model.issues);
}

}  // namespace drydock
