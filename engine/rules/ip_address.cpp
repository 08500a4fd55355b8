#include "engine/rules/ip_address.hpp"

#include <arpa/inet.h>

#include <string>

namespace drydock::rules {

namespace {

// "addr" or "addr/len" with the prefix kept as written (-1 when absent).
std::optional<IpPrefix> parse_parts(std::string_view text) {
  if (text.empty() || text.size() > 64) return std::nullopt;
  const auto slash = text.find('/');
  const std::string address(text.substr(0, slash));
  IpPrefix out;
  if (inet_pton(AF_INET, address.c_str(), out.bytes.data()) == 1) {
    out.v6 = false;
  } else if (inet_pton(AF_INET6, address.c_str(), out.bytes.data()) == 1) {
    out.v6 = true;
  } else {
    return std::nullopt;
  }
  out.prefix = -1;
  if (slash != std::string_view::npos) {
    const std::string_view len = text.substr(slash + 1);
    if (len.empty() || len.size() > 3) return std::nullopt;
    int value = 0;
    for (char c : len) {
      if (c < '0' || c > '9') return std::nullopt;
      value = value * 10 + (c - '0');
    }
    if (value > out.bits()) return std::nullopt;
    out.prefix = value;
  }
  return out;
}

bool bit(const IpPrefix& ip, int i) { return (ip.bytes[static_cast<std::size_t>(i / 8)] >> (7 - i % 8) & 1) != 0; }

bool has_host_bits(const IpPrefix& ip, int prefix) {
  for (int i = prefix; i < ip.bits(); ++i) {
    if (bit(ip, i)) return true;
  }
  return false;
}

// "::ffff:a.b.c.d" (an IPv4 peer of a dual-stack socket) is the IPv4
// address a.b.c.d, so it compares, nests and classifies as one.
IpPrefix unmap(IpPrefix ip) {
  if (!ip.v6 || ip.prefix < 96) return ip;
  for (std::size_t i = 0; i < 10; ++i) {
    if (ip.bytes[i] != 0) return ip;
  }
  if (ip.bytes[10] != 0xff || ip.bytes[11] != 0xff) return ip;
  IpPrefix v4;
  v4.v6 = false;
  for (std::size_t i = 0; i < 4; ++i) v4.bytes[i] = ip.bytes[12 + i];
  v4.prefix = ip.prefix - 96;
  return v4;
}

bool in_range(const IpPrefix& ip, std::string_view network) {
  auto net = parse_network(network);
  return net && ip_inside(ip, *net);
}

}  // namespace

std::optional<IpPrefix> parse_ip(std::string_view text) {
  auto out = parse_parts(text);
  if (!out) return std::nullopt;
  if (out->prefix < 0 || has_host_bits(*out, out->prefix)) out->prefix = out->bits();
  return unmap(*out);
}

std::optional<IpPrefix> parse_network(std::string_view text) {
  auto out = parse_parts(text);
  if (!out) return std::nullopt;
  if (out->prefix < 0) out->prefix = out->bits();
  return unmap(*out);
}

bool ip_inside(const IpPrefix& inner, const IpPrefix& outer) {
  if (inner.v6 != outer.v6 || inner.prefix < outer.prefix) return false;
  for (int i = 0; i < outer.prefix; ++i) {
    if (bit(inner, i) != bit(outer, i)) return false;
  }
  return true;
}

bool ip_equal(const IpPrefix& a, const IpPrefix& b) {
  return a.v6 == b.v6 && a.prefix == b.prefix && ip_inside(a, b);
}

std::string ip_to_string(const IpPrefix& ip) {
  char text[INET6_ADDRSTRLEN] = {};
  inet_ntop(ip.v6 ? AF_INET6 : AF_INET, ip.bytes.data(), text, sizeof text);
  std::string out(text);
  if (ip.prefix != ip.bits()) out += "/" + std::to_string(ip.prefix);
  return out;
}

bool ip_is_private(const IpPrefix& ip) {
  if (ip.v6) return in_range(ip, "fc00::/7");
  return in_range(ip, "10.0.0.0/8") || in_range(ip, "172.16.0.0/12") || in_range(ip, "192.168.0.0/16");
}

bool ip_is_loopback(const IpPrefix& ip) {
  if (ip.v6) return in_range(ip, "::1/128");
  return in_range(ip, "127.0.0.0/8");
}

}  // namespace drydock::rules
