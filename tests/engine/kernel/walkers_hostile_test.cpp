// The kernel walkers on synthetic kernels: first that a well-formed kernel is
// rebuilt as placed, then that each kind of broken structure a hostile or torn
// dump may hold (list cycles, pointers into unmapped memory, absurd counts,
// strings with no terminator) ends only its own walk, with a recorded issue,
// while everything else is still extracted.

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "engine/kernel/dentry_path.hpp"
#include "engine/kernel/mount_walker.hpp"
#include "engine/kernel/net_walker.hpp"
#include "engine/kernel/task_walker.hpp"
#include "engine/model/footprint.hpp"
#include "support/synthetic_kernel.hpp"
#include "support/walk_results.hpp"

using namespace drydock;
using drydock::testing::issues_text;
using drydock::testing::kHostNamespaces;
using drydock::testing::NsInodes;
using drydock::testing::kUnmappedAddress;
using drydock::testing::kUnsavedAddress;
using drydock::testing::mount_with_id;
using drydock::testing::MountSpec;
using drydock::testing::names_of;
using drydock::testing::NetDeviceSpec;
using drydock::testing::NsKind;
using drydock::testing::pids_of;
using drydock::testing::SyntheticKernel;
using drydock::testing::TaskSpec;
using drydock::testing::task_with_pid;

namespace {

constexpr std::uint64_t kAllCaps = 0x1ffffffffffULL;

std::uint64_t tasks_node(std::uint64_t task) { return task + SyntheticKernel::offset("task_struct", "tasks"); }

// A host with three tasks on the list: 1 systemd, 2 kthreadd, 3 sh.
struct ThreeTasks {
  SyntheticKernel k;
  std::uint64_t systemd = k.add_task({.pid = 1, .comm = "systemd", .cap_effective = kAllCaps});
  std::uint64_t kthreadd = k.add_task({.pid = 2, .comm = "kthreadd", .kernel_thread = true});
  std::uint64_t sh = k.add_task({.pid = 3, .comm = "sh", .parent = systemd, .uid = 1000, .gid = 1000});
};

// A host mount namespace: / (ext4, id 1) with /proc (id 2) and /sys (id 3),
// and pid 1 rooted at /.
struct HostMounts {
  SyntheticKernel k;
  std::uint64_t ns = k.ns_object(NsKind::mnt, kHostNamespaces.mnt);
  std::uint64_t root = k.add_mount(ns, {.id = 1, .devname = "/dev/vda1", .fstype = "ext4"});
  std::uint64_t proc_dir = k.add_dentry("proc", k.mount_root(root));
  std::uint64_t sys_dir = k.add_dentry("sys", k.mount_root(root));
  std::uint64_t proc = k.add_mount(ns, {.id = 2, .parent = root, .mountpoint = proc_dir, .devname = "proc",
                                        .fstype = "proc", .flags = 0x7});
  std::uint64_t sys = k.add_mount(ns, {.id = 3, .parent = root, .mountpoint = sys_dir, .devname = "sysfs",
                                       .fstype = "sysfs", .flags = 0x40});
  std::uint64_t init = k.add_task({.pid = 1, .comm = "systemd", .root_mount = root});
};

// A host network namespace: lo, eth0 (10.0.2.15/24, fe80::5054:ff:fe12:3456/64),
// docker0 (bridge) and a veth port of it.
struct HostNetwork {
  SyntheticKernel k;
  std::uint64_t net = k.ns_object(NsKind::net, kHostNamespaces.net);
  std::uint64_t lo = k.add_net_device(net, {.name = "lo", .ifindex = 1, .type = 772});
  std::uint64_t eth0 = k.add_net_device(net, {.name = "eth0", .ifindex = 2, .mac = "52:54:00:12:34:56"});
  std::uint64_t docker0 = k.add_net_device(net, {.name = "docker0", .ifindex = 3, .mac = "02:42:5e:00:00:01",
                                                 .kind = "bridge"});
  std::uint64_t veth = k.add_net_device(net, {.name = "veth1a2b3c", .ifindex = 4, .mac = "6a:11:22:33:44:55",
                                              .up = false, .kind = "veth"});
};

}  // namespace

