#pragma once
// The struct layout of the synthetic kernel (support/synthetic_kernel.hpp):
// one table of types per combination of kernel variants, from which both the
// ISF's user types and the builder's offsets come.
//
// Each structure family the walkers tell apart by member presence or type
// (kernel_layout.hpp) has a variant here, as the kernel's history has it:
//
//   KernelVariants v{.task_state = TaskStateField::state_long, .mounts = MountIndex::rbtree};
//   const synthetic_detail::Layout layout = synthetic_detail::layout(v);
//   layout.offset("task_struct", "state");   // 0x10; "__state" is not in this table
//
// A renamed member also moves, so a walker that kept one variant's offset
// fails on the other. The defaults are the 6.1-like layout the synthetic
// kernel has always had. Offsets are this file's own, unlike any real
// kernel's, except where a test needs the real ones (rb_node's by default).
//
// Header-only. An unknown type or member throws std::logic_error (a test bug).

#include <algorithm>
#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace drydock::testing {

// task_struct's state: `long state` before 5.14, `unsigned int __state` since.
enum class TaskStateField { state_long, state_u32 };
// kernel_cap_t: `u32 cap[2]` before 6.3, `u64 val` since; u32_single (`u32
// cap[1]`, 4 bytes) matches neither, so capabilities are unknown.
enum class CapsField { u32_pair, u64, u32_single };
// The mounts of a mount namespace: mnt_namespace.list + mount.mnt_list before
// 6.8; then the rb-tree mnt_namespace.mounts + mount.mnt_node, mnt_node in an
// anonymous union with mnt_list (6.8 to 6.12), alone (6.13+), and with
// mnt_namespace.mounts in an anonymous union (7.x).
enum class MountIndex { list, rbtree_in_union, rbtree, rbtree_ns_union };
// dentry children: d_subdirs/d_child (list_head) before 6.8, d_children/d_sib (hlist) since.
enum class DentryChildren { list, hlist };
// Inode times: i_atime (timespec64), __i_atime (timespec64, 6.6/6.7), i_atime_sec + i_atime_nsec (later).
enum class InodeTimes { timespec, underscored, split };
// kernfs_node.parent, or __parent (6.15+).
enum class KernfsParent { parent, underscored };
// Namespace inode numbers: ns_common.inum (3.19+); ns_common with ns_type and
// anonymous members (6.18+); proc_inum in each namespace struct (before 3.19).
enum class NsInum { ns_common, ns_common_typed, proc_inum };
// A task's struct pid: task_struct.thread_pid (4.19+) or pids[PIDTYPE_PID].pid
// (struct pid_link, before).
enum class TaskPid { thread_pid, pid_links };
// A task's boot-based start time: start_boottime (5.5+) or real_start_time.
enum class StartTime { start_boottime, real_start_time };
// Where the timekeeper lives: tk_core.timekeeper (3.17+), timekeeper_data[0]
// (an array of struct tk_data, 6.17+), a `timekeeper` symbol (before 3.17), or nowhere.
enum class TimekeeperHolder { tk_core, timekeeper_data, bare, none };
// A process's threads: on signal->thread_head by thread_node (3.14+), or on
// each other's thread_group.
enum class ThreadList { thread_head, thread_group };
// net_device.dev_addr: a pointer (2.6.24+), or the MAC bytes in place.
enum class DevAddr { pointer, array };

struct RbNodeLayout {
  // Real kernels: __rb_parent_color 0, rb_right 8, rb_left 16, 24 bytes. In a
  // larger rb_node every other 8-byte slot holds an unmapped pointer, so a
  // walker that assumes the real offsets follows one.
  std::uint32_t size = 24, rb_right = 8, rb_left = 16;
};

