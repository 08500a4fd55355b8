#include "engine/containers/kubernetes_pods.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "engine/core/keep_first.hpp"

namespace drydock {
namespace {

bool is_lower_hex(char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); }

// A pod uid as the API server writes it (8-4-4-4-12 hex), or the 32 hex
// digits kubelet derives for a static pod.
bool is_pod_uid(std::string_view s) {
  if (s.size() == 32) return std::all_of(s.begin(), s.end(), is_lower_hex);
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !is_lower_hex(s[i])) return false;
  }
  return true;
}

// "kubepods" as a whole word at the end of a slice stem ("kubepods",
// "kubelet-kubepods"), followed by the QoS tier kubelet names.
std::optional<std::string> qos_of_stem(std::string_view stem) {
  static constexpr std::pair<std::string_view, std::string_view> kTiers[] = {
      {"kubepods-burstable", "burstable"}, {"kubepods-besteffort", "besteffort"}, {"kubepods", "guaranteed"}};
  for (const auto& [suffix, qos] : kTiers) {
    if (stem == suffix || (stem.ends_with(suffix) && stem[stem.size() - suffix.size() - 1] == '-')) {
      return std::string(qos);
    }
  }
  return std::nullopt;
}

std::optional<PodCgroup> systemd_pod(std::string_view parent, std::string_view part) {
  constexpr std::string_view kSlice = ".slice";
  if (!parent.ends_with(kSlice) || !part.ends_with(kSlice)) return std::nullopt;
  const std::string_view stem = parent.substr(0, parent.size() - kSlice.size());
  auto qos = qos_of_stem(stem);
  if (!qos) return std::nullopt;
  // systemd names a child slice after its parent: <parent stem>-pod<uid>.slice.
  const std::string prefix = std::string(stem) + "-pod";
  if (!part.starts_with(prefix) || part.size() <= prefix.size() + kSlice.size()) return std::nullopt;
  std::string uid(part.substr(prefix.size(), part.size() - prefix.size() - kSlice.size()));
  std::replace(uid.begin(), uid.end(), '_', '-');
  if (!is_pod_uid(uid)) return std::nullopt;
  return PodCgroup{std::move(uid), std::move(*qos), "systemd", {}};
}

std::optional<PodCgroup> cgroupfs_pod(std::string_view grandparent, std::string_view parent, std::string_view part) {
  if (!part.starts_with("pod") || !is_pod_uid(part.substr(3))) return std::nullopt;
  std::string qos;
  if (parent == "kubepods") {
    qos = "guaranteed";
  } else if (grandparent == "kubepods" && (parent == "burstable" || parent == "besteffort")) {
    qos = std::string(parent);
  } else {
    return std::nullopt;
  }
  return PodCgroup{std::string(part.substr(3)), std::move(qos), "cgroupfs", {}};
}

void add_unique(std::vector<std::string>& list, const std::string& item) {
  if (std::find(list.begin(), list.end(), item) == list.end()) list.push_back(item);
}

// The membership the container's own record and cgroup path give.
std::optional<PodMembership> membership_of(Container& c) {
  const KubernetesIdentity* record = c.record && c.record->kubernetes ? &*c.record->kubernetes : nullptr;
  if (!record && !c.pod_cgroup) return std::nullopt;
  PodMembership k;
  if (record) {
    k.pod = record->pod;
    k.namespace_ = record->namespace_;
    k.pod_uid = record->pod_uid;
    k.container = record->container;
    k.sandbox_id = record->sandbox_id;
    k.sandbox = record->sandbox;
    k.sources.push_back("record");
  }
  if (c.pod_cgroup) {
    const PodCgroup& cg = *c.pod_cgroup;
    if (k.pod_uid && *k.pod_uid != cg.pod_uid) {
      c.record_errors.push_back(fmt::format("kubernetes: the record names pod uid {} but the cgroup {} names {}; the record's is kept",
                                            *k.pod_uid, cg.path, cg.pod_uid));
    }
    if (!k.pod_uid) k.pod_uid = cg.pod_uid;
    k.qos_class = cg.qos_class;
    k.sources.push_back("cgroup");
  }
  if (!record) {
    c.record_errors.push_back("kubernetes: pod name, namespace and container name unknown: no CRI annotations in memory "
                              "(the cgroup path " + c.pod_cgroup->path + " gives only the pod uid and QoS class)");
  }
  return k;
}

// The container's only live process is the pause binary.
bool runs_only_pause(const Container& c, const std::map<std::int32_t, const Task*>& by_pid) {
  if (c.pids.size() != 1) return false;
  auto it = by_pid.find(c.pids.front());
  if (it == by_pid.end()) return false;
  const Task& t = *it->second;
  return t.comm == "pause" && t.cmdline && (*t.cmdline == "/pause" || *t.cmdline == "pause");
}