// --- well-formed structures ---------------------------------------------------------------

TEST_CASE("walk_tasks rebuilds the synthetic task list with credentials and namespaces") {
  SyntheticKernel k;
  const auto systemd = k.add_task({.pid = 1, .comm = "systemd", .cap_effective = kAllCaps, .cap_permitted = kAllCaps});
  k.add_task({.pid = 2, .comm = "kthreadd", .kernel_thread = true});
  NsInodes container = kHostNamespaces;
  container.pid = 4026532300, container.net = 4026532303, container.mnt = 4026532301;
  k.add_task({.pid = 4242, .comm = "nginx", .parent = systemd, .uid = 101, .gid = 101, .ns = container,
              .ns_pid = 1, .cgroup = "/system.slice/docker-0123abcd.scope"});
  auto loaded = k.load();

  const TaskWalkResult result = walk_tasks(*loaded->kernel);
  for (const auto& issue : result.issues) UNSCOPED_INFO(issue.message);
  CHECK(result.issues.empty());
  REQUIRE(pids_of(result.tasks) == std::vector<std::int32_t>{1, 2, 4242});

  const Task& init = result.tasks[0];
  CHECK(init.comm == "systemd");
  CHECK(init.ppid == 0);
  REQUIRE(init.caps);
  CHECK(init.caps->effective == kAllCaps);
  CHECK(init.ns == kHostNamespaces);
  CHECK(init.ns_pid == 1);
  CHECK(init.kernel_thread == false);
  CHECK(init.address == systemd);

  CHECK(result.tasks[1].kernel_thread == true);

  const Task& nginx = result.tasks[2];
  CHECK(nginx.comm == "nginx");
  CHECK(nginx.ppid == 1);
  CHECK(nginx.uid == 101);
  CHECK(nginx.euid == 101);
  CHECK(nginx.fsgid == 101);
  CHECK(nginx.ns == container);
  CHECK(nginx.ns_pid == 1);
  CHECK(nginx.cgroups == std::vector<std::string>{"/system.slice/docker-0123abcd.scope"});
}

TEST_CASE("walk_tasks lists threads from the leader's thread list when asked") {
  SyntheticKernel k;
  const auto leader = k.add_task({.pid = 100, .comm = "dockerd"});
  k.add_task({.pid = 101, .tgid = 100, .comm = "dockerd", .thread_of = leader});
  k.add_task({.pid = 102, .tgid = 100, .comm = "dockerd", .thread_of = leader});
  auto loaded = k.load();

  CHECK(pids_of(walk_tasks(*loaded->kernel).tasks) == std::vector<std::int32_t>{100});
  const TaskWalkResult with_threads = walk_tasks(*loaded->kernel, {.threads = true});
  CHECK(with_threads.issues.empty());
  REQUIRE(pids_of(with_threads.tasks) == std::vector<std::int32_t>{100, 101, 102});
  CHECK(with_threads.tasks[1].is_thread);
  CHECK(with_threads.tasks[1].tgid == 100);
}

TEST_CASE("walk_mounts rebuilds mount points, types and flags of the synthetic namespace") {
  HostMounts host;
  auto loaded = host.k.load();
  const TaskWalkResult tasks = walk_tasks(*loaded->kernel);
  const MountWalkResult result = walk_mounts(*loaded->kernel, tasks.tasks);
  CHECK(result.issues.empty());
  CHECK(result.initial_mnt_ns == kHostNamespaces.mnt);
  REQUIRE(result.mounts.size() == 3);

  const Mount& root = mount_with_id(result.mounts, 1);
  CHECK(root.path == "/");
  CHECK(root.root == "/");
  CHECK(root.fstype == "ext4");
  CHECK(root.devname == "/dev/vda1");
  CHECK(root.absolute_path == "/");
  CHECK(root.mnt_ns == kHostNamespaces.mnt);

  const Mount& proc = mount_with_id(result.mounts, 2);
  CHECK(proc.path == "/proc");
  CHECK(proc.parent_id == 1);
  CHECK(proc.fstype == "proc");
  CHECK(proc.flags == std::vector<std::string>{"nosuid", "nodev", "noexec"});

  const Mount& sys = mount_with_id(result.mounts, 3);
  CHECK(sys.path == "/sys");
  CHECK(sys.read_only == true);
  REQUIRE_FALSE(sys.options.empty());
  CHECK(sys.options[0].first == "ro");
}

