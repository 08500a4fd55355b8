#include "engine/cli/commands.hpp"
#include "reports/info_report.hpp"
#include "reports/json_output.hpp"

namespace drydock {

int run_info(const CommonOptions& options, const std::string& dump) {
  auto session = open_session(options, dump);
  if (!session) return fail(session.error().message);
  const DumpInfo info = (*session)->describe();
  const std::string text = options.format == "json" ? to_json_text(info_json(info)) + "\n" : info_text(info);
  return write_output(options, text) ? kExitOk : kExitInputError;
}

}  // namespace drydock