struct KernelVariants {
  TaskStateField task_state = TaskStateField::state_u32;
  CapsField caps = CapsField::u64;
  MountIndex mounts = MountIndex::list;
  RbNodeLayout rb_node{};
  DentryChildren dentry_children = DentryChildren::list;
  bool d_name_in_union = false;  // 6.14+: d_name in an anonymous union with __d_name, names in d_shortname
  InodeTimes inode_times = InodeTimes::timespec;
  KernfsParent kernfs_parent = KernfsParent::parent;
  NsInum ns_inum = NsInum::ns_common;
  TaskPid task_pid = TaskPid::thread_pid;
  StartTime start_time = StartTime::start_boottime;
  TimekeeperHolder timekeeper = TimekeeperHolder::tk_core;
  bool cap_ambient = true;   // cred.cap_ambient (4.3+)
  bool mount_struct = true;  // struct mount (3.3+); before, vfsmount held every mount member
  ThreadList threads = ThreadList::thread_head;
  DevAddr dev_addr = DevAddr::pointer;

  // Whole kernels of other generations, each family as that release had it.
  static KernelVariants linux_3_2() {
    KernelVariants v = linux_3_18();
    v.timekeeper = TimekeeperHolder::bare;
    v.mount_struct = false;
    v.threads = ThreadList::thread_group;
    return v;
  }
  static KernelVariants linux_3_18() {
    KernelVariants v = linux_4_14();
    v.ns_inum = NsInum::proc_inum;
    v.cap_ambient = false;
    return v;
  }
  static KernelVariants linux_4_14() {
    return {.task_state = TaskStateField::state_long,
            .caps = CapsField::u32_pair,
            .task_pid = TaskPid::pid_links,
            .start_time = StartTime::real_start_time};
  }
  static KernelVariants linux_6_12() {
    return {.mounts = MountIndex::rbtree_in_union,
            .dentry_children = DentryChildren::hlist,
            .inode_times = InodeTimes::split};
  }
  static KernelVariants linux_6_18() {
    return {.mounts = MountIndex::rbtree,
            .dentry_children = DentryChildren::hlist,
            .d_name_in_union = true,
            .inode_times = InodeTimes::split,
            .kernfs_parent = KernfsParent::underscored,
            .ns_inum = NsInum::ns_common_typed,
            .timekeeper = TimekeeperHolder::timekeeper_data};
  }
  static KernelVariants linux_7_0() {
    KernelVariants v = linux_6_18();
    v.mounts = MountIndex::rbtree_ns_union;
    return v;
  }
};

namespace synthetic_detail {

struct Field {
  std::string_view name;
  std::uint32_t offset;
  std::string type;              // ISF type descriptor JSON
  std::string_view anonymous{};  // an anonymous member: the struct or union it holds
};

struct Type {
  std::string_view name;
  std::uint32_t size;
  std::vector<Field> fields;
  bool is_union = false;
};

inline std::string base(std::string_view name) { return R"({"kind": "base", "name": ")" + std::string(name) + "\"}"; }
inline std::string struct_(std::string_view name) {
  return R"({"kind": "struct", "name": ")" + std::string(name) + "\"}";
}
inline std::string union_(std::string_view name) {
  return R"({"kind": "union", "name": ")" + std::string(name) + "\"}";
}
inline std::string pointer(const std::string& subtype) { return R"({"kind": "pointer", "subtype": )" + subtype + "}"; }
inline std::string ptr(std::string_view struct_name) { return pointer(struct_(struct_name)); }
inline std::string array(std::uint32_t count, const std::string& subtype) {
  return R"({"kind": "array", "count": )" + std::to_string(count) + R"(, "subtype": )" + subtype + "}";
}
// An anonymous struct member (named as dwarf2json names them).
inline Field anonymous_struct(std::string_view member, std::uint32_t offset, std::string_view type) {
  return {member, offset, struct_(type), type};
}
inline Field anonymous_union(std::string_view member, std::uint32_t offset, std::string_view type) {
  return {member, offset, union_(type), type};
}

// One kernel's types, looked up as the ISF reader looks them up.
class Layout {
 public:
  explicit Layout(std::vector<Type> types) : types_(std::move(types)) {}

