#pragma once
// Append-only storage for many small strings. Views returned by store() stay
// valid for the arena's lifetime (blocks never move). Not thread-safe while
// being filled; read-only use afterwards is.

#include <cstddef>
#include <cstring>
#include <memory>
#include <string_view>
#include <vector>

namespace drydock {

class StringArena {
 public:
  std::string_view store(std::string_view text) {
    if (text.empty()) return {};
    if (text.size() > kBlockSize / 4) {
      // A rare long string gets an allocation of its own, so blocks are not wasted.
      large_.push_back(std::make_unique<char[]>(text.size()));
      bytes_ += text.size();
      std::memcpy(large_.back().get(), text.data(), text.size());
      return {large_.back().get(), text.size()};
    }
    if (blocks_.empty() || used_ + text.size() > kBlockSize) {
      blocks_.push_back(std::make_unique<char[]>(kBlockSize));
      bytes_ += kBlockSize;
      used_ = 0;
    }
    char* at = blocks_.back().get() + used_;
    std::memcpy(at, text.data(), text.size());
    used_ += text.size();
    return {at, text.size()};
  }

  std::size_t memory_bytes() const { return bytes_ + (blocks_.capacity() + large_.capacity()) * sizeof(blocks_[0]);
  }

 private:
  static constexpr std::size_t kBlockSize = 256 * 1024;
  std::vector<std::unique_ptr<char[]>> blocks_;
  std::vector<std::unique_ptr<char[]>> large_;
  std::size_t used_ = 0;   // bytes used in blocks_.back()
  std::size_t bytes_ = 0;  // bytes allocated in all blocks
};

}  // namespace drydock
