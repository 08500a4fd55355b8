#pragma once
// One network device of one network namespace.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace drydock {

struct IpAddress {
  std::string address;      // "172.17.0.2" or "fe80::42:acff:fe11:2"
  std::uint8_t prefix = 0;  // prefix length
};

struct NetInterface {
  std::uint64_t address = 0;  // kernel virtual address of struct net_device
  std::optional<std::uint64_t> net_ns;  // inode of its network namespace, as read; nullopt when unreadable
  std::uint64_t net_ns_address = 0;     // its struct net: identifies the namespace

  // The namespace's identity, as NamespaceSet::net_key() gives it (0: unknown).
  std::uint64_t net_ns_key() const { return net_ns_address ? net_ns_address : net_ns.value_or(0); }
  std::string name;
  std::optional<std::int32_t> ifindex;  // nullopt when unreadable
  std::optional<std::string> mac;  // "02:42:ac:11:00:02", "" when it has none; nullopt when unreadable
  std::optional<bool> up;     // IFF_UP in net_device.flags; nullopt when unreadable
  std::optional<std::string> kind;  // "bridge", "veth", "loopback", "ether", ...; nullopt when unreadable
  std::optional<std::string> master;  // name of the bridge it is a port of
  std::vector<IpAddress> ipv4;
  std::vector<IpAddress> ipv6;
};

}  // namespace drydock
