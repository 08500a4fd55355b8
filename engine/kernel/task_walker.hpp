#pragma once
// Rebuilds every task the kernel knew from init_task's task list: identity,
// credentials, capabilities, seccomp, namespaces, start time, command line and
// cgroup. Layout variants are chosen by ISF member presence:
//   kernel_cap_t as u32 cap[2] (before 6.3) or u64 val;
//   ns_common.inum or proc_inum (before 3.19);
//   start_boottime or real_start_time (before 5.5);
//   thread_pid or pids[PIDTYPE_PID].pid (before 4.19);
//   signal->thread_head/thread_node or thread_group for threads.
//
// Thread safety: a pure function of the kernel memory; runs its per-task work
// in parallel (oneTBB) and returns tasks sorted by pid, the same for any -j.

#include <optional>
#include <vector>

#include "engine/kernel/kernel_memory.hpp"
#include "engine/model/dump_model.hpp"

namespace drydock {

struct TaskWalkOptions {
  bool threads = false;           // also every non-leader thread
  std::size_t max_tasks = 1u << 22;
  std::size_t max_cmdline = 64 * 1024;
};

struct TaskWalkResult {
  std::vector<Task> tasks;
  std::vector<ExtractionIssue> issues;
  std::optional<std::int64_t> boot_time_unix_ns;  // from the timekeeper
};

TaskWalkResult walk_tasks(const KernelMemory& kernel, const TaskWalkOptions& options = {});

// Wall-clock boot time (ns since the epoch) from the kernel's timekeeper:
// offs_real - offs_boot.
std::optional<std::int64_t> read_boot_time(const KernelMemory& kernel);

}  // namespace drydock
