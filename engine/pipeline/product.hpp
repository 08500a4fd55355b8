#pragma once
// What an extraction pass produces, and sets of them: a command asks the
// pipeline (pipeline.hpp) for the products it prints, and the pipeline runs
// the passes that make them and what those need.
//
// Plain values, constexpr, no state.

#include <cstdint>
#include <initializer_list>
#include <string_view>

namespace drydock {

enum class Product : std::uint8_t {
  tasks,       // DumpModel::tasks (with host_ns and the boot time)
  mounts,      // DumpModel::mounts: every mount namespace the tasks use
  network,     // DumpModel::interfaces
  containers,  // DumpModel::containers and engine, and each task's container_id
  records,     // the engines' records attached to the containers (names, images, labels, env)
  pods,        // DumpModel::pods: Kubernetes pods from cgroup paths and, when read, the records
  sockets,     // DumpModel::sockets
  views,       // the mounts as each chosen PID sees them (ExtractionContext::views)
  files,       // the files cached under those views (ExtractionContext::files)
  changes,     // each container's overlay upper directory (Container::changes)
  creators,    // Container::possible_creators: who may have made it through an engine socket
};

inline constexpr std::size_t kProductCount = 11;

// "tasks", "mounts", ... (what -v and the README call them).
std::string_view product_name(Product product);

class ProductSet {
 public:
  constexpr ProductSet() = default;
  constexpr ProductSet(std::initializer_list<Product> products) {
    for (Product p : products) add(p);
  }

  constexpr void add(Product p) { bits_ |= bit(p); }
  constexpr bool contains(Product p) const { return (bits_ & bit(p)) != 0; }
  constexpr bool contains(ProductSet other) const { return (bits_ & other.bits_) == other.bits_; }
  constexpr bool empty() const { return bits_ == 0; }
  constexpr ProductSet operator|(ProductSet other) const { return from_bits(bits_ | other.bits_); }
  constexpr bool operator==(const ProductSet&) const = default;

 private:
  static constexpr std::uint32_t bit(Product p) { return std::uint32_t{1} << static_cast<unsigned>(p); }
  static constexpr ProductSet from_bits(std::uint32_t bits) {
    ProductSet s;
    s.bits_ = bits;
    return s;
  }
  std::uint32_t bits_ = 0;
};

}  // namespace drydock