  const std::vector<Type>& types() const { return types_; }
  const Type* find_type(std::string_view name) const {
    auto it = std::find_if(types_.begin(), types_.end(), [&](const Type& t) { return t.name == name; });
    return it == types_.end() ? nullptr : &*it;
  }
  const Type& type(std::string_view name) const {
    if (const Type* t = find_type(name)) return *t;
    throw std::logic_error("synthetic kernel: no type " + std::string(name));
  }
  std::uint32_t size_of(std::string_view name) const { return type(name).size; }

  // Offset of `member` of `type`, looking through anonymous members.
  std::optional<std::uint32_t> find(std::string_view type_name, std::string_view member, int depth = 0) const {
    const Type* t = find_type(type_name);
    if (!t || depth > 8) return std::nullopt;
    for (const Field& f : t->fields) {
      if (f.name == member) return f.offset;
    }
    for (const Field& f : t->fields) {
      if (f.anonymous.empty()) continue;
      if (auto inner = find(f.anonymous, member, depth + 1)) return f.offset + *inner;
    }
    return std::nullopt;
  }
  bool has(std::string_view type_name, std::string_view member) const { return find(type_name, member).has_value(); }
  std::uint32_t offset(std::string_view type_name, std::string_view member) const {
    if (auto o = find(type_name, member)) return *o;
    throw std::logic_error("synthetic kernel: no member " + std::string(type_name) + "." + std::string(member));
  }

 private:
  std::vector<Type> types_;
};

// A namespace struct with its ns_common `ns` at `ns_offset` (members after it
// move by how much larger ns_common is), or, before 3.19, its own proc_inum.
inline Type namespace_type(const KernelVariants& v, std::string_view name, std::uint32_t size, std::uint32_t ns_offset,
                           std::vector<Field> fields, std::uint32_t ns_common_size) {
  constexpr std::uint32_t kPlainNsCommon = 0x18;
  if (v.ns_inum == NsInum::proc_inum) {
    fields.push_back({"proc_inum", ns_offset + 4, base("unsigned int")});
    return {name, size, std::move(fields)};
  }
  const std::uint32_t grown = ns_common_size - kPlainNsCommon;
  for (Field& f : fields) {
    if (f.offset > ns_offset) f.offset += grown;
  }
  fields.push_back({"ns", ns_offset, struct_("ns_common")});
  return {name, size + grown, std::move(fields)};
}

inline void add_ns_common(const KernelVariants& v, std::vector<Type>& types) {
  const std::string u32 = base("unsigned int"), void_ptr = pointer(base("void"));
  switch (v.ns_inum) {
    case NsInum::ns_common:
      types.push_back({"ns_common", 0x18, {{"stashed", 0x0, void_ptr}, {"inum", 0x10, u32}}});
      break;
    case NsInum::ns_common_typed:
      // 6.18: a cache-line-aligned anonymous struct holding the reference
      // count first, then ns_type, and an anonymous union of tree links last.
      types.push_back({"ns_common_ref", 0x40, {{"__ns_ref", 0x0, u32}}});
      types.push_back({"ns_common_tree",
                       0x28,
                       {{"ns_id", 0x0, base("long unsigned int")}, {"ns_rcu", 0x0, array(2, void_ptr)}},
                       true});
      types.push_back({"ns_common",
                       0x88,
                       {anonymous_struct("unnamed_field_0", 0x0, "ns_common_ref"),
                        {"ns_type", 0x40, u32},
                        {"stashed", 0x48, void_ptr},
                        {"inum", 0x58, u32},
                        anonymous_union("unnamed_field_1", 0x60, "ns_common_tree")}});
      break;
    case NsInum::proc_inum:
      break;  // no ns_common before 3.19
  }
}