TEST_CASE("walk_network rebuilds devices, addresses and bridge ports of the synthetic namespace") {
  HostNetwork host;
  host.k.add_ipv4(host.eth0, "10.0.2.15", 24);
  host.k.add_ipv6(host.eth0, "fe80::5054:ff:fe12:3456", 64);
  host.k.add_ipv4(host.docker0, "172.17.0.1", 16);
  host.k.set_master(host.veth, host.docker0);
  auto loaded = host.k.load();

  const NetWalkResult result = walk_network(*loaded->kernel);
  CHECK(result.issues.empty());
  REQUIRE(names_of(result.interfaces) == std::vector<std::string>{"lo", "eth0", "docker0", "veth1a2b3c"});
  const NetInterface& lo = result.interfaces[0];
  CHECK(lo.kind == "loopback");
  CHECK(lo.mac == "");
  const NetInterface& eth0 = result.interfaces[1];
  CHECK(eth0.net_ns == kHostNamespaces.net);
  CHECK(eth0.mac == "52:54:00:12:34:56");
  CHECK(eth0.up == true);
  CHECK(eth0.kind == "ether");
  REQUIRE(eth0.ipv4.size() == 1);
  CHECK(eth0.ipv4[0].address == "10.0.2.15");
  CHECK(eth0.ipv4[0].prefix == 24);
  REQUIRE(eth0.ipv6.size() == 1);
  CHECK(eth0.ipv6[0].address == "fe80::5054:ff:fe12:3456");
  CHECK(eth0.ipv6[0].prefix == 64);
  CHECK(result.interfaces[2].kind == "bridge");
  const NetInterface& veth = result.interfaces[3];
  CHECK(veth.kind == "veth");
  CHECK(veth.up == false);
  CHECK(veth.master == "docker0");
}

// --- broken task lists ------------------------------------------------------------------------

TEST_CASE("a task list that loops without passing its head keeps the tasks before the loop") {
  ThreeTasks host;
  // sh.tasks.next -> kthreadd.tasks: 1, 2, 3, 2, 3, ... never back to init_task.
  host.k.write_u64(tasks_node(host.sh), tasks_node(host.kthreadd));
  auto loaded = host.k.load();

  const TaskWalkResult result = walk_tasks(*loaded->kernel);
  CHECK(pids_of(result.tasks) == std::vector<std::int32_t>{1, 2, 3});
  REQUIRE(result.issues.size() == 1);
  CHECK(result.issues[0].stage == "tasks");
  CHECK_THAT(result.issues[0].message, Catch::Contains("init_task.tasks") && Catch::Contains("loops") &&
                                           Catch::Contains("after 3 entries"));
}

TEST_CASE("a task list whose next pointer leads into unmapped memory ends there with an issue") {
  ThreeTasks host;
  host.k.write_u64(tasks_node(host.kthreadd), kUnmappedAddress);
  auto loaded = host.k.load();

  const TaskWalkResult result = walk_tasks(*loaded->kernel);
  CHECK(pids_of(result.tasks) == std::vector<std::int32_t>{1, 2});
  const std::string issues = issues_text(result.issues, "tasks");
  CHECK_THAT(issues, Catch::Contains("init_task.tasks") && Catch::Contains("unreadable next pointer"));
  // The bogus node itself is reported, not listed as a task of pid 0.
  CHECK_THAT(issues, Catch::Contains("pid/tgid unreadable"));
}

TEST_CASE("a task list pointing at a saved-looking but unsaved page ends with an issue") {
  ThreeTasks host;
  host.k.write_u64(tasks_node(host.systemd), kUnsavedAddress);
  auto loaded = host.k.load();

  const TaskWalkResult result = walk_tasks(*loaded->kernel);
  CHECK(pids_of(result.tasks) == std::vector<std::int32_t>{1});
  CHECK_THAT(issues_text(result.issues, "tasks"), Catch::Contains("unreadable"));
}

