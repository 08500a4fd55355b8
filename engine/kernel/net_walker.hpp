#pragma once
// Rebuilds the network devices of every network namespace
// (net_namespace_list → net.dev_base_head → net_device.dev_list): name,
// ifindex, MAC, up state, kind, bridge master, IPv4 (in_device.ifa_list) and
// IPv6 (inet6_dev.addr_list) addresses with prefix lengths.
// Variants by ISF member presence: dev_addr as a pointer (5.17+) or an inline
// array; namespace inode in ns.inum or proc_inum.

#include <vector>

#include "engine/kernel/kernel_memory.hpp"
#include "engine/model/dump_model.hpp"

namespace drydock {

struct NetWalkOptions {
  std::size_t max_namespaces = 1u << 14;
  std::size_t max_devices_per_ns = 1u << 14;
  std::size_t max_addresses = 1024;  // per device and family
};

struct NetWalkResult {
  std::vector<NetInterface> interfaces;  // sorted by (net_ns, ifindex)
  std::vector<ExtractionIssue> issues;
};

NetWalkResult walk_network(const KernelMemory& kernel, const NetWalkOptions& options = {});

}  // namespace drydock
