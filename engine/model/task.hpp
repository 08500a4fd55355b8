#pragma once
// One task (process or thread) as the kernel knew it. A plain value: no
// pointers into the dump; other objects refer to it by pid.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/model/namespaces.hpp"

namespace drydock {

struct CapabilitySets {
  std::uint64_t inheritable = 0;
  std::uint64_t permitted = 0;
  std::uint64_t effective = 0;
  std::uint64_t bounding = 0;
  std::uint64_t ambient = 0;
};

// Every field the kernel may fail to give is optional: nullopt means drydock
// could not read it (a member missing from the symbol table, or unreadable
// memory; the dump's issues say which), never 0 or false.
struct Task {
  std::uint64_t address = 0;  // kernel virtual address of its task_struct
  std::int32_t pid = 0;
  std::int32_t tgid = 0;
  std::optional<std::int32_t> ppid;  // tgid of real_parent (0 for the idle task and kthreadd)
  std::string comm;           // raw bytes from task_struct.comm (may hold anything)
  std::optional<std::string> cmdline;  // argv joined by spaces; nullopt when not resident
  std::optional<bool> kernel_thread;  // PF_KTHREAD in task_struct.flags
  bool is_thread = false;     // pid != tgid
  // "running", "sleeping", "stopped", "zombie" or "dead" (CONTRACT.md; from
  // /proc/PID/stat's letter: D, I and P are sleeping, t is stopped).
  std::optional<std::string> state;
  std::optional<std::uint32_t> uid, gid, euid, egid, suid, sgid, fsuid, fsgid;
  std::optional<CapabilitySets> caps;
  std::optional<std::int32_t> seccomp_mode;  // 0 disabled, 1 strict, 2 filter
  std::optional<bool> no_new_privs;
  NamespaceSet ns;
  std::optional<std::int32_t> ns_pid;        // PID inside its own (innermost) PID namespace
  std::optional<std::uint64_t> start_boottime_ns;
  std::optional<std::int64_t> start_time_unix_ns;  // wall clock, when boot time is known
  std::optional<std::string> hostname;       // nodename of its UTS namespace
  std::vector<std::string> cgroups;  // cgroup paths (v2: one entry)
  std::optional<std::string> container_id;  // 64 hex, when the task belongs to a container
  // The executable (mm->exe_file) as the task sees it; nullopt for kernel
  // threads and when unreadable (an issue says which).
  std::optional<std::string> exe;
  // On overlay: "upper" (created or copied up in the container's upper
  // layer) or "lower" (an image layer); nullopt off overlay or unknown.
  std::optional<std::string> exe_layer;
};

}  // namespace drydock