inline void add_mount_types(const KernelVariants& v, std::vector<Type>& types, std::uint32_t ns_common_size) {
  const std::string i32 = base("int"), list = struct_("list_head"), char_ptr = pointer(base("char"));
  const std::string rb_node = struct_("rb_node"), rb_root = struct_("rb_root");
  std::vector<Field> vfsmount{
      {"mnt_root", 0x0, ptr("dentry")}, {"mnt_sb", 0x8, ptr("super_block")}, {"mnt_flags", 0x10, i32}};
  if (!v.mount_struct) {
    // Before 3.3 vfsmount was the mount, its list in mnt_namespace.list.
    if (v.mounts != MountIndex::list) throw std::logic_error("synthetic kernel: no mount tree without struct mount");
    vfsmount.insert(vfsmount.end(), {{"mnt_parent", 0x20, ptr("vfsmount")},
                                     {"mnt_mountpoint", 0x28, ptr("dentry")},
                                     {"mnt_list", 0x40, list},
                                     {"mnt_ns", 0x60, ptr("mnt_namespace")},
                                     {"mnt_devname", 0x68, char_ptr},
                                     {"mnt_id", 0x74, i32}});
    types.push_back({"vfsmount", 0x100, std::move(vfsmount)});
    types.push_back(namespace_type(v, "mnt_namespace", 0x90, 0x08,
                                   {{"root", 0x28, ptr("vfsmount")}, {"list", 0x40, list}}, ns_common_size));
    return;
  }
  types.push_back({"vfsmount", 0x20, std::move(vfsmount)});
  std::vector<Field> ns_fields{{"root", 0x28, ptr("mount")}};
  std::vector<Field> mount{{"mnt_parent", 0x10, ptr("mount")}, {"mnt_mountpoint", 0x18, ptr("dentry")},
                           {"mnt", 0x20, struct_("vfsmount")}, {"mnt_ns", 0xe8, ptr("mnt_namespace")},
                           {"mnt_devname", 0xf8, char_ptr},    {"mnt_id", 0x124, i32}};
  switch (v.mounts) {
    case MountIndex::list:
      ns_fields.push_back({"list", 0x40, list});
      mount.push_back({"mnt_list", 0xa0, list});
      break;
    case MountIndex::rbtree_in_union:
      ns_fields.push_back({"mounts", 0x48, rb_root});
      types.push_back({"mount_list_or_node",
                       std::max<std::uint32_t>(v.rb_node.size, 16),
                       {{"mnt_node", 0x0, rb_node}, {"mnt_list", 0x0, list}},
                       true});
      mount.push_back(anonymous_union("unnamed_field_0", 0xa0, "mount_list_or_node"));
      break;
    case MountIndex::rbtree:
    case MountIndex::rbtree_ns_union:
      if (v.mounts == MountIndex::rbtree) {
        ns_fields.push_back({"mounts", 0x48, rb_root});
      } else {
        types.push_back({"mnt_namespace_mounts",
                         0x18,
                         {{"mounts", 0x0, rb_root}, {"mnt_ns_rcu", 0x0, array(2, ptr("list_head"))}},
                         true});
        ns_fields.push_back(anonymous_union("unnamed_field_0", 0x50, "mnt_namespace_mounts"));
      }
      mount.push_back({"mnt_list", 0xa0, list});
      mount.push_back({"mnt_node", 0x130, rb_node});
      break;
  }
  types.push_back(namespace_type(v, "mnt_namespace", 0x90, 0x08, std::move(ns_fields), ns_common_size));
  types.push_back({"mount", 0x180, std::move(mount)});
  types.push_back({"rb_node",
                   v.rb_node.size,
                   {{"__rb_parent_color", 0x0, base("long unsigned int")},
                    {"rb_right", v.rb_node.rb_right, ptr("rb_node")},
                    {"rb_left", v.rb_node.rb_left, ptr("rb_node")}}});
  types.push_back({"rb_root", 8, {{"rb_node", 0x0, ptr("rb_node")}}});
}

