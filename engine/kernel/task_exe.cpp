#include "engine/kernel/task_exe.hpp"

#include <fmt/format.h>

#include "engine/kernel/dentry_path.hpp"
#include "engine/kernel/kernel_layout.hpp"

namespace drydock {
namespace {

constexpr std::size_t kMaxFsTypeName = 32;

// The name of the filesystem type a dentry belongs to ("overlay", "ext4").
std::optional<std::string> fs_type_of(const KernelMemory& k, const VfsLayout& v, std::uint64_t dentry) {
  auto sb = k.read_member<std::uint64_t>(dentry, v.d_sb);
  if (!sb || *sb == 0) return std::nullopt;
  auto type = k.read_member<std::uint64_t>(*sb, v.sb_type);
  if (!type || *type == 0) return std::nullopt;
  auto name = k.read_member<std::uint64_t>(*type, v.fstype_name);
  if (!name || *name == 0) return std::nullopt;
  return k.read_string(*name, kMaxFsTypeName);
}

// Which overlay layer holds the file of `dentry`, or a problem.
std::pair<std::optional<std::string>, std::optional<std::string>> overlay_layer(const KernelMemory& k,
                                                                               const KernelLayout& l,
                                                                               std::uint64_t dentry) {
  const VfsLayout& v = l.vfs;
  auto inode = k.read_member<std::uint64_t>(dentry, v.d_inode);
  if (!inode || *inode == 0 || !l.file.ovl_upper_from_inode) {
    return {std::nullopt, fmt::format("overlay inode of dentry {:#x} unreadable; its layer is unknown", dentry)};
  }
  auto upper = k.read_pointer(*inode + *l.file.ovl_upper_from_inode);
  if (!upper) return {std::nullopt, fmt::format("overlay inode {:#x} unreadable; its layer is unknown", *inode)};
  if (*upper == 0) return {"lower", std::nullopt};
  // The upper dentry names the same file on another filesystem.
  const auto name = dentry_name(k, v, dentry);
  const auto upper_name = dentry_name(k, v, *upper);
  const auto sb = k.read_member<std::uint64_t>(dentry, v.d_sb);
  const auto upper_sb = k.read_member<std::uint64_t>(*upper, v.d_sb);
  if (!name || name != upper_name || !sb || !upper_sb || sb == upper_sb) {
    return {std::nullopt, fmt::format("overlay inode {:#x}: upper dentry {:#x} does not name the same file{}; its "
                                      "layer is unknown",
                                      *inode, *upper, l.file.ovl_upper_from_types ? "" : " (no overlay module types)")};
  }
  return {"upper", std::nullopt};
}

}  // namespace

TaskExe read_task_exe(const KernelMemory& k, std::uint64_t task, std::uint64_t mm) {
  const KernelLayout& l = k.layout();
  const VfsLayout& v = l.vfs;
  TaskExe out;
  auto file = k.read_member<std::uint64_t>(mm, l.file.mm_exe_file);
  if (!file) {
    if (l.file.mm_exe_file) out.problem = fmt::format("mm {:#x}: exe_file unreadable; its exe is unknown", mm);
    return out;
  }
  if (*file == 0) return out;  // no executable (an exiting task)
  auto vfsmount = k.read_member<std::uint64_t>(*file, l.file.f_path_mnt);
  auto dentry = k.read_member<std::uint64_t>(*file, l.file.f_path_dentry);
  auto fs = k.read_member<std::uint64_t>(task, v.task_fs);
  std::optional<std::uint64_t> root_mnt, root_dentry;
  if (fs && *fs) {
    root_mnt = k.read_member<std::uint64_t>(*fs, v.fs_root_mnt);
    root_dentry = k.read_member<std::uint64_t>(*fs, v.fs_root_dentry);
  }
  if (!vfsmount || !dentry || !*vfsmount || !*dentry || !v.mnt_in_mount) {
    out.problem = fmt::format("exe file {:#x}: f_path unreadable; its exe is unknown", *file);
    return out;
  }
  // Without a root of its own (an exiting task) the path runs to the top of its mount tree.
  const std::uint64_t mount = *vfsmount - *v.mnt_in_mount;
  const std::uint64_t top_mount = root_mnt && *root_mnt ? *root_mnt - *v.mnt_in_mount : 0;
  PathResult path = mount_path(k, v, mount, *dentry, top_mount, root_dentry.value_or(0));
  if (path.status == PathStatus::unreadable) {
    out.problem = fmt::format("exe file {:#x}: dentry chain unreadable after \"{}\"; its exe is unknown", *file,
                              path.path);
    return out;
  }
  // d_path() marks a file that was unlinked while in use.
  if (auto pprev = k.read_member<std::uint64_t>(*dentry, v.d_hash_pprev); pprev && *pprev == 0) {
    path.path += " (deleted)";
  }
  out.path = std::move(path.path);
  if (fs_type_of(k, v, *dentry) == "overlay") {
    auto [layer, problem] = overlay_layer(k, l, *dentry);
    out.layer = std::move(layer);
    out.problem = std::move(problem);
  }
  return out;
}

}  // namespace drydock
