#pragma once
// Path names of dentries and (mount, dentry) pairs, computed the way the
// kernel's d_path()/prepend_path() and dentry_path_raw() do, with every step
// bounded: a dentry chain that loops or runs too deep ends the walk.

#include <cstdint>
#include <optional>
#include <string>

#include "engine/kernel/kernel_layout.hpp"
#include "engine/kernel/kernel_memory.hpp"

namespace drydock {

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
