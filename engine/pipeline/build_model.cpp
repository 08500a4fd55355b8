#include "engine/pipeline/build_model.hpp"

#include "engine/pipeline/pipeline.hpp"

namespace drydock {

DumpModel build_model(const DumpSession& session, const ExtractionOptions& options) {
  return std::move(extract(session, kScanProducts, options).model);
}

DumpModel build_model(const KernelMemory& kernel, const ExtractionOptions& options) {
  return std::move(extract(kernel, kScanProducts, options).model);
}

}  // namespace drydock
