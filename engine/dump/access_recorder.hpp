#pragma once
// Records which physical bytes of a dump were read, for tools that cut a
// sample out of a dump (tests/tools/make_sample.cpp): a PhysicalMemory opened
// with OpenOptions::recorder adds every successful read() and view() here.
//
// Thread safety: record() and ranges() may be called from any number of
// threads at once (one mutex).
// Memory: bounded by the distinct ranges read, not by the number of reads:
// once the pending list grows past a threshold it is merged in place.

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <mutex>
#include <utility>
#include <vector>

namespace drydock {

class AccessRecorder {
 public:
  struct Range {
    std::uint64_t start = 0;
    std::uint64_t end = 0;  // one past the last byte
    bool operator==(const Range&) const = default;
  };

  // Adds [address, address + size); an empty range is ignored. The caller
  // guarantees address + size does not overflow.
  void record(std::uint64_t address, std::uint64_t size) {
    if (size == 0) return;
    std::lock_guard lock(mutex_);
    ranges_.push_back({address, address + size});
    if (ranges_.size() >= compact_at_) {
      merge_locked();
      // Grow the threshold with the merged size so merging stays amortised O(1).
      compact_at_ = std::max(kMinCompactAt, ranges_.size() * 2);
    }
  }

  // Everything recorded so far: sorted, with overlapping and touching ranges
  // merged.
  std::vector<Range> ranges() const {
    std::lock_guard lock(mutex_);
    merge_locked();
    return ranges_;
  }

 private:
  static constexpr std::size_t kMinCompactAt = std::size_t{1} << 16;

  void merge_locked() const {
    std::sort(ranges_.begin(), ranges_.end(), [](const Range& a, const Range& b) { return a.start < b.start; });
    std::size_t out = 0;
    for (const Range& r : ranges_) {
      if (out > 0 && r.start <= ranges_[out - 1].end) {
        ranges_[out - 1].end = std::max(ranges_[out - 1].end, r.end);
      } else {
        ranges_[out++] = r;
      }
    }
    ranges_.resize(out);
  }

  mutable std::mutex mutex_;
  // Merging is invisible to callers, so ranges() stays const.
  mutable std::vector<Range> ranges_;
  std::size_t compact_at_ = kMinCompactAt;
};

}  // namespace drydock
