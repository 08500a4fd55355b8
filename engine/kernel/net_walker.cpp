#include "engine/kernel/net_walker.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <unordered_set>

#include <fmt/format.h>

#include "engine/kernel/list_walk.hpp"
#include "engine/kernel/kernel_layout.hpp"

namespace drydock {
namespace {

constexpr std::uint32_t kIffUp = 0x1;
constexpr std::uint32_t kIffLoopback = 0x8;
constexpr std::uint16_t kArphrdEther = 1;
constexpr std::uint16_t kArphrdLoopback = 772;
constexpr std::size_t kMaxAddrLen = 32;  // MAX_ADDR_LEN

std::string format_mac(const std::byte* bytes, std::size_t length) {
  std::string mac;
  for (std::size_t i = 0; i < length; ++i) {
    mac += fmt::format("{}{:02x}", i ? ":" : "", static_cast<unsigned>(bytes[i]));
  }
  return mac;
}

void read_ipv4(const KernelMemory& k, const NetLayout& l, const NetWalkOptions& o, NetInterface& dev,
               std::uint64_t in_device, std::vector<ExtractionIssue>& issues) {
  auto ifa = k.read_member<std::uint64_t>(in_device, l.in_ifa_list);
  std::unordered_set<std::uint64_t> seen;
  while (ifa && *ifa) {
    if (!seen.insert(*ifa).second || seen.size() > o.max_addresses) {
      issues.push_back({"net", fmt::format("{}: IPv4 address list loops or is too long", dev.name)});
      return;
    }
    auto local = k.read_member<std::uint32_t>(*ifa, l.ifa_local);
    auto prefix = k.read_member<std::uint8_t>(*ifa, l.ifa_prefixlen);
    if (!local || !prefix) {
      issues.push_back({"net", fmt::format("{}: in_ifaddr at {:#x} unreadable", dev.name, *ifa)});
      return;
    }
    std::array<char, INET_ADDRSTRLEN> text{};
    inet_ntop(AF_INET, &*local, text.data(), text.size());  // ifa_local is in network byte order
    dev.ipv4.push_back({text.data(), *prefix});
    ifa = k.read_member<std::uint64_t>(*ifa, l.ifa_next);
  }
}

void read_ipv6(const KernelMemory& k, const NetLayout& l, const NetWalkOptions& o, NetInterface& dev,
               std::uint64_t inet6_dev, std::vector<ExtractionIssue>& issues) {
  if (!l.in6_addr_list || !l.ifa6_if_list) return;
  auto problem = walk_list(k, inet6_dev + *l.in6_addr_list, o.max_addresses, [&](std::uint64_t node) {
    const std::uint64_t ifa = node - *l.ifa6_if_list;
    std::array<std::byte, 16> addr{};
    auto prefix = k.read_member<std::uint32_t>(ifa, l.ifa6_prefix);
    if (!l.ifa6_addr || !k.read(ifa + *l.ifa6_addr, addr) || !prefix) return true;
    std::array<char, INET6_ADDRSTRLEN> text{};
    inet_ntop(AF_INET6, addr.data(), text.data(), text.size());
    dev.ipv6.push_back({text.data(), static_cast<std::uint8_t>(std::min<std::uint32_t>(*prefix, 128))});
    return true;
  });
  if (problem) issues.push_back({"net", fmt::format("{}: IPv6 addresses: {}", dev.name, *problem)});
}

// A device's MAC: "" when it has none (addr_len 0), unknown when unreadable.
std::optional<std::string> device_mac(const KernelMemory& k, const NetLayout& l, std::uint64_t address) {
  const auto addr_len = k.read_member<std::uint8_t>(address, l.addr_len);
  if (!addr_len || !l.dev_addr) return std::nullopt;
  const std::size_t length = std::min<std::size_t>(*addr_len, kMaxAddrLen);
  if (length == 0) return "";
  std::uint64_t where = address + *l.dev_addr;
  if (l.dev_addr_is_pointer) where = k.read_pointer(where).value_or(0);
  std::array<std::byte, kMaxAddrLen> mac{};
  if (!where || !k.read(where, std::span(mac.data(), length))) return std::nullopt;
  return format_mac(mac.data(), length);
}

// A device's kind: its link type's name ("bridge", "veth") when it has link
// ops, else its hardware type, else "loopback" when its flags say so; unknown
// when what names it cannot be read.
std::optional<std::string> device_kind(const KernelMemory& k, const NetLayout& l, std::uint64_t address,
                                       std::optional<std::uint32_t> flags) {
  if (l.link_ops) {
    const auto ops = k.read_member<std::uint64_t>(address, l.link_ops);
    if (!ops) return std::nullopt;
    if (*ops) {
      const auto name = k.read_member<std::uint64_t>(*ops, l.link_ops_kind);
      if (!name || !*name) return std::nullopt;
      auto kind = k.read_string(*name, 32);
      if (!kind || kind->empty()) return std::nullopt;
      return kind;
    }
  }
  const auto type = k.read_member<std::uint16_t>(address, l.type);
  if (!type) return flags && (*flags & kIffLoopback) ? std::optional<std::string>("loopback") : std::nullopt;
  return *type == kArphrdLoopback ? "loopback" : *type == kArphrdEther ? "ether" : fmt::format("arphrd-{}", *type);
}

std::optional<NetInterface> read_device(const KernelMemory& k, const NetLayout& l, const NetWalkOptions& o,
                                        std::uint64_t address, std::uint64_t net, std::optional<std::uint64_t> ns_inode,
                                        std::vector<ExtractionIssue>& issues) {
  NetInterface dev;
  dev.address = address;
  dev.net_ns = ns_inode;
  dev.net_ns_address = net;
  std::array<std::byte, 16> name{};
  if (!l.name || !k.read(address + *l.name, name)) {
    issues.push_back({"net", fmt::format("net_device at {:#x}: name unreadable", address)});
    return std::nullopt;
  }
  const auto* c = reinterpret_cast<const char*>(name.data());
  dev.name.assign(c, std::find(c, c + name.size(), '\0'));
  dev.ifindex = k.read_member<std::int32_t>(address, l.ifindex);
  const auto flags = k.read_member<std::uint32_t>(address, l.flags);
  if (flags) dev.up = (*flags & kIffUp) != 0;
  // (A member the symbol table lacks is reported once, by the layout.)
  if ((l.ifindex && !dev.ifindex) || (l.flags && !dev.up)) {
    issues.push_back({"net", fmt::format("{} (net_device at {:#x}): ifindex or flags unreadable; unknown", dev.name,
                                         address)});
  }

  dev.mac = device_mac(k, l, address);
  if (!dev.mac && l.addr_len && l.dev_addr) {
    issues.push_back({"net", fmt::format("{} (net_device at {:#x}): hardware address unreadable; its MAC is unknown",
                                         dev.name, address)});
  }
  dev.kind = device_kind(k, l, address, flags);
  if (!dev.kind && l.type) {
    issues.push_back({"net", fmt::format("{} (net_device at {:#x}): link type or hardware type unreadable; its kind "
                                         "is unknown",
                                         dev.name, address)});
  }

  // The master (a bridge, for a bridge port) is the upper device marked master.
  if (l.adj_upper && l.adj_list && l.adj_dev && l.adj_master) {
    walk_list(k, address + *l.adj_upper, 64, [&](std::uint64_t node) {
      const std::uint64_t adjacent = node - *l.adj_list;
      if (!k.read_member<std::uint8_t>(adjacent, l.adj_master).value_or(0)) return true;
      if (auto upper = k.read_member<std::uint64_t>(adjacent, l.adj_dev); upper && *upper) {
        std::array<std::byte, 16> upper_name{};
        if (k.read(*upper + *l.name, upper_name)) {
          const auto* u = reinterpret_cast<const char*>(upper_name.data());
          dev.master = std::string(u, std::find(u, u + upper_name.size(), '\0'));
        }
      }
      return false;
    });
  }
  if (auto in = k.read_member<std::uint64_t>(address, l.ip_ptr); in && *in) read_ipv4(k, l, o, dev, *in, issues);
  if (auto in6 = k.read_member<std::uint64_t>(address, l.ip6_ptr); in6 && *in6) read_ipv6(k, l, o, dev, *in6, issues);
  return dev;
}

}  // namespace

NetWalkResult walk_network(const KernelMemory& k, const NetWalkOptions& o) {
  NetWalkResult result;
  const NetLayout& l = k.layout().net;
  for (std::string& issue : k.layout().missing_issues("net")) result.issues.push_back({"net", std::move(issue)});
  const auto head = k.symbol_address("net_namespace_list");
  if (!head || !l.net_list || !l.net_dev_base || !l.dev_list) {
    result.issues.push_back({"net", "symbol table lacks net_namespace_list or the net/net_device layout"});
    return result;
  }
  std::vector<std::uint64_t> namespaces;
  if (auto problem = walk_list(k, *head, o.max_namespaces, [&](std::uint64_t node) {
        namespaces.push_back(node - *l.net_list);
        return true;
      })) {
    result.issues.push_back({"net", "net_namespace_list: " + *problem});
  }
  for (std::uint64_t net : namespaces) {
    const std::optional<std::uint64_t> inode = k.read_member<std::uint32_t>(net, l.net_inum);
    if (!inode && l.net_inum) {  // (a member the symbol table lacks is reported once, by the layout)
      result.issues.push_back({"net", fmt::format("struct net at {:#x}: inode number unreadable; its interfaces' "
                                                  "net_ns is unknown",
                                                  net)});
    }
    // How the namespace is named in issues: its inode, or its address when that is unknown.
    const std::string ns_name = inode ? std::to_string(*inode) : fmt::format("at {:#x}", net);
    auto problem = walk_list(k, net + *l.net_dev_base, o.max_devices_per_ns, [&](std::uint64_t node) {
      if (auto dev = read_device(k, l, o, node - *l.dev_list, net, inode, result.issues)) {
        if (!k.budget().charge(footprint(*dev))) {
          result.issues.push_back({"net", fmt::format("net namespace {}: {}", ns_name, k.budget().exhausted_issue())});
          return false;
        }
        result.interfaces.push_back(std::move(*dev));
      }
      return true;
    });
    if (problem) result.issues.push_back({"net", fmt::format("devices of net namespace {}: {}", ns_name, *problem)});
  }
  std::stable_sort(result.interfaces.begin(), result.interfaces.end(), [](const NetInterface& a, const NetInterface& b) {
    return std::tie(a.net_ns, a.net_ns_address, a.ifindex) < std::tie(b.net_ns, b.net_ns_address, b.ifindex);
  });
  return result;
}

}  // namespace drydock
