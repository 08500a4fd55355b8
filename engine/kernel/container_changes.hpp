#pragma once
// What each container changed: the entries of its overlay upper directory
// (Container::overlay->upperdir) that the host's dentry cache still holds,
// found by the file walker under that path in the initial mount namespace,
// with each regular file's content as far as the page cache holds it
// (engine/kernel/page_cache.hpp).
//
// Classification (overlayfs's on-disk format): a character device 0:0 is a
// whiteout, a file deleted from a lower layer ("deleted"); everything else
// was added or modified. A directory is opaque (xattr trusted.overlay.opaque,
// on disk) when the merged overlay's cached dentry of it carries
// OVL_E_OPAQUE (KernelLayout::overlay: in d_fsdata since 6.5, in ovl_entry
// before); unknown (null) when that dentry is not cached or the symbol table
// lacks the overlay module's types.
//
// Bounds: those of walk_files (entries, depth), and max_content_bytes of a
// file read for its hash and first line (a larger file is only counted).
//
// Thread safety: a pure function of the kernel memory; the result is sorted
// by container id, then path, the same for any -j.

#include <cstdint>
#include <map>
#include <string>
#include <vector>

#include "engine/kernel/kernel_memory.hpp"
#include "engine/model/cached_file.hpp"
#include "engine/model/dump_model.hpp"
#include "engine/model/file_change.hpp"

namespace drydock {

struct ChangeWalkOptions {
  bool content = true;                                    // read the page cache of regular files
  std::uint64_t max_content_bytes = std::uint64_t{64} << 20;  // hashed and first-lined up to this size
};

struct ChangeWalkResult {
  std::map<std::string, std::vector<FileChange>> changes;  // by container id; containers without upperdir absent
  std::vector<ExtractionIssue> issues;
};

// `host_mounts`: every mount of the initial mount namespace, as mounts_seen_by(PID 1) gives them.
ChangeWalkResult walk_container_changes(const KernelMemory& kernel, const std::vector<Mount>& host_mounts,
                                        const std::vector<Container>& containers,
                                        const ChangeWalkOptions& options = {});

// One cached file of an upper directory as a change: `upperdir` is cut from
// its path ("/var/.../diff/etc/passwd" -> "/etc/passwd"). No content read.
FileChange file_change_from(const CachedFile& file, const std::string& upperdir);

// "file", "directory", ... from i_mode (and "whiteout" for a 0:0 character device).
std::string file_kind(std::uint16_t mode, std::optional<std::uint32_t> rdev);

// The first line of a file's leading bytes: up to the first newline, at most 256 bytes.
std::string first_line_of(std::span<const std::byte> bytes);

}  // namespace drydock
