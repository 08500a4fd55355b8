// Unknown is not zero: what a hostile or damaged dump does not let drydock
// read comes out as nullopt with an issue naming it, never as 0, false or
// empty, and namespaces are told apart by their kernel address, not by the
// inode number read from them.

#include <algorithm>
#include <string>
#include <vector>

#include <catch2/catch.hpp>
#include <fmt/format.h>

#include "engine/kernel/mount_walker.hpp"
#include "engine/kernel/task_walker.hpp"
#include "engine/pipeline/build_model.hpp"
#include "support/synthetic_kernel.hpp"
#include "support/unreadable_host.hpp"
#include "support/walk_results.hpp"

using namespace drydock;
using drydock::testing::kHostNamespaces;
using drydock::testing::kUnmappedAddress;
using drydock::testing::NsInodes;
using drydock::testing::NsKind;
using drydock::testing::issues_text;
using drydock::testing::SyntheticKernel;
using drydock::testing::task_with_pid;
using drydock::testing::Unreadable;
using drydock::testing::UnreadableHost;

namespace {

const std::string kId = "40db446d21fc6537bb67928bb4fb1baada2d89d79115ddf794a7ce6ee7671882";

// A Docker host: systemd, a shim and the container's init (uid 1000) in its
// own namespaces, with a root mount of its own.
struct DockerHost {
  SyntheticKernel k;
  std::uint64_t host_ns = k.ns_object(NsKind::mnt, kHostNamespaces.mnt);
  std::uint64_t host_root = k.add_mount(host_ns, {.id = 1, .devname = "/dev/vda1", .fstype = "ext4"});
  std::uint64_t systemd = k.add_task({.pid = 1, .comm = "systemd", .root_mount = host_root});
  std::uint64_t shim = k.add_task({.pid = 800, .comm = "containerd-shim", .parent = systemd,
                                   .cgroup = "/system.slice/containerd.service", .root_mount = host_root});
  NsInodes ns = container_ns();
  std::uint64_t container_mnt = k.ns_object(NsKind::mnt, ns.mnt);
  std::uint64_t container_root = k.add_mount(container_mnt, {.id = 500, .devname = "overlay", .fstype = "overlay"});
  std::uint64_t web = k.add_task({.pid = 900, .comm = "httpd", .parent = shim, .uid = 1000, .gid = 1000, .ns = ns,
                                  .ns_pid = 1, .cgroup = "/system.slice/docker-" + kId + ".scope",
                                  .root_mount = container_root});

  static NsInodes container_ns() {
    NsInodes ns = kHostNamespaces;
    ns.mnt = 4026532202, ns.uts = 4026532203, ns.ipc = 4026532204, ns.pid = 4026532205, ns.net = 4026532206;
    return ns;
  }
};

}  // namespace

TEST_CASE("an unreadable real_cred leaves every id and capability unknown, and the container's euid too") {
  DockerHost host;
  host.k.set(host.web, "task_struct", "real_cred", kUnmappedAddress);
  auto loaded = host.k.load();

  const DumpModel model = build_model(*loaded->kernel);
  const Task& web = task_with_pid(model.tasks, 900);
  CHECK_FALSE(web.uid.has_value());
  CHECK_FALSE(web.euid.has_value());
  CHECK_FALSE(web.gid.has_value());
  CHECK_FALSE(web.fsuid.has_value());
  CHECK_FALSE(web.caps.has_value());
  CHECK_FALSE(web.ns.user.has_value());
  CHECK_THAT(issues_text(model.issues), Catch::Contains("task 900") && Catch::Contains("credentials unreadable"));
  REQUIRE(model.containers.size() == 1);
  const Container& c = model.containers[0];
  CHECK(c.init_pid == 900);
  CHECK_FALSE(c.euid.has_value());
  CHECK_FALSE(c.caps_bounding.has_value());
  CHECK_FALSE(c.privileged.has_value());  // neither privileged nor unprivileged: unknown
}

