#include "engine/cli/commands.hpp"
#include "engine/model/build_model.hpp"
#include "reports/json_output.hpp"
#include "reports/net_report.hpp"

namespace drydock {

int run_net(const CommonOptions& options, const std::string& dump) {
  auto session = open_session(options, dump);
  if (!session) return fail(session.error().message);
  ModelOptions model_options;
  model_options.tasks = false;
  model_options.mounts = false;
  model_options.containers = false;
  const DumpModel model = build_model(**session, model_options);
  const std::string text =
      options.format == "json" ? to_json_text(interfaces_json(model)) + "\n" : interfaces_text(model);
  return write_output(options, text) ? kExitOk : kExitInputError;
}

}  // namespace drydock
