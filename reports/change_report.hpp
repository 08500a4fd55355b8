#pragma once
// `drydock changes`: each container's overlay upper directory entries
// (engine/model/file_change.hpp), as JSON and as a table.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/model/dump_model.hpp"
#include "engine/model/file_change.hpp"

namespace drydock {

// {path, kind, change, opaque, inode, inode_address, mode, mode_bits, uid, gid, size, mtime, ctime,
//  mtime_ns, ctime_ns, rdev ("major:minor" or null), bytes_in_memory, content_complete, sha256, first_line}
nlohmann::json file_change_json(const FileChange& change);
nlohmann::json file_changes_json(const std::vector<FileChange>& changes);
// {"dump", "containers": [{id, short_id, name, upperdir, changes (null when unknown)}], "errors"}
nlohmann::json changes_json(const DumpInfo& info, const std::vector<Container>& containers,
                            const std::vector<ExtractionIssue>& issues);
std::string changes_text(const std::vector<Container>& containers, const std::vector<ExtractionIssue>& issues);

}  // namespace drydock
