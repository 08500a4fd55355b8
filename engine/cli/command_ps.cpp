#include "engine/cli/commands.hpp"
#include "engine/model/build_model.hpp"
#include "reports/json_output.hpp"
#include "reports/task_report.hpp"

namespace drydock {

int run_ps(const CommonOptions& options, const std::string& dump, bool tree, bool threads) {
  auto session = open_session(options, dump);
  if (!session) return fail(session.error().message);
  ModelOptions model_options;
  model_options.threads = threads;
  const DumpModel model = build_model(**session, model_options);
  std::string text;
  if (options.format == "json") {
    text = to_json_text(tasks_json(model)) + "\n";
  } else {
    text = tree ? pstree_text(model) : tasks_text(model);
  }
  return write_output(options, text) ? kExitOk : kExitInputError;
}

}  // namespace drydock
