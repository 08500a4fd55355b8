#pragma once
// One open socket as a task's file table holds it, the way `ss -tuanp`
// shows it: a plain value, referring to its task by pid and fd.

#include <cstdint>
#include <optional>
#include <string>

namespace drydock {

struct Socket {
  std::int32_t pid = 0;  // the task whose file table holds it (thread group leader)
  std::int32_t fd = 0;
  std::string comm;
  std::uint64_t address = 0;            // its struct sock
  std::optional<std::uint64_t> net_ns;  // inode of its network namespace (sock_common.skc_net)
  std::string family;                   // "ipv4", "ipv6", "unix"
  // "tcp", "udp", "udplite", "raw", "icmp" (ping sockets), "mptcp", "unix";
  // nullopt when the sock's proto is unreadable or unknown.
  std::optional<std::string> protocol;
  std::optional<std::string> type;   // "stream", "dgram", "raw", "seqpacket" (socket.type)
  // As ss names it: "ESTAB", "LISTEN", "UNCONN", "SYN-SENT", "TIME-WAIT", ...
  std::optional<std::string> state;
  // Addresses as text ("0.0.0.0", "::", "127.0.0.1", a unix path, "@abstract");
  // a unix socket with no name has local "" and no remote.
  std::optional<std::string> local, remote;
  std::optional<std::uint16_t> local_port, remote_port;  // inet only (raw: the IP protocol number)
  std::optional<std::string> container_id;                // of its task
};

}  // namespace drydock
