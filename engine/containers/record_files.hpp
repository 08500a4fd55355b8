#pragma once
// The engines' record files that the host's dentry cache holds, with their
// bytes from the page cache (engine_records.hpp says what is looked for).
//
// Thread safety: a pure function of the kernel memory.

#include <vector>

#include "engine/containers/engine_records.hpp"
#include "engine/kernel/kernel_memory.hpp"
#include "engine/model/dump_model.hpp"

namespace drydock {

struct RecordFilesResult {
  std::vector<RecordFile> files;
  std::vector<ExtractionIssue> issues;
};

// Walks the record directories in the mount namespace of `host_init` (PID 1).
RecordFilesResult find_record_files(const KernelMemory& kernel, const Task& host_init);

}  // namespace drydock
