// Container recognition on hand-built object models.

#include <catch2/catch.hpp>

#include "engine/containers/container_detector.hpp"

using namespace drydock;

namespace {

const std::string kId = "8518136a00a3d227ef2a523d9500992b5c1662adb9f5e23e017a4cf133e5def1";

Task task(int pid, int ppid, std::string comm, std::string cmdline = {}) {
  Task t;
  t.pid = t.tgid = pid;
  t.ppid = ppid;
  t.comm = std::move(comm);
  if (!cmdline.empty()) t.cmdline = std::move(cmdline);
  t.ns = {1, 2, 3, 4, 5, 6, 7};
  t.uid = t.gid = t.euid = t.egid = t.suid = t.sgid = t.fsuid = t.fsgid = 0;
  t.caps = CapabilitySets{};
  t.seccomp_mode = 0;
  t.no_new_privs = false;
  return t;
}

DumpModel host_only() {
  DumpModel m;
  m.tasks.push_back(task(1, 0, "systemd", "/sbin/init"));
  Task k = task(2, 0, "kthreadd");
  k.kernel_thread = true;
  m.tasks.push_back(k);
  // A systemd-sandboxed service with its own mount and UTS namespaces is not a container.
  Task udevd = task(211, 1, "systemd-udevd", "/lib/systemd/systemd-udevd");
  udevd.ns.mnt = 100;
  udevd.ns.uts = 101;
  udevd.cgroups = {"/system.slice/systemd-udevd.service/udev"};
  m.tasks.push_back(udevd);
  m.host_ns = m.tasks[0].ns;
  return m;
}

}  // namespace

TEST_CASE("a host without a container engine has no containers and no engine signal") {
  const ContainerDetection d = detect_containers(host_only());
  CHECK(d.containers.empty());
  CHECK_FALSE(d.engine.bridge);
  CHECK_FALSE(d.engine.overlay_mounts);
  CHECK_FALSE(d.engine.runtime_processes);
  CHECK(d.engine.engines.empty());
}

TEST_CASE("a shim's child is a container whose id comes from the shim and the cgroup") {
  DumpModel m = host_only();
  m.tasks.push_back(task(358, 1, "dockerd", "/usr/sbin/dockerd -H fd://"));
  m.tasks.push_back(task(816, 1, "containerd-shim", "/usr/bin/containerd-shim-runc-v2 -namespace moby -id " + kId));
  Task init = task(837, 816, "httpd", "httpd -f -p 8080");
  init.ns = {11, 12, 13, 14, 15, 6, 17};
  init.euid = 1000;
  init.cgroups = {"/system.slice/docker-" + kId + ".scope"};
  init.seccomp_mode = 2;
  m.tasks.push_back(init);
  Task child = task(900, 837, "sh", "sh");
  child.ns = init.ns;
  m.tasks.push_back(child);  // no readable cgroup: joins through its parent

  const ContainerDetection d = detect_containers(m);
  REQUIRE(d.containers.size() == 1);
  const Container& c = d.containers[0];
  CHECK(c.id == kId);
  CHECK(c.runtime == "docker");
  CHECK(c.init_pid == 837);
  CHECK(c.pids == std::vector<std::int32_t>{837, 900});
  CHECK(c.euid == 1000);
  CHECK(c.privileged == false);
  CHECK(c.host_namespaces == std::vector<std::string>{"user"});
  CHECK(c.runtime_pid == 816);
  CHECK(d.engine.runtime_processes);
  CHECK(d.engine.engines == std::vector<std::string>{"docker"});
}

TEST_CASE("privileged means a full bounding set and no seccomp, not PID 1's capabilities") {
  DumpModel m = host_only();
  m.tasks.push_back(task(816, 1, "containerd-shim", "/usr/bin/containerd-shim-runc-v2 -namespace moby -id " + kId));
  Task init = task(917, 816, "sleep", "sleep 1");
  init.ns = {21, 22, 23, 24, 25, 6, 27};
  init.caps->bounding = init.caps->effective = 0x3fffffffffULL;
  m.tasks.push_back(init);
  CHECK(detect_containers(m).containers.at(0).privileged == true);

  m.tasks.back().seccomp_mode = 2;  // a filter: not privileged
  CHECK(detect_containers(m).containers.at(0).privileged == false);
  m.tasks.back().seccomp_mode = 0;
  m.tasks.back().caps->bounding = 0xa82435fbULL;  // default set plus SYS_ADMIN and NET_ADMIN
  CHECK(detect_containers(m).containers.at(0).privileged == false);
}

TEST_CASE("podman's conmon names its container") {
  DumpModel m = host_only();
  m.tasks.push_back(task(1860, 1, "conmon", "/usr/bin/conmon --api-version 1 -c " + kId + " -u " + kId + " -n pod1"));
  Task init = task(1862, 1860, "sleep", "sleep 1000000");
  init.ns = {31, 32, 33, 34, 35, 6, 37};
  init.cgroups = {"/machine.slice/libpod-" + kId + ".scope/container"};
  m.tasks.push_back(init);
  const ContainerDetection d = detect_containers(m);
  REQUIRE(d.containers.size() == 1);
  CHECK(d.containers[0].runtime == "podman");
  CHECK(d.containers[0].name == std::optional<std::string>("pod1"));
}

TEST_CASE("bind mounts report the host path of the same superblock") {
  std::vector<Mount> host(2);
  host[0].path = "/";
  host[0].root = "/";
  host[0].super_block = 0x10;
  host[1].path = "/run";
  host[1].root = "/";
  host[1].super_block = 0x20;
  Mount etc;
  etc.root = "/etc";
  etc.super_block = 0x10;
  Mount sock;
  sock.root = "/docker.sock";
  sock.super_block = 0x20;
  CHECK(host_source(etc, host) == "/etc");
  CHECK(host_source(sock, host) == "/run/docker.sock");
}

TEST_CASE("default container mounts are told from added ones") {
  Mount m;
  m.path = "/proc/kcore";
  m.fstype = "tmpfs";
  m.root = "/null";
  CHECK(is_default_container_mount(m, kId));
  m.path = "/etc/hostname";
  m.fstype = "ext4";
  m.root = "/var/lib/docker/containers/" + kId + "/hostname";
  CHECK(is_default_container_mount(m, kId));
  m.path = "/host/etc";
  m.root = "/etc";
  CHECK_FALSE(is_default_container_mount(m, kId));
}

TEST_CASE("zombie and dead tasks are not counted as a container's processes") {
  DumpModel m = host_only();
  m.tasks.push_back(task(816, 1, "containerd-shim", "/usr/bin/containerd-shim-runc-v2 -namespace moby -id " + kId));
  Task init = task(917, 816, "sleep", "sleep 1");
  init.ns = {21, 22, 23, 24, 25, 6, 27};
  init.state = "sleeping";
  m.tasks.push_back(init);
  Task zombie = task(930, 917, "sh", "");
  zombie.ns = init.ns;
  zombie.state = "zombie";
  m.tasks.push_back(zombie);
  Task dead = task(931, 917, "sh", "");
  dead.ns = init.ns;
  dead.state = "dead";
  m.tasks.push_back(dead);
  Task unknown = task(932, 917, "sh", "sh");
  unknown.ns = init.ns;  // state unknown: still counted
  m.tasks.push_back(unknown);
  const auto detection = detect_containers(m);
  REQUIRE(detection.containers.size() == 1);
  CHECK(detection.containers[0].pids == std::vector<std::int32_t>{917, 932});
}
