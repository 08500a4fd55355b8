#include <fmt/format.h>

#include "engine/cli/commands.hpp"
#include "engine/pipeline/pipeline.hpp"
#include "reports/timeline_report.hpp"

namespace drydock {

int run_timeline(const CommonOptions& options, const std::string& dump) {
  auto session = open_session(options, dump);
  if (!session) return fail(session.error().message);
  // Tasks, containers (named by the engines' records) and their changes.
  const ExtractionContext context = extract(**session, {Product::containers, Product::records, Product::changes});
  print_pass_timings(options, context.timings);
  const DumpModel& model = context.model;
  for (const ExtractionIssue& issue : model.issues) {
    if (!options.quiet) fmt::print(stderr, "drydock: {}: {}\n", issue.stage, issue.message);
  }
  return write_output(options, timeline_jsonl(model)) ? kExitOk : kExitInputError;
}

}  // namespace drydock
