#include "engine/cli/commands.hpp"
#include "engine/model/build_model.hpp"
#include "reports/container_report.hpp"
#include "reports/json_output.hpp"

namespace drydock {

int run_containers(const CommonOptions& options, const std::string& dump) {
  auto session = open_session(options, dump);
  if (!session) return fail(session.error().message);
  ModelOptions model_options;
  model_options.show_secrets = options.show_secrets;
  const DumpModel model = build_model(**session, model_options);
  const std::string text =
      options.format == "json" ? to_json_text(containers_json(model)) + "\n" : containers_text(model);
  return write_output(options, text) ? kExitOk : kExitInputError;
}

}  // namespace drydock
