#pragma once
// `drydock changes DUMP [--container ID]... [--extract DIR]`: per container,
// the entries of its overlay upper directory (what it created, modified or
// deleted), with how much of each file the page cache held; with --extract,
// those bytes written under DIR/<short id>/ with DIR/manifest.json.

#include <string>
#include <vector>

#include "engine/cli/command_context.hpp"

namespace drydock {

struct ChangesOptions {
  std::vector<std::string> containers;  // ids, id prefixes or names; empty: every container
  std::string extract_dir;              // empty: no extraction
};

int run_changes(const CommonOptions& options, const std::string& dump, const ChangesOptions& changes);

}  // namespace drydock