TEST_CASE("a garbage nsproxy leaves the task's namespaces and hostname unknown, with an issue") {
  DockerHost host;
  host.k.set(host.web, "task_struct", "nsproxy", kUnmappedAddress);
  auto loaded = host.k.load();

  const TaskWalkResult result = walk_tasks(*loaded->kernel);
  const Task& web = task_with_pid(result.tasks, 900);
  CHECK_FALSE(web.ns.mnt.has_value());
  CHECK_FALSE(web.ns.net.has_value());
  CHECK_FALSE(web.ns.uts.has_value());
  CHECK_FALSE(web.ns.ipc.has_value());
  CHECK(web.ns.mnt_address == 0);
  CHECK_FALSE(web.hostname.has_value());
  CHECK(web.euid == 1000u);  // what does not depend on the nsproxy is still read
  CHECK_THAT(issues_text(result.issues), Catch::Contains("task 900") && Catch::Contains("nsproxy at 0xffffc90000123000 or a namespace it points to is unreadable"));
}

TEST_CASE("a namespace whose inode reads 0 keeps its mounts, shown with inode 0") {
  DockerHost host;
  host.k.write_u32(host.container_mnt + SyntheticKernel::offset("mnt_namespace", "ns") +
                       SyntheticKernel::offset("ns_common", "inum"),
                   0);
  auto loaded = host.k.load();

  const TaskWalkResult tasks = walk_tasks(*loaded->kernel);
  CHECK(task_with_pid(tasks.tasks, 900).ns.mnt == 0u);  // shown as read
  const MountWalkResult mounts = walk_mounts(*loaded->kernel, tasks.tasks);
  const auto container_mount = std::find_if(mounts.mounts.begin(), mounts.mounts.end(),
                                            [](const Mount& m) { return m.mount_id == 500; });
  REQUIRE(container_mount != mounts.mounts.end());
  CHECK(container_mount->mnt_ns == 0u);
  CHECK(container_mount->mnt_ns_address == host.container_mnt);
}

TEST_CASE("two mount namespaces with the same inode number are not merged") {
  DockerHost host;
  // A second mnt_namespace struct that claims the host's inode number, with
  // one mount of its own, used by a task of its own.
  const std::uint64_t twin = host.k.alloc(host.k.type_size("mnt_namespace"));
  host.k.write_u32(twin + SyntheticKernel::offset("mnt_namespace", "ns") + SyntheticKernel::offset("ns_common", "inum"),
                   static_cast<std::uint32_t>(kHostNamespaces.mnt));
  host.k.list_init(twin + SyntheticKernel::offset("mnt_namespace", "list"));
  const std::uint64_t twin_root = host.k.add_mount(twin, {.id = 700, .devname = "tmpfs", .fstype = "tmpfs"});
  const std::uint64_t sneaky = host.k.add_task({.pid = 950, .comm = "sneaky", .parent = host.systemd,
                                                .root_mount = twin_root});
  const std::uint64_t nsproxy = host.k.written_pointer(sneaky + SyntheticKernel::offset("task_struct", "nsproxy"));
  host.k.set(nsproxy, "nsproxy", "mnt_ns", twin);
  auto loaded = host.k.load();

  const TaskWalkResult tasks = walk_tasks(*loaded->kernel);
  CHECK(task_with_pid(tasks.tasks, 950).ns.mnt == kHostNamespaces.mnt);
  CHECK(task_with_pid(tasks.tasks, 950).ns.mnt_address == twin);
  const MountWalkResult mounts = walk_mounts(*loaded->kernel, tasks.tasks);
  std::vector<std::int32_t> host_ids, twin_ids;
  for (const Mount& m : mounts.mounts) {
    if (m.mnt_ns_address == host.host_ns) host_ids.push_back(m.mount_id);
    if (m.mnt_ns_address == twin) twin_ids.push_back(m.mount_id);
  }
  CHECK(host_ids == std::vector<std::int32_t>{1});
  CHECK(twin_ids == std::vector<std::int32_t>{700});
}

TEST_CASE("a command line running into memory the dump lacks keeps its readable part, with an issue") {
  DockerHost host;
  const std::uint64_t mm = host.k.alloc_struct("mm_struct");
  // The arguments end a saved page; arg_end points 20 bytes into the next,
  // which the dump does not hold (this is the last allocation).
  const std::uint64_t page = host.k.alloc(4096, 4096);
  const std::string argv("httpd\0-f\0", 9);
  const std::uint64_t start = page + 4096 - argv.size();
  host.k.write_bytes(start, argv);
  // The task's page tables are the kernel's here: its PGD is init_top_pgt.
  host.k.set(mm, "mm_struct", "pgd", host.k.symbol("init_top_pgt"));
  host.k.set(mm, "mm_struct", "arg_start", start);
  host.k.set(mm, "mm_struct", "arg_end", page + 4096 + 20);
  host.k.set(host.web, "task_struct", "mm", mm);
  auto loaded = host.k.load();

  const TaskWalkResult result = walk_tasks(*loaded->kernel);
  const Task& web = task_with_pid(result.tasks, 900);
  CHECK(web.cmdline == "httpd -f");
  CHECK_THAT(issues_text(result.issues),
             Catch::Contains("task 900: command line unreadable from") && Catch::Contains("kept the first 9 of 29 bytes"));
}

