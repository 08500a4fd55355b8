#include "engine/kernel/dentry_path.hpp"

#include <vector>

#include "engine/kernel/struct_layout.hpp"

namespace drydock {
namespace {

constexpr std::size_t kMaxNameBytes = 255;  // NAME_MAX

std::string join_reversed(const std::vector<std::string>& names) {
  std::string path;
  for (auto it = names.rbegin(); it != names.rend(); ++it) path += "/" + *it;
  return path.empty() ? "/" : path;
}

}  // namespace

VfsLayout VfsLayout::resolve(const SymbolTable& s) {
  VfsLayout l;
  l.d_parent = offset_of(s, "dentry", "d_parent");
  l.d_name_name = offset_of(s, "dentry", "d_name.name");
  l.d_name_len = offset_of(s, "dentry", "d_name.len");
  l.d_inode = offset_of(s, "dentry", "d_inode");
  l.d_sb = offset_of(s, "dentry", "d_sb");
  if (s.user_type("mount")) {
    l.mount_type = "mount";
    l.mnt_in_mount = offset_of(s, "mount", "mnt");
    l.mnt_root = offset_of(s, "mount", "mnt.mnt_root");
    l.mnt_sb = offset_of(s, "mount", "mnt.mnt_sb");
    l.mnt_flags = offset_of(s, "mount", "mnt.mnt_flags");
  } else {
    l.mount_type = "vfsmount";  // before 3.3 everything lived in vfsmount
    l.mnt_in_mount = 0;
    l.mnt_root = offset_of(s, "vfsmount", "mnt_root");
    l.mnt_sb = offset_of(s, "vfsmount", "mnt_sb");
    l.mnt_flags = offset_of(s, "vfsmount", "mnt_flags");
  }
  const auto m = [&](std::string_view member) { return offset_of(s, l.mount_type, member); };
  l.mnt_parent = m("mnt_parent");
  l.mnt_mountpoint = m("mnt_mountpoint");
  l.mnt_devname = m("mnt_devname");
  l.mnt_id = m("mnt_id");
  l.mnt_list = m("mnt_list");
  l.mnt_ns = m("mnt_ns");
  l.mnt_node = m("mnt_node");
  l.ns_root = offset_of(s, "mnt_namespace", "root");
  l.ns_list = offset_of(s, "mnt_namespace", "list");
  if (!l.ns_list) l.ns_mounts_tree = offset_of(s, "mnt_namespace", "mounts");
  l.ns_inum = offset_of(s, "mnt_namespace", "ns.inum");
  if (!l.ns_inum) l.ns_inum = offset_of(s, "mnt_namespace", "proc_inum");
  l.sb_type = offset_of(s, "super_block", "s_type");
  l.sb_flags = offset_of(s, "super_block", "s_flags");
  l.sb_fs_info = offset_of(s, "super_block", "s_fs_info");
  l.sb_subtype = offset_of(s, "super_block", "s_subtype");
  l.sb_root = offset_of(s, "super_block", "s_root");
  l.sb_dev = offset_of(s, "super_block", "s_dev");
  l.fstype_name = offset_of(s, "file_system_type", "name");
  l.task_fs = offset_of(s, "task_struct", "fs");
  l.task_nsproxy = offset_of(s, "task_struct", "nsproxy");
  l.fs_root_mnt = offset_of(s, "fs_struct", "root.mnt");
  l.fs_root_dentry = offset_of(s, "fs_struct", "root.dentry");
  l.nsproxy_mnt_ns = offset_of(s, "nsproxy", "mnt_ns");
  return l;
}

std::optional<std::string> dentry_name(const KernelMemory& k, const VfsLayout& l, std::uint64_t dentry) {
  auto name = k.read_member<std::uint64_t>(dentry, l.d_name_name);
  if (!name || *name == 0) return std::nullopt;
  std::size_t limit = kMaxNameBytes;
  if (auto len = k.read_member<std::uint32_t>(dentry, l.d_name_len)) limit = std::min<std::size_t>(*len, kMaxNameBytes);
  return k.read_string(*name, limit);
}

PathResult dentry_path(const KernelMemory& k, const VfsLayout& l, std::uint64_t dentry, std::size_t max_depth) {
  std::vector<std::string> names;
  for (std::size_t depth = 0;; ++depth) {
    if (depth > max_depth) return {PathStatus::unreadable, join_reversed(names)};
    auto parent = k.read_member<std::uint64_t>(dentry, l.d_parent);
    if (!parent) return {PathStatus::unreadable, join_reversed(names)};
    if (*parent == dentry || *parent == 0) break;  // the filesystem's root dentry is its own parent
    auto name = dentry_name(k, l, dentry);
    if (!name) return {PathStatus::unreadable, join_reversed(names)};
    names.push_back(std::move(*name));
    dentry = *parent;
  }
  return {PathStatus::ok, join_reversed(names)};
}

PathResult mount_path(const KernelMemory& k, const VfsLayout& l, std::uint64_t mount, std::uint64_t dentry,
                      std::uint64_t root_mount, std::uint64_t root_dentry, std::size_t max_depth) {
  std::vector<std::string> names;
  for (std::size_t depth = 0;; ++depth) {
    if (depth > max_depth) return {PathStatus::unreadable, join_reversed(names)};
    if (mount == root_mount && dentry == root_dentry) return {PathStatus::ok, join_reversed(names)};
    auto mnt_root = k.read_member<std::uint64_t>(mount, l.mnt_root);
    auto parent = k.read_member<std::uint64_t>(dentry, l.d_parent);
    if (!mnt_root || !parent) return {PathStatus::unreadable, join_reversed(names)};
    if (dentry == *mnt_root || *parent == dentry) {
      // At the root of this mount: continue from where it is mounted.
      auto parent_mount = k.read_member<std::uint64_t>(mount, l.mnt_parent);
      if (!parent_mount) return {PathStatus::unreadable, join_reversed(names)};
      if (*parent_mount == mount || *parent_mount == 0) return {PathStatus::unreachable, join_reversed(names)};
      auto mountpoint = k.read_member<std::uint64_t>(mount, l.mnt_mountpoint);
      if (!mountpoint) return {PathStatus::unreadable, join_reversed(names)};
      mount = *parent_mount;
      dentry = *mountpoint;
      continue;
    }
    auto name = dentry_name(k, l, dentry);
    if (!name) return {PathStatus::unreadable, join_reversed(names)};
    names.push_back(std::move(*name));
    dentry = *parent;
  }
}

}  // namespace drydock
