#pragma once
// `drydock files`: files the dentry cache held under the chosen mounts, with
// their inodes (number, mode, owner, size, times) and paths.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/model/cached_file.hpp"
#include "engine/model/dump_model.hpp"

namespace drydock {

// {mnt_ns, mount_id, path, deleted, inode, inode_address, dentry_address, mode ("-rw-r--r--"),
//  mode_bits, uid, gid, size, atime, mtime, ctime (ISO 8601), atime_ns, mtime_ns, ctime_ns}
nlohmann::json cached_file_json(const CachedFile& file);
nlohmann::json files_json(const DumpInfo& info, const std::vector<CachedFile>& files,
                          const std::vector<ExtractionIssue>& issues);  // {"dump", "files", "errors"}
std::string files_text(const std::vector<CachedFile>& files, const std::vector<ExtractionIssue>& issues);

}  // namespace drydock
