#pragma once
// One function per command; each returns the process exit code.

#include <string>
#include <vector>

#include "engine/cli/command_context.hpp"

namespace drydock {

int run_info(const CommonOptions& options, const std::string& dump);
int run_ps(const CommonOptions& options, const std::string& dump, bool tree, bool threads);
int run_mounts(const CommonOptions& options, const std::string& dump, std::vector<int> pids, bool all);
int run_net(const CommonOptions& options, const std::string& dump);
int run_sockets(const CommonOptions& options, const std::string& dump);
int run_containers(const CommonOptions& options, const std::string& dump);
int run_symbols_warm(const CommonOptions& options, const std::vector<std::string>& paths);
// Timesketch JSONL (reports/timeline_report.hpp); extraction issues go to stderr.
int run_timeline(const CommonOptions& options, const std::string& dump);

}  // namespace drydock
