#pragma once
// The extraction pipeline: runs each walker over an opened dump and assembles
// the immutable DumpModel. Each stage is a function of the kernel memory; a
// stage that fails records issues and the others still run.

#include "engine/kernel/dump_session.hpp"
#include "engine/model/dump_model.hpp"

namespace drydock {

struct ModelOptions {
  bool threads = false;   // tasks: include non-leader threads
  bool tasks = true;
  bool mounts = true;
  bool network = true;
  bool containers = true;
  bool sockets = true;  // needs tasks
  bool records = true;  // the engines' own records of each container (needs containers)
  bool show_secrets = false;  // records: keep the values of secret-looking variables
  bool changes = false;   // each container's overlay upper directory (needs containers), with page cache content
};

DumpModel build_model(const DumpSession& session, const ModelOptions& options = {});
// The same over a located kernel alone (tests, fuzzers); info stays empty.
DumpModel build_model(const KernelMemory& kernel, const ModelOptions& options = {});

}  // namespace drydock
