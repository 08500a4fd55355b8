#pragma once
// The extraction passes, as one table: each row names a pass, the products it
// needs, the product it makes and the function that makes it from the
// context (extraction_context.hpp). The table is in run order: every pass
// comes after the passes making what it needs, so running the rows a request
// selects from top to bottom respects every dependency, and the issues the
// passes record come out in the same order for every request.
//
//   pass        needs                           makes
//   tasks       -                               tasks
//   mounts      tasks                           mounts
//   network     -                               network
//   containers  tasks, mounts, network          containers
//   records     containers                      records
//   sockets     containers (tasks' container)   sockets
//   views       tasks                           views
//   files       views                           files
//   changes     containers, views (PID 1's)     changes
//
// A pass never fails the run: what it cannot read becomes an issue in
// DumpModel::issues (or, for views, a PID in missing_pids) and the next
// passes go on with what there is.

#include <span>
#include <string_view>

#include "engine/pipeline/extraction_context.hpp"
#include "engine/pipeline/product.hpp"

namespace drydock {

struct Pass {
  std::string_view name;
  ProductSet needs;
  Product makes;
  void (*run)(ExtractionContext& context);
};

// The table above. Static storage; the same for every run.
std::span<const Pass> extraction_passes();

}  // namespace drydock
