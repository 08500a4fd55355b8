#include "engine/kernel/dentry_path.hpp"

#include <vector>

#include "engine/kernel/kernel_layout.hpp"

namespace drydock {
namespace {

constexpr std::size_t kMaxNameBytes = 255;  // NAME_MAX

std::string join_reversed(const std::vector<std::string>& names) {
  std::string path;
  for (auto it = names.rbegin(); it != names.rend(); ++it) path += "/" + *it;
  return path.empty() ? "/" : path;
}

}  // namespace

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