namespace {

bool has(const std::vector<std::string>& list, const std::string& item) {
  return std::find(list.begin(), list.end(), item) != list.end();
}

const ContainerMount& container_mount(const Container& c, const std::string& destination) {
  const auto it = std::find_if(c.mounts.begin(), c.mounts.end(),
                               [&](const ContainerMount& m) { return m.destination == destination; });
  REQUIRE(it != c.mounts.end());
  return *it;
}

}  // namespace

TEST_CASE("the unreadable-host fixture reads whole when nothing is torn") {
  UnreadableHost host(Unreadable::nothing);
  auto loaded = host.load();
  const DumpModel model = build_model(*loaded->kernel);
  CHECK(task_with_pid(model.tasks, 900).kernel_thread == false);
  CHECK(task_with_pid(model.tasks, 1151).kernel_thread == false);
  CHECK(task_with_pid(model.tasks, 2).kernel_thread == true);
  for (const Mount& m : model.mounts) {
    CHECK(m.mnt_ns.has_value());
    CHECK(m.read_only == false);
    CHECK(m.flags.has_value());
  }
  for (const NetInterface& i : model.interfaces) CHECK(i.net_ns.has_value());
  REQUIRE(model.containers.size() == 1);
  const Container& c = model.containers[0];
  CHECK(c.init_pid == 900);
  CHECK(c.read_only_rootfs == false);
  CHECK(container_mount(c, "/etc").source == "/etc");
  CHECK(container_mount(c, "/etc").read_only == false);
  CHECK(c.networks.size() == 1);
  CHECK_THAT(issues_text(model.issues), !Catch::Contains("unreadable"));
}

TEST_CASE("an unreadable mount namespace inode leaves its mounts' mnt_ns unknown, with an issue, and the container keeps "
          "its mounts") {
  UnreadableHost host(Unreadable::mnt_ns_inode);
  auto loaded = host.load();
  const DumpModel model = build_model(*loaded->kernel);

  const Task& web = task_with_pid(model.tasks, 900);
  CHECK_FALSE(web.ns.mnt.has_value());
  CHECK(web.ns.mnt_address == host.container_mnt);
  std::vector<std::int32_t> ids;
  for (const Mount& m : model.mounts) {
    if (m.mnt_ns_address != host.container_mnt) {
      CHECK(m.mnt_ns == drydock::testing::kHostNamespaces.mnt);
      continue;
    }
    ids.push_back(m.mount_id);
    CHECK_FALSE(m.mnt_ns.has_value());  // never 0
    CHECK(m.read_only == false);        // what does not depend on the inode is still read
  }
  CHECK(ids == std::vector<std::int32_t>{500, 501});
  CHECK_THAT(issues_text(model.issues),
             Catch::Contains(fmt::format("mnt_namespace at {:#x} (task 900): inode number unreadable",
                                         host.container_mnt)));
  // The namespace is told apart by its address: the container still has its
  // root and its /etc, and does not share the host's mount namespace.
  REQUIRE(model.containers.size() == 1);
  const Container& c = model.containers[0];
  CHECK(c.read_only_rootfs == false);
  CHECK(container_mount(c, "/etc").source == "/etc");
  CHECK_FALSE(has(c.host_namespaces, "mnt"));
}

