#pragma once
// IP addresses and networks as rules see them: "172.17.0.2", "172.17.0.2/16"
// (an interface address: the address with its prefix), "172.17.0.0/16" (a
// network: no host bits set), and the IPv6 forms of each. An IPv4-mapped
// IPv6 address ("::ffff:10.0.0.1", a dual-stack socket's IPv4 peer) is read
// as the IPv4 address. Pure functions.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace drydock::rules {

struct IpPrefix {
  bool v6 = false;
  std::array<std::uint8_t, 16> bytes{};  // IPv4 uses the first 4
  int prefix = 0;                        // bits that name the network (32/128 for one address)
  int bits() const { return v6 ? 128 : 32; }
};

// An address ("a.b.c.d", "a.b.c.d/len" with host bits: the single address)
// or a network ("a.b.c.d/len" without host bits: the whole network).
// Nullopt when the text is neither (including "").
std::optional<IpPrefix> parse_ip(std::string_view text);

// A network as written in `cidr(ip, "10.0.0.0/8")`: "a.b.c.d/len" or a bare
// address (a /32 or /128); host bits are ignored.
std::optional<IpPrefix> parse_network(std::string_view text);

// True when every address of `inner` lies in `outer` (same family).
bool ip_inside(const IpPrefix& inner, const IpPrefix& outer);

// The same address, or the same network (same family, prefix and network bits).
bool ip_equal(const IpPrefix& a, const IpPrefix& b);

// "10.0.0.1", "10.0.0.0/8", "fd00::/8": the canonical text.
std::string ip_to_string(const IpPrefix& ip);

// RFC 1918 and RFC 4193 (fc00::/7) space.
bool ip_is_private(const IpPrefix& ip);
// 127.0.0.0/8 and ::1.
bool ip_is_loopback(const IpPrefix& ip);

}  // namespace drydock::rules
