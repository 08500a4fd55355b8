#pragma once
// Recognises container engines and containers in an extracted object model.
// A pure function of the model: no dump access, no clock, no I/O.
//
// Containers are the tasks a runtime started: the children of a
// containerd-shim or conmon, and every task whose cgroup names a container
// scope (docker-<id>.scope, /docker/<id>, libpod-<id>.scope,
// cri-containerd-<id>.scope, crio-<id>.scope, and kubelet's
// /kubepods/<qos>/pod<uid>/<id>). The 64-hex id comes from the
// cgroup path, the shim's or conmon's command line, or the host-side roots of
// the hostname/hosts/resolv.conf bind mounts; never from overlay directory
// names, which are layer ids.
// A container in a kubelet cgroup gets `pod_cgroup` (kubernetes_pods.hpp);
// its pod is resolved later, with its record, by group_pods().

#include <vector>

#include "engine/model/dump_model.hpp"

namespace drydock {

struct ContainerDetection {
  std::vector<Container> containers;  // sorted by id
  EngineSignals engine;
};

ContainerDetection detect_containers(const DumpModel& model);

// Whether a mount in a container is one its runtime makes for every
// container (rootfs, /proc, /sys, /dev, masks, hostname/hosts/resolv.conf).
bool is_default_container_mount(const Mount& mount, const std::string& container_id);

// Where a container's bind mount comes from on the host: the initial
// namespace's mount of the same filesystem, joined with the mounted root.
std::string host_source(const Mount& mount, const std::vector<Mount>& host_mounts);

}  // namespace drydock