TEST_CASE("an unreadable network namespace inode leaves its interfaces' net_ns unknown, with an issue, and the container "
          "keeps its network") {
  UnreadableHost host(Unreadable::net_ns_inode);
  auto loaded = host.load();
  const DumpModel model = build_model(*loaded->kernel);

  std::vector<std::string> names;
  for (const NetInterface& i : model.interfaces) {
    if (i.net_ns_address != host.container_net) {
      CHECK(i.net_ns == drydock::testing::kHostNamespaces.net);
      continue;
    }
    names.push_back(i.name);
    CHECK_FALSE(i.net_ns.has_value());  // never 0
    CHECK(i.up == true);
  }
  CHECK(names == std::vector<std::string>{"lo", "eth0"});
  CHECK_THAT(issues_text(model.issues),
             Catch::Contains(fmt::format("struct net at {:#x}: inode number unreadable", host.container_net)));
  CHECK_FALSE(task_with_pid(model.tasks, 900).ns.net.has_value());
  REQUIRE(model.containers.size() == 1);
  const Container& c = model.containers[0];
  REQUIRE(c.networks.size() == 1);
  CHECK(c.networks[0].interface == "eth0");
  CHECK_FALSE(has(c.host_namespaces, "net"));
}

TEST_CASE("unreadable task flags leave kernel_thread unknown, with an issue, and the container is still found by its "
          "cgroup") {
  UnreadableHost host(Unreadable::task_flags);
  auto loaded = host.load();
  const DumpModel model = build_model(*loaded->kernel);

  for (std::int32_t pid : {900, 1151}) {
    INFO(pid);
    const Task& t = task_with_pid(model.tasks, pid);
    CHECK_FALSE(t.kernel_thread.has_value());  // never false
    CHECK_FALSE(t.state.has_value());          // the state lies in the lost page too
    CHECK(t.ppid.has_value());                 // the rest of the task is read
    CHECK_THAT(issues_text(model.issues),
               Catch::Contains(fmt::format("task {} (", pid)) && Catch::Contains("flags unreadable"));
  }
  CHECK(task_with_pid(model.tasks, 2).kernel_thread == true);
  CHECK(task_with_pid(model.tasks, 1).kernel_thread == false);
  REQUIRE(model.containers.size() == 1);
  CHECK(model.containers[0].init_pid == 900);
  CHECK(model.containers[0].id == UnreadableHost::kId);
}

TEST_CASE("without vfsmount.mnt_flags every mount's access and flags are unknown, and so are the container's") {
  UnreadableHost host(Unreadable::mnt_flags);
  auto loaded = host.load();
  const DumpModel model = build_model(*loaded->kernel);

  REQUIRE(model.mounts.size() == 3);
  for (const Mount& m : model.mounts) {
    INFO(m.mount_id);
    CHECK_FALSE(m.read_only.has_value());  // never "rw"
    CHECK_FALSE(m.flags.has_value());      // never an empty list
    CHECK(m.mnt_ns.has_value());
  }
  CHECK_THAT(issues_text(model.issues), Catch::Contains("lacks mount.mnt.mnt_flags: mount flags unknown"));
  REQUIRE(model.containers.size() == 1);
  const Container& c = model.containers[0];
  CHECK_FALSE(c.read_only_rootfs.has_value());
  CHECK_FALSE(container_mount(c, "/etc").read_only.has_value());
  CHECK(container_mount(c, "/etc").source == "/etc");
}

TEST_CASE("without net_device.type and addr_len an interface's MAC, and its kind unless its link type or flags "
          "name it, are unknown") {
  UnreadableHost host(Unreadable::device_type);
  auto loaded = host.load();
  const DumpModel model = build_model(*loaded->kernel);

  REQUIRE(model.interfaces.size() == 4);
  for (const NetInterface& dev : model.interfaces) {
    INFO(dev.name << " in " << dev.net_ns.value_or(0));
    CHECK_FALSE(dev.mac.has_value());  // never "" (no MAC)
    const bool veth = dev.name == "eth0" && dev.net_ns == UnreadableHost::container_ns().net;
    if (veth) {
      CHECK(dev.kind == "veth");  // its link ops name it
    } else if (dev.name == "lo") {
      CHECK(dev.kind == "loopback");  // IFF_LOOPBACK in its flags
    } else {
      CHECK_FALSE(dev.kind.has_value());  // never "arphrd-0"
    }
  }
  const std::string issues = issues_text(model.issues);
  CHECK_THAT(issues, Catch::Contains("net_device.type"));
  CHECK_THAT(issues, Catch::Contains("net_device.addr_len"));
  // The container keeps its network.
  REQUIRE(model.containers.size() == 1);
  REQUIRE(model.containers[0].networks.size() == 1);
  CHECK(model.containers[0].networks[0].interface == "eth0");
}
