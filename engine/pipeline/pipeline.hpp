#pragma once
// Runs the extraction passes (passes.hpp) a request needs over a context:
// the passes making the requested products and, transitively, what they
// need, each once, in table order, each timed with steady_clock into
// ExtractionContext::timings.
//
//   ExtractionContext context = extract(session, {Product::changes, Product::records});
//   print(context.model.containers);  // with their changes and names
//
// Thread safety: extract() only touches its own context; dumps may be
// extracted in parallel.

#include <optional>
#include <span>
#include <string>
#include <vector>

#include "engine/kernel/dump_session.hpp"
#include "engine/pipeline/extraction_context.hpp"
#include "engine/pipeline/passes.hpp"
#include "engine/pipeline/product.hpp"

namespace drydock {

// What a table is wrong about, if anything: a need no pass makes, a product
// two passes make, or a need made only by the pass itself or a later row
// (a cycle, or rows out of order). nullopt for a sound table.
std::optional<std::string> pass_table_problem(std::span<const Pass> table);

// The rows of `table` that `request` selects, with what they need, in table
// order. Precondition: the table is sound (pass_table_problem).
std::vector<const Pass*> plan_passes(ProductSet request, std::span<const Pass> table = extraction_passes());

// Runs the planned passes over `context`, appending one timing per pass.
void run_passes(ExtractionContext& context, ProductSet request, std::span<const Pass> table = extraction_passes());

// A new context over the session's kernel, with the request run and
// model.info describing the dump (path, format, symbols, memory budget).
ExtractionContext extract(const DumpSession& session, ProductSet request, ExtractionOptions options = {});
// The same over a located kernel alone (tests, fuzzers); model.info stays
// empty but for the boot time.
ExtractionContext extract(const KernelMemory& kernel, ProductSet request, ExtractionOptions options = {});

}  // namespace drydock
