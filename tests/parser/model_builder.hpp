#pragma once
// Hand-built DumpModels for rule tests, and a small wrapper to compile rule
// text in one call.

#include <algorithm>
#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/model/dump_model.hpp"
#include "engine/rules/rules.hpp"

namespace drydock::test {

inline constexpr std::uint64_t kHostNet = 4026531840, kHostPid = 4026531836, kHostMnt = 4026531841;
inline constexpr std::uint64_t kDockerDefaultCaps = 0xa80425fb;

inline std::string fake_id(std::string_view seed) {
  std::string id(seed);
  while (id.size() < 64) id += "0";
  return id.substr(0, 64);
}

class ModelBuilder {
 public:
  ModelBuilder() {
    model_.info.kernel_release = "6.1.0-56-amd64";
    model_.host_ns = NamespaceSet{4026531838, 4026531839, kHostMnt, kHostNet, kHostPid, 4026531837, 4026531835};
  }

  Task& task(std::int32_t pid, std::string comm, std::uint32_t euid = 0) {
    Task t;
    t.pid = t.tgid = pid;
    t.ppid = 1;
    t.kernel_thread = false;
    t.comm = std::move(comm);
    t.uid = t.euid = t.fsuid = t.suid = euid;
    t.gid = t.egid = t.sgid = t.fsgid = 0;
    t.caps = CapabilitySets{};
    t.seccomp_mode = 0;
    t.no_new_privs = false;
    t.ns = model_.host_ns;
    model_.tasks.push_back(std::move(t));
    return model_.tasks.back();
  }

  // A container with its init task. `seq` makes its namespaces unique.
  Container& container(std::string name, std::string id_seed, std::int32_t init_pid, std::uint32_t euid = 0,
                       std::uint64_t caps = kDockerDefaultCaps) {
    Container c;
    c.id = fake_id(id_seed);
    c.runtime = "docker";
    c.name = std::move(name);
    c.hostname = c.id.substr(0, 12);
    c.init_pid = init_pid;
    c.pids = {init_pid};
    c.command = "sleep 1000";
    c.euid = euid;
    c.caps_effective = caps;
    c.caps_bounding = kDockerDefaultCaps;
    c.seccomp_mode = 2;
    c.privileged = false;
    c.no_new_privs = false;
    c.read_only_rootfs = false;
    const std::uint64_t base = 4026532200 + 10 * static_cast<std::uint64_t>(model_.containers.size());
    c.ns = NamespaceSet{base + 1, base + 2, base + 3, base + 4, base + 5, model_.host_ns.user, base + 6};
    Task& init = task(init_pid, "sleep", euid);
    init.ppid = 800;
    init.ns = c.ns;
    init.caps->effective = caps;
    init.container_id = c.id;
    model_.containers.push_back(std::move(c));
    return model_.containers.back();
  }

  void add_network(Container& c, std::string ipv4, std::string segment) {
    c.networks.push_back(ContainerNetwork{"eth0", std::move(ipv4), std::move(segment), {}});
  }

  void add_mount(Container& c, std::string source, std::string destination, bool read_only) {
    c.mounts.push_back(ContainerMount{std::move(source), std::move(destination), "bind", read_only});
  }

  NetInterface& interface(std::uint64_t net_ns, std::string name, std::string kind, std::string ipv4 = {},
                          std::uint8_t prefix = 16) {
    NetInterface i;
    i.net_ns = net_ns;
    i.name = std::move(name);
    i.kind = std::move(kind);
    i.ifindex = static_cast<std::int32_t>(model_.interfaces.size() + 1);
    i.up = true;
    if (!ipv4.empty()) i.ipv4.push_back(IpAddress{std::move(ipv4), prefix});
    model_.interfaces.push_back(std::move(i));
    return model_.interfaces.back();
  }

  Mount& mount(std::uint64_t mnt_ns, std::int32_t id, std::string path, std::string fstype, bool read_only = false) {
    Mount m;
    m.mnt_ns = mnt_ns;
    m.mount_id = id;
    m.path = std::move(path);
    m.fstype = std::move(fstype);
    m.read_only = read_only;
    model_.mounts.push_back(std::move(m));
    return model_.mounts.back();
  }

  DumpModel& model() { return model_; }
  DumpModel take() { return std::move(model_); }

