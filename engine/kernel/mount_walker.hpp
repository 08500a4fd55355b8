#pragma once
// Rebuilds the mounts of every mount namespace the tasks use, as
// /proc/PID/mountinfo would show them to a task of that namespace: the mount
// point path is computed like the kernel's prepend_path() against the task's
// root (fs->root), and mounts outside that root are left out, as the kernel
// does. Layout variants by ISF member presence: struct mount (3.3+) or
// vfsmount-only; mnt_namespace.list (list of mounts) or its rb-tree (6.8+).
//
// Overlay superblock options (lowerdir, upperdir, workdir) come from
// ovl_fs.config when the ISF carries the overlay module's types.

#include <cstdint>
#include <optional>
#include <vector>

#include "engine/kernel/kernel_memory.hpp"
#include "engine/model/dump_model.hpp"

namespace drydock {

struct MountWalkOptions {
  std::size_t max_mounts_per_ns = 1u << 16;
  std::size_t max_path_depth = 256;
};

struct MountWalkResult {
  std::vector<Mount> mounts;  // sorted by (mnt_ns, mount_id)
  std::vector<ExtractionIssue> issues;
  std::optional<std::uint64_t> initial_mnt_ns;  // inode of init_task's mount namespace (nullopt: unreadable)
  std::uint64_t initial_mnt_ns_address = 0;  // and its address (0: unknown)
};

// Mounts of the namespaces of the given tasks, seen from the root of the
// lowest-pid task of each namespace. `tasks` come from walk_tasks.
MountWalkResult walk_mounts(const KernelMemory& kernel, const std::vector<Task>& tasks,
                            const MountWalkOptions& options = {});

// The mounts as /proc/PID/mountinfo shows them to one task (its namespace and
// its root). Empty with an issue when the task cannot be read.
MountWalkResult mounts_seen_by(const KernelMemory& kernel, const Task& task, const MountWalkOptions& options = {});

}  // namespace drydock
