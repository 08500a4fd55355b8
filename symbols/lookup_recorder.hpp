#pragma once
// Records which names a SymbolTable was asked for, for tools that cut a
// trimmed ISF out of a full one (tests/tools/make_sample.cpp). A table made
// by SymbolTable::with_recorder adds every lookup here, found or not:
// symbols by symbol(); user types by user_type(), member() (the outer type
// and every anonymous member's type it descends through), size_of(); enums
// by enum_value() and size_of() of an enum type.
//
// Thread safety: the add_* calls and the getters may be called from any
// number of threads at once (one mutex).

#include <mutex>
#include <set>
#include <string>
#include <string_view>

namespace drydock {

class LookupRecorder {
 public:
  void add_symbol(std::string_view name) { add(symbols_, name); }
  void add_user_type(std::string_view name) { add(user_types_, name); }
  void add_enum(std::string_view name) { add(enums_, name); }

  // Copies of the names recorded so far, sorted.
  std::set<std::string> symbols() const { return get(symbols_); }
  std::set<std::string> user_types() const { return get(user_types_); }
  std::set<std::string> enums() const { return get(enums_); }

 private:
  using Names = std::set<std::string, std::less<>>;

  void add(Names& names, std::string_view name) {
    std::lock_guard lock(mutex_);
    // Most lookups repeat: find first so only a new name allocates.
    if (names.find(name) == names.end()) names.emplace(name);
  }

  std::set<std::string> get(const Names& names) const {
    std::lock_guard lock(mutex_);
    return std::set<std::string>(names.begin(), names.end());
  }

  mutable std::mutex mutex_;
  Names symbols_;
  Names user_types_;
  Names enums_;
};

}  // namespace drydock
