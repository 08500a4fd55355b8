#pragma once
// The whole object model of a dump, as `scan` rules read it: the pipeline
// (pipeline.hpp) run for every product scan needs.

#include "engine/kernel/dump_session.hpp"
#include "engine/model/dump_model.hpp"
#include "engine/pipeline/extraction_context.hpp"
#include "engine/pipeline/product.hpp"

namespace drydock {

// What scan's rules and reports read: the inventories, the engines' records
// and each container's changes (not views and files, which only `mounts`
// and `files` print).
inline constexpr ProductSet kScanProducts{Product::tasks,   Product::mounts,  Product::network,
                                          Product::containers, Product::records, Product::pods,
                                          Product::sockets, Product::changes, Product::creators};

DumpModel build_model(const DumpSession& session, const ExtractionOptions& options = {});
// The same over a located kernel alone (tests, fuzzers); info stays empty.
DumpModel build_model(const KernelMemory& kernel, const ExtractionOptions& options = {});

}  // namespace drydock
