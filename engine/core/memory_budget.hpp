#pragma once
// The memory one dump's extraction may keep: what its walkers store (tasks,
// mounts, interfaces, files, and the visited-node sets of list walks) is
// charged here, and a charge that would pass the limit is refused. A walker
// whose charge is refused stops, records budget_exhausted_issue() and keeps
// what it had, so a hostile dump (a list of millions of nodes, thousands of
// namespaces) costs at most the limit, however it lies.
//
// Thread safety: charge() may be called from any number of threads.

#include <atomic>
#include <cstdint>
#include <string>

#include <fmt/format.h>

namespace drydock {

class MemoryBudget {
 public:
  // No limit short of the address space.
  MemoryBudget() = default;
  explicit MemoryBudget(std::uint64_t limit_bytes) : limit_(limit_bytes) {}
  MemoryBudget(const MemoryBudget&) = delete;
  MemoryBudget& operator=(const MemoryBudget&) = delete;

  // Takes `bytes` from the budget. False, taking nothing, when that would
  // pass the limit.
  bool charge(std::uint64_t bytes) {
    std::uint64_t used = used_.load(std::memory_order_relaxed);
    do {
      if (bytes > limit_ - used) {
        refused_.store(true, std::memory_order_relaxed);
        return false;
      }
    } while (!used_.compare_exchange_weak(used, used + bytes, std::memory_order_relaxed));
    return true;
  }

  std::uint64_t limit() const { return limit_; }
  std::uint64_t used() const { return used_.load(std::memory_order_relaxed); }
  // True once a charge was refused: what was extracted is incomplete.
  bool exhausted() const { return refused_.load(std::memory_order_relaxed); }

  // The issue text a walker records when its charge is refused.
  std::string exhausted_issue() const {
    const bool mib = limit_ >= (std::uint64_t{1} << 20);
    return fmt::format("memory budget of {} {} for this dump is used up; the rest was not extracted "
                       "(raise --max-memory, or lower -j, to extract it)",
                       mib ? limit_ >> 20 : limit_ >> 10, mib ? "MiB" : "KiB");
  }

 private:
  std::uint64_t limit_ = UINT64_MAX;
  std::atomic<std::uint64_t> used_{0};
  std::atomic<bool> refused_{false};
};

}  // namespace drydock
