#include "engine/cli/commands.hpp"
#include "engine/pipeline/pipeline.hpp"
#include "reports/container_report.hpp"
#include "reports/json_output.hpp"

namespace drydock {

int run_containers(const CommonOptions& options, const std::string& dump) {
  auto session = open_session(options, dump);
  if (!session) return fail(session.error().message);
  ExtractionOptions extraction;
  extraction.show_secrets = options.show_secrets;
  const ExtractionContext context = extract(**session, {Product::containers, Product::records, Product::pods}, extraction);
  print_pass_timings(options, context.timings);
  const DumpModel& model = context.model;
  const std::string text =
      options.format == "json" ? to_json_text(containers_json(model)) + "\n" : containers_text(model);
  return write_output(options, text) ? kExitOk : kExitInputError;
}

}  // namespace drydock
