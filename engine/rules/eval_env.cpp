#include "engine/rules/detail/eval_env.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <tuple>

#include "engine/rules/ip_address.hpp"
#include "engine/rules/schema.hpp"

namespace drydock::rules::detail {

namespace {

// "a.b.c.d/len": an IPv4 segment as the model names it.
std::optional<IpPrefix> parse_ipv4_net(std::string_view text) {
  auto net = text.find('/') == std::string_view::npos ? std::nullopt : parse_network(text);
  if (!net || net->v6) return std::nullopt;
  return net;
}

bool shares_host_network(const Container& c, const NamespaceSet& host_ns) {
  if (std::find(c.host_namespaces.begin(), c.host_namespaces.end(), "net") != c.host_namespaces.end()) return true;
  return c.ns.net_key() != 0 && c.ns.net_key() == host_ns.net_key();
}

}  // namespace

EvalEnv::EvalEnv(const DumpModel& m) : model(m) {
  host = Obj{ObjectKind::host, 0, &model};
  hosts.push_back(host);
  for (std::uint32_t i = 0; i < model.tasks.size(); ++i) tasks.push_back({ObjectKind::task, i, &model.tasks[i]});
  for (std::uint32_t i = 0; i < model.containers.size(); ++i) {
    containers.push_back({ObjectKind::container, i, &model.containers[i]});
  }
  for (std::uint32_t i = 0; i < model.mounts.size(); ++i) mounts.push_back({ObjectKind::mount, i, &model.mounts[i]});
  for (std::uint32_t i = 0; i < model.interfaces.size(); ++i) {
    interfaces.push_back({ObjectKind::interface, i, &model.interfaces[i]});
  }

  links.resize(model.containers.size());
  std::unordered_map<std::string_view, std::int32_t> by_id;
  std::unordered_map<std::int32_t, std::int32_t> by_pid;
  std::unordered_map<std::uint64_t, std::int32_t> by_mnt_ns;
  std::unordered_map<std::uint64_t, std::int32_t> by_net_ns;
  for (std::size_t c = 0; c < model.containers.size(); ++c) {
    const Container& container = model.containers[c];
    const auto index = static_cast<std::int32_t>(c);
    by_id.emplace(container.id, index);
    for (auto pid : container.pids) by_pid.emplace(pid, index);
    by_pid.emplace(container.init_pid, index);
    if (container.ns.mnt_key() != 0) by_mnt_ns.emplace(container.ns.mnt_key(), index);
    if (container.ns.net_key() != 0 && !shares_host_network(container, model.host_ns)) {
      by_net_ns.emplace(container.ns.net_key(), index);
    }
    container_labels.push_back(container.name ? *container.name : container.id.substr(0, 12));
    for (std::uint32_t k = 0; k < container.mounts.size(); ++k) {
      links[c].mounts.push_back({ObjectKind::container_mount, static_cast<std::uint32_t>(c), &container.mounts[k]});
      container_mounts.push_back(links[c].mounts.back());
    }
    for (std::uint32_t k = 0; k < container.networks.size(); ++k) {
      links[c].networks.push_back(
          {ObjectKind::container_network, static_cast<std::uint32_t>(c), &container.networks[k]});
      container_networks.push_back(links[c].networks.back());
    }
    if (container.changes) {
      for (const FileChange& change : *container.changes) {
        links[c].changes.push_back({ObjectKind::container_change, static_cast<std::uint32_t>(c), &change});
        container_changes.push_back(links[c].changes.back());
      }
    }
  }

  task_container.assign(model.tasks.size(), -1);
  for (std::size_t t = 0; t < model.tasks.size(); ++t) {
    const Task& task = model.tasks[t];
    std::int32_t owner = -1;
    if (task.container_id) {
      if (auto it = by_id.find(*task.container_id); it != by_id.end()) owner = it->second;
    }
    if (owner < 0) {
      if (auto it = by_pid.find(task.pid); it != by_pid.end()) owner = it->second;
    }
    task_container[t] = owner;
    if (owner >= 0) {
      auto& link = links[static_cast<std::size_t>(owner)];
      link.tasks.push_back(tasks[t]);
      if (task.pid == model.containers[static_cast<std::size_t>(owner)].init_pid) {
        link.init_task = static_cast<std::int64_t>(t);
      }
    }
  }

  // Every container sharing a mount or network namespace sees its mounts or
  // interfaces, not only the first one recorded in the maps above.
  std::unordered_map<std::uint64_t, std::vector<std::int32_t>> containers_by_mnt, containers_by_net;
  for (std::size_t c = 0; c < model.containers.size(); ++c) {
    const Container& container = model.containers[c];
    if (container.ns.mnt_key() != 0) containers_by_mnt[container.ns.mnt_key()].push_back(static_cast<std::int32_t>(c));
    if (container.ns.net_key() != 0) containers_by_net[container.ns.net_key()].push_back(static_cast<std::int32_t>(c));
  }
  mount_container.assign(model.mounts.size(), -1);
  for (std::size_t k = 0; k < model.mounts.size(); ++k) {
    const auto ns = model.mounts[k].mnt_ns_key();
    if (auto it = by_mnt_ns.find(ns); it != by_mnt_ns.end()) mount_container[k] = it->second;
    if (auto it = containers_by_mnt.find(ns); it != containers_by_mnt.end()) {
      for (auto c : it->second) links[static_cast<std::size_t>(c)].kernel_mounts.push_back(mounts[k]);
    }
  }
  interface_container.assign(model.interfaces.size(), -1);
  for (std::size_t k = 0; k < model.interfaces.size(); ++k) {
    const auto ns = model.interfaces[k].net_ns_key();
    if (auto it = by_net_ns.find(ns); it != by_net_ns.end()) interface_container[k] = it->second;
    if (auto it = containers_by_net.find(ns); it != containers_by_net.end()) {
      for (auto c : it->second) links[static_cast<std::size_t>(c)].interfaces.push_back(interfaces[k]);
    }
  }

  // Network segments: containers with their own network namespace, grouped
  // by the IPv4 segment of each of their interfaces. Containers on the host
  // network are left out: the host's segments are not container networks.
  std::map<std::string, std::vector<std::int32_t>> members;
  for (std::size_t c = 0; c < model.containers.size(); ++c) {
    const Container& container = model.containers[c];
    if (shares_host_network(container, model.host_ns)) continue;
    for (const auto& network : container.networks) {
      if (network.segment.empty()) continue;
      auto& list = members[network.segment];
      if (list.empty() || list.back() != static_cast<std::int32_t>(c)) list.push_back(static_cast<std::int32_t>(c));
    }
  }
  std::vector<std::pair<std::string, std::vector<std::int32_t>>> ordered(members.begin(), members.end());
  // Numeric order (10.x before 172.x), text order for anything unparsable.
  std::stable_sort(ordered.begin(), ordered.end(), [](const auto& a, const auto& b) {
    auto na = parse_ipv4_net(a.first), nb = parse_ipv4_net(b.first);
    if (na && nb) return std::tie(na->bytes, na->prefix) < std::tie(nb->bytes, nb->prefix);
    if (na || nb) return na.has_value();
    return a.first < b.first;
  });
  segments.reserve(ordered.size());
  for (auto& [name, indexes] : ordered) {
    Segment segment;
    segment.name = name;
    for (auto c : indexes) {
      const Container& container = model.containers[static_cast<std::size_t>(c)];
      segment.member_names.push_back(container_labels[static_cast<std::size_t>(c)]);
      segment.member_ids.push_back(container.id);
      segment.containers.push_back(containers[static_cast<std::size_t>(c)]);
    }
    if (auto net = parse_ipv4_net(name)) {
      std::string fallback;
      for (const auto& iface : model.interfaces) {
        if (iface.net_ns_key() != model.host_ns.net_key()) continue;
        for (const auto& ip : iface.ipv4) {
          auto address = parse_ip(ip.address);
          if (!address || !ip_inside(*address, *net)) continue;
          if (iface.kind == "bridge" && segment.bridge.empty()) segment.bridge = iface.name;
          if (fallback.empty()) fallback = iface.name;
        }
      }
      if (segment.bridge.empty()) segment.bridge = fallback;
    }
    segments.push_back(std::move(segment));
  }
  for (std::uint32_t s = 0; s < segments.size(); ++s) networks.push_back({ObjectKind::network, s, &segments[s]});
  link_sockets();
  for (std::uint32_t s = 0; s < segments.size(); ++s) {
    for (const auto& member : segments[s].containers) links[member.index].segments.push_back(networks[s]);
  }
}

void EvalEnv::link_sockets() {
  std::unordered_map<std::int32_t, std::size_t> task_by_pid;
  for (std::size_t t = 0; t < model.tasks.size(); ++t) {
    if (!model.tasks[t].is_thread) task_by_pid.emplace(model.tasks[t].pid, t);
  }
  task_sockets.assign(model.tasks.size(), {});
  for (std::uint32_t i = 0; i < model.sockets.size(); ++i) {
    const Obj socket{ObjectKind::socket, i, &model.sockets[i]};
    sockets.push_back(socket);
    auto it = task_by_pid.find(model.sockets[i].pid);
    if (it == task_by_pid.end()) continue;
    task_sockets[it->second].push_back(socket);
    if (const auto c = task_container[it->second]; c >= 0) links[static_cast<std::size_t>(c)].sockets.push_back(socket);
  }
}

const std::vector<Obj>& EvalEnv::objects_of(ObjectKind kind) const { return kind_def(kind).objects(*this); }

std::string EvalEnv::object_id(const Obj& o) const { return kind_def(o.kind).id(*this, o); }

std::string EvalEnv::object_label(const Obj& o) const { return kind_def(o.kind).label(*this, o); }

std::string EvalEnv::object_identity(const Obj& o) const {
  const KindDef& kind = kind_def(o.kind);
  return kind.identity != nullptr ? kind.identity(*this, o) : std::string(kind.name) + " " + kind.id(*this, o);
}

std::string EvalEnv::object_title(const Obj& o) const { return kind_def(o.kind).title(*this, o); }

Value EvalEnv::container_value(std::int32_t index) const {
  if (index < 0) return Value::null();
  return Value::of(containers[static_cast<std::size_t>(index)]);
}

}  // namespace drydock::rules::detail