TEST_CASE("a task list with a NULL next pointer ends with an issue") {
  ThreeTasks host;
  host.k.write_u64(tasks_node(host.kthreadd), 0);
  auto loaded = host.k.load();

  const TaskWalkResult result = walk_tasks(*loaded->kernel);
  CHECK(pids_of(result.tasks) == std::vector<std::int32_t>{1, 2});
  CHECK_THAT(issues_text(result.issues, "tasks"), Catch::Contains("NULL next pointer after 2 entries"));
}

TEST_CASE("an absurdly long task list is cut at max_tasks") {
  SyntheticKernel k;
  for (std::int32_t pid = 1; pid <= 12; ++pid) k.add_task({.pid = pid, .comm = "worker"});
  auto loaded = k.load();

  const TaskWalkResult result = walk_tasks(*loaded->kernel, {.max_tasks = 5});
  CHECK(pids_of(result.tasks) == std::vector<std::int32_t>{1, 2, 3, 4, 5});
  REQUIRE(result.issues.size() == 1);
  CHECK_THAT(result.issues[0].message, Catch::Contains("more than 5 entries, stopped"));
}

TEST_CASE("a task whose credentials pointer is unreadable is listed with an issue") {
  ThreeTasks host;
  host.k.set(host.sh, "task_struct", "real_cred", kUnmappedAddress);
  auto loaded = host.k.load();

  const TaskWalkResult result = walk_tasks(*loaded->kernel);
  REQUIRE(pids_of(result.tasks) == std::vector<std::int32_t>{1, 2, 3});
  CHECK(task_with_pid(result.tasks, 3).comm == "sh");
  // Without its cred the task's ids are unknown; they must not pass silently
  // as uid 0 (root).
  CHECK_THAT(issues_text(result.issues, "tasks"), Catch::Contains("task 3") && Catch::Contains("credentials unreadable"));
}

TEST_CASE("a task with a NULL credentials pointer is listed with an issue") {
  ThreeTasks host;
  host.k.set(host.sh, "task_struct", "real_cred", 0);
  auto loaded = host.k.load();

  const TaskWalkResult result = walk_tasks(*loaded->kernel);
  CHECK(pids_of(result.tasks) == std::vector<std::int32_t>{1, 2, 3});
  CHECK_THAT(issues_text(result.issues, "tasks"), Catch::Contains("task 3") && Catch::Contains("credentials unreadable"));
}

TEST_CASE("a comm with no terminator gives its 16 bytes and nothing after") {
  SyntheticKernel k;
  const auto task = k.add_task({.pid = 7, .comm = std::string(16, 'A')});
  // What follows comm in memory is not NUL either.
  k.write_bytes(task + SyntheticKernel::offset("task_struct", "comm") + 16, "BBBBBBBB");
  auto loaded = k.load();

  const TaskWalkResult result = walk_tasks(*loaded->kernel);
  REQUIRE(result.tasks.size() == 1);
  CHECK(result.tasks[0].comm == std::string(16, 'A'));
}

TEST_CASE("an absurd struct pid level is not followed") {
  ThreeTasks host;
  const std::uint64_t pid = host.k.written_pointer(host.sh + SyntheticKernel::offset("task_struct", "thread_pid"));
  host.k.write_u32(pid + SyntheticKernel::offset("pid", "level"), 0xffffffffu);
  auto loaded = host.k.load();

  const TaskWalkResult result = walk_tasks(*loaded->kernel);
  REQUIRE(pids_of(result.tasks) == std::vector<std::int32_t>{1, 2, 3});
  // Unknown, not 0, and said so.
  CHECK_FALSE(task_with_pid(result.tasks, 3).ns_pid.has_value());
  CHECK_FALSE(task_with_pid(result.tasks, 3).ns.pid.has_value());
  CHECK(task_with_pid(result.tasks, 1).ns_pid == 1);
  CHECK(std::any_of(result.issues.begin(), result.issues.end(), [](const auto& i) {
    return i.message.find("task 3: struct pid at") != std::string::npos;
  }));
}

