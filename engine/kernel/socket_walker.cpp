#include "engine/kernel/socket_walker.hpp"

#include <algorithm>
#include <array>
#include <cstring>
#include <unordered_set>

#include <arpa/inet.h>
#include <fmt/format.h>
#include <tbb/parallel_for.h>

#include "engine/kernel/kernel_layout.hpp"

namespace drydock {
namespace {

constexpr std::uint16_t kAfUnix = 1, kAfInet = 2, kAfInet6 = 10;
constexpr std::size_t kFdChunk = 512;
constexpr std::size_t kProtoNameBytes = 32;
constexpr std::size_t kUnixPathBytes = 108;  // sizeof(sun_path)

struct TaskSockets {
  std::vector<Socket> sockets;
  std::vector<std::string> problems;
};

std::optional<std::string> socket_type_name(std::int16_t type) {
  switch (type) {
    case 1: return "stream";
    case 2: return "dgram";
    case 3: return "raw";
    case 5: return "seqpacket";
    default: return std::nullopt;
  }
}

// A unix socket's bound name: a path, "@name" for the abstract namespace,
// "" when unbound. nullopt when unreadable.
std::optional<std::string> unix_name(const KernelMemory& k, const SocketLayout& l, std::uint64_t sk) {
  auto addr = k.read_member<std::uint64_t>(sk, l.unix_addr);
  if (!addr) return std::nullopt;
  if (*addr == 0) return std::string();
  auto len = k.read_member<std::int32_t>(*addr, l.unix_address_len);
  if (!len || !l.unix_address_name) return std::nullopt;
  // len counts sun_family (2 bytes) and the path.
  const std::size_t path_len = std::clamp<std::int32_t>(*len - 2, 0, static_cast<std::int32_t>(kUnixPathBytes));
  std::string path(path_len, '\0');
  if (path_len && !k.read(*addr + *l.unix_address_name + 2, std::as_writable_bytes(std::span(path.data(), path_len)))) {
    return std::nullopt;
  }
  if (!path.empty() && path[0] == '\0') return "@" + path.substr(1);
  if (auto nul = path.find('\0'); nul != std::string::npos) path.resize(nul);
  return path;
}

// Fills family, addresses, ports, state and protocol from the sock; false
// when the sock is not one drydock lists (another family).
bool read_sock(const KernelMemory& k, const KernelLayout& layout, std::uint64_t sk, Socket& s,
               std::vector<std::string>& problems) {
  const SocketLayout& l = layout.socket;
  auto family = k.read_member<std::uint16_t>(sk, l.family);
  if (!family) {
    problems.push_back(fmt::format("task {} fd {}: sock {:#x} unreadable", s.pid, s.fd, sk));
    return false;
  }
  if (*family != kAfUnix && *family != kAfInet && *family != kAfInet6) return false;
  s.family = *family == kAfUnix ? "unix" : *family == kAfInet ? "ipv4" : "ipv6";
  if (auto net = k.read_member<std::uint64_t>(sk, l.net); net && *net) {
    s.net_ns = k.read_member<std::uint32_t>(*net, layout.ns.inum_net);
  }
  if (auto prot = k.read_member<std::uint64_t>(sk, l.prot); prot && *prot && l.proto_name) {
    if (auto name = k.read_string(*prot + *l.proto_name, kProtoNameBytes)) s.protocol = protocol_of_proto_name(*name);
  }
  if (auto state = k.read_member<std::uint8_t>(sk, l.state)) s.state = socket_state_name(*state);
  if (*family == kAfUnix) {
    s.protocol = "unix";
    s.local = unix_name(k, layout.socket, sk);
  } else if (*family == kAfInet) {
    if (auto a = k.read_member<std::uint32_t>(sk, l.rcv_saddr)) s.local = ipv4_text(*a);
    if (auto a = k.read_member<std::uint32_t>(sk, l.daddr)) s.remote = ipv4_text(*a);
  } else {
    std::array<std::uint8_t, 16> bytes{};
    if (l.v6_rcv_saddr && k.read(sk + *l.v6_rcv_saddr, std::as_writable_bytes(std::span(bytes)))) {
      s.local = ipv6_text(bytes);
    }
    if (l.v6_daddr && k.read(sk + *l.v6_daddr, std::as_writable_bytes(std::span(bytes)))) s.remote = ipv6_text(bytes);
  }
  if (*family != kAfUnix) {
    s.local_port = k.read_member<std::uint16_t>(sk, l.num);  // host order
    if (auto dport = k.read_member<std::uint16_t>(sk, l.dport)) s.remote_port = ntohs(*dport);
  }
  if (!s.state || !s.protocol || !s.local || !s.net_ns) {
    problems.push_back(fmt::format("task {} fd {}: sock {:#x} partly unreadable (state, protocol, address or "
                                   "namespace unknown)",
                                   s.pid, s.fd, sk));
  }
  return true;
}

TaskSockets task_sockets(const KernelMemory& k, const Task& task, std::uint64_t fdt, std::uint64_t socket_ops,
                         const SocketWalkOptions& options) {
  const KernelLayout& layout = k.layout();
  const OpenFileLayout& f = layout.file;
  const SocketLayout& l = layout.socket;
  TaskSockets out;
  auto max_fds = k.read_member<std::uint32_t>(fdt, f.fdt_max_fds);
  auto fd_array = k.read_member<std::uint64_t>(fdt, f.fdt_fd);
  if (!max_fds || !fd_array || !*fd_array) {
    out.problems.push_back(fmt::format("task {}: fdtable {:#x} unreadable; its sockets are unknown", task.pid, fdt));
    return out;
  }
  std::size_t count = *max_fds;
  if (count > options.max_fds_per_task) {
    out.problems.push_back(fmt::format("task {}: fdtable {:#x} has {} slots; only the first {} were read", task.pid,
                                       fdt, count, options.max_fds_per_task));
    count = options.max_fds_per_task;
  }
  std::vector<std::uint64_t> files(kFdChunk);
  for (std::size_t first = 0; first < count; first += kFdChunk) {
    const std::size_t n = std::min(kFdChunk, count - first);
    if (!k.read(*fd_array + first * 8, std::as_writable_bytes(std::span(files.data(), n)))) {
      out.problems.push_back(fmt::format("task {}: fd array {:#x} unreadable from fd {}; its sockets from there are "
                                         "unknown",
                                         task.pid, *fd_array, first));
      break;
    }
    for (std::size_t i = 0; i < n; ++i) {
      const std::uint64_t file = files[i];
      if (file == 0) continue;
      const auto fd = static_cast<std::int32_t>(first + i);
      auto ops = k.read_member<std::uint64_t>(file, f.f_op);
      if (!ops) {
        out.problems.push_back(fmt::format("task {} fd {}: file {:#x} unreadable", task.pid, fd, file));
        continue;
      }
      if (*ops != socket_ops) continue;
      auto socket = k.read_member<std::uint64_t>(file, f.private_data);
      auto back = socket && *socket ? k.read_member<std::uint64_t>(*socket, l.socket_file) : std::nullopt;
      auto sk = socket && *socket ? k.read_member<std::uint64_t>(*socket, l.socket_sk) : std::nullopt;
      if (!back || *back != file || !sk || !*sk) {
        out.problems.push_back(fmt::format("task {} fd {}: socket of file {:#x} unreadable or not pointing back",
                                           task.pid, fd, file));
        continue;
      }
      Socket s;
      s.pid = task.pid;
      s.fd = fd;
      s.comm = task.comm;
      s.address = *sk;
      s.container_id = task.container_id;
      if (auto type = k.read_member<std::int16_t>(*socket, l.socket_type)) s.type = socket_type_name(*type);
      if (read_sock(k, layout, *sk, s, out.problems)) out.sockets.push_back(std::move(s));
    }
  }
  return out;
}

}  // namespace

std::optional<std::string> socket_state_name(std::uint8_t state) {
  static constexpr const char* kNames[] = {nullptr,      "ESTAB",      "SYN-SENT", "SYN-RECV",
                                           "FIN-WAIT-1", "FIN-WAIT-2", "TIME-WAIT", "UNCONN",
                                           "CLOSE-WAIT", "LAST-ACK",   "LISTEN",    "CLOSING",
                                           "SYN-RECV"};  // 12: TCP_NEW_SYN_RECV
  if (state == 0 || state >= std::size(kNames)) return std::nullopt;
  return kNames[state];
}

std::optional<std::string> protocol_of_proto_name(std::string_view name) {
  static constexpr std::pair<std::string_view, std::string_view> kNames[] = {
      {"TCP", "tcp"},     {"TCPv6", "tcp"},     {"UDP", "udp"},     {"UDPv6", "udp"},
      {"UDP-Lite", "udplite"}, {"UDPLITEv6", "udplite"}, {"RAW", "raw"}, {"RAWv6", "raw"},
      {"PING", "icmp"},   {"PINGv6", "icmp"},   {"MPTCP", "mptcp"}, {"MPTCPv6", "mptcp"},
      {"UNIX", "unix"},   {"UNIX-STREAM", "unix"}, {"SCTP", "sctp"}, {"SCTPv6", "sctp"}};
  for (auto [proto, protocol] : kNames) {
    if (name == proto) return std::string(protocol);
  }
  return std::nullopt;
}

std::string ipv4_text(std::uint32_t network_order) {
  std::array<std::uint8_t, 4> b{};
  std::memcpy(b.data(), &network_order, 4);
  return fmt::format("{}.{}.{}.{}", b[0], b[1], b[2], b[3]);
}

std::string ipv6_text(const std::array<std::uint8_t, 16>& bytes) {
  std::array<char, INET6_ADDRSTRLEN> text{};
  if (!inet_ntop(AF_INET6, bytes.data(), text.data(), text.size())) return {};
  return text.data();
}

SocketWalkResult walk_sockets(const KernelMemory& kernel, const std::vector<Task>& tasks,
                              const SocketWalkOptions& options) {
  SocketWalkResult result;
  const KernelLayout& layout = kernel.layout();
  for (std::string& issue : layout.missing_issues("sockets")) result.issues.push_back({"sockets", std::move(issue)});
  const auto socket_ops = kernel.symbol_address("socket_file_ops");
  if (!socket_ops || !layout.file.task_files || !layout.file.fdt_fd || !layout.file.f_op) {
    result.issues.push_back({"sockets", "symbol table lacks socket_file_ops or the file table members; sockets are "
                                        "unknown"});
    return result;
  }
  // One walk per files_struct: threads (and CLONE_FILES children) share it.
  std::vector<std::pair<const Task*, std::uint64_t>> tables;
  std::unordered_set<std::uint64_t> seen;
  for (const Task& t : tasks) {
    if (t.kernel_thread == true) continue;  // unknown: its file table is read (a kernel thread has none)
    auto files = kernel.read_member<std::uint64_t>(t.address, layout.file.task_files);
    if (!files) {
      result.issues.push_back({"sockets", fmt::format("task {}: files pointer unreadable", t.pid)});
      continue;
    }
    if (*files == 0 || !seen.insert(*files).second) continue;
    auto fdt = kernel.read_member<std::uint64_t>(*files, layout.file.files_fdt);
    if (!fdt || !*fdt) {
      result.issues.push_back({"sockets", fmt::format("task {}: files_struct {:#x} unreadable", t.pid, *files)});
      continue;
    }
    tables.emplace_back(&t, *fdt);
  }
  std::vector<TaskSockets> found(tables.size());
  tbb::parallel_for(std::size_t{0}, tables.size(), [&](std::size_t i) {
    found[i] = task_sockets(kernel, *tables[i].first, tables[i].second, *socket_ops, options);
  });
  for (TaskSockets& f : found) {
    for (std::string& p : f.problems) result.issues.push_back({"sockets", std::move(p)});
    for (Socket& s : f.sockets) {
      if (result.sockets.size() >= options.max_sockets) {
        result.issues.push_back({"sockets", fmt::format("more than {} sockets; the rest were left out",
                                                        options.max_sockets)});
        break;
      }
      result.sockets.push_back(std::move(s));
    }
  }
  std::stable_sort(result.sockets.begin(), result.sockets.end(),
                   [](const Socket& a, const Socket& b) { return std::tie(a.pid, a.fd) < std::tie(b.pid, b.fd); });
  return result;
}

}  // namespace drydock
