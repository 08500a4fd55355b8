// Rule language benchmarks: compiling a rule set, and evaluating one over a
// synthetic model. Names say what is measured.

#include <benchmark/benchmark.h>

#include <cstdio>
#include <cstdlib>
#include <string>
#include <string_view>

#include "engine/rules/rules.hpp"
#include "tests/parser/model_builder.hpp"

namespace {

using namespace drydock;
using namespace drydock::rules;

// Appends pieces (GCC 12 warns falsely on chains of `"literal" + string`).
template <typename... Pieces>
std::string cat(const Pieces&... pieces) {
  std::string out;
  (out.append(std::string_view(pieces)), ...);
  return out;
}

// Rule i of a generated set: a mix of comparisons, string operators, regex,
// bit masks and quantifiers, all valid, on the given scope.
std::string container_rule(int i) {
  const std::string n = std::to_string(i);
  const std::string head = cat("rule c", n, " : gen on container { meta: severity = \"medium\" description = \"generated rule ",
                               n, "\" message = \"{label} matched ", n, "\"\n  condition: ");
  switch (i % 5) {
    case 0: return cat(head, "euid == ", std::to_string(i % 7), " and not privileged }\n");
    case 1: return cat(head, "any m in mounts : (m.source matches /^\\/etc\\/x", n, "(\\/|$)/ and not m.read_only) }\n");
    case 2:
      return cat(head, "caps_effective & mask(CAP_SYS_ADMIN, CAP_NET_ADMIN) != 0 and name contains \"", std::to_string(i % 10),
                 "\" }\n");
    case 3: return cat(head, "2 of t in tasks : (t.comm startswith \"w", std::to_string(i % 3), "\" and t.euid in (0..999)) }\n");
    default: return cat(head, "\"net\" in host_namespaces or hostname iequals \"H", n, "\" }\n");
  }
}

std::string task_rule(int i) {
  const std::string n = std::to_string(i);
  const std::string head = cat("rule t", n, " on task { meta: severity = \"low\" description = \"generated rule ", n,
                               "\"\n  condition: ");
  switch (i % 4) {
    case 0: return cat(head, "euid == 0 and comm == \"worker", std::to_string(i % 50), "\" }\n");
    case 1: return cat(head, "has_cap(caps_effective, ", std::to_string(i % 41), ") and uid in (1000..1999) }\n");
    case 2: return cat(head, "comm matches /^w.rker", std::to_string(i % 10), "$/ and not kernel_thread }\n");
    default: return cat(head, "container.privileged and cmdline contains \"--x", n, "\" }\n");
  }
}

std::string rule_set(int count, std::string (*make)(int)) {
  std::string text;
  for (int i = 0; i < count; ++i) text += make(i);
  return text;
}

CompiledRules compile_or_die(const std::string& text) {
  RuleCompiler compiler;
  compiler.add_source(text, "bench.rules");
  auto compiled = compiler.compile();
  if (!compiled) {
    std::fputs(render_diagnostics(compiler.diagnostics()).c_str(), stderr);
    std::abort();
  }
  return std::move(compiled.value());
}

DumpModel task_model(int tasks) {
  test::ModelBuilder b;
  for (int i = 0; i < tasks / 10; ++i) {
    auto& c = b.container(cat("c", std::to_string(i)), cat("c", std::to_string(i)), 100000 + i, 0, 0xa80425fb);
    c.privileged = i % 97 == 0;
  }
  for (int i = 0; i < tasks; ++i) {
    auto& t = b.task(i + 2, cat("worker", std::to_string(i % 50)), static_cast<std::uint32_t>(i % 2000));
    t.cmdline = cat("worker --x", std::to_string(i % 100), " --serve");
    t.caps->effective = static_cast<std::uint64_t>(i) * 2654435761u;
    if (i % 3 == 0) t.container_id = test::fake_id(cat("c", std::to_string(i % (tasks / 10))));
  }
  return b.take();
}

DumpModel container_model(int containers) {
  test::ModelBuilder b;
  for (int i = 0; i < containers; ++i) {
    auto& c = b.container(cat("app", std::to_string(i)), cat("id", std::to_string(i)), 1000 + 3 * i, i % 2 == 0 ? 0 : 1000,
                          i % 11 == 0 ? 0xa82435fb : 0xa80425fb);
    b.add_mount(c, cat("/etc/x", std::to_string(i % 100)), "/host/etc", i % 2 == 0);
    b.add_mount(c, cat("/var/lib/data", std::to_string(i)), "/data", false);
    b.add_network(c, "172.17.0.2/16", "172.17.0.0/16");
    const std::string id = c.id;
    for (int k = 1; k <= 2; ++k) {
      auto& t = b.task(1000 + 3 * i + k, cat("w", std::to_string(k)), 0);
      t.container_id = id;
    }
  }
  return b.take();
}

void BM_Compile200Rules(benchmark::State& state) {
  const std::string text = rule_set(200, container_rule);
  for (auto _ : state) {
    RuleCompiler compiler;
    compiler.add_source(text, "bench.rules");
    auto compiled = compiler.compile();
    benchmark::DoNotOptimize(compiled.ok());
  }
  state.SetItemsProcessed(state.iterations() * 200);
  state.SetBytesProcessed(state.iterations() * static_cast<std::int64_t>(text.size()));
}
BENCHMARK(BM_Compile200Rules)->Unit(benchmark::kMillisecond);

void BM_Parse200Rules(benchmark::State& state) {
  const std::string text = rule_set(200, container_rule);
  for (auto _ : state) {
    auto parsed = parse_rule_file(text, "bench.rules");
    benchmark::DoNotOptimize(parsed.ast.items.size());
  }
  state.SetItemsProcessed(state.iterations() * 200);
}
BENCHMARK(BM_Parse200Rules)->Unit(benchmark::kMillisecond);

// 100 rules x 10,000 tasks (plus 1,000 containers the task rules navigate to).
void BM_Evaluate100RulesOver10kTasks(benchmark::State& state) {
  const auto rules = compile_or_die(rule_set(100, task_rule));
  const auto model = task_model(10000);
  EvalOptions options;
  options.threads = static_cast<unsigned>(state.range(0));
  std::size_t findings = 0;
  for (auto _ : state) {
    findings = evaluate(rules, model, options).size();
    benchmark::DoNotOptimize(findings);
  }
  state.counters["findings"] = static_cast<double>(findings);
  state.SetItemsProcessed(state.iterations() * 100 * 10000);
}
BENCHMARK(BM_Evaluate100RulesOver10kTasks)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

// 100 rules x 10,000 containers, each with 2 mounts and 3 tasks (quantifiers).
void BM_Evaluate100RulesOver10kContainers(benchmark::State& state) {
  const auto rules = compile_or_die(rule_set(100, container_rule));
  const auto model = container_model(10000);
  EvalOptions options;
  options.threads = static_cast<unsigned>(state.range(0));
  std::size_t findings = 0;
  for (auto _ : state) {
    findings = evaluate(rules, model, options).size();
    benchmark::DoNotOptimize(findings);
  }
  state.counters["findings"] = static_cast<double>(findings);
  state.SetItemsProcessed(state.iterations() * 100 * 10000);
}
BENCHMARK(BM_Evaluate100RulesOver10kContainers)->Arg(1)->Arg(2)->Unit(benchmark::kMillisecond)->UseRealTime();

}  // namespace