inline void add_dentry_types(const KernelVariants& v, std::vector<Type>& types) {
  const std::string u32 = base("unsigned int"), u64 = base("long unsigned int"), void_ptr = pointer(base("void"));
  const std::string name_ptr = pointer(base("unsigned char")), qstr = struct_("qstr");
  std::vector<Field> dentry{
      {"d_parent", 0x18, ptr("dentry")}, {"d_inode", 0x30, void_ptr}, {"d_sb", 0x98, ptr("super_block")}};
  if (v.d_name_in_union) {
    // 6.14: `union { struct qstr __d_name; const struct qstr d_name; }`, short
    // names kept in d_shortname; qstr's hash and len in an anonymous struct
    // inside an anonymous union with hash_len.
    types.push_back({"qstr_hash_len_parts", 8, {{"hash", 0x0, u32}, {"len", 0x4, u32}}});
    types.push_back({"qstr_hash_len",
                     8,
                     {anonymous_struct("unnamed_field_0", 0x0, "qstr_hash_len_parts"), {"hash_len", 0x0, u64}},
                     true});
    types.push_back(
        {"qstr", 0x10, {anonymous_union("unnamed_field_0", 0x0, "qstr_hash_len"), {"name", 0x8, name_ptr}}});
    types.push_back({"dentry_name", 0x10, {{"__d_name", 0x0, qstr}, {"d_name", 0x0, qstr}}, true});
    types.push_back({"shortname_store",
                     40,
                     {{"string", 0x0, array(40, base("unsigned char"))}, {"words", 0x0, array(5, u64)}},
                     true});
    dentry.push_back(anonymous_union("unnamed_field_0", 0x20, "dentry_name"));
    dentry.push_back({"d_shortname", 0x38, union_("shortname_store")});
  } else {
    types.push_back({"qstr", 0x10, {{"hash", 0x0, u32}, {"len", 0x4, u32}, {"name", 0x8, name_ptr}}});
    dentry.push_back({"d_name", 0x20, qstr});
  }
  if (v.dentry_children == DentryChildren::list) {
    dentry.push_back({"d_child", 0xa0, struct_("list_head")});
    dentry.push_back({"d_subdirs", 0xb0, struct_("list_head")});
  } else {
    dentry.push_back({"d_sib", 0xa8, struct_("hlist_node")});
    dentry.push_back({"d_children", 0xb8, struct_("hlist_head")});
  }
  types.push_back({"dentry", 0xc0, std::move(dentry)});
  types.push_back({"hlist_head", 8, {{"first", 0x0, ptr("hlist_node")}}});
  types.push_back({"hlist_node", 0x10, {{"next", 0x0, ptr("hlist_node")}, {"pprev", 0x8, pointer(ptr("hlist_node"))}}});
}

inline void add_inode_types(const KernelVariants& v, std::vector<Type>& types) {
  const std::string u32 = base("unsigned int"), s64 = base("long long int"), timespec = struct_("timespec64");
  std::vector<Field> inode{{"i_mode", 0x0, base("short unsigned int")},
                           {"i_uid", 0x4, struct_("kuid_t")},
                           {"i_gid", 0x8, struct_("kgid_t")},
                           {"i_ino", 0x40, base("long unsigned int")},
                           {"i_size", 0x50, s64},
                           {"i_private", 0x250, pointer(base("void"))}};
  switch (v.inode_times) {
    case InodeTimes::timespec:
      inode.push_back({"i_atime", 0x58, timespec});
      inode.push_back({"i_mtime", 0x68, timespec});
      inode.push_back({"i_ctime", 0x78, timespec});
      break;
    case InodeTimes::underscored:
      inode.push_back({"__i_atime", 0x60, timespec});
      inode.push_back({"__i_mtime", 0x70, timespec});
      inode.push_back({"__i_ctime", 0x80, timespec});
      break;
    case InodeTimes::split:
      inode.push_back({"i_atime_sec", 0x58, s64});
      inode.push_back({"i_mtime_sec", 0x60, s64});
      inode.push_back({"i_ctime_sec", 0x68, s64});
      inode.push_back({"i_atime_nsec", 0x70, u32});
      inode.push_back({"i_mtime_nsec", 0x74, u32});
      inode.push_back({"i_ctime_nsec", 0x78, u32});
      break;
  }
  types.push_back({"inode", 0x260, std::move(inode)});
  types.push_back({"kuid_t", 4, {{"val", 0x0, u32}}});
  types.push_back({"kgid_t", 4, {{"val", 0x0, u32}}});
  types.push_back({"timespec64", 0x10, {{"tv_sec", 0x0, s64}, {"tv_nsec", 0x8, base("long int")}}});
}

