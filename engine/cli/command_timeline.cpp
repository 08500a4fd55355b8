#include <fmt/format.h>

#include "engine/cli/commands.hpp"
#include "engine/model/build_model.hpp"
#include "reports/timeline_report.hpp"

namespace drydock {

int run_timeline(const CommonOptions& options, const std::string& dump) {
  auto session = open_session(options, dump);
  if (!session) return fail(session.error().message);
  ModelOptions model_options;
  model_options.network = false;
  model_options.changes = true;
  const DumpModel model = build_model(**session, model_options);
  for (const ExtractionIssue& issue : model.issues) {
    if (!options.quiet) fmt::print(stderr, "drydock: {}: {}\n", issue.stage, issue.message);
  }
  return write_output(options, timeline_jsonl(model)) ? kExitOk : kExitInputError;
}

}  // namespace drydock
