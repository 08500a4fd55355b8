#pragma once
// `drydock files DUMP [--pid PID]... [--mount ID]... [--path PREFIX] [--uid UID]...`:
// files cached in memory under the mounts the given processes see.

#include <cstdint>
#include <string>
#include <vector>

#include "engine/cli/command_context.hpp"

namespace drydock {

struct FilesFilter {
  std::vector<int> pids;                // whose mount namespaces (and roots); empty: PID 1
  std::vector<std::int32_t> mount_ids;  // only these mounts (ids as mountinfo shows them); empty: all
  std::string path_prefix;              // only this path and what lies under it; empty: all
  std::vector<std::uint32_t> uids;      // only files owned by these uids; empty: any owner
  std::string extract_dir;              // --extract DIR: also write the files' bytes; empty: no
};

int run_files(const CommonOptions& options, const std::string& dump, const FilesFilter& filter);

}  // namespace drydock