inline void add_task_types(const KernelVariants& v, std::vector<Type>& types) {
  const std::string u32 = base("unsigned int"), i32 = base("int"), u64 = base("long unsigned int");
  const std::string list = struct_("list_head"), cap = struct_("kernel_cap_t");
  std::vector<Field> task{{"flags", 0x2c, u32},
                          {"tasks", 0x4d0, list},
                          {"mm", 0x4f0, ptr("mm_struct")},
                          {"exit_state", 0x590, i32},
                          {"pid", 0x5a4, i32},
                          {"tgid", 0x5a8, i32},
                          {"real_parent", 0x5b8, ptr("task_struct")},
                          {"atomic_flags", 0x6a0, u64},
                          {"real_cred", 0x748, ptr("cred")},
                          {"comm", 0x760, array(16, base("char"))},
                          {"fs", 0x7a8, ptr("fs_struct")},
                          {"files", 0x7b0, ptr("files_struct")},
                          {"nsproxy", 0x7b8, ptr("nsproxy")},
                          {"seccomp", 0x7d8, struct_("seccomp")},
                          {"signal", 0x7f0, ptr("signal_struct")},
                          {"cgroups", 0x8c0, ptr("css_set")}};
  task.push_back(v.task_state == TaskStateField::state_long ? Field{"state", 0x10, base("long int")}
                                                            : Field{"__state", 0x18, u32});
  if (v.task_pid == TaskPid::thread_pid) {
    task.push_back({"thread_pid", 0x600, ptr("pid")});
  } else {
    // struct pid_link pids[PIDTYPE_MAX] (PID, PGID, SID)
    types.push_back({"pid_link", 0x18, {{"node", 0x0, struct_("hlist_node")}, {"pid", 0x10, ptr("pid")}}});
    task.push_back({"pids", 0x5e0, array(3, struct_("pid_link"))});
  }
  task.push_back(v.start_time == StartTime::start_boottime ? Field{"start_boottime", 0x6d8, u64}
                                                           : Field{"real_start_time", 0x6e0, u64});
  if (v.threads == ThreadList::thread_head) {
    task.push_back({"thread_node", 0x640, list});
    types.push_back({"signal_struct", 0x400, {{"nr_threads", 0x4, i32}, {"thread_head", 0x18, list}}});
  } else {
    task.push_back({"thread_group", 0x648, list});
    types.push_back({"signal_struct", 0x400, {{"nr_threads", 0x4, i32}}});
  }
  types.push_back({"task_struct", 0x980, std::move(task)});
  switch (v.caps) {
    case CapsField::u64:
      types.push_back({"kernel_cap_t", 8, {{"val", 0, u64}}});
      break;
    case CapsField::u32_pair:
      types.push_back({"kernel_cap_t", 8, {{"cap", 0, array(2, u32)}}});
      break;
    case CapsField::u32_single:
      types.push_back({"kernel_cap_t", 4, {{"cap", 0, array(1, u32)}}});
      break;
  }
  types.push_back({"cred",
                   0xb0,
                   {{"uid", 0x08, u32},
                    {"gid", 0x0c, u32},
                    {"suid", 0x10, u32},
                    {"sgid", 0x14, u32},
                    {"euid", 0x18, u32},
                    {"egid", 0x1c, u32},
                    {"fsuid", 0x20, u32},
                    {"fsgid", 0x24, u32},
                    {"cap_inheritable", 0x30, cap},
                    {"cap_permitted", 0x38, cap},
                    {"cap_effective", 0x40, cap},
                    {"cap_bset", 0x48, cap},
                    {"user_ns", 0x90, ptr("user_namespace")}}});
  if (v.cap_ambient) types.back().fields.push_back({"cap_ambient", 0x50, cap});
  types.push_back(
      v.kernfs_parent == KernfsParent::parent
          ? Type{"kernfs_node", 0x80, {{"parent", 0x10, ptr("kernfs_node")}, {"name", 0x18, pointer(base("char"))}}}
          : Type{"kernfs_node", 0x80, {{"__parent", 0x08, ptr("kernfs_node")}, {"name", 0x10, pointer(base("char"))}}});
}

