#include "engine/cli/commands.hpp"
#include "engine/pipeline/pipeline.hpp"
#include "reports/json_output.hpp"
#include "reports/socket_report.hpp"

namespace drydock {

int run_sockets(const CommonOptions& options, const std::string& dump) {
  auto session = open_session(options, dump);
  if (!session) return fail(session.error().message);
  const ExtractionContext context = extract(**session, {Product::sockets});
  print_pass_timings(options, context.timings);
  const DumpModel& model = context.model;
  const std::string text = options.format == "json" ? to_json_text(sockets_json(model)) + "\n" : sockets_text(model);
  return write_output(options, text) ? kExitOk : kExitInputError;
}

}  // namespace drydock
