#pragma once
// A synthetic Docker host in which one thing drydock reads is unreadable, for
// the tests that unknown stays unknown from the walkers to the reports and
// the rules (tests/engine/kernel/unknown_values_test.cpp,
// tests/reports/unknown_values_report_test.cpp):
//
//   UnreadableHost host(Unreadable::task_flags);
//   auto loaded = host.load();   // the torn pages are dropped here
//   const DumpModel model = build_model(*loaded->kernel);
//
// The host: systemd, kthreadd, a containerd shim and a process on the host
// posing as a kernel thread ("kworker/0:1", pid 1151); the container (its
// init httpd, pid 900, in a Docker cgroup) has namespaces of its own, an
// overlay root mount, the host's /etc bound in writable and an eth0 in its
// network namespace. With every value readable the bundled rules flag the
// impostor (disguised_kernel_thread), the writable /etc and the writable root.
//
// Header-only.

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "support/synthetic_kernel.hpp"

namespace drydock::testing {

enum class Unreadable {
  nothing,
  mnt_ns_inode,  // the container's struct mnt_namespace lies across a page the dump lacks; its inode number is lost
  net_ns_inode,  // the same for its struct net
  task_flags,    // task_struct.flags of pid 900 and pid 1151 lie in a lost page
  mnt_flags,     // the symbol table lacks vfsmount.mnt_flags
  device_type,   // the symbol table lacks net_device.type and net_device.addr_len
};

class UnreadableHost {
 public:
  SyntheticKernel k;
  std::uint64_t host_root = 0, systemd = 0, shim = 0, impostor = 0;
  std::uint64_t container_mnt = 0, container_root = 0, container_net = 0, web = 0;

  static constexpr const char* kId = "40db446d21fc6537bb67928bb4fb1baada2d89d79115ddf794a7ce6ee7671882";

  static NsInodes container_ns() {
    NsInodes ns = kHostNamespaces;
    ns.mnt = 4026532202, ns.uts = 4026532203, ns.ipc = 4026532204, ns.pid = 4026532205, ns.net = 4026532206;
    return ns;
  }

  explicit UnreadableHost(Unreadable what) : k(options(what)) {
    const std::uint64_t host_mnt = k.ns_object(NsKind::mnt, kHostNamespaces.mnt);
    host_root = k.add_mount(host_mnt, {.id = 1, .devname = "/dev/vda1", .fstype = "ext4"});
    const std::uint64_t host_root_dentry = k.mount_root(host_root);
    const std::uint64_t host_sb = k.written_pointer(host_root_dentry + k.member_offset("dentry", "d_sb"));
    const std::uint64_t host_etc = k.add_dentry("etc", host_root_dentry, host_sb);
    const std::uint64_t host_net = k.ns_object(NsKind::net, kHostNamespaces.net);
    k.add_net_device(host_net, {.name = "lo", .ifindex = 1, .type = 772});
    k.add_net_device(host_net, {.name = "eth0", .ifindex = 2, .mac = "52:54:00:12:34:56"});

    systemd = k.add_task({.pid = 1, .comm = "systemd", .root_mount = host_root});
    k.add_task({.pid = 2, .comm = "kthreadd", .kernel_thread = true});
    shim = k.add_task({.pid = 800, .comm = "containerd-shim", .parent = systemd,
                       .cgroup = "/system.slice/containerd.service", .root_mount = host_root});
    if (what == Unreadable::task_flags) torn_.push_back(k.start_next_across_page(kTaskHeadLost));
    impostor = k.add_task({.pid = 1151, .comm = "kworker/0:1", .parent = systemd, .root_mount = host_root});

    const NsInodes ns = container_ns();
    if (what == Unreadable::mnt_ns_inode) torn_.push_back(k.start_next_across_page(kMntNamespaceHeadLost));
    container_mnt = k.ns_object(NsKind::mnt, ns.mnt);
    container_root = k.add_mount(container_mnt, {.id = 500, .devname = "overlay", .fstype = "overlay"});
    const std::uint64_t overlay_root = k.mount_root(container_root);
    const std::uint64_t overlay_sb = k.written_pointer(overlay_root + k.member_offset("dentry", "d_sb"));
    const std::uint64_t etc_point = k.add_dentry("etc", overlay_root, overlay_sb);
    k.add_mount(container_mnt, {.id = 501, .parent = container_root, .mountpoint = etc_point, .root = host_etc,
                                .devname = "/dev/vda1", .fstype = "ext4"});
    // The container's network namespace comes last on net_namespace_list: a
    // torn one ends the walk of the list.
    if (what == Unreadable::net_ns_inode) torn_.push_back(k.start_next_across_page(kNetHeadLost));
    container_net = k.ns_object(NsKind::net, ns.net);
    k.add_net_device(container_net, {.name = "lo", .ifindex = 1, .type = 772});
    k.add_net_device(container_net, {.name = "eth0", .ifindex = 5, .mac = "02:42:ac:11:00:02", .kind = "veth"});

    if (what == Unreadable::task_flags) torn_.push_back(k.start_next_across_page(kTaskHeadLost));
    web = k.add_task({.pid = 900, .comm = "httpd", .parent = shim, .uid = 1000, .gid = 1000, .ns = ns, .ns_pid = 1,
                      .cgroup = "/system.slice/docker-" + std::string(kId) + ".scope", .root_mount = container_root});
  }

  // The image without its torn pages, opened as drydock opens it.
  std::unique_ptr<LoadedKernel> load() {
    for (std::uint64_t at : torn_) k.lose_page(at);
    return k.load();
  }

 private:
  // Bytes of each torn object that lie in the lost page: task_struct.flags
  // (and the state) but not pid, tgid or the task list; ns_common.inum of
  // mnt_namespace but not its mount list; ns_common.inum of struct net but
  // not dev_base_head (its net_namespace_list link is lost too).
  static constexpr std::size_t kTaskHeadLost = 0x40;
  static constexpr std::size_t kMntNamespaceHeadLost = 0x40;
  static constexpr std::size_t kNetHeadLost = 0xc0;

  static SyntheticKernelOptions options(Unreadable what) {
    SyntheticKernelOptions o;
    if (what == Unreadable::mnt_flags) o.omitted_members = {{"vfsmount", "mnt_flags"}};
    if (what == Unreadable::device_type) o.omitted_members = {{"net_device", "type"}, {"net_device", "addr_len"}};
    return o;
  }

  std::vector<std::uint64_t> torn_;  // where each torn object begins
};

}  // namespace drydock::testing
