#pragma once
// Symbol tables loaded once per run and shared by every dump that needs them,
// so a bulk scan of a fleet's dumps parses (or reads from the cache) each
// kernel's ISF once. Keyed by the ISF file, or by the banner a directory
// search matched.
//
// Thread safety: get_or_load may be called from any number of threads; a
// table is loaded at most once per key (other callers wait for it). The load
// runs in an isolated oneTBB region, so a waiting loader never runs another
// caller's task on its own stack.

#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>

#include <tbb/task_arena.h>

#include "engine/core/result.hpp"
#include "symbols/symbol_table.hpp"

namespace drydock {

class SymbolMemo {
 public:
  using Loader = std::function<Result<std::shared_ptr<const SymbolTable>>()>;

  Result<std::shared_ptr<const SymbolTable>> get_or_load(const std::string& key, const Loader& load) {
    std::shared_ptr<Slot> slot;
    {
      std::lock_guard lock(mutex_);
      auto& entry = slots_[key];
      if (!entry) entry = std::make_shared<Slot>();
      slot = entry;
    }
    // Isolated: a loader that runs parallel work (decompressing an .xz ISF)
    // must not, while it waits, pick up another dump's task that would call
    // get_or_load for the same key on this thread, inside this call_once.
    std::call_once(slot->once, [&] {
      tbb::this_task_arena::isolate(
          [&] { slot->result = std::make_unique<Result<std::shared_ptr<const SymbolTable>>>(load()); });
    });
    return *slot->result;
  }

 private:
  struct Slot {
    std::once_flag once;
    std::unique_ptr<Result<std::shared_ptr<const SymbolTable>>> result;
  };
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<Slot>> slots_;
};

}  // namespace drydock
