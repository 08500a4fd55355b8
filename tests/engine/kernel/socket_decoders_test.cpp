// The pure decoders of the socket walker: state names as ss prints them,
// protocols from struct proto names, and address text.

#include <catch2/catch.hpp>

#include "engine/kernel/socket_walker.hpp"

using namespace drydock;

TEST_CASE("socket states are named as ss names them, and no name is made up for others", "[sockets]") {
  CHECK(socket_state_name(1) == "ESTAB");
  CHECK(socket_state_name(7) == "UNCONN");  // TCP_CLOSE: an unconnected UDP or unix socket
  CHECK(socket_state_name(10) == "LISTEN");
  CHECK(socket_state_name(6) == "TIME-WAIT");
  CHECK(socket_state_name(12) == "SYN-RECV");  // TCP_NEW_SYN_RECV
  CHECK_FALSE(socket_state_name(0));
  CHECK_FALSE(socket_state_name(13));
  CHECK_FALSE(socket_state_name(255));
}

TEST_CASE("the protocol is told by the name of the sock's struct proto", "[sockets]") {
  CHECK(protocol_of_proto_name("TCP") == "tcp");
  CHECK(protocol_of_proto_name("TCPv6") == "tcp");
  CHECK(protocol_of_proto_name("UDPv6") == "udp");
  CHECK(protocol_of_proto_name("RAW") == "raw");
  CHECK(protocol_of_proto_name("PINGv6") == "icmp");
  CHECK(protocol_of_proto_name("UNIX-STREAM") == "unix");
  CHECK_FALSE(protocol_of_proto_name("NETLINK"));
  CHECK_FALSE(protocol_of_proto_name("tcp"));
  CHECK_FALSE(protocol_of_proto_name(""));
}

TEST_CASE("addresses are printed from their network-order bytes", "[sockets]") {
  // 127.0.0.1 in network order, as a little-endian u32 read from memory.
  CHECK(ipv4_text(0x0100007fu) == "127.0.0.1");
  CHECK(ipv4_text(0) == "0.0.0.0");
  std::array<std::uint8_t, 16> any{};
  CHECK(ipv6_text(any) == "::");
  std::array<std::uint8_t, 16> mapped{0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 172, 17, 0, 2};
  CHECK(ipv6_text(mapped) == "::ffff:172.17.0.2");
  std::array<std::uint8_t, 16> link{0xfe, 0x80, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1};
  CHECK(ipv6_text(link) == "fe80::1");
}
