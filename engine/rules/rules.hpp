#pragma once
// The rule engine's facade, for the CLI: compile rule files, evaluate them
// over a DumpModel, render diagnostics and the field reference.
//
//   RuleCompiler compiler;
//   compiler.add_file("rules/containers.rules");
//   compiler.define("min_uid", "1000");
//   auto compiled = compiler.compile();
//   std::cerr << render_diagnostics(compiler.diagnostics());
//   if (!compiled) return 2;
//   auto findings = evaluate(*compiled, model, EvalOptions{});

#include "engine/rules/capabilities.hpp"
#include "engine/rules/compiler.hpp"
#include "engine/rules/evaluate.hpp"
#include "engine/rules/finding.hpp"
#include "engine/rules/schema.hpp"
#include "parser/diagnostic.hpp"
#include "parser/parse_rule_file.hpp"
