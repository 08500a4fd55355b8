#pragma once
// A task's executable: the path of mm->exe_file as the task itself sees it
// (from its fs->root, crossing mounts like d_path(); " (deleted)" appended
// to an unlinked file, as /proc/PID/exe shows it), and, when the file lies
// on an overlay filesystem, which layer holds it: "upper" when the overlay
// inode has an upper dentry (the file was created or copied up after the
// container started), "lower" when it comes from an image layer alone.
//
// The overlay inode's upper dentry is read through ovl_inode when the symbol
// table has the module's types, else at its documented place (right after
// the embedded struct inode, 4.13+); either way a non-null upper dentry must
// carry the same name and another superblock, or the layer is unknown.
//
// Thread safety: a pure function of the kernel memory.

#include <cstdint>
#include <optional>
#include <string>

#include "engine/kernel/kernel_memory.hpp"

namespace drydock {

struct TaskExe {
  std::optional<std::string> path;   // nullopt when unreadable
  std::optional<std::string> layer;  // "upper", "lower"; nullopt off overlay or when unknown
  std::optional<std::string> problem;  // why path or layer is unknown
};

// `task` is the task_struct's address, `mm` its mm_struct (non-zero).
TaskExe read_task_exe(const KernelMemory& kernel, std::uint64_t task, std::uint64_t mm);

}  // namespace drydock
