#pragma once
// Files the kernel's dentry cache still holds under chosen mounts, like
// Volatility 2's linux_enumerate_files: from each mount's root dentry
// (vfsmount.mnt_root) down the children lists, with the inode each positive
// dentry names. Paths are those a task of the namespace sees: the mount's
// mount point path (from mounts_seen_by) followed by the path inside the mount.
//
// Layout variants by ISF member presence:
//   dentry.d_subdirs/d_child (list_head, before 6.8) or d_children/d_sib (hlist);
//   inode times as i_atime/i_mtime/i_ctime (timespec64), __i_ctime (6.6+),
//   __i_atime/__i_mtime (6.7+), or i_atime_sec/i_atime_nsec pairs (6.11+).
//
// What is left out, as the kernel's own view would: negative dentries (no
// inode), dentries covered by another mount of the namespace (the covering
// mount lists what lies there, if selected) and mounts hidden under another.
// Unlinked files still in use (unhashed dentries that keep their inode) are
// listed, marked deleted.
//
// Bounds: a visited set per mount (a dentry tree that loops stops there),
// max_dentries dentries per mount and in the result, max_depth levels. Every
// unreadable dentry, inode or list is recorded as an issue and the walk goes on.
//
// Thread safety: a pure function of the kernel memory; walks the selected
// mounts in parallel (oneTBB) and returns files sorted by (mnt_ns, path,
// mount_id, dentry_address), the same for any -j.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/kernel/kernel_memory.hpp"
#include "engine/model/cached_file.hpp"
#include "engine/model/dump_model.hpp"

namespace drydock {

struct FileWalkOptions {
  std::vector<std::int32_t> mount_ids;  // walk only these mounts; empty: every mount
  std::string path_prefix;              // keep `prefix` and what lies under it; empty or "/": all
  std::vector<std::uint32_t> uids;      // keep files owned by these; empty: any owner
  std::size_t max_dentries = 1u << 20;  // per mount, and in the whole result
  std::size_t max_depth = 256;          // directory levels below a mount's root
  std::size_t max_issues_per_mount = 64;
};

struct FileWalkResult {
  std::vector<CachedFile> files;
  std::vector<ExtractionIssue> issues;
};

// Walks the selected mounts among `mounts`, which must be every mount of one
// namespace as mounts_seen_by() gives them (the unselected ones still tell
// which dentries are covered).
FileWalkResult walk_files(const KernelMemory& kernel, const std::vector<Mount>& mounts,
                          const FileWalkOptions& options = {});

// i_mode as `ls -l` prints it ("-rw-r--r--", "drwxrwxrwt", "-rwsr-xr-x").
std::string mode_string(std::uint16_t mode);

// The prefix as the filter compares it: trailing slashes dropped, "" for "/".
std::string normalize_path_prefix(std::string_view prefix);

// Whether `path` is `prefix` or lies under it ("/etc/hosts" under "/etc", but
// not "/etcfoo"). Every path lies under the empty prefix.
bool path_within(std::string_view path, std::string_view prefix);

// Whether something at or under `path` can lie within `prefix` (the walk
// prunes subtrees for which this is false).
bool path_may_contain(std::string_view path, std::string_view prefix);

}  // namespace drydock
