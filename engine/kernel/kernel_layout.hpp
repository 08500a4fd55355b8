#pragma once
// The kernel's structure layout as drydock reads it: every member offset the
// walkers use, resolved once per symbol table and grouped by kernel type.
// Variants are chosen by which members exist and by their types, never by
// version number; each choice is named in `variants` so `info` can show it.
//
// Members are required or optional. A required member missing from the table
// is listed in `missing` (type, member, what it feeds): the walkers then
// leave the fields it feeds unknown (null), and the extraction records one
// issue naming the type, the member and the symbol table. Optional members
// are those a kernel may lack by design (older or newer variants, config
// options); their absence is not an error.
//
// Thread safety: immutable once resolved.

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "symbols/symbol_table.hpp"

namespace drydock {

using Offset = std::optional<std::uint32_t>;

// A required member the symbol table lacks.
struct MissingMember {
  std::string stage;   // the walk it belongs to: "tasks", "mounts", "files", "net"
  std::string type;    // "cred"
  std::string member;  // "euid" (alternatives joined by " or ")
  std::string feeds;   // what stays unknown without it ("task uid/euid/...")
};

// The structure-family variant this kernel uses, for `info` ("mounts", "rbtree").
struct LayoutVariant {
  std::string family;
  std::string variant;
};

struct TaskStructLayout {
  Offset tasks, pid, tgid, comm, flags, real_parent, real_cred, nsproxy, seccomp_mode, atomic_flags, fs;
  Offset state;        // __state (5.14+) or state
  std::uint32_t state_size = 4;  // 8 for `long state`
  Offset exit_state;
  Offset start_time;   // start_boottime, or real_start_time before 5.5
  Offset thread_pid;   // struct pid * (thread_pid, or pids[PIDTYPE_PID].pid before 4.19)
  Offset mm, cgroups, signal, thread_node, thread_group;
  Offset worker_private;  // 6.1+: the struct kthread of a kernel thread
  Offset signal_thread_head, kthread_full_name;
};

struct CredLayout {
  Offset uid, gid, suid, sgid, euid, egid, fsuid, fsgid;
  Offset cap_inheritable, cap_permitted, cap_effective, cap_bset, cap_ambient, user_ns;
  // kernel_cap_t is `u64 val` since 6.3 and `u32 cap[2]` before: both 8
  // little-endian bytes; anything else is refused (caps unknown).
  bool caps_readable = false;
};

// nsproxy and the namespaces it points to (each embeds a struct ns_common).
struct NamespaceLayout {
  Offset uts, ipc, mnt, net, cgroup;                                       // nsproxy members
  Offset inum_uts, inum_ipc, inum_mnt, inum_net, inum_pid, inum_user, inum_cgroup;  // ns.inum (proc_inum < 3.19)
  Offset uts_nodename;
  Offset ns_common_ops, ops_name;  // ns_common.ops->name, for nsfs roots
};

struct PidLayout {
  Offset level, numbers, upid_nr, upid_ns;
  std::uint32_t upid_size = 16;
};

struct MmLayout {
  Offset arg_start, arg_end, pgd;
};

struct CgroupLayout {
  Offset css_dfl_cgrp, cgroup_kn, kn_name, kn_parent;  // kernfs_node.__parent since 6.15
  // cgroup v1: css_set.subsys[CGROUP_SUBSYS_COUNT], each css's cgroup.
  Offset css_subsys, subsys_state_cgroup;
  std::uint32_t subsys_count = 0;
};

// Mounts, dentries and superblocks: what path walking needs.
struct VfsLayout {
  Offset d_parent, d_name_name, d_name_len, d_inode, d_sb, d_hash_pprev;
  Offset d_children, d_sibling;  // d_children/d_sib (6.8+, hlist) or d_subdirs/d_child (list)
  bool children_hlist = false;
  std::uint32_t dentry_size = 0;
  // struct mount (or vfsmount on kernels before 3.3, where mnt_in_mount is 0)
  std::string mount_type = "mount";
  Offset mnt_in_mount;  // offset of the embedded vfsmount
  Offset mnt_parent, mnt_mountpoint, mnt_root, mnt_sb, mnt_flags, mnt_devname, mnt_id, mnt_list, mnt_ns, mnt_node;
  Offset ns_root, ns_list, ns_mounts_tree, ns_inum;
  Offset rb_left, rb_right;  // rb_node children, for the 6.8+ mount tree
  Offset sb_type, sb_flags, sb_fs_info, sb_subtype, sb_root, sb_dev;
  Offset fstype_name;
  Offset task_fs, task_nsproxy, fs_root_mnt, fs_root_dentry, nsproxy_mnt_ns;
};

// One inode time: seconds and nanoseconds wherever this kernel keeps them
// (i_atime until 6.6, __i_atime in 6.6, i_atime_sec/i_atime_nsec since 6.7).
struct TimeField {
  Offset sec, nsec;
};

struct InodeLayout {
  Offset i_ino, i_mode, i_uid, i_gid, i_size, i_private;
  Offset i_rdev;  // dev_t (u32: major << 20 | minor); optional, for whiteouts (0:0)
  TimeField atime, mtime, ctime;
  std::uint32_t read_size = 0;  // bytes covering every field above
};

struct NetLayout {
  Offset net_list, net_dev_base, net_inum;
  Offset dev_list, name, ifindex, flags, type, dev_addr, addr_len, ip_ptr, ip6_ptr, link_ops, link_ops_kind;
  bool dev_addr_is_pointer = true;
  Offset adj_upper, adj_dev, adj_master, adj_list;
  Offset in_ifa_list, ifa_next, ifa_local, ifa_prefixlen;
  Offset in6_addr_list, ifa6_addr, ifa6_prefix, ifa6_if_list;
};

// overlayfs's private superblock data; only with the module's types.
struct OverlayLayout {
  bool known = false;            // ovl_fs is in the table
  Offset numlayer;
  Offset lowerdir;               // config.lowerdir: one colon-joined string (before 6.5)
  Offset lowerdirs;              // config.lowerdirs: char ** (6.5+)
  Offset upperdir, workdir;
  // Whether a merged directory is opaque: bit OVL_E_OPAQUE (enum
  // ovl_entry_flag) of the overlay dentry's flags, which sit in
  // dentry.d_fsdata itself since 6.5 (flags_in_dentry) and in
  // ovl_entry.flags, d_fsdata pointing to it, before. Unknown without the
  // module's types.
  Offset d_fsdata;
  std::optional<unsigned> opaque_bit;
  bool flags_in_dentry = false;
  Offset entry_flags;
  bool opaque_readable() const { return d_fsdata && opaque_bit && (flags_in_dentry || entry_flags); }
};

// struct file and what a task reaches through it: its executable
// (mm->exe_file) and its open files (files_struct -> fdtable -> file).
struct OpenFileLayout {
  Offset mm_exe_file;                  // mm_struct.exe_file
  Offset f_path_mnt, f_path_dentry;    // file.f_path (a vfsmount and a dentry)
  Offset f_op, private_data;
  Offset task_files, files_fdt, fdt_max_fds, fdt_fd;
  // ovl_inode.__upperdentry relative to the overlay inode (ovl_inode.vfs_inode):
  // from the module's types when present, else the documented shape (4.13+:
  // the upper dentry pointer follows the embedded inode); checked on use.
  Offset ovl_upper_from_inode;
  bool ovl_upper_from_types = false;
};

// Sockets: struct socket (file->private_data of a socket file), its sock and
// the sock_common at the sock's start.
struct SocketLayout {
  Offset socket_type, socket_file, socket_sk;
  Offset family, state, daddr, rcv_saddr, dport, num, v6_daddr, v6_rcv_saddr, net, bound_dev_if;
  Offset prot, proto_name;  // sock_common.skc_prot -> proto.name ("TCP", "UDPv6", "UNIX-STREAM")
  Offset unix_addr, unix_address_len, unix_address_name;
};

// The page cache: an inode's address_space and the index of its pages
// (engine/kernel/page_cache.hpp). The index kind is chosen by the type of
// address_space.i_pages: struct xarray (4.20+) or radix_tree_root (before;
// `page_tree` before 4.17). Its members are not in KernelLayout::missing
// (only the page cache reader needs them); `missing` here names those absent,
// and the reader refuses with that text.
enum class PageIndexKind { none, xarray, radix_tree };

struct PageCacheLayout {
  PageIndexKind index = PageIndexKind::none;
  Offset i_mapping, i_size;   // inode
  Offset pages_root;          // address_space.i_pages.xa_head (or .rnode, page_tree.rnode)
  Offset nrpages;             // address_space.nrpages
  Offset node_shift, node_slots;  // xa_node / radix_tree_node
  std::uint32_t node_slot_count = 0;
  Offset page_mapping, page_index;  // struct page (a folio's head page has the same two)
  std::uint32_t page_size = 0;      // sizeof(struct page): the vmemmap stride
  std::vector<std::string> missing; // "address_space.i_pages", ...
};

struct KernelLayout {
  std::string symbol_table;  // the table's source, for messages
  TaskStructLayout task;
  CredLayout cred;
  NamespaceLayout ns;
  PidLayout pid;
  MmLayout mm;
  CgroupLayout cgroup;
  VfsLayout vfs;
  InodeLayout inode;
  NetLayout net;
  OverlayLayout overlay;
  OpenFileLayout file;
  SocketLayout socket;
  PageCacheLayout page_cache;
  // Where the timekeeper lies: a symbol and the timekeeper's offset in it
  // (tk_core.timekeeper, timekeeper_data[0].timekeeper since 6.17, or the
  // symbol `timekeeper` itself before 3.17); no symbol when the table has none.
  std::string timekeeper_symbol;
  std::uint32_t timekeeper_in_symbol = 0;
  Offset timekeeper_offs_real, timekeeper_offs_boot;

  std::vector<MissingMember> missing;
  std::vector<LayoutVariant> variants;

  // The issue text for each missing member that feeds `stage` ("tasks",
  // "mounts", ...): "symbol table X lacks cred.euid: ... unknown".
  std::vector<std::string> missing_issues(std::string_view stage) const;
  bool lacks(std::string_view type, std::string_view member) const;
};

// Resolves the layout of one symbol table.
KernelLayout resolve_kernel_layout(const SymbolTable& symbols);

// Offset of a dotted member path ("ns.inum", "seccomp.mode") inside `type`,
// following named struct members (anonymous ones are looked through).
// nullopt when any step is missing.
Offset offset_of(const SymbolTable& symbols, std::string_view type, std::string_view path);

}  // namespace drydock
