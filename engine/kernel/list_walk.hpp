#pragma once
// Bounded walks of the kernel's intrusive lists (struct list_head,
// struct hlist_head). A dump may hold lists that loop without passing their
// head, point into unmapped memory, or run on forever: each walk stops at a
// repeated node, an unreadable pointer, max_entries or the dump's memory
// budget (kWalkNodeFootprint per node), and says why.

#include <cstdint>
#include <optional>
#include <string>
#include <unordered_set>

#include <fmt/format.h>

#include "engine/kernel/kernel_memory.hpp"
#include "engine/model/footprint.hpp"

namespace drydock {

// Walk limit used when a caller has no better bound: far above what any real
// kernel holds in one list (pid_max is at most 4M; mounts, net devices and
// dentries per directory are far fewer).
inline constexpr std::size_t kMaxListEntries = 1u << 22;

// Calls visit(node_address) for each node of the circular list whose
// list_head lies at `head` (the head itself is not visited). Returns an error
// text when the walk stopped early, nullopt when it came back to the head.
// `visit` returns false to stop early (not an error).
template <typename Visit>
std::optional<std::string> walk_list(const KernelMemory& kernel, std::uint64_t head, std::size_t max_entries,
                                     Visit visit) {
  std::unordered_set<std::uint64_t> seen;
  auto next = kernel.read_pointer(head);  // list_head.next is the first member
  std::uint64_t node = head;
  for (std::size_t count = 0;; ++count) {
    if (!next) return fmt::format("list at {:#x}: unreadable next pointer at {:#x} after {} entries", head, node, count);
    if (*next == head) return std::nullopt;
    if (*next == 0) return fmt::format("list at {:#x}: NULL next pointer after {} entries", head, count);
    if (count >= max_entries) return fmt::format("list at {:#x}: more than {} entries, stopped", head, max_entries);
    if (!kernel.budget().charge(kWalkNodeFootprint)) {
      return fmt::format("list at {:#x}: stopped after {} entries: {}", head, count, kernel.budget().exhausted_issue());
    }
    if (!seen.insert(*next).second) {
      return fmt::format("list at {:#x}: loops back to {:#x} after {} entries", head, *next, count);
    }
    if (!visit(*next)) return std::nullopt;
    node = *next;
    next = kernel.read_pointer(*next);
  }
}

// The same for an hlist (NULL-terminated; hlist_head.first, hlist_node.next).
template <typename Visit>
std::optional<std::string> walk_hlist(const KernelMemory& kernel, std::uint64_t head, std::size_t max_entries,
                                      Visit visit) {
  std::unordered_set<std::uint64_t> seen;
  auto next = kernel.read_pointer(head);
  for (std::size_t count = 0;; ++count) {
    if (!next) return fmt::format("hlist at {:#x}: unreadable pointer after {} entries", head, count);
    if (*next == 0) return std::nullopt;
    if (count >= max_entries) return fmt::format("hlist at {:#x}: more than {} entries, stopped", head, max_entries);
    if (!kernel.budget().charge(kWalkNodeFootprint)) {
      return fmt::format("hlist at {:#x}: stopped after {} entries: {}", head, count, kernel.budget().exhausted_issue());
    }
    if (!seen.insert(*next).second) {
      return fmt::format("hlist at {:#x}: loops back to {:#x} after {} entries", head, *next, count);
    }
    if (!visit(*next)) return std::nullopt;
    next = kernel.read_pointer(*next);
  }
}

}  // namespace drydock