TEST_CASE("a thread list that loops without passing its head keeps the threads before the loop") {
  SyntheticKernel k;
  const auto leader = k.add_task({.pid = 100, .comm = "dockerd"});
  const auto t1 = k.add_task({.pid = 101, .tgid = 100, .comm = "dockerd", .thread_of = leader});
  const auto t2 = k.add_task({.pid = 102, .tgid = 100, .comm = "dockerd", .thread_of = leader});
  const std::uint32_t node = SyntheticKernel::offset("task_struct", "thread_node");
  k.write_u64(t2 + node, t1 + node);
  auto loaded = k.load();

  const TaskWalkResult result = walk_tasks(*loaded->kernel, {.threads = true});
  CHECK(pids_of(result.tasks) == std::vector<std::int32_t>{100, 101, 102});
  CHECK_THAT(issues_text(result.issues, "tasks"), Catch::Contains("threads of task") && Catch::Contains("loops"));
}

TEST_CASE("a cgroup whose kernfs parents loop is left out and the task is still listed") {
  SyntheticKernel k;
  const auto task = k.add_task({.pid = 9, .comm = "looped", .cgroup = "/system.slice/a.service"});
  const auto css = k.written_pointer(task + SyntheticKernel::offset("task_struct", "cgroups"));
  const auto cgroup = k.written_pointer(css + SyntheticKernel::offset("css_set", "dfl_cgrp"));
  const auto leaf = k.written_pointer(cgroup + SyntheticKernel::offset("cgroup", "kn"));
  const auto parent = k.written_pointer(leaf + SyntheticKernel::offset("kernfs_node", "parent"));
  k.set(parent, "kernfs_node", "parent", leaf);  // a.service <-> system.slice
  auto loaded = k.load();

  const TaskWalkResult result = walk_tasks(*loaded->kernel);
  REQUIRE(pids_of(result.tasks) == std::vector<std::int32_t>{9});
  CHECK(result.tasks[0].cgroups.empty());
}

// --- broken mounts and dentries -------------------------------------------------------------

TEST_CASE("a mount list that loops without passing its head keeps the mounts before the loop") {
  HostMounts host;
  const std::uint32_t list = SyntheticKernel::offset("mount", "mnt_list");
  host.k.write_u64(host.sys + list, host.proc + list);  // / -> /proc -> /sys -> /proc ...
  auto loaded = host.k.load();

  const TaskWalkResult tasks = walk_tasks(*loaded->kernel);
  const MountWalkResult result = walk_mounts(*loaded->kernel, tasks.tasks);
  REQUIRE(result.mounts.size() == 3);
  CHECK(mount_with_id(result.mounts, 3).path == "/sys");
  REQUIRE(result.issues.size() == 1);
  CHECK(result.issues[0].stage == "mounts");
  CHECK_THAT(result.issues[0].message, Catch::Contains("mnt_namespace") && Catch::Contains("loops"));
}

TEST_CASE("a mount list into unmapped memory ends with an issue and keeps the mounts before") {
  HostMounts host;
  host.k.write_u64(host.proc + SyntheticKernel::offset("mount", "mnt_list"), kUnmappedAddress);
  auto loaded = host.k.load();

  const MountWalkResult result = walk_mounts(*loaded->kernel, walk_tasks(*loaded->kernel).tasks);
  std::vector<std::int32_t> ids;
  for (const Mount& m : result.mounts) ids.push_back(m.mount_id);
  CHECK(ids == std::vector<std::int32_t>{1, 2});
  CHECK_THAT(issues_text(result.issues, "mounts"), Catch::Contains("unreadable"));
}

TEST_CASE("a dentry parent chain that loops ends the mount point path at max_path_depth") {
  HostMounts host;
  // /a/b, then a's parent is made b: a <-> b never reaches the root.
  const std::uint64_t a = host.k.add_dentry("a", host.k.mount_root(host.root));
  const std::uint64_t b = host.k.add_dentry("b", a);
  host.k.set(a, "dentry", "d_parent", b);
  host.k.add_mount(host.ns, {.id = 4, .parent = host.root, .mountpoint = b, .devname = "tmpfs"});
  auto loaded = host.k.load();

  const MountWalkResult result =
      walk_mounts(*loaded->kernel, walk_tasks(*loaded->kernel).tasks, {.max_path_depth = 8});
  REQUIRE(result.mounts.size() == 4);
  const Mount& looped = mount_with_id(result.mounts, 4);
  CHECK(looped.path == "/a/b/a/b/a/b/a/b");  // 8 steps, then cut
  CHECK(looped.fstype == "tmpfs");
  CHECK(mount_with_id(result.mounts, 2).path == "/proc");
  CHECK_THAT(issues_text(result.issues, "mounts"),
             Catch::Contains("mount 4") && Catch::Contains("mount point path unreadable"));
}

