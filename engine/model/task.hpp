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

struct Task {
  std::uint64_t address = 0;  // kernel virtual address of its task_struct
  std::int32_t pid = 0;
  std::int32_t tgid = 0;
  std::int32_t ppid = 0;      // tgid of real_parent
  std::string comm;           // raw bytes from task_struct.comm (may hold anything)
  std::optional<std::string> cmdline;  // argv joined by spaces; nullopt when not resident
  bool kernel_thread = false;
  bool is_thread = false;     // pid != tgid
  std::uint32_t uid = 0, gid = 0, euid = 0, egid = 0, suid = 0, sgid = 0, fsuid = 0, fsgid = 0;
  CapabilitySets caps;
  std::int32_t seccomp_mode = 0;   // 0 disabled, 1 strict, 2 filter
  bool no_new_privs = false;
  NamespaceSet ns;
  std::int32_t ns_pid = 0;          // PID inside its own (innermost) PID namespace
  std::uint64_t start_boottime_ns = 0;
  std::optional<std::int64_t> start_time_unix_ns;  // wall clock, when boot time is known
  std::string hostname;              // nodename of its UTS namespace
  std::vector<std::string> cgroups;  // cgroup paths (v2: one entry)
  std::optional<std::string> container_id;  // 64 hex, when the task belongs to a container
};

}  // namespace drydock
