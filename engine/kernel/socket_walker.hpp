#pragma once
// Every TCP, UDP, UNIX and raw socket reachable from a task's file table:
// task_struct.files -> files_struct.fdt -> fdtable.fd[] -> struct file; a
// file is a socket when its f_op is socket_file_ops, and then its
// private_data is the struct socket (whose `file` must point back). The
// socket's sock starts with a sock_common: family, state, addresses, ports
// and network namespace; the protocol is told by the name of its struct
// proto ("TCP", "UDPv6", "RAW", "UNIX-STREAM"), which every kernel keeps.
// Netlink, packet and other families are left out, as `ss -tuwx` does.
//
// Bounds: max_fds_per_task descriptors per task (a larger table is cut and
// the cut recorded), max_sockets in the result; every unreadable table or
// socket is an issue and the walk goes on. Tasks sharing one files_struct
// (threads) are walked once, under the first.
//
// Thread safety: a pure function of the kernel memory and the tasks; walks
// tasks in parallel (oneTBB) and returns sockets sorted by (pid, fd).

#include <cstdint>
#include <vector>

#include "engine/kernel/kernel_memory.hpp"
#include "engine/model/dump_model.hpp"

namespace drydock {

struct SocketWalkOptions {
  std::size_t max_fds_per_task = 1u << 20;
  std::size_t max_sockets = 1u << 20;
};

struct SocketWalkResult {
  std::vector<Socket> sockets;
  std::vector<ExtractionIssue> issues;
};

SocketWalkResult walk_sockets(const KernelMemory& kernel, const std::vector<Task>& tasks,
                              const SocketWalkOptions& options = {});

// Decoders, pure functions (tested on literal values).
// The state name ss gives sock_common.skc_state (TCP_* numbering), nullopt past TCP_NEW_SYN_RECV.
std::optional<std::string> socket_state_name(std::uint8_t state);
// The protocol of a struct proto's name ("TCPv6" -> "tcp"), nullopt for one drydock does not list.
std::optional<std::string> protocol_of_proto_name(std::string_view name);
// An IPv4 address from its network-order bytes, an IPv6 one from its 16 bytes (RFC 5952 text).
std::string ipv4_text(std::uint32_t network_order);
std::string ipv6_text(const std::array<std::uint8_t, 16>& bytes);

}  // namespace drydock
