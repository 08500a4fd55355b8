#include "engine/cli/commands.hpp"
#include "engine/pipeline/pipeline.hpp"
#include "reports/json_output.hpp"
#include "reports/task_report.hpp"

namespace drydock {

int run_ps(const CommonOptions& options, const std::string& dump, bool tree, bool threads) {
  auto session = open_session(options, dump);
  if (!session) return fail(session.error().message);
  ExtractionOptions extraction;
  extraction.threads = threads;
  // Containers give each task its container id.
  const ExtractionContext context = extract(**session, {Product::tasks, Product::containers}, extraction);
  print_pass_timings(options, context.timings);
  const DumpModel& model = context.model;
  std::string text;
  if (options.format == "json") {
    text = to_json_text(tasks_json(model)) + "\n";
  } else {
    text = tree ? pstree_text(model) : tasks_text(model);
  }
  return write_output(options, text) ? kExitOk : kExitInputError;
}

}  // namespace drydock
