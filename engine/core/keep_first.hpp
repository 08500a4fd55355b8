#pragma once
// Joining what several sources say about one value: the first known one wins.

#include <optional>
#include <utility>

namespace drydock {

// Sets `field` to `value` unless `field` is already known.
template <typename T>
void keep_first(std::optional<T>& field, std::optional<T> value) {
  if (!field && value) field = std::move(value);
}

}  // namespace drydock