TEST_CASE("dentry_path of a looping dentry chain stops at the depth bound") {
  HostMounts host;
  const std::uint64_t a = host.k.add_dentry("a", host.k.mount_root(host.root));
  const std::uint64_t b = host.k.add_dentry("b", a);
  host.k.set(a, "dentry", "d_parent", b);
  const std::uint64_t self = host.k.add_dentry("etc", host.k.mount_root(host.root));
  auto loaded = host.k.load();

  const VfsLayout& layout = loaded->kernel->layout().vfs;
  const PathResult looped = dentry_path(*loaded->kernel, layout, b, 4);
  CHECK(looped.status == PathStatus::unreadable);
  CHECK(looped.path == "/b/a/b/a/b");
  const PathResult fine = dentry_path(*loaded->kernel, layout, self);
  CHECK(fine.status == PathStatus::ok);
  CHECK(fine.path == "/etc");
  const PathResult unmapped = dentry_path(*loaded->kernel, layout, kUnmappedAddress);
  CHECK(unmapped.status == PathStatus::unreadable);
}

TEST_CASE("a device name with no terminator is cut at the string bound") {
  HostMounts host;
  const std::uint64_t name = host.k.alloc(3 * 4096, 4096);
  host.k.write_bytes(name, std::string(3 * 4096, 'x'));
  host.k.set(host.proc, "mount", "mnt_devname", name);
  auto loaded = host.k.load();

  const MountWalkResult result = walk_mounts(*loaded->kernel, walk_tasks(*loaded->kernel).tasks);
  CHECK(mount_with_id(result.mounts, 2).devname == std::string(4096, 'x'));
}

TEST_CASE("a string running into a page the dump did not save is cut at the page end") {
  HostMounts host;
  // The last 3 bytes of a saved page; the next page is not in the dump.
  const std::uint64_t page = host.k.alloc(4096, 4096);
  host.k.write_bytes(page + 4093, "dev");
  REQUIRE(host.k.physical_of(page) + 4096 < testing::kHeapLimit);
  host.k.set(host.proc, "mount", "mnt_devname", page + 4093);
  auto loaded = host.k.load();
  REQUIRE_FALSE(loaded->kernel->read_value<std::uint8_t>(page + 4096));

  const MountWalkResult result = walk_mounts(*loaded->kernel, walk_tasks(*loaded->kernel).tasks);
  CHECK(mount_with_id(result.mounts, 2).devname == "dev");
}

TEST_CASE("a task whose fs pointer is unreadable gives a mounts issue, not a crash") {
  HostMounts host;
  host.k.set(host.init, "task_struct", "fs", kUnmappedAddress);
  auto loaded = host.k.load();

  const MountWalkResult result = walk_mounts(*loaded->kernel, walk_tasks(*loaded->kernel).tasks);
  CHECK(result.mounts.empty());
  CHECK_THAT(issues_text(result.issues, "mounts"), Catch::Contains("task 1"));
}

// --- broken network structures ----------------------------------------------------------------

TEST_CASE("a net device list into unmapped memory keeps the devices before it") {
  HostNetwork host;
  host.k.write_u64(host.eth0 + SyntheticKernel::offset("net_device", "dev_list"), kUnmappedAddress);
  auto loaded = host.k.load();

  const NetWalkResult result = walk_network(*loaded->kernel);
  CHECK(names_of(result.interfaces) == std::vector<std::string>{"lo", "eth0"});
  const std::string issues = issues_text(result.issues, "net");
  CHECK_THAT(issues, Catch::Contains("devices of net namespace 4026531840") && Catch::Contains("unreadable"));
  CHECK_THAT(issues, Catch::Contains("name unreadable"));
}

