#pragma once
// Path names of dentries and (mount, dentry) pairs, computed the way the
// kernel's d_path()/prepend_path() and dentry_path_raw() do, with every step
// bounded: a dentry chain that loops or runs too deep ends the walk.

#include <cstdint>
#include <optional>
#include <string>

#include "engine/kernel/kernel_memory.hpp"

namespace drydock {

// Offsets for dentry and mount walking, resolved once per symbol table.
struct VfsLayout {
  std::optional<std::uint32_t> d_parent, d_name_name, d_name_len, d_inode, d_sb;
  // struct mount (or vfsmount on kernels before 3.3, where mnt_in_mount is 0)
  std::string mount_type = "mount";
  std::optional<std::uint32_t> mnt_in_mount;  // offset of the embedded vfsmount
  std::optional<std::uint32_t> mnt_parent, mnt_mountpoint, mnt_root, mnt_sb, mnt_flags, mnt_devname, mnt_id,
      mnt_list, mnt_ns, mnt_node;
  std::optional<std::uint32_t> ns_root, ns_list, ns_mounts_tree, ns_inum;
  std::optional<std::uint32_t> sb_type, sb_flags, sb_fs_info, sb_subtype, sb_root, sb_dev;
  std::optional<std::uint32_t> fstype_name;
  std::optional<std::uint32_t> task_fs, task_nsproxy, fs_root_mnt, fs_root_dentry, nsproxy_mnt_ns;

  static VfsLayout resolve(const SymbolTable& symbols);
};

enum class PathStatus { ok, unreachable, unreadable };

struct PathResult {
  PathStatus status = PathStatus::unreadable;
  std::string path;
};

// One dentry's own name (d_name), at most 255 bytes.
std::optional<std::string> dentry_name(const KernelMemory& kernel, const VfsLayout& layout, std::uint64_t dentry);

// The path of `dentry` from the root of its filesystem ("/etc/hosts").
PathResult dentry_path(const KernelMemory& kernel, const VfsLayout& layout, std::uint64_t dentry,
                       std::size_t max_depth = 256);

// The path of (mount, dentry) as seen from (root_mount, root_dentry), crossing
// mount points upwards like prepend_path(); unreachable when the walk reaches
// the top of the mount tree without passing the root.
PathResult mount_path(const KernelMemory& kernel, const VfsLayout& layout, std::uint64_t mount, std::uint64_t dentry,
                      std::uint64_t root_mount, std::uint64_t root_dentry, std::size_t max_depth = 256);

}  // namespace drydock
