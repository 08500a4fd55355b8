#pragma once
// The memory a model record holds: its own size plus the heap bytes of its
// strings and vectors. What walkers charge to a dump's MemoryBudget; an
// estimate that errs high (allocator rounding aside), never low.

#include <cstddef>

#include "engine/model/cached_file.hpp"
#include "engine/model/mount.hpp"
#include "engine/model/net_interface.hpp"
#include "engine/model/task.hpp"

namespace drydock {

std::size_t footprint(const Task& task);
std::size_t footprint(const Mount& mount);
std::size_t footprint(const NetInterface& interface);
std::size_t footprint(const CachedFile& file);

// What one node of a bounded list walk may hold: its entry in the visited
// set, its address in the walker's list, and one issue text about it.
inline constexpr std::size_t kWalkNodeFootprint = 256;

}  // namespace drydock
