#include "engine/containers/container_detector.hpp"

#include <algorithm>
#include <arpa/inet.h>
#include <map>
#include <set>

#include <fmt/format.h>

#include "engine/containers/kubernetes_pods.hpp"
#include "engine/model/capabilities.hpp"

namespace drydock {
namespace {

constexpr std::size_t kIdLength = 64;
// Bound on the ancestor walk that joins forked children to their container.
constexpr int kMaxAncestry = 256;

bool is_hex_id(std::string_view s) {
  return s.size() == kIdLength &&
         std::all_of(s.begin(), s.end(), [](char c) { return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'); });
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  while (true) {
    const auto at = s.find(sep);
    parts.push_back(s.substr(0, at));
    if (at == std::string_view::npos) return parts;
    s.remove_prefix(at + 1);
  }
}

struct IdHint {
  std::string runtime;
  std::string id;
};

// A container id in a cgroup path, with the runtime its naming scheme belongs to.
std::optional<IdHint> id_from_cgroup(std::string_view path) {
  const auto parts = split(path, '/');
  for (std::size_t i = 0; i < parts.size(); ++i) {
    std::string_view part = parts[i];
    if (part.ends_with(".scope")) part.remove_suffix(6);
    static constexpr std::pair<std::string_view, std::string_view> kPrefixes[] = {
        {"docker-", "docker"}, {"libpod-", "podman"}, {"cri-containerd-", "containerd"}, {"crio-", "cri-o"}};
    for (const auto& [prefix, runtime] : kPrefixes) {
      if (part.starts_with(prefix) && is_hex_id(part.substr(prefix.size()))) {
        return IdHint{std::string(runtime), std::string(part.substr(prefix.size()))};
      }
    }
    if (is_hex_id(part)) {
      const std::string_view parent = i > 0 ? parts[i - 1] : std::string_view{};
      const std::string runtime = parent == "docker" ? "docker" : parent == "libpod" ? "podman" : "unknown";
      return IdHint{runtime, std::string(part)};
    }
  }
  return std::nullopt;
}

// The value after `flag` in a command line ("-id X", "-c X").
std::optional<std::string> flag_value(const std::string& cmdline, std::string_view flag) {
  const auto words = split(cmdline, ' ');
  for (std::size_t i = 0; i + 1 < words.size(); ++i) {
    if (words[i] == flag) return std::string(words[i + 1]);
  }
  return std::nullopt;
}

// Zombies and exiting tasks are not a container's live processes.
bool is_live(const Task& t) { return t.state != "zombie" && t.state != "dead"; }

bool is_shim(const Task& t) {
  return t.comm.starts_with("containerd-shim") || (t.cmdline && t.cmdline->find("containerd-shim") == 0);
}
bool is_conmon(const Task& t) { return t.comm == "conmon"; }

bool is_runtime_process(const Task& t) {
  static const std::set<std::string> kNames = {"dockerd", "containerd", "containerd-shim", "runc", "conmon",
                                                "crun", "podman", "docker-proxy", "cri-o", "crio"};
  return kNames.count(t.comm) || is_shim(t);
}

// What a runtime parent says about the container it started.
struct RuntimeParent {
  std::string runtime;
  std::optional<std::string> id;
  std::optional<std::string> name;
};

std::optional<RuntimeParent> runtime_parent(const Task& t) {
  if (t.kernel_thread == true || !t.cmdline) return std::nullopt;
  if (is_shim(t)) {
    RuntimeParent p;
    const auto ns = flag_value(*t.cmdline, "-namespace");
    p.runtime = ns && *ns == "moby" ? "docker" : "containerd";
    if (auto id = flag_value(*t.cmdline, "-id"); id && is_hex_id(*id)) p.id = id;
    return p;
  }
  if (is_conmon(t)) {
    RuntimeParent p;
    p.runtime = "podman";
    if (auto id = flag_value(*t.cmdline, "-c"); id && is_hex_id(*id)) p.id = id;
    if (auto name = flag_value(*t.cmdline, "-n")) p.name = name;
    return p;
  }
  return std::nullopt;
}

bool path_within(std::string_view path, std::string_view dir) {
  if (dir == "/") return true;
  return path == dir || (path.starts_with(dir) && path.size() > dir.size() && path[dir.size()] == '/');
}

std::string segment_of(const IpAddress& a) {
  in_addr addr{};
  if (inet_pton(AF_INET, a.address.c_str(), &addr) != 1 || a.prefix > 32) return {};
  const std::uint32_t host = ntohl(addr.s_addr);
  const std::uint32_t mask = a.prefix == 0 ? 0 : ~std::uint32_t{0} << (32 - a.prefix);
  in_addr net{htonl(host & mask)};
  char text[INET_ADDRSTRLEN] = {};
  inet_ntop(AF_INET, &net, text, sizeof text);
  return fmt::format("{}/{}", text, a.prefix);
}

std::vector<std::string> shared_namespaces(const NamespaceSet& ns, const NamespaceSet& host) {
  std::vector<std::string> shared;
  const std::pair<const char*, bool> checks[] = {
      {"net", ns.net_key() && ns.net_key() == host.net_key()},
      {"pid", ns.pid && ns.pid == host.pid},
      {"ipc", ns.ipc && ns.ipc == host.ipc},
      {"uts", ns.uts && ns.uts == host.uts},
      {"user", ns.user && ns.user == host.user},
      {"cgroup", ns.cgroup && ns.cgroup == host.cgroup},
      {"mnt", ns.mnt_key() && ns.mnt_key() == host.mnt_key()},
  };
  for (const auto& [name, same] : checks) {
    if (same) shared.emplace_back(name);
  }
  return shared;
}

// Escapes a path for use inside double quotes in a POSIX shell.
std::string shell_escape_in_double_quotes(const std::string& s) {
  std::string out;
  for (char c : s) {
    if (c == '"' || c == '$' || c == '`' || c == '\\') out += '\\';
    out += c;
  }
  return out;
}

std::string mount_command(const OverlayLayers& o, const std::string& short_id) {
  // The upper layer on top of the lower ones, all read-only: the container's
  // filesystem as it was, without writing to the evidence.
  std::string lower;
  if (!o.upperdir.empty()) lower = "$EVIDENCE_ROOT" + shell_escape_in_double_quotes(o.upperdir);
  for (const std::string& dir : o.lowerdirs) {
    lower += (lower.empty() ? "" : ":") + std::string("$EVIDENCE_ROOT") + shell_escape_in_double_quotes(dir);
  }
  if (lower.empty()) return {};
  return fmt::format("mkdir -p /mnt/container-{0} && mount -t overlay overlay -o \"ro,lowerdir={1}\" /mnt/container-{0}",
                     short_id, lower);
}

}  // namespace

bool is_default_container_mount(const Mount& m, const std::string& id) {
  if (m.path == "/") return true;
  static const std::set<std::string> kKernelFs = {"proc", "sysfs", "devpts", "mqueue", "cgroup", "cgroup2"};
  static const std::set<std::string> kStandard = {"/proc", "/sys", "/dev", "/dev/pts", "/dev/mqueue", "/dev/shm",
                                                  "/sys/fs/cgroup"};
  if (kStandard.count(m.path) && (kKernelFs.count(m.fstype) || m.fstype == "tmpfs")) return true;
  // Masked and read-only paths under /proc and /sys: proc/sysfs submounts,
  // empty tmpfs, and /dev/null bound over files.
  if ((path_within(m.path, "/proc") || path_within(m.path, "/sys")) &&
      (kKernelFs.count(m.fstype) || m.fstype == "tmpfs" || m.root == "/null")) {
    return true;
  }
  // The per-container files the runtime writes and binds in.
  static const std::set<std::string> kRuntimeFiles = {"/etc/hostname", "/etc/hosts", "/etc/resolv.conf",
                                                      "/run/.containerenv", "/.dockerenv"};
  if (kRuntimeFiles.count(m.path) && !id.empty() && m.root.find(id) != std::string::npos) return true;
  return false;
}

std::string host_source(const Mount& m, const std::vector<Mount>& host_mounts) {
  const Mount* best = nullptr;
  for (const Mount& h : host_mounts) {
    if (h.super_block != m.super_block || !path_within(m.root, h.root)) continue;
    if (!best || h.root.size() > best->root.size()) best = &h;
  }
  if (!best) return m.devname.empty() ? m.root : m.devname + ":" + m.root;
  const std::string rest = best->root == "/" ? m.root : m.root.substr(best->root.size());
  if (rest.empty() || rest == "/") return best->path;
  return best->path == "/" ? rest : best->path + rest;
}

ContainerDetection detect_containers(const DumpModel& model) {
  ContainerDetection out;
  std::map<std::int32_t, const Task*> by_pid;
  for (const Task& t : model.tasks) {
    if (!t.is_thread) by_pid.emplace(t.pid, &t);
  }
  const NamespaceSet& host = model.host_ns;

  // 1. Which container each user task belongs to: its cgroup first, then
  // its runtime parent. Only a known kernel thread is left out: a task whose
  // flags could not be read is placed by its cgroup and parent, which are
  // known (kernel threads stay in the root cgroup, under kthreadd).
  struct Member {
    std::string id;
    std::string runtime;
    std::string source;
    std::string cgroup;  // the cgroup path that named it, if one did
  };
  std::map<std::int32_t, Member> member;
  std::map<std::string, RuntimeParent> parents_by_id;
  std::map<std::string, std::int32_t> runtime_pid_by_id;
  for (const auto& [pid, t] : by_pid) {
    if (t->kernel_thread == true || is_runtime_process(*t) || !is_live(*t)) continue;
    for (const std::string& cg : t->cgroups) {
      if (auto hint = id_from_cgroup(cg)) {
        member[pid] = {hint->id, hint->runtime, "cgroup", cg};
        break;
      }
    }
    auto parent = by_pid.find(t->ppid.value_or(-1));
    if (parent == by_pid.end()) continue;
    if (auto rp = runtime_parent(*parent->second)) {
      if (!rp->id) {
        // A shim without -id on its command line: the container is still
        // recognised by its namespaces if its cgroup named it.
        if (member.count(pid)) rp->id = member[pid].id;
      }
      if (!rp->id) continue;
      auto& m = member[pid];
      if (m.id.empty()) m = {*rp->id, rp->runtime, "shim", {}};
      if (m.id == *rp->id) {
        if (m.runtime == "unknown") m.runtime = rp->runtime;
        if (m.source == "cgroup") m.source = "cgroup+shim";
        parents_by_id[m.id] = *rp;
        runtime_pid_by_id[m.id] = parent->first;
      } else if (m.runtime == "unknown" && is_shim(*parent->second)) {
        // A shim that runs several containers (one per Kubernetes pod, named
        // after the sandbox): its children are still the runtime's.
        m.runtime = rp->runtime;
      }
    }
  }
  // Children forked inside a container whose cgroup could not be read join
  // their ancestor's container when they share its mount namespace.
  for (const auto& [pid, t] : by_pid) {
    if (member.count(pid) || t->kernel_thread == true || is_runtime_process(*t) || !is_live(*t)) continue;
    const Task* cursor = t;
    for (int step = 0; step < kMaxAncestry && cursor; ++step) {
      auto parent = by_pid.find(cursor->ppid.value_or(-1));
      if (parent == by_pid.end() || parent->first == cursor->pid) break;
      if (auto it = member.find(parent->first); it != member.end()) {
        if (t->ns.mnt_key() && parent->second->ns.mnt_key() == t->ns.mnt_key()) member[pid] = {it->second.id, it->second.runtime, "ancestry", {}};
        break;
      }
      cursor = parent->second;
    }
  }

  // 2. One Container per id.
  std::map<std::string, std::vector<const Task*>> groups;
  for (const auto& [pid, m] : member) groups[m.id].push_back(by_pid.at(pid));
  std::vector<Mount> host_mounts;
  for (const Mount& m : model.mounts) {
    if (host.mnt_key() && m.mnt_ns_key() == host.mnt_key()) host_mounts.push_back(m);
  }

  for (auto& [id, tasks] : groups) {
    Container c;
    c.id = id;
    std::set<std::string> sources;
    std::set<std::int32_t> pids;
    for (const Task* t : tasks) {
      pids.insert(t->pid);
      sources.insert(member[t->pid].source);
      if (c.runtime.empty() || c.runtime == "unknown") c.runtime = member[t->pid].runtime;
      if (!c.pod_cgroup && !member[t->pid].cgroup.empty()) c.pod_cgroup = pod_from_cgroup(member[t->pid].cgroup);
    }
    // The init is the member whose parent is not a member (the lowest such pid).
    const Task* init = nullptr;
    for (const Task* t : tasks) {
      if (!pids.count(t->ppid.value_or(-1)) && (!init || t->pid < init->pid)) init = t;
    }
    if (!init) init = tasks.front();
    c.init_pid = init->pid;
    c.pids.assign(pids.begin(), pids.end());
    if (auto rp = parents_by_id.find(id); rp != parents_by_id.end()) c.name = rp->second.name;
    if (auto rpid = runtime_pid_by_id.find(id); rpid != runtime_pid_by_id.end()) c.runtime_pid = rpid->second;
    c.hostname = init->hostname;
    c.command = init->cmdline.value_or(init->comm);
    c.created_unix_ns = init->start_time_unix_ns;
    c.euid = init->euid;
    if (init->caps) {
      c.caps_effective = init->caps->effective;
      c.caps_bounding = init->caps->bounding;
    }
    c.seccomp_mode = init->seccomp_mode;
    c.no_new_privs = init->no_new_privs;
    c.ns = init->ns;
    c.host_namespaces = shared_namespaces(init->ns, host);
    // Privileged, as --privileged makes it: every capability (0..37, all that
    // runtimes grant) in the bounding set and no seccomp filter. Root in a
    // container with extra capabilities is not privileged.
    // Unknown when either input is: an unreadable bounding set or seccomp
    // mode must not make a container look privileged (or not).
    if (c.caps_bounding && c.seccomp_mode) {
      c.privileged = (*c.caps_bounding & kFullCapabilitySetSince316) == kFullCapabilitySetSince316 && *c.seccomp_mode == 0;
    }

    // Mounts of its namespace (unless it shares the host's).
    if (init->ns.mnt_key() && init->ns.mnt_key() != host.mnt_key()) {
      for (const Mount& m : model.mounts) {
        if (m.mnt_ns_key() != init->ns.mnt_key()) continue;
        if (m.path == "/") {
          c.read_only_rootfs = m.read_only;
          if (m.fstype == "overlay") {
            OverlayLayers o;
            for (const auto& [key, value] : m.options) {
              if (key == "upperdir") o.upperdir = value;
              if (key == "workdir") o.workdir = value;
              if (key == "lowerdir") {
                for (std::string_view dir : split(value, ':')) {
                  if (!dir.empty()) o.lowerdirs.emplace_back(dir);
                }
              }
            }
            for (const Mount& h : host_mounts) {
              if (h.super_block == m.super_block) o.merged = h.path;
            }
            c.overlay = o;
          }
        }
        if (m.root.find("/containers/" + id + "/") != std::string::npos ||
            m.root.find("overlay-containers/" + id + "/") != std::string::npos) {
          sources.insert("bind-mount");
        }
        if (is_default_container_mount(m, id)) continue;
        c.mounts.push_back({host_source(m, host_mounts), m.path, m.fstype, m.read_only});
      }
    }
    if (c.overlay) c.mount_command = mount_command(*c.overlay, id.substr(0, 12));

    // Networks: its interfaces, unless it shares the host's network.
    if (init->ns.net_key() && init->ns.net_key() != host.net_key()) {
      for (const NetInterface& dev : model.interfaces) {
        if (dev.net_ns_key() != init->ns.net_key() || dev.kind == "loopback") continue;
        ContainerNetwork n;
        n.interface = dev.name;
        if (!dev.ipv4.empty()) {
          n.ipv4 = fmt::format("{}/{}", dev.ipv4.front().address, dev.ipv4.front().prefix);
          n.segment = segment_of(dev.ipv4.front());
        }
        for (const IpAddress& a : dev.ipv6) n.ipv6.push_back(fmt::format("{}/{}", a.address, a.prefix));
        c.networks.push_back(std::move(n));
      }
    }
    c.id_sources.assign(sources.begin(), sources.end());
    out.containers.push_back(std::move(c));
  }

  // 3. Engine signals, each on its own.
  EngineSignals& e = out.engine;
  std::set<std::string> engines;
  for (const auto& [pid, t] : by_pid) {
    if (t->kernel_thread == true || !is_runtime_process(*t)) continue;
    e.runtime_processes = true;
    e.evidence.push_back(fmt::format("process {} {}", pid, t->comm));
    if (t->comm == "dockerd") engines.insert("docker");
    if (t->comm == "conmon" || t->comm == "podman") engines.insert("podman");
    if (t->comm == "containerd") engines.insert("containerd");
  }
  for (const NetInterface& bridge : model.interfaces) {
    if (bridge.kind != "bridge") continue;
    std::size_t ports = 0;
    for (const NetInterface& dev : model.interfaces) {
      ports += dev.net_ns_key() == bridge.net_ns_key() && dev.master == bridge.name && dev.kind == "veth";
    }
    if (ports == 0) continue;
    e.bridge = true;
    std::string note = bridge.mac && bridge.mac->starts_with("02:42:") ? " (Docker-style 02:42 MAC)" : "";
    e.evidence.push_back(fmt::format("bridge {} with {} veth port(s){}", bridge.name, ports, note));
  }
  for (const Mount& m : host_mounts) {
    if (m.fstype != "overlay") continue;
    const bool docker = m.path.starts_with("/var/lib/docker/");
    const bool podman = m.path.starts_with("/var/lib/containers/");
    if (!docker && !podman) continue;
    e.overlay_mounts = true;
    engines.insert(docker ? "docker" : "podman");
    e.evidence.push_back("overlay mount " + m.path);
  }
  for (const Container& c : out.containers) {
    if (c.runtime != "unknown") engines.insert(c.runtime);
  }
  e.engines.assign(engines.begin(), engines.end());
  return out;
}

}  // namespace drydock
