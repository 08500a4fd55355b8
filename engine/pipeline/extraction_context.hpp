#pragma once
// The state the extraction passes (passes.hpp) work on: the kernel they read,
// the options of the run, the products made so far and how long each pass
// took. One context per dump; a pass reads what it needs from it and writes
// what it produces into it, nothing else (no global state).
//
// Ownership: the context refers to the kernel memory, which must outlive it.
// Thread safety: one thread runs the passes of a context (a pass may use
// oneTBB inside); contexts of different dumps are independent.

#include <chrono>
#include <string_view>
#include <utility>
#include <vector>

#include "engine/kernel/file_walker.hpp"
#include "engine/kernel/kernel_memory.hpp"
#include "engine/model/cached_file.hpp"
#include "engine/model/dump_model.hpp"

namespace drydock {

struct ExtractionOptions {
  bool threads = false;        // tasks: include non-leader threads
  bool show_secrets = false;   // records: keep the values of secret-looking variables
  std::vector<int> view_pids;  // views: whose mounts (namespace and root); empty: PID 1
  FileWalkOptions files;       // files: which mounts, paths and owners
};

// The mounts one chosen PID sees, as /proc/PID/mountinfo shows them.
struct MountView {
  int pid = 0;
  std::vector<Mount> mounts;
};

// How long one pass ran (steady_clock), in the order the passes ran.
struct PassTiming {
  std::string_view name;  // the pass table's name, static storage
  std::chrono::nanoseconds elapsed{0};
};

struct ExtractionContext {
  ExtractionContext(const KernelMemory& kernel_memory, ExtractionOptions extraction_options)
      : kernel(kernel_memory), options(std::move(extraction_options)) {}

  const KernelMemory& kernel;
  ExtractionOptions options;

  DumpModel model;                // tasks, mounts, network, containers, records, sockets, changes; issues
  std::vector<MountView> views;   // views: one per chosen PID found, in the order chosen
  std::vector<int> missing_pids;  // views: chosen PIDs no task has
  std::vector<CachedFile> files;  // files: sorted by (mnt_ns, path, mount_id, dentry), each once
  std::vector<PassTiming> timings;
};

}  // namespace drydock
