#include "engine/containers/record_drift.hpp"

#include <algorithm>

#include "engine/kernel/file_walker.hpp"
#include "engine/model/capabilities.hpp"

namespace drydock {
namespace {

constexpr std::uint64_t kEveryCapability = ~std::uint64_t{0};

bool has_all(const std::vector<std::string>& names) {
  return std::any_of(names.begin(), names.end(), [](const std::string& n) { return n == "ALL" || n == "all"; });
}

// The mask of `names` ("ALL" aside), or nullopt if one is not a capability.
std::optional<std::uint64_t> mask_of(const std::vector<std::string>& names) {
  std::uint64_t mask = 0;
  for (const std::string& name : names) {
    if (name == "ALL" || name == "all") continue;
    const auto bit = capability_bit(name);
    if (!bit) return std::nullopt;
    mask |= std::uint64_t{1} << *bit;
  }
  return mask;
}

}  // namespace

std::optional<std::uint64_t> declared_capability_set(const Container& c) {
  if (!c.record) return std::nullopt;
  const EngineRecord& r = *c.record;
  if (r.privileged == true) return kEveryCapability;
  if (r.capabilities) return mask_of(*r.capabilities);
  if (c.runtime != "docker" || r.privileged != false || !r.cap_add || !r.cap_drop) return std::nullopt;
  const auto add = mask_of(*r.cap_add), drop = mask_of(*r.cap_drop);
  if (!add || !drop) return std::nullopt;
  if (has_all(*r.cap_add)) return kEveryCapability;
  const std::uint64_t base = has_all(*r.cap_drop) ? 0 : kDockerDefaultCapabilities & ~*drop;
  return base | *add;
}

std::optional<std::uint64_t> capabilities_beyond_record(const Container& c) {
  const auto declared = declared_capability_set(c);
  if (!declared || !c.caps_effective || !c.caps_bounding) return std::nullopt;
  return (*c.caps_effective | *c.caps_bounding) & ~*declared;
}

std::optional<bool> mount_declared(const Container& c, const ContainerMount& m) {
  if (!c.record || !c.record->mounts) return std::nullopt;
  // docker run --init binds the engine's docker-init here; files from the
  // engine's own directory of this container (secrets, configs, shm) are its own.
  if (c.runtime == "docker" && m.destination == "/sbin/docker-init") return true;
  if (!c.id.empty() && m.source.find(c.id) != std::string::npos) return true;
  const bool declared = std::any_of(c.record->mounts->begin(), c.record->mounts->end(), [&](const DeclaredMount& d) {
    return (!d.destination.empty() && d.destination != "/" && path_within(m.destination, d.destination)) ||
           (!d.source.empty() && d.source == m.source);
  });
  // Docker keeps --tmpfs mounts in hostconfig.json's Tmpfs, not among the
  // mounts drydock reads: an unlisted tmpfs is not known to be undeclared.
  if (!declared && c.runtime == "docker" && m.fstype == "tmpfs") return std::nullopt;
  return declared;
}

std::optional<std::vector<std::string>> undeclared_mounts(const Container& c) {
  if (!c.record || !c.record->mounts) return std::nullopt;
  std::vector<std::string> out;
  for (const ContainerMount& m : c.mounts) {
    if (mount_declared(c, m) == false) {
      const char* access = !m.read_only ? " (access unknown)" : *m.read_only ? " (ro)" : " (rw)";
      out.push_back(m.source + " on " + m.destination + access);
    }
  }
  return out;
}

}  // namespace drydock