 private:
  DumpModel model_;
};

// The docker-basic scenario (shared/dumps/docker-basic/ground-truth/SCENARIO.md)
// reduced to what rules look at.
inline DumpModel docker_basic_model() {
  ModelBuilder b;
  b.task(1, "systemd");
  b.task(223, "systemd-network", 998);
  b.task(270, "containerd");
  b.task(358, "dockerd");
  b.interface(kHostNet, "lo", "loopback", "127.0.0.1", 8);
  b.interface(kHostNet, "eth0", "ether", "10.0.2.15", 24);
  b.interface(kHostNet, "docker0", "bridge", "172.17.0.1", 16);
  b.interface(kHostNet, "br-5a1b2c3d4e5f", "bridge", "172.20.0.1", 16);
  b.interface(kHostNet, "cni-podman0", "bridge", "10.88.0.1", 16);
  b.mount(kHostMnt, 21, "/", "ext4");
  b.model().engine.engines = {"docker", "podman"};
  b.model().engine.runtime_processes = true;

  auto& web = b.container("web", "8518136a00a3", 837, 1000, 0);
  b.add_network(web, "172.17.0.2/16", "172.17.0.0/16");
  auto& priv = b.container("priv", "3a6aa54f0998", 917, 0, 0x3fffffffff);
  priv.privileged = true;
  priv.seccomp_mode = 0;
  b.add_network(priv, "172.17.0.3/16", "172.17.0.0/16");
  auto& sock = b.container("sock", "5e02401e4636", 999);
  b.add_network(sock, "172.17.0.4/16", "172.17.0.0/16");
  b.add_mount(sock, "/run/docker.sock", "/var/run/docker.sock", false);
  auto& etcrw = b.container("etcrw", "ecbdac03cd6d", 1081);
  b.add_network(etcrw, "172.17.0.5/16", "172.17.0.0/16");
  b.add_mount(etcrw, "/etc", "/host/etc", false);
  auto& etcro = b.container("etcro", "1846bbe53c70", 1158);
  b.add_network(etcro, "172.17.0.6/16", "172.17.0.0/16");
  b.add_mount(etcro, "/etc", "/host/etc", true);
  auto& caps = b.container("caps", "dc9b21b406f1", 1240, 0, 0xa82435fb);
  b.add_network(caps, "172.17.0.7/16", "172.17.0.0/16");
  auto& hostnet = b.container("hostnet", "4c63491f1417", 1315);
  hostnet.ns.net = kHostNet;
  hostnet.host_namespaces = {"net"};
  b.add_network(hostnet, "10.0.2.15/24", "10.0.2.0/24");
  auto& hostpid = b.container("hostpid", "a18b6b291eff", 1382);
  hostpid.ns.pid = kHostPid;
  hostpid.host_namespaces = {"pid"};
  b.add_network(hostpid, "172.17.0.8/16", "172.17.0.0/16");
  auto& app1 = b.container("app1", "e80142038d55", 1505);
  b.add_network(app1, "172.20.0.2/16", "172.20.0.0/16");
  auto& app2 = b.container("app2", "0375b5e61c77", 1608);
  b.add_network(app2, "172.20.0.3/16", "172.20.0.0/16");
  auto& multi = b.container("multi", "40db446d21fc", 1707);
  b.add_network(multi, "172.17.0.9/16", "172.17.0.0/16");
  auto& pod1 = b.container("pod1", "c888788a37aa", 1862, 0, 0x800405fb);
  pod1.runtime = "podman";
  b.add_network(pod1, "10.88.0.2/16", "10.88.0.0/16");
  // multi's two children.
  const std::string multi_id = multi.id;
  const NamespaceSet multi_ns = multi.ns;
  for (std::int32_t pid : {1738, 1739}) {
    Task& t = b.task(pid, "sleep");
    t.ppid = 1707;
    t.ns = multi_ns;
    t.container_id = multi_id;
  }
  for (auto& c : b.model().containers) {
    if (c.name && *c.name == "multi") c.pids = {1707, 1738, 1739};
  }
  DumpModel model = b.take();
  std::sort(model.tasks.begin(), model.tasks.end(), [](const Task& a, const Task& x) { return a.pid < x.pid; });
  std::sort(model.containers.begin(), model.containers.end(),
            [](const Container& a, const Container& x) { return a.id < x.id; });
  return model;
}

struct CompileOutcome {
  std::optional<rules::CompiledRules> rules;
  std::vector<rules::Diagnostic> diagnostics;
  std::string rendered;  // all diagnostics, as `rules check` prints them
};

inline CompileOutcome compile_text(std::string text, std::vector<std::pair<std::string, std::string>> defines = {},
                                   std::string name = "test.rules") {
  rules::RuleCompiler compiler;
  compiler.add_source(std::move(text), std::move(name));
  for (auto& [k, v] : defines) compiler.define(k, v);
  auto result = compiler.compile();
  CompileOutcome out;
  if (result) out.rules = std::move(result.value());
  out.diagnostics = compiler.diagnostics();
  out.rendered = rules::render_diagnostics(out.diagnostics);
  return out;
}

}  // namespace drydock::test