TEST_CASE("a net device list that loops keeps each device once") {
  HostNetwork host;
  const std::uint32_t list = SyntheticKernel::offset("net_device", "dev_list");
  host.k.write_u64(host.veth + list, host.eth0 + list);
  auto loaded = host.k.load();

  const NetWalkResult result = walk_network(*loaded->kernel);
  CHECK(names_of(result.interfaces) == std::vector<std::string>{"lo", "eth0", "docker0", "veth1a2b3c"});
  CHECK_THAT(issues_text(result.issues, "net"), Catch::Contains("loops"));
}

TEST_CASE("an absurd number of net devices is cut at max_devices_per_ns") {
  HostNetwork host;
  auto loaded = host.k.load();
  const NetWalkResult result = walk_network(*loaded->kernel, {.max_devices_per_ns = 2});
  CHECK(names_of(result.interfaces) == std::vector<std::string>{"lo", "eth0"});
  CHECK_THAT(issues_text(result.issues, "net"), Catch::Contains("more than 2 entries"));
}

TEST_CASE("a net namespace list that loops keeps each namespace once") {
  HostNetwork host;
  const std::uint64_t other = host.k.ns_object(NsKind::net, 4026532400);
  host.k.add_net_device(other, {.name = "eth0", .ifindex = 7});
  host.k.write_u64(other + SyntheticKernel::offset("net", "list"), other + SyntheticKernel::offset("net", "list"));
  auto loaded = host.k.load();

  const NetWalkResult result = walk_network(*loaded->kernel);
  CHECK(result.interfaces.size() == 5);
  CHECK_THAT(issues_text(result.issues, "net"), Catch::Contains("net_namespace_list") && Catch::Contains("loops"));
}

TEST_CASE("an IPv4 address list that loops keeps each address once") {
  HostNetwork host;
  const std::uint64_t first = host.k.add_ipv4(host.eth0, "10.0.0.1", 24);
  const std::uint64_t second = host.k.add_ipv4(host.eth0, "10.0.0.2", 8);
  host.k.set(second, "in_ifaddr", "ifa_next", first);
  auto loaded = host.k.load();

  const NetWalkResult result = walk_network(*loaded->kernel);
  REQUIRE(result.interfaces.size() == 4);
  const NetInterface& eth0 = result.interfaces[1];
  REQUIRE(eth0.ipv4.size() == 2);
  CHECK(eth0.ipv4[0].address == "10.0.0.1");
  CHECK(eth0.ipv4[1].address == "10.0.0.2");
  CHECK(eth0.ipv4[1].prefix == 8);
  CHECK_THAT(issues_text(result.issues, "net"), Catch::Contains("eth0: IPv4 address list loops"));
}

TEST_CASE("an IPv4 address pointer into unmapped memory keeps the addresses before it") {
  HostNetwork host;
  const std::uint64_t first = host.k.add_ipv4(host.eth0, "10.0.0.1", 24);
  host.k.set(first, "in_ifaddr", "ifa_next", kUnmappedAddress);
  auto loaded = host.k.load();

  const NetWalkResult result = walk_network(*loaded->kernel);
  const NetInterface& eth0 = result.interfaces[1];
  REQUIRE(eth0.ipv4.size() == 1);
  CHECK(eth0.ipv4[0].address == "10.0.0.1");
  CHECK_THAT(issues_text(result.issues, "net"), Catch::Contains("eth0: in_ifaddr at") && Catch::Contains("unreadable"));
}

TEST_CASE("an absurd hardware address length is bounded by MAX_ADDR_LEN") {
  HostNetwork host;
  host.k.write_u8(host.eth0 + SyntheticKernel::offset("net_device", "addr_len"), 255);
  auto loaded = host.k.load();

  const NetWalkResult result = walk_network(*loaded->kernel);
  const NetInterface& eth0 = result.interfaces[1];
  REQUIRE(eth0.mac);
  CHECK(eth0.mac->size() == 32 * 3 - 1);  // 32 bytes as "xx:" minus the last colon
  CHECK(eth0.mac->starts_with("52:54:00:12:34:56:00"));
}

