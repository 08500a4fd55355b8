#pragma once
// The namespace inode numbers of a task, as `readlink /proc/PID/ns/X` shows them.
// 0 means the kernel structure could not be read.

#include <cstdint>

namespace drydock {

struct NamespaceSet {
  std::uint64_t uts = 0;
  std::uint64_t ipc = 0;
  std::uint64_t mnt = 0;
  std::uint64_t net = 0;
  std::uint64_t pid = 0;
  std::uint64_t user = 0;
  std::uint64_t cgroup = 0;

  friend bool operator==(const NamespaceSet&, const NamespaceSet&) = default;
};

}  // namespace drydock
