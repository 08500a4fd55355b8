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
  std::uint64_t mnt_ns = 0;      // inode of its mount namespace, as read
  std::uint64_t mnt_ns_address = 0;  // its struct mnt_namespace: identifies the namespace

  // The namespace's identity, as NamespaceSet::mnt_key() gives it.
  std::uint64_t mnt_ns_key() const { return mnt_ns_address ? mnt_ns_address : mnt_ns; }
  std::uint64_t super_block = 0; // address of its super_block: mounts of the same filesystem share it
  std::int32_t mount_id = 0;
  std::int32_t parent_id = 0;
  std::string devname;
  std::string fstype;
  std::string path;              // mount point as seen inside its namespace
  std::string root;              // path inside the filesystem that is mounted
  std::optional<std::string> absolute_path;  // as seen from the initial mount namespace
  bool read_only = false;        // MNT_READONLY on this mount
  std::vector<std::string> flags;            // "nosuid", "nodev", "noexec", "relatime", ...
  std::vector<std::pair<std::string, std::string>> options;  // superblock options ("upperdir", "/var/...")
};

}  // namespace drydock
