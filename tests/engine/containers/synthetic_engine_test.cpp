// Engine and container recognition end to end on synthetic kernels: the
// walkers read the image, detect_containers reads the model.

#include <catch2/catch.hpp>

#include "engine/pipeline/build_model.hpp"
#include "support/synthetic_kernel.hpp"

using namespace drydock;
using drydock::testing::kHostNamespaces;
using drydock::testing::NsInodes;
using drydock::testing::NsKind;
using drydock::testing::SyntheticKernel;

namespace {

const std::string kId = "40db446d21fc6537bb67928bb4fb1baada2d89d79115ddf794a7ce6ee7671882";

// A host without any container engine: systemd, kernel threads, sshd, a
// systemd-sandboxed service with its own mount and UTS namespaces, and a
// plain network namespace.
struct PlainHost {
  SyntheticKernel k;
  std::uint64_t net = k.ns_object(NsKind::net, kHostNamespaces.net);
  std::uint64_t lo = k.add_net_device(net, {.name = "lo", .ifindex = 1, .type = 772});
  std::uint64_t eth0 = k.add_net_device(net, {.name = "eth0", .ifindex = 2, .mac = "52:54:00:12:34:56"});
  std::uint64_t systemd = k.add_task({.pid = 1, .comm = "systemd", .cgroup = "/init.scope"});
  std::uint64_t kthreadd = k.add_task({.pid = 2, .comm = "kthreadd", .kernel_thread = true});
  std::uint64_t sshd = k.add_task({.pid = 400, .comm = "sshd", .parent = systemd, .cgroup = "/system.slice/ssh.service"});
  std::uint64_t udevd = k.add_task({.pid = 211, .comm = "systemd-udevd", .parent = systemd,
                                    .ns = sandboxed(), .cgroup = "/system.slice/systemd-udevd.service/udev"});

  static NsInodes sandboxed() {
    NsInodes ns = kHostNamespaces;
    ns.mnt = 4026532190;
    ns.uts = 4026532191;
    return ns;
  }
};

}  // namespace

TEST_CASE("a synthetic host with no container engine has no containers and every signal false") {
  PlainHost host;
  auto loaded = host.k.load();
  const DumpModel model = build_model(*loaded->kernel);
  CHECK(model.tasks.size() == 4);
  CHECK(model.containers.empty());
  CHECK_FALSE(model.engine.bridge);
  CHECK_FALSE(model.engine.overlay_mounts);
  CHECK_FALSE(model.engine.runtime_processes);
  CHECK(model.engine.engines.empty());
  for (const Task& t : model.tasks) CHECK_FALSE(t.container_id.has_value());
}

TEST_CASE("the same host with a Docker shim and its child has one container and the signals") {
  PlainHost host;
  host.k.add_task({.pid = 358, .comm = "dockerd", .parent = host.systemd, .cgroup = "/system.slice/docker.service"});
  const auto shim = host.k.add_task({.pid = 1686, .comm = "containerd-shim", .parent = host.systemd,
                                     .cgroup = "/system.slice/containerd.service"});
  NsInodes ns = kHostNamespaces;
  ns.mnt = 4026532792, ns.uts = 4026532793, ns.ipc = 4026532794, ns.pid = 4026532795, ns.net = 4026532796;
  host.k.add_task({.pid = 1707, .comm = "sh", .parent = shim, .ns = ns, .ns_pid = 1,
                   .cgroup = "/system.slice/docker-" + kId + ".scope"});
  const std::uint64_t bridge = host.k.add_net_device(host.net, {.name = "docker0", .ifindex = 3, .kind = "bridge"});
  const std::uint64_t port = host.k.add_net_device(host.net, {.name = "veth0", .ifindex = 4, .kind = "veth"});
  host.k.set_master(port, bridge);
  auto loaded = host.k.load();

  const DumpModel model = build_model(*loaded->kernel);
  REQUIRE(model.containers.size() == 1);
  const Container& c = model.containers[0];
  CHECK(c.id == kId);
  CHECK(c.runtime == "docker");
  CHECK(c.init_pid == 1707);
  CHECK(c.host_namespaces == std::vector<std::string>{"user", "cgroup"});
  CHECK(model.engine.bridge);
  CHECK(model.engine.runtime_processes);
  CHECK_FALSE(model.engine.overlay_mounts);
  CHECK(model.engine.engines == std::vector<std::string>{"docker"});
}
