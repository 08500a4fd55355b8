#pragma once
// One file the kernel's dentry cache still held: the dentry found under a
// mount, and the inode it names. A plain value: no pointers into the dump
// (the addresses are kept for the analyst, never followed by readers).

#include <cstdint>
#include <optional>
#include <string>

namespace drydock {

struct CachedFile {
  std::optional<std::uint64_t> mnt_ns;  // inode of the mount namespace the path is seen in (nullopt: unreadable)
  std::int32_t mount_id = 0;         // the mount the dentry was reached through
  std::string path;                  // mount point path + path inside the mount, as seen in mnt_ns
  bool deleted = false;              // unlinked while still in use (d_path() appends " (deleted)")
  std::uint64_t dentry_address = 0;  // kernel virtual address of struct dentry
  std::uint64_t inode_address = 0;   // kernel virtual address of struct inode
  // The inode's fields are nullopt when the symbol table lacks the member.
  std::optional<std::uint64_t> inode;  // i_ino
  std::uint16_t mode = 0;            // i_mode: S_IFMT type bits and permissions
  std::string mode_string;           // as `ls -l` prints it: "-rw-r--r--", "drwxr-xr-x", "lrwxrwxrwx"
  std::optional<std::uint32_t> uid;  // i_uid.val (kuid in the initial user namespace)
  std::optional<std::uint32_t> gid;  // i_gid.val
  std::optional<std::int64_t> size;  // i_size
  std::optional<std::uint32_t> rdev; // i_rdev (major << 20 | minor); device nodes and whiteouts
  std::optional<std::int64_t> atime_unix_ns;
  std::optional<std::int64_t> mtime_unix_ns;
  std::optional<std::int64_t> ctime_unix_ns;
};

}  // namespace drydock