inline void add_timekeeper_types(const KernelVariants& v, std::vector<Type>& types) {
  const std::string u32 = base("unsigned int"), timekeeper = struct_("timekeeper");
  types.push_back(
      {"timekeeper", 0x140, {{"offs_real", 0x90, base("long long int")}, {"offs_boot", 0x98, base("long long int")}}});
  if (v.timekeeper == TimekeeperHolder::tk_core) {
    types.push_back({"tk_core_t", 0x200, {{"seq", 0x0, u32}, {"timekeeper", 0x8, timekeeper}}});
  } else if (v.timekeeper == TimekeeperHolder::timekeeper_data) {
    types.push_back({"tk_data",
                     0x300,
                     {{"seq", 0x0, u32}, {"timekeeper", 0x40, timekeeper}, {"shadow_timekeeper", 0x180, timekeeper}}});
  }
}

// The table of one kernel's types.
inline Layout layout(const KernelVariants& v) {
  const std::string u8 = base("unsigned char"), u16 = base("short unsigned int"), u32 = base("unsigned int");
  const std::string i32 = base("int"), u64 = base("long unsigned int"), chars16 = array(16, base("char"));
  const std::string char_ptr = pointer(base("char")), void_ptr = pointer(base("void"));
  const std::string list = struct_("list_head");
  std::vector<Type> types{
      {"list_head", 16, {{"next", 0, ptr("list_head")}, {"prev", 8, ptr("list_head")}}},
      {"seccomp", 0x10, {{"mode", 0x0, i32}, {"filter", 0x8, void_ptr}}},
      {"nsproxy",
       0x48,
       {{"uts_ns", 0x10, ptr("uts_namespace")},
        {"ipc_ns", 0x18, ptr("ipc_namespace")},
        {"mnt_ns", 0x20, ptr("mnt_namespace")},
        {"pid_ns_for_children", 0x28, ptr("pid_namespace")},
        {"net_ns", 0x30, ptr("net")},
        {"cgroup_ns", 0x40, ptr("cgroup_namespace")}}},
      {"new_utsname", 0x186, {{"sysname", 0x0, array(65, base("char"))}, {"nodename", 0x41, array(65, base("char"))}}},
      {"mm_struct",
       0x400,
       {{"pgd", 0x48, pointer(u64)}, {"arg_start", 0x130, u64}, {"arg_end", 0x138, u64}, {"exe_file", 0x380, ptr("file")}}},
      // Open files and sockets.
      {"file", 0xe8, {{"f_path", 0x10, struct_("path")}, {"f_op", 0x28, void_ptr}, {"private_data", 0xc8, void_ptr}}},
      {"files_struct", 0x2c0, {{"fdt", 0x20, ptr("fdtable")}}},
      {"fdtable", 0x38, {{"max_fds", 0x0, u32}, {"fd", 0x8, pointer(ptr("file"))}}},
      {"socket",
       0x80,
       {{"state", 0x0, u32}, {"type", 0x4, u16}, {"file", 0x10, ptr("file")}, {"sk", 0x18, ptr("sock")}}},
      {"sock_common",
       0x88,
       {{"skc_daddr", 0x0, u32},
        {"skc_rcv_saddr", 0x4, u32},
        {"skc_dport", 0xc, u16},
        {"skc_num", 0xe, u16},
        {"skc_family", 0x10, u16},
        {"skc_state", 0x12, u8},
        {"skc_prot", 0x28, ptr("proto")},
        {"skc_net", 0x30, ptr("net")}}},
      {"proto", 0x1c0, {{"name", 0x180, array(32, base("char"))}}},
      {"file_operations", 0x100, {}},
      {"pid", 0x70, {{"level", 0x08, u32}, {"numbers", 0x60, array(1, struct_("upid"))}}},
      {"upid", 0x18, {{"nr", 0x08, i32}, {"ns", 0x10, ptr("pid_namespace")}}},
      {"css_set", 0x100, {{"dfl_cgrp", 0x88, ptr("cgroup")}}},
      {"cgroup", 0x400, {{"kn", 0x108, ptr("kernfs_node")}}},
      {"fs_struct", 0x38, {{"root", 0x18, struct_("path")}, {"pwd", 0x28, struct_("path")}}},
      {"path", 0x10, {{"mnt", 0x0, ptr("vfsmount")}, {"dentry", 0x8, ptr("dentry")}}},
      {"super_block",
       0x600,
       {{"s_dev", 0x10, u32},
        {"s_type", 0x28, ptr("file_system_type")},
        {"s_flags", 0x50, u64},
        {"s_root", 0x68, ptr("dentry")},
        {"s_fs_info", 0x3f0, void_ptr},
        {"s_subtype", 0x4b8, char_ptr}}},
      {"file_system_type", 0x48, {{"name", 0x0, char_ptr}}},
      {"netdev_adj_list", 0x20, {{"upper", 0x0, list}, {"lower", 0x10, list}}},
      {"net_device",
       0x980,
       {{"name", 0x08, chars16},
        {"dev_list", 0x58, list},
        {"adj_list", 0x98, struct_("netdev_adj_list")},
        {"flags", 0xe0, u32},
        {"ifindex", 0xf0, i32},
        {"type", 0x23a, u16},
        {"addr_len", 0x23c, u8},
        {"dev_addr", 0x2f8,
         v.dev_addr == DevAddr::pointer ? pointer(base("unsigned char")) : array(32, base("unsigned char"))},
        {"ip_ptr", 0x330, ptr("in_device")},
        {"ip6_ptr", 0x340, ptr("inet6_dev")},
        {"rtnl_link_ops", 0x3a8, ptr("rtnl_link_ops")}}},
      {"rtnl_link_ops", 0x100, {{"kind", 0x10, char_ptr}}},
      {"netdev_adjacent",
       0x40,
       {{"dev", 0x0, ptr("net_device")}, {"master", 0x8, base("_Bool")}, {"list", 0x18, list}}},
      {"in_device", 0x100, {{"ifa_list", 0x20, ptr("in_ifaddr")}}},
      {"in_ifaddr",
       0x50,
       {{"ifa_next", 0x08, ptr("in_ifaddr")}, {"ifa_local", 0x1c, u32}, {"ifa_prefixlen", 0x29, u8}}},
      {"in6_addr", 0x10, {{"s6_addr", 0x0, array(16, base("unsigned char"))}}},
      {"inet6_dev", 0x200, {{"addr_list", 0x18, list}}},
      {"inet6_ifaddr", 0x100, {{"addr", 0x0, struct_("in6_addr")}, {"prefix_len", 0x38, u32}, {"if_list", 0x78, list}}},
  };
  add_task_types(v, types);
  add_ns_common(v, types);
  const std::uint32_t ns_size = v.ns_inum == NsInum::ns_common_typed ? 0x88 : 0x18;
  const auto ns_type = [&](std::string_view name, std::uint32_t size, std::uint32_t ns_offset,
                           std::vector<Field> fields) {
    types.push_back(namespace_type(v, name, size, ns_offset, std::move(fields), ns_size));
  };
  ns_type("uts_namespace", 0x1c0, 0x190, {{"name", 0x4, struct_("new_utsname")}});
  ns_type("ipc_namespace", 0x900, 0x8b0, {});
  ns_type("pid_namespace", 0xa0, 0x78, {});
  ns_type("user_namespace", 0x260, 0x108, {});
  ns_type("cgroup_namespace", 0x40, 0x08, {});
  ns_type("net", 0x300, 0xa8, {{"list", 0x28, list}, {"dev_base_head", 0xd0, list}});
  add_mount_types(v, types, ns_size);
  add_dentry_types(v, types);
  add_inode_types(v, types);
  add_timekeeper_types(v, types);
  return Layout(std::move(types));
}

// The layout of a SyntheticKernel built with default options.
inline const Layout& default_layout() {
  static const Layout table = layout(KernelVariants{});
  return table;
}

}  // namespace synthetic_detail
}  // namespace drydock::testing
