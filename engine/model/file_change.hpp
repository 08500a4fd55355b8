#pragma once
// One entry of a container's overlay upper directory, as the dentry cache and
// the page cache held it: what the container created, modified or deleted.
// A plain value (addresses are kept for the analyst, never followed).
//
// overlayfs writes every change to the upper directory: a created or
// modified file (copied up whole from the lower layer on first write), the
// directories above it, a whiteout (a character device 0:0) for a file
// deleted from a lower layer, and an opaque directory (xattr
// trusted.overlay.opaque) for one removed and made again.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace drydock {

struct FileChange {
  std::string path;   // as the container sees it: "/etc/passwd"
  // "file", "directory", "symlink", "whiteout", "char_device", "block_device", "fifo", "socket", "unknown"
  std::string kind;
  // "deleted" for a whiteout; "added_or_modified" otherwise (the lower layers
  // would tell which, and memory rarely holds them whole)
  std::string change;
  // Directories: whether it is opaque. Unknown (nullopt) when the xattr cannot
  // be read from memory (it lives in the upper filesystem's on-disk inode).
  std::optional<bool> opaque;
  std::uint64_t inode_address = 0;  // the upper filesystem's struct inode
  std::optional<std::uint64_t> inode;
  std::uint16_t mode = 0;           // i_mode, type and permission bits
  std::string mode_string;
  std::optional<std::uint32_t> uid, gid;
  std::optional<std::int64_t> size;
  std::optional<std::int64_t> mtime_unix_ns, ctime_unix_ns;
  std::optional<std::uint32_t> rdev_major, rdev_minor;  // device nodes and whiteouts
  // Regular files: how much of the content the page cache held (null when it
  // could not be read), and from it the sha256 (only when every byte was in
  // memory) and the first line (when the first page was, at most 256 bytes).
  std::optional<std::uint64_t> bytes_in_memory;
  std::optional<bool> content_complete;
  std::optional<std::string> sha256;
  std::optional<std::string> first_line;
  // Text files (no NUL) wholly in memory and at most 64 KiB: their lines, each
  // cut at 1 KiB, for rules (accounts in /etc/passwd); not printed by reports.
  std::optional<std::vector<std::string>> lines;
};

}  // namespace drydock
