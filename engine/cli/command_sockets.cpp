#include "engine/cli/commands.hpp"
#include "engine/model/build_model.hpp"
#include "reports/json_output.hpp"
#include "reports/socket_report.hpp"

namespace drydock {

int run_sockets(const CommonOptions& options, const std::string& dump) {
  auto session = open_session(options, dump);
  if (!session) return fail(session.error().message);
  ModelOptions model_options;
  model_options.mounts = false;
  model_options.network = false;
  const DumpModel model = build_model(**session, model_options);
  const std::string text = options.format == "json" ? to_json_text(sockets_json(model)) + "\n" : sockets_text(model);
  return write_output(options, text) ? kExitOk : kExitInputError;
}

}  // namespace drydock
