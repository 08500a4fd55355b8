#include <fmt/format.h>

#include "engine/cli/commands.hpp"
#include "engine/pipeline/pipeline.hpp"
#include "reports/json_output.hpp"
#include "reports/mount_report.hpp"

namespace drydock {

int run_mounts(const CommonOptions& options, const std::string& dump, std::vector<int> pids, bool all) {
  auto session = open_session(options, dump);
  if (!session) return fail(session.error().message);
  ExtractionOptions extraction;
  extraction.view_pids = std::move(pids);
  const ExtractionContext context = extract(**session, {all ? Product::mounts : Product::views}, extraction);
  print_pass_timings(options, context.timings);
  if (!context.missing_pids.empty()) {
    return fail(fmt::format("{}: no process with PID {} in this dump", dump, context.missing_pids.front()));
  }
  std::vector<Mount> mounts = context.model.mounts;
  for (const MountView& view : context.views) mounts.insert(mounts.end(), view.mounts.begin(), view.mounts.end());
  const std::vector<ExtractionIssue>& issues = context.model.issues;
  const std::string text = options.format == "json" ? to_json_text(mounts_json(context.model.info, mounts, issues)) + "\n"
                                                    : mounts_text(mounts, issues);
  return write_output(options, text) ? kExitOk : kExitInputError;
}

}  // namespace drydock
