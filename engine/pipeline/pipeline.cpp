#include "engine/pipeline/pipeline.hpp"

#include <fmt/format.h>

namespace drydock {

std::string_view product_name(Product product) {
  switch (product) {
    case Product::tasks: return "tasks";
    case Product::mounts: return "mounts";
    case Product::network: return "network";
    case Product::containers: return "containers";
    case Product::records: return "records";
    case Product::pods: return "pods";
    case Product::sockets: return "sockets";
    case Product::views: return "views";
    case Product::files: return "files";
    case Product::changes: return "changes";
    case Product::creators: return "creators";
  }
  return "unknown";
}

std::optional<std::string> pass_table_problem(std::span<const Pass> table) {
  ProductSet made;
  for (const Pass& pass : table) {
    if (made.contains(pass.makes)) {
      return fmt::format("pass {}: {} is made by an earlier pass too", pass.name, product_name(pass.makes));
    }
    for (std::size_t i = 0; i < kProductCount; ++i) {
      const auto need = static_cast<Product>(i);
      if (!pass.needs.contains(need) || made.contains(need)) continue;
      const bool later = std::any_of(table.begin(), table.end(), [&](const Pass& p) { return p.makes == need; });
      return fmt::format("pass {} needs {}, which {}", pass.name, product_name(need),
                         later ? "only it or a later pass makes (a cycle, or rows out of order)" : "no pass makes");
    }
    made.add(pass.makes);
  }
  return std::nullopt;
}

std::vector<const Pass*> plan_passes(ProductSet request, std::span<const Pass> table) {
  // Bottom-up over the table: a selected row selects what it needs, which
  // earlier rows make (a sound table), so one pass upward closes the set.
  ProductSet wanted = request;
  for (auto it = table.rbegin(); it != table.rend(); ++it) {
    if (wanted.contains(it->makes)) wanted = wanted | it->needs;
  }
  std::vector<const Pass*> plan;
  for (const Pass& pass : table) {
    if (wanted.contains(pass.makes)) plan.push_back(&pass);
  }
  return plan;
}

void run_passes(ExtractionContext& context, ProductSet request, std::span<const Pass> table) {
  for (const Pass* pass : plan_passes(request, table)) {
    const auto start = std::chrono::steady_clock::now();
    pass->run(context);
    context.timings.push_back({pass->name, std::chrono::steady_clock::now() - start});
  }
}

ExtractionContext extract(const KernelMemory& kernel, ProductSet request, ExtractionOptions options) {
  ExtractionContext context(kernel, std::move(options));
  run_passes(context, request);
  return context;
}

ExtractionContext extract(const DumpSession& session, ProductSet request, ExtractionOptions options) {
  ExtractionContext context = extract(session.kernel(), request, std::move(options));
  DumpInfo& info = context.model.info;
  const auto boot_time = info.boot_time_unix_ns;
  info = session.describe();
  info.boot_time_unix_ns = boot_time;
  info.memory_budget_bytes = session.kernel().budget().limit();
  info.memory_used_bytes = session.kernel().budget().used();
  return context;
}

}  // namespace drydock
