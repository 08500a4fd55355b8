#include "engine/kernel/kernel_layout.hpp"

#include <algorithm>
#include <initializer_list>

#include <fmt/format.h>

namespace drydock {
namespace {

// Looks members up and notes the required ones the table lacks.
class Resolver {
 public:
  Resolver(const SymbolTable& s, KernelLayout& layout) : s_(s), layout_(layout) {}

  const SymbolTable& symbols() const { return s_; }

  Offset optional(std::string_view type, std::string_view path) const { return offset_of(s_, type, path); }

  // The first of `paths` that exists; when none does, the member is missing.
  Offset required(std::string_view stage, std::string_view type, std::initializer_list<std::string_view> paths,
                  std::string_view feeds) {
    for (std::string_view path : paths) {
      if (auto o = offset_of(s_, type, path)) return o;
    }
    std::string names;
    for (std::string_view path : paths) names += (names.empty() ? "" : " or ") + std::string(path);
    layout_.missing.push_back({std::string(stage), std::string(type), names, std::string(feeds)});
    return std::nullopt;
  }

  void variant(std::string family, std::string variant) {
    layout_.variants.push_back({std::move(family), std::move(variant)});
  }

 private:
  const SymbolTable& s_;
  KernelLayout& layout_;
};

void resolve_task(Resolver& r, KernelLayout& l) {
  TaskStructLayout& t = l.task;
  const auto req = [&](std::initializer_list<std::string_view> paths, std::string_view feeds) {
    return r.required("tasks", "task_struct", paths, feeds);
  };
  const auto opt = [&](std::string_view path) { return r.optional("task_struct", path); };
  t.tasks = req({"tasks"}, "the task list");
  t.pid = req({"pid"}, "every task");
  t.tgid = req({"tgid"}, "every task");
  t.comm = req({"comm"}, "task comm");
  t.flags = req({"flags"}, "task kernel_thread");
  t.real_parent = req({"real_parent"}, "task ppid");
  t.real_cred = req({"real_cred"}, "task credentials and capabilities");
  t.nsproxy = req({"nsproxy"}, "task namespaces and hostname");
  t.fs = r.required("mounts", "task_struct", {"fs"}, "each task's root, so its mounts");
  t.seccomp_mode = req({"seccomp.mode"}, "task seccomp_mode");
  t.atomic_flags = req({"atomic_flags"}, "task no_new_privs");
  // task_struct.state (a long) became __state (an unsigned int) in 5.14.
  const char* state = opt("__state") ? "__state" : "state";
  t.state = req({"__state", "state"}, "task state");
  if (auto m = r.symbols().member("task_struct", state); m && r.symbols().size_of(m->type) == 8u) t.state_size = 8;
  r.variant("task state", state);
  t.exit_state = req({"exit_state"}, "task state (zombie, dead)");
  // start_boottime since 5.5; real_start_time (also boot-based) before.
  t.start_time = req({"start_boottime", "real_start_time"}, "task start_time");
  if (t.start_time) r.variant("task start time", opt("start_boottime") ? "start_boottime" : "real_start_time");
  // thread_pid since 4.19; pids[PIDTYPE_PID].pid before.
  t.thread_pid = opt("thread_pid");
  if (t.thread_pid) {
    r.variant("task pid", "thread_pid");
  } else if (auto pids = opt("pids"), link = r.optional("pid_link", "pid"); pids && link) {
    t.thread_pid = *pids + *link;
    r.variant("task pid", "pids[PIDTYPE_PID].pid");
  } else {
    l.missing.push_back({"tasks", "task_struct", "thread_pid or pids", "task ns_pid and PID namespace"});
  }
  t.mm = req({"mm"}, "task cmdline");
  t.cgroups = req({"cgroups"}, "task cgroups and container ids");
  t.signal = opt("signal");
  t.thread_node = opt("thread_node");
  t.signal_thread_head = r.optional("signal_struct", "thread_head");
  t.thread_group = opt("thread_group");
  // Threads hang off signal->thread_head since 3.14, off each other's thread_group before.
  r.variant("threads", t.signal_thread_head && t.thread_node ? "signal->thread_head"
                       : t.thread_group                      ? "thread_group"
                                                             : "none");
  t.worker_private = opt("worker_private");
  t.kthread_full_name = r.optional("kthread", "full_name");
}

void resolve_cred(Resolver& r, KernelLayout& l) {
  CredLayout& c = l.cred;
  const auto req = [&](std::string_view m, std::string_view feeds) { return r.required("tasks", "cred", {m}, feeds); };
  c.uid = req("uid", "task uid"), c.gid = req("gid", "task gid");
  c.suid = req("suid", "task suid"), c.sgid = req("sgid", "task sgid");
  c.euid = req("euid", "task euid"), c.egid = req("egid", "task egid");
  c.fsuid = req("fsuid", "task fsuid"), c.fsgid = req("fsgid", "task fsgid");
  c.cap_inheritable = req("cap_inheritable", "task caps");
  c.cap_permitted = req("cap_permitted", "task caps");
  c.cap_effective = req("cap_effective", "task caps");
  c.cap_bset = req("cap_bset", "task caps");
  c.cap_ambient = r.optional("cred", "cap_ambient");  // 4.3+
  c.user_ns = req("user_ns", "task user namespace");
  // kernel_cap_t: struct { u32 cap[2]; } before 6.3, struct { u64 val; } since.
  const SymbolTable& s = r.symbols();
  const auto size = s.size_of("kernel_cap_t");
  if (s.has_member("kernel_cap_t", "val") && size == 8u) {
    c.caps_readable = true;
    r.variant("caps", "u64");
  } else if (s.has_member("kernel_cap_t", "cap") && size == 8u) {
    c.caps_readable = true;
    r.variant("caps", "u32[2]");
  } else {
    l.missing.push_back({"tasks", "kernel_cap_t", "val (u64) or cap (u32[2])", "task caps"});
  }
}

// ns_common.inum since 3.19 (embedded as `ns`); proc_inum in each namespace before.
Offset inum_of(Resolver& r, std::string_view type, std::string_view feeds) {
  return r.required("tasks", type, {"ns.inum", "proc_inum"}, feeds);
}

void resolve_namespaces(Resolver& r, KernelLayout& l) {
  NamespaceLayout& n = l.ns;
  const auto req = [&](std::string_view m, std::string_view feeds) { return r.required("tasks", "nsproxy", {m}, feeds); };
  n.uts = req("uts_ns", "task ns uts and hostname");
  n.ipc = req("ipc_ns", "task ns ipc");
  n.mnt = req("mnt_ns", "task ns mnt");
  n.net = req("net_ns", "task ns net");
  n.cgroup = r.optional("nsproxy", "cgroup_ns");  // 4.6+
  n.uts_nodename = r.required("tasks", "uts_namespace", {"name.nodename"}, "task hostname");
  n.inum_uts = inum_of(r, "uts_namespace", "task ns uts");
  n.inum_ipc = inum_of(r, "ipc_namespace", "task ns ipc");
  n.inum_mnt = inum_of(r, "mnt_namespace", "task ns mnt");
  n.inum_net = inum_of(r, "net", "task ns net");
  n.inum_pid = inum_of(r, "pid_namespace", "task ns pid");
  n.inum_user = inum_of(r, "user_namespace", "task ns user");
  if (n.cgroup) n.inum_cgroup = inum_of(r, "cgroup_namespace", "task ns cgroup");
  n.ns_common_ops = r.optional("ns_common", "ops");
  n.ops_name = r.optional("proc_ns_operations", "name");
  // 6.18 gave ns_common a type and id; the inode number is read the same way.
  const SymbolTable& s = r.symbols();
  r.variant("namespaces", !s.has_member("uts_namespace", "ns")       ? "proc_inum"
                          : s.has_member("ns_common", "ns_type") ? "ns_common with ns_type"
                                                                 : "ns_common");
}

void resolve_pid(Resolver& r, KernelLayout& l) {
  PidLayout& p = l.pid;
  p.level = r.required("tasks", "pid", {"level"}, "task ns_pid");
  p.numbers = r.required("tasks", "pid", {"numbers"}, "task ns_pid");
  p.upid_nr = r.required("tasks", "upid", {"nr"}, "task ns_pid");
  p.upid_ns = r.required("tasks", "upid", {"ns"}, "task ns pid");
  if (auto size = r.symbols().size_of("upid")) p.upid_size = static_cast<std::uint32_t>(*size);
}

void resolve_mm_and_cgroups(Resolver& r, KernelLayout& l) {
  l.mm.arg_start = r.required("tasks", "mm_struct", {"arg_start"}, "task cmdline");
  l.mm.arg_end = r.required("tasks", "mm_struct", {"arg_end"}, "task cmdline");
  l.mm.pgd = r.required("tasks", "mm_struct", {"pgd"}, "task cmdline");
  l.cgroup.css_dfl_cgrp = r.required("tasks", "css_set", {"dfl_cgrp"}, "task cgroups (v2)");
  l.cgroup.cgroup_kn = r.required("tasks", "cgroup", {"kn"}, "task cgroups");
  l.cgroup.kn_name = r.required("tasks", "kernfs_node", {"name"}, "task cgroups");
  // kernfs_node.parent became __parent in 6.15 (an RCU-protected pointer).
  l.cgroup.kn_parent = r.required("tasks", "kernfs_node", {"__parent", "parent"}, "task cgroups");
  // cgroup v1 hierarchies hang off css_set.subsys[], one css per controller.
  l.cgroup.css_subsys = r.optional("css_set", "subsys");
  l.cgroup.subsys_state_cgroup = r.optional("cgroup_subsys_state", "cgroup");
  if (auto subsys = r.symbols().member("css_set", "subsys")) {
    const TypeDesc& type = r.symbols().type_desc(subsys->type);
    if (type.kind == TypeKind::array && type.count <= 64) l.cgroup.subsys_count = type.count;
  }
  r.variant("cgroup", l.cgroup.subsys_count && l.cgroup.subsys_state_cgroup
                          ? "v2 (css_set.dfl_cgrp), v1 when v2 is empty (css_set.subsys)"
                          : "v2 (css_set.dfl_cgrp)");
  r.variant("kernfs parent", r.symbols().has_member("kernfs_node", "__parent") ? "__parent" : "parent");
}

TimeField time_field(const SymbolTable& s, std::string_view which) {
  // tv_nsec is a long in timespec64 and a u32 in the split fields; both hold
  // less than 1e9, so reading the low 32 bits (little endian) serves both.
  const std::string split = fmt::format("i_{}_sec", which);
  if (s.has_member("inode", split)) {
    return {offset_of(s, "inode", split), offset_of(s, "inode", fmt::format("i_{}_nsec", which))};
  }
  for (const std::string& name : {fmt::format("__i_{}", which), fmt::format("i_{}", which)}) {
    if (s.has_member("inode", name)) {
      return {offset_of(s, "inode", name + ".tv_sec"), offset_of(s, "inode", name + ".tv_nsec")};
    }
  }
  return {};
}

void resolve_vfs(Resolver& r, KernelLayout& l) {
  const SymbolTable& s = r.symbols();
  VfsLayout& v = l.vfs;
  const auto dreq = [&](std::initializer_list<std::string_view> paths, std::string_view feeds) {
    return r.required("mounts", "dentry", paths, feeds);
  };
  v.d_parent = dreq({"d_parent"}, "paths");
  v.d_name_name = dreq({"d_name.name"}, "paths");  // d_name sits in a union with d_shortname since 6.14
  v.d_name_len = r.optional("dentry", "d_name.len");
  v.d_inode = dreq({"d_inode"}, "files and nsfs roots");
  v.d_sb = r.optional("dentry", "d_sb");
  v.d_hash_pprev = r.optional("dentry", "d_hash.pprev");
  // 6.8: d_subdirs/d_child (list_head) became d_children/d_sib (hlist).
  if (s.has_member("dentry", "d_children")) {
    v.children_hlist = true;
    v.d_children = r.optional("dentry", "d_children");
    v.d_sibling = r.required("files", "dentry", {"d_sib"}, "cached files");
    r.variant("dentry children", "hlist (d_children/d_sib)");
  } else {
    v.d_children = r.required("files", "dentry", {"d_subdirs", "d_children"}, "cached files");
    v.d_sibling = r.required("files", "dentry", {"d_child"}, "cached files");
    r.variant("dentry children", "list (d_subdirs/d_child)");
  }
  v.dentry_size = static_cast<std::uint32_t>(s.size_of("dentry").value_or(0));
  if (s.user_type("mount")) {
    v.mount_type = "mount";
    v.mnt_in_mount = r.required("mounts", "mount", {"mnt"}, "mounts");
    v.mnt_root = r.required("mounts", "mount", {"mnt.mnt_root"}, "mounts");
    v.mnt_sb = r.required("mounts", "mount", {"mnt.mnt_sb"}, "mount fstype and options");
    v.mnt_flags = r.required("mounts", "mount", {"mnt.mnt_flags"}, "mount flags");
  } else {
    v.mount_type = "vfsmount";  // before 3.3 everything lived in vfsmount
    v.mnt_in_mount = 0;
    v.mnt_root = r.required("mounts", "vfsmount", {"mnt_root"}, "mounts");
    v.mnt_sb = r.required("mounts", "vfsmount", {"mnt_sb"}, "mount fstype and options");
    v.mnt_flags = r.required("mounts", "vfsmount", {"mnt_flags"}, "mount flags");
  }
  r.variant("mount struct", v.mount_type == "mount" ? "mount" : "vfsmount (before 3.3)");
  const auto m = [&](std::string_view member, std::string_view feeds) {
    return r.required("mounts", v.mount_type, {member}, feeds);
  };
  v.mnt_parent = m("mnt_parent", "mounts");
  v.mnt_mountpoint = m("mnt_mountpoint", "mounts");
  v.mnt_devname = m("mnt_devname", "mount source");
  v.mnt_id = m("mnt_id", "mount ids");
  v.mnt_ns = r.optional(v.mount_type, "mnt_ns");
  v.ns_root = r.optional("mnt_namespace", "root");
  // 6.8: mnt_namespace.list (mounts linked by mnt_list) became the rb-tree
  // `mounts` (linked by mnt_node); both are tried, the list first.
  v.ns_list = r.optional("mnt_namespace", "list");
  v.mnt_list = r.optional(v.mount_type, "mnt_list");
  v.ns_mounts_tree = r.optional("mnt_namespace", "mounts");
  v.mnt_node = r.optional(v.mount_type, "mnt_node");
  v.rb_left = r.optional("rb_node", "rb_left");
  v.rb_right = r.optional("rb_node", "rb_right");
  if (v.ns_list && v.mnt_list) {
    r.variant("mounts", "list (mnt_namespace.list)");
  } else if (v.ns_mounts_tree && v.mnt_node && v.rb_left && v.rb_right) {
    r.variant("mounts", "rbtree (mnt_namespace.mounts)");
  } else {
    l.missing.push_back({"mounts", "mnt_namespace", "list or mounts", "every mount"});
    r.variant("mounts", "unknown");
  }
  v.ns_inum = r.required("mounts", "mnt_namespace", {"ns.inum", "proc_inum"}, "mount namespace inodes");
  v.sb_type = r.required("mounts", "super_block", {"s_type"}, "mount fstype");
  v.sb_flags = r.required("mounts", "super_block", {"s_flags"}, "mount ro/rw");
  v.sb_fs_info = r.required("mounts", "super_block", {"s_fs_info"}, "overlay directories");
  v.sb_subtype = r.optional("super_block", "s_subtype");
  v.sb_root = r.optional("super_block", "s_root");
  v.sb_dev = r.optional("super_block", "s_dev");
  v.fstype_name = r.required("mounts", "file_system_type", {"name"}, "mount fstype");
  v.task_fs = l.task.fs;
  v.task_nsproxy = l.task.nsproxy;
  v.fs_root_mnt = r.required("mounts", "fs_struct", {"root.mnt"}, "each task's root, so its mounts");
  v.fs_root_dentry = r.required("mounts", "fs_struct", {"root.dentry"}, "each task's root, so its mounts");
  v.nsproxy_mnt_ns = l.ns.mnt;
}

void resolve_inode(Resolver& r, KernelLayout& l) {
  const SymbolTable& s = r.symbols();
  InodeLayout& i = l.inode;
  i.i_ino = r.required("files", "inode", {"i_ino"}, "file inode numbers");
  i.i_mode = r.required("files", "inode", {"i_mode"}, "file modes");
  // kuid_t/kgid_t wrap the id in `val` since user namespaces (3.5).
  i.i_uid = r.required("files", "inode", {"i_uid.val", "i_uid"}, "file uid");
  i.i_gid = r.required("files", "inode", {"i_gid.val", "i_gid"}, "file gid");
  i.i_size = r.required("files", "inode", {"i_size"}, "file sizes");
  i.i_private = r.optional("inode", "i_private");
  i.i_rdev = r.optional("inode", "i_rdev");
  i.atime = time_field(s, "atime");
  i.mtime = time_field(s, "mtime");
  i.ctime = time_field(s, "ctime");
  for (auto [field, name] : {std::pair{&i.atime, "atime"}, {&i.mtime, "mtime"}, {&i.ctime, "ctime"}}) {
    if (!field->sec) l.missing.push_back({"files", "inode", fmt::format("i_{0}_sec, __i_{0} or i_{0}", name),
                                          fmt::format("file {}", name)});
  }
  r.variant("inode times", s.has_member("inode", "i_atime_sec")   ? "i_*_sec/i_*_nsec"
                           : s.has_member("inode", "__i_atime") ? "__i_* timespec64"
                                                                : "i_* timespec64");
  std::uint32_t end = 0;
  for (auto [offset, size] : {std::pair{i.i_ino, 8u}, {i.i_mode, 2u}, {i.i_rdev, 4u}, {i.i_uid, 4u}, {i.i_gid, 4u}, {i.i_size, 8u},
                              {i.atime.sec, 8u}, {i.atime.nsec, 4u}, {i.mtime.sec, 8u}, {i.mtime.nsec, 4u},
                              {i.ctime.sec, 8u}, {i.ctime.nsec, 4u}}) {
    if (offset) end = std::max(end, *offset + size);
  }
  i.read_size = end;
}

void resolve_net(Resolver& r, KernelLayout& l) {
  const SymbolTable& s = r.symbols();
  NetLayout& n = l.net;
  n.net_list = r.required("net", "net", {"list"}, "network namespaces");
  n.net_dev_base = r.required("net", "net", {"dev_base_head"}, "network interfaces");
  n.net_inum = r.required("net", "net", {"ns.inum", "proc_inum"}, "interface namespace inodes");
  const auto d = [&](std::string_view m, std::string_view feeds) {
    return r.required("net", "net_device", {m}, feeds);
  };
  n.dev_list = d("dev_list", "network interfaces");
  n.name = d("name", "interface names");
  n.ifindex = d("ifindex", "interface indexes");
  n.flags = d("flags", "interface up state");
  n.type = d("type", "interface kinds");
  n.dev_addr = d("dev_addr", "interface MACs");
  n.addr_len = d("addr_len", "interface MACs");
  n.ip_ptr = d("ip_ptr", "IPv4 addresses");
  n.ip6_ptr = r.optional("net_device", "ip6_ptr");  // CONFIG_IPV6
  n.link_ops = r.optional("net_device", "rtnl_link_ops");
  n.link_ops_kind = r.optional("rtnl_link_ops", "kind");
  if (auto m = s.member("net_device", "dev_addr")) n.dev_addr_is_pointer = s.type_desc(m->type).kind == TypeKind::pointer;
  r.variant("net_device dev_addr", n.dev_addr_is_pointer ? "pointer" : "array");
  n.adj_upper = r.optional("net_device", "adj_list.upper");
  n.adj_dev = r.optional("netdev_adjacent", "dev");
  n.adj_master = r.optional("netdev_adjacent", "master");
  n.adj_list = r.optional("netdev_adjacent", "list");
  n.in_ifa_list = r.required("net", "in_device", {"ifa_list"}, "IPv4 addresses");
  n.ifa_next = r.required("net", "in_ifaddr", {"ifa_next"}, "IPv4 addresses");
  n.ifa_local = r.required("net", "in_ifaddr", {"ifa_local"}, "IPv4 addresses");
  n.ifa_prefixlen = r.required("net", "in_ifaddr", {"ifa_prefixlen"}, "IPv4 addresses");
  n.in6_addr_list = r.optional("inet6_dev", "addr_list");
  n.ifa6_addr = r.optional("inet6_ifaddr", "addr");
  n.ifa6_prefix = r.optional("inet6_ifaddr", "prefix_len");
  n.ifa6_if_list = r.optional("inet6_ifaddr", "if_list");
}

void resolve_overlay(Resolver& r, KernelLayout& l) {
  OverlayLayout& o = l.overlay;
  if (!r.symbols().user_type("ovl_fs")) {
    r.variant("overlayfs", "no module types (config found by its documented shape)");
    return;
  }
  o.known = true;
  o.numlayer = r.optional("ovl_fs", "numlayer");
  o.upperdir = r.optional("ovl_fs", "config.upperdir");
  o.workdir = r.optional("ovl_fs", "config.workdir");
  o.lowerdir = r.optional("ovl_fs", "config.lowerdir");
  // 6.5 replaced the colon-joined lowerdir with an array of layer paths.
  o.lowerdirs = r.optional("ovl_fs", "config.lowerdirs");
  if (!o.lowerdir && !o.lowerdirs) l.missing.push_back({"mounts", "ovl_fs", "config.lowerdir or config.lowerdirs", "overlay lowerdirs"});
  if (!o.upperdir) l.missing.push_back({"mounts", "ovl_fs", "config.upperdir", "overlay upperdir"});
  r.variant("overlayfs", o.lowerdirs ? "ovl_config.lowerdirs (6.5+)" : "ovl_config.lowerdir");
  // 6.5 moved the dentry flags from ovl_entry (d_fsdata pointed to it) into d_fsdata itself.
  o.d_fsdata = r.optional("dentry", "d_fsdata");
  if (auto bit = r.symbols().enum_value("ovl_entry_flag", "OVL_E_OPAQUE"); bit && *bit >= 0 && *bit < 64) {
    o.opaque_bit = static_cast<unsigned>(*bit);
  }
  if (r.symbols().user_type("ovl_entry")) {
    o.entry_flags = r.optional("ovl_entry", "flags");
    o.flags_in_dentry = !o.entry_flags;
  }
  r.variant("overlay opaque flag", !o.opaque_readable() ? "unknown"
                                   : o.flags_in_dentry ? "dentry.d_fsdata bits (6.5+)"
                                                       : "ovl_entry.flags");
}

void resolve_files(Resolver& r, KernelLayout& l) {
  const SymbolTable& s = r.symbols();
  OpenFileLayout& f = l.file;
  f.mm_exe_file = r.required("tasks", "mm_struct", {"exe_file"}, "task exe");
  f.f_path_mnt = r.required("tasks", "file", {"f_path.mnt"}, "task exe and sockets");
  f.f_path_dentry = r.required("tasks", "file", {"f_path.dentry"}, "task exe");
  f.f_op = r.required("sockets", "file", {"f_op"}, "sockets");
  f.private_data = r.required("sockets", "file", {"private_data"}, "sockets");
  f.task_files = r.required("sockets", "task_struct", {"files"}, "sockets");
  f.files_fdt = r.required("sockets", "files_struct", {"fdt"}, "sockets");
  f.fdt_max_fds = r.required("sockets", "fdtable", {"max_fds"}, "sockets");
  f.fdt_fd = r.required("sockets", "fdtable", {"fd"}, "sockets");
  if (auto upper = offset_of(s, "ovl_inode", "__upperdentry"), inode = offset_of(s, "ovl_inode", "vfs_inode");
      upper && inode && *upper > *inode) {
    f.ovl_upper_from_inode = *upper - *inode;
    f.ovl_upper_from_types = true;
    r.variant("overlay inode", "ovl_inode.__upperdentry (module types)");
  } else if (auto size = s.size_of("inode")) {
    f.ovl_upper_from_inode = static_cast<std::uint32_t>((*size + 7) / 8 * 8);
    r.variant("overlay inode", "no module types (upper dentry after the inode, checked by name)");
  }
}

void resolve_sockets(Resolver& r, KernelLayout& l) {
  SocketLayout& k = l.socket;
  const auto common = [&](std::initializer_list<std::string_view> paths, std::string_view feeds) {
    return r.required("sockets", "sock_common", paths, feeds);
  };
  k.socket_type = r.required("sockets", "socket", {"type"}, "socket types");
  k.socket_file = r.required("sockets", "socket", {"file"}, "sockets");
  k.socket_sk = r.required("sockets", "socket", {"sk"}, "sockets");
  k.family = common({"skc_family"}, "socket families");
  k.state = common({"skc_state"}, "socket states");
  k.daddr = common({"skc_daddr"}, "IPv4 remote addresses");
  k.rcv_saddr = common({"skc_rcv_saddr"}, "IPv4 local addresses");
  k.dport = common({"skc_dport"}, "remote ports");
  k.num = common({"skc_num"}, "local ports");
  k.net = common({"skc_net.net", "skc_net"}, "socket network namespaces");  // possible_net_t since 4.1
  k.v6_daddr = r.optional("sock_common", "skc_v6_daddr");                   // CONFIG_IPV6
  k.v6_rcv_saddr = r.optional("sock_common", "skc_v6_rcv_saddr");
  k.bound_dev_if = r.optional("sock_common", "skc_bound_dev_if");
  // The protocol is told by the name of the sock's struct proto, which
  // every kernel has (sk_protocol was a bitfield before 5.6).
  k.prot = common({"skc_prot"}, "socket protocols");
  k.proto_name = r.required("sockets", "proto", {"name"}, "socket protocols");
  k.unix_addr = r.optional("unix_sock", "addr");
  k.unix_address_len = r.optional("unix_address", "len");
  k.unix_address_name = r.optional("unix_address", "name");
}

void resolve_page_cache(Resolver& r, KernelLayout& l) {
  const SymbolTable& s = r.symbols();
  PageCacheLayout& p = l.page_cache;
  const auto need = [&](std::string_view type, std::string_view path) {
    Offset o = r.optional(type, path);
    if (!o) p.missing.push_back(fmt::format("{}.{}", type, path));
    return o;
  };
  p.i_mapping = need("inode", "i_mapping");
  p.i_size = l.inode.i_size;
  p.nrpages = r.optional("address_space", "nrpages");
  // address_space.i_pages is a struct xarray since 4.20, a radix_tree_root in
  // 4.17-4.19; before 4.17 the root was address_space.page_tree.
  std::string node_type;
  const std::optional<MemberLocation> pages =
      s.has_member("address_space", "i_pages") ? s.member("address_space", "i_pages") : s.member("address_space", "page_tree");
  const std::string root_member = s.has_member("address_space", "i_pages") ? "i_pages" : "page_tree";
  if (pages) {
    const std::string_view type = s.type_desc(pages->type).name;
    if (type == "xarray") {
      p.index = PageIndexKind::xarray;
      p.pages_root = need("address_space", root_member + ".xa_head");
      node_type = "xa_node";
    } else if (type == "radix_tree_root") {
      p.index = PageIndexKind::radix_tree;
      p.pages_root = need("address_space", root_member + ".rnode");
      node_type = "radix_tree_node";
    }
  }
  if (p.index == PageIndexKind::none) {
    p.missing.push_back("address_space.i_pages (xarray or radix_tree_root)");
  } else {
    // radix_tree_node.shift since 4.7; older trees kept a height and are not read.
    p.node_shift = need(node_type, "shift");
    p.node_slots = need(node_type, "slots");
    if (auto slots = s.member(node_type, "slots")) {
      const TypeDesc& t = s.type_desc(slots->type);
      if (t.kind == TypeKind::array && t.count > 0 && t.count <= 256) p.node_slot_count = t.count;
    }
    if (!p.node_slot_count) p.missing.push_back(node_type + ".slots (an array)");
  }
  p.page_mapping = need("page", "mapping");
  p.page_index = need("page", "index");
  p.page_size = static_cast<std::uint32_t>(s.size_of("page").value_or(0));
  if (!p.page_size) p.missing.push_back("page (its size)");
  r.variant("page cache index", p.index == PageIndexKind::xarray       ? "xarray (address_space.i_pages)"
                                : p.index == PageIndexKind::radix_tree ? "radix tree (" + root_member + ")"
                                                                       : "unknown");
}

// The global variables the walks start from.
void resolve_globals(Resolver& r, KernelLayout& l) {
  const SymbolTable& s = r.symbols();
  const auto need = [&](std::string_view stage, std::initializer_list<std::string_view> names, std::string_view feeds) {
    for (std::string_view name : names) {
      if (s.symbol(name)) return;
    }
    std::string joined;
    for (std::string_view name : names) joined += (joined.empty() ? "" : " or ") + std::string(name);
    l.missing.push_back({std::string(stage), "symbol", joined, std::string(feeds)});
  };
  need("tasks", {"init_task"}, "every task");
  need("net", {"net_namespace_list"}, "network namespaces");
  need("sockets", {"socket_file_ops"}, "sockets (which open files are sockets)");
  // The timekeeper: tk_core (3.17+), timekeeper_data[] (6.17+), timekeeper (before 3.17).
  need("tasks", {"tk_core", "timekeeper_data", "timekeeper"}, "task and container start times");
}

void resolve_timekeeper(Resolver& r, KernelLayout& l) {
  // The timekeeper sits in tk_core (3.17+), in timekeeper_data[TIMEKEEPER_CORE]
  // (an array of struct tk_data, 6.17+), or alone (before 3.17).
  const SymbolTable& s = r.symbols();
  for (const char* holder : {"tk_core", "timekeeper_data"}) {
    const Symbol* symbol = s.symbol(holder);
    if (!symbol || symbol->type == UINT32_MAX || !l.timekeeper_symbol.empty()) continue;
    std::uint32_t type = symbol->type;
    if (s.type_desc(type).kind == TypeKind::array) type = s.type_desc(type).subtype;  // element 0 is the core one
    if (type == UINT32_MAX) continue;
    if (auto member = s.member(s.type_desc(type).name, "timekeeper")) {
      l.timekeeper_symbol = holder;
      l.timekeeper_in_symbol = member->offset;
    }
  }
  if (l.timekeeper_symbol.empty() && s.symbol("timekeeper")) l.timekeeper_symbol = "timekeeper";
  r.variant("timekeeper", l.timekeeper_symbol.empty() ? "none" : l.timekeeper_symbol);
  l.timekeeper_offs_real = r.required("tasks", "timekeeper", {"offs_real"}, "task and container start times");
  l.timekeeper_offs_boot = r.required("tasks", "timekeeper", {"offs_boot"}, "task and container start times");
}

}  // namespace

Offset offset_of(const SymbolTable& symbols, std::string_view type, std::string_view path) {
  std::uint32_t total = 0;
  std::string current(type);
  while (true) {
    const auto dot = path.find('.');
    const std::string_view name = path.substr(0, dot);
    const auto location = symbols.member(current, name);
    if (!location) return std::nullopt;
    total += location->offset;
    if (dot == std::string_view::npos) return total;
    const TypeDesc& t = symbols.type_desc(location->type);
    if (t.kind != TypeKind::struct_ && t.kind != TypeKind::union_) return std::nullopt;
    current = std::string(t.name);
    path.remove_prefix(dot + 1);
  }
}

KernelLayout resolve_kernel_layout(const SymbolTable& s) {
  KernelLayout l;
  l.symbol_table = s.source();
  Resolver r(s, l);
  resolve_task(r, l);
  resolve_cred(r, l);
  resolve_namespaces(r, l);
  resolve_pid(r, l);
  resolve_mm_and_cgroups(r, l);
  resolve_vfs(r, l);
  resolve_inode(r, l);
  resolve_net(r, l);
  resolve_overlay(r, l);
  resolve_files(r, l);
  resolve_sockets(r, l);
  resolve_page_cache(r, l);
  resolve_timekeeper(r, l);
  resolve_globals(r, l);
  return l;
}

std::vector<std::string> KernelLayout::missing_issues(std::string_view stage) const {
  std::vector<std::string> out;
  for (const MissingMember& m : missing) {
    if (m.stage != stage) continue;
    out.push_back(fmt::format("symbol table {} lacks {}.{}: {} unknown", symbol_table, m.type, m.member, m.feeds));
  }
  return out;
}

bool KernelLayout::lacks(std::string_view type, std::string_view member) const {
  return std::any_of(missing.begin(), missing.end(),
                     [&](const MissingMember& m) { return m.type == type && m.member == member; });
}

}  // namespace drydock