// Marks the sandbox of one pod's members and returns its id when known.
std::optional<std::string> resolve_sandbox(std::vector<Container*>& members,
                                           const std::map<std::int32_t, const Task*>& by_pid) {
  std::vector<Container*> recorded, candidates;
  for (Container* c : members) {
    if (c->kubernetes->sandbox == true) recorded.push_back(c);
    if (!c->kubernetes->sandbox && runs_only_pause(*c, by_pid)) candidates.push_back(c);
  }
  Container* sandbox = recorded.size() == 1 ? recorded.front() : nullptr;
  if (recorded.empty() && candidates.size() == 1) {
    // A pause process alone decides only when it holds the pod's network
    // namespace, which every other container of the pod joins.
    Container* pause = candidates.front();
    const std::uint64_t net = pause->ns.net_key();
    const bool shared = net != 0 && std::all_of(members.begin(), members.end(), [&](const Container* c) {
                          return c == pause || c->ns.net_key() == net;
                        });
    if (shared) {
      sandbox = pause;
      sandbox->kubernetes->sandbox = true;
      add_unique(sandbox->kubernetes->sources, "pause-process");
    } else {
      pause->record_errors.push_back("kubernetes: runs only /pause but other containers of its pod do not share its "
                                     "network namespace: not marked as the sandbox");
    }
  } else if (recorded.empty() && candidates.size() > 1) {
    for (Container* c : candidates) {
      c->record_errors.push_back(fmt::format("kubernetes: {} containers of its pod run only /pause: which is the "
                                             "sandbox is unknown", candidates.size()));
    }
  }
  for (Container* c : members) {
    PodMembership& k = *c->kubernetes;
    if (sandbox && !k.sandbox) k.sandbox = false;  // a pod has one sandbox
    if (sandbox && !k.sandbox_id) k.sandbox_id = sandbox->id;
    if (!k.sandbox) {
      c->record_errors.push_back("kubernetes: whether it is its pod's sandbox (pause) container is unknown: no CRI "
                                 "record in memory and no single pause process in the pod");
    }
  }
  if (sandbox) return sandbox->id;
  // Without a sandbox among the live containers, the members' records may still agree on its id.
  std::set<std::string> recorded_ids;
  for (const Container* c : members) {
    if (c->kubernetes->sandbox_id) recorded_ids.insert(*c->kubernetes->sandbox_id);
  }
  if (recorded_ids.size() == 1) return *recorded_ids.begin();
  return std::nullopt;
}

}  // namespace

std::optional<PodCgroup> pod_from_cgroup(std::string_view path) {
  // Each component with the two above it (empty components skipped).
  std::string_view grandparent, parent, rest = path;
  while (!rest.empty()) {
    const auto slash = rest.find('/');
    const std::string_view part = rest.substr(0, slash);
    rest = slash == std::string_view::npos ? std::string_view{} : rest.substr(slash + 1);
    if (part.empty()) continue;
    auto pod = parent.empty() ? std::nullopt : systemd_pod(parent, part);
    if (!pod && !parent.empty()) pod = cgroupfs_pod(grandparent, parent, part);
    if (pod) {
      pod->path = std::string(path);
      return pod;
    }
    grandparent = parent;
    parent = part;
  }
  return std::nullopt;
}

std::vector<Pod> group_pods(std::vector<Container>& containers, const std::vector<Task>& tasks) {
  std::map<std::int32_t, const Task*> by_pid;
  for (const Task& t : tasks) {
    if (!t.is_thread) by_pid.emplace(t.pid, &t);
  }
  // Pods by uid; a member whose record names only the sandbox id is grouped by that.
  std::map<std::string, std::vector<Container*>> groups;
  for (Container& c : containers) {
    c.kubernetes = membership_of(c);
    if (!c.kubernetes) continue;
    if (c.kubernetes->pod_uid) {
      groups["uid:" + *c.kubernetes->pod_uid].push_back(&c);
    } else if (c.kubernetes->sandbox_id) {
      groups["sandbox:" + *c.kubernetes->sandbox_id].push_back(&c);
    } else {
      c.record_errors.push_back("kubernetes: neither its pod uid nor its sandbox id is known: not grouped into a pod");
    }
  }
  std::vector<Pod> pods;
  for (auto& [key, members] : groups) {
    Pod pod;
    pod.sandbox_id = resolve_sandbox(members, by_pid);
    for (Container* c : members) {
      const PodMembership& k = *c->kubernetes;
      keep_first(pod.uid, k.pod_uid);
      keep_first(pod.namespace_, k.namespace_);
      keep_first(pod.name, k.pod);
      keep_first(pod.qos_class, k.qos_class);
      pod.containers.push_back(c->id);
      for (const std::string& s : k.sources) add_unique(pod.sources, s);
      if (k.pod && pod.name && *k.pod != *pod.name) {
        c->record_errors.push_back(fmt::format("kubernetes: its record names pod {} but another member's names {}", *k.pod, *pod.name));
      }
    }
    std::sort(pod.containers.begin(), pod.containers.end());
    std::sort(pod.sources.begin(), pod.sources.end());
    pods.push_back(std::move(pod));
  }
  return pods;
}

}  // namespace drydock