TEST_CASE("an IPv6 address list that loops keeps each address once") {
  HostNetwork host;
  const std::uint64_t first = host.k.add_ipv6(host.eth0, "fe80::1", 64);
  const std::uint64_t second = host.k.add_ipv6(host.eth0, "2001:db8::2", 48);
  const std::uint32_t list = SyntheticKernel::offset("inet6_ifaddr", "if_list");
  host.k.write_u64(second + list, first + list);
  auto loaded = host.k.load();

  const NetWalkResult result = walk_network(*loaded->kernel);
  const NetInterface& eth0 = result.interfaces[1];
  REQUIRE(eth0.ipv6.size() == 2);
  CHECK(eth0.ipv6[1].address == "2001:db8::2");
  CHECK_THAT(issues_text(result.issues, "net"), Catch::Contains("eth0: IPv6 addresses") && Catch::Contains("loops"));
}

// --- the memory budget ---------------------------------------------------------------------

TEST_CASE("a task list longer than the memory budget allows is cut in list order, with an issue") {
  SyntheticKernel k;
  for (std::int32_t pid = 1; pid <= 12; ++pid) k.add_task({.pid = pid, .comm = "worker"});
  // Room for the whole list walk and about four task records.
  Task sample;
  sample.comm = "worker";
  const std::uint64_t budget = 12 * kWalkNodeFootprint + 4 * footprint(sample) + footprint(sample) / 2;
  auto loaded = k.load(drydock::testing::ImageFormat::lime, budget);

  const TaskWalkResult result = walk_tasks(*loaded->kernel);
  CHECK(pids_of(result.tasks) == std::vector<std::int32_t>{1, 2, 3, 4});
  CHECK_THAT(issues_text(result.issues, "tasks"),
             Catch::Contains("task 5 and the 7 after it in the task list: memory budget of " +
                                            std::to_string(budget >> 10) + " KiB for this dump is used up"));
  CHECK(loaded->kernel->budget().used() <= budget);
  CHECK(loaded->kernel->budget().exhausted());
}

TEST_CASE("a list walk that would pass the memory budget stops with an issue and keeps what it read") {
  SyntheticKernel k;
  for (std::int32_t pid = 1; pid <= 12; ++pid) k.add_task({.pid = pid, .comm = "worker"});
  auto loaded = k.load(drydock::testing::ImageFormat::lime, 5 * kWalkNodeFootprint);

  const TaskWalkResult result = walk_tasks(*loaded->kernel);
  // The walk stopped at the sixth node; no room was left for task records.
  CHECK(result.tasks.empty());
  CHECK_THAT(issues_text(result.issues, "tasks"), Catch::Contains("stopped after 5 entries: memory budget of"));
}

TEST_CASE("net devices past the memory budget are left out with an issue") {
  HostNetwork host;
  NetInterface sample;
  sample.name = "eth0";
  // The namespace list (one node) and the device list walk, then two devices.
  const std::uint64_t budget = 6 * kWalkNodeFootprint + 2 * (footprint(sample) + 64);
  auto loaded = host.k.load(drydock::testing::ImageFormat::lime, budget);
  const NetWalkResult result = walk_network(*loaded->kernel);
  CHECK(result.interfaces.size() < 4);
  CHECK_THAT(issues_text(result.issues, "net"), Catch::Contains("memory budget of"));
  CHECK(loaded->kernel->budget().used() <= budget);
}

TEST_CASE("mounts past the memory budget are left out with an issue") {
  HostMounts host;
  Mount sample;
  const std::uint64_t budget = 3 * kWalkNodeFootprint + footprint(sample) + 200;
  auto loaded = host.k.load(drydock::testing::ImageFormat::lime, budget);
  Task init;
  init.pid = 1;
  init.address = host.init;
  const MountWalkResult result = mounts_seen_by(*loaded->kernel, init);
  CHECK(result.mounts.size() < 3);
  CHECK_THAT(issues_text(result.issues, "mounts"), Catch::Contains("memory budget of"));
  CHECK(loaded->kernel->budget().used() <= budget);
}
