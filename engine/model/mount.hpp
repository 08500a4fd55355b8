#pragma once
// One mount as the kernel knew it (struct mount / vfsmount).

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace drydock {

struct Mount {
  std::uint64_t address = 0;     // kernel virtual address of struct mount
  std::optional<std::uint64_t> mnt_ns;  // inode of its mount namespace, as read; nullopt when unreadable
  std::uint64_t mnt_ns_address = 0;     // its struct mnt_namespace: identifies the namespace

  // The namespace's identity, as NamespaceSet::mnt_key() gives it (0: unknown).
  std::uint64_t mnt_ns_key() const { return mnt_ns_address ? mnt_ns_address : mnt_ns.value_or(0); }
  std::uint64_t super_block = 0; // address of its super_block: mounts of the same filesystem share it
  std::int32_t mount_id = 0;
  std::optional<std::int32_t> parent_id;  // nullopt when its parent could not be read
  std::string devname;
  std::string fstype;
  std::string path;              // mount point as seen inside its namespace
  std::string root;              // path inside the filesystem that is mounted
  std::optional<std::string> absolute_path;  // as seen from the initial mount namespace
  // From mount.mnt_flags; both nullopt when it could not be read.
  std::optional<bool> read_only;             // MNT_READONLY on this mount
  std::optional<std::vector<std::string>> flags;  // "nosuid", "nodev", "noexec", "relatime", ...
  std::vector<std::pair<std::string, std::string>> options;  // superblock options ("upperdir", "/var/...")
};

}  // namespace drydock
