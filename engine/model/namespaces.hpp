#pragma once
// The namespaces of a task: their inode numbers, as `readlink /proc/PID/ns/X`
// shows them (nullopt when the structure could not be read), and the kernel
// addresses of the namespace structs, which identify them (an inode number is
// a value read from the dump, shown as read; two namespaces may show the same
// one in a corrupt dump). An address of 0 means unknown.

#include <cstdint>
#include <optional>

namespace drydock {

struct NamespaceSet {
  std::optional<std::uint64_t> uts, ipc, mnt, net, pid, user, cgroup;
  std::uint64_t mnt_address = 0;
  std::uint64_t net_address = 0;

  // What identifies the mount or network namespace: its address when known,
  // else its inode number (models built without addresses); 0 when neither is
  // known. Kernel addresses lie above 2^47 and inode numbers below 2^32, so
  // the two never meet.
  std::uint64_t mnt_key() const { return mnt_address ? mnt_address : mnt.value_or(0); }
  std::uint64_t net_key() const { return net_address ? net_address : net.value_or(0); }

  friend bool operator==(const NamespaceSet&, const NamespaceSet&) = default;
};

}  // namespace drydock
