// libFuzzer target: any byte string is parsed, checked and (when it compiles
// and includes nothing) evaluated over a small model. Crashes, sanitizer
// reports and hangs are bugs; diagnostics are the expected outcome.

#include <cstddef>
#include <cstdint>
#include <string>

#include "engine/rules/rules.hpp"
#include "tests/parser/model_builder.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace drydock::rules;
  std::string text(reinterpret_cast<const char*>(data), size);
  const ParsedFile parsed = parse_rule_file(text, "fuzz.rules");
  for (const auto& d : parsed.diagnostics) (void)render_diagnostic(d);
  // Includes would read files relative to the working directory: skip them.
  for (const auto& item : parsed.ast.items) {
    if (boost::get<ast::Include>(&item) != nullptr) return 0;
  }
  RuleCompiler compiler;
  compiler.add_source(std::move(text), "fuzz.rules");
  compiler.define("fuzz_int", "7");
  compiler.define("fuzz_text", "x");
  auto compiled = compiler.compile();
  (void)render_diagnostics(compiler.diagnostics());
  if (!compiled) return 0;
  static const drydock::DumpModel model = drydock::test::docker_basic_model();
  EvalOptions options;
  options.threads = 1;
  (void)evaluate(*compiled, model, options);
  return 0;
}
