#include "engine/model/footprint.hpp"

#include <string>
#include <vector>

namespace drydock {
namespace {

std::size_t heap(const std::string& s) { return s.capacity() + 1; }

std::size_t heap(const std::vector<std::string>& strings) {
  std::size_t bytes = strings.capacity() * sizeof(std::string);
  for (const std::string& s : strings) bytes += heap(s);
  return bytes;
}

std::size_t heap(const std::vector<IpAddress>& addresses) {
  std::size_t bytes = addresses.capacity() * sizeof(IpAddress);
  for (const IpAddress& a : addresses) bytes += heap(a.address);
  return bytes;
}

}  // namespace

std::size_t footprint(const Task& t) {
  // The container id is counted whether set or not: the container detector
  // sets it after the walk has charged the task.
  constexpr std::size_t kContainerId = 96;
  return sizeof(Task) + heap(t.comm) + (t.cmdline ? heap(*t.cmdline) : 0) + (t.hostname ? heap(*t.hostname) : 0) +
         (t.state ? heap(*t.state) : 0) + heap(t.cgroups) + (t.exe ? heap(*t.exe) : 0) + kContainerId;
}

std::size_t footprint(const Mount& m) {
  std::size_t bytes = sizeof(Mount) + heap(m.devname) + heap(m.fstype) + heap(m.path) + heap(m.root) +
                      (m.absolute_path ? heap(*m.absolute_path) : 0) + (m.flags ? heap(*m.flags) : 0) +
                      m.options.capacity() * sizeof(m.options[0]);
  for (const auto& [key, value] : m.options) bytes += heap(key) + heap(value);
  return bytes;
}

std::size_t footprint(const NetInterface& n) {
  return sizeof(NetInterface) + heap(n.name) + (n.mac ? heap(*n.mac) : 0) + (n.kind ? heap(*n.kind) : 0) + (n.master ? heap(*n.master) : 0) +
         heap(n.ipv4) + heap(n.ipv6);
}

std::size_t footprint(const CachedFile& f) { return sizeof(CachedFile) + heap(f.path) + heap(f.mode_string); }

}  // namespace drydock
