#pragma once
// Kubernetes pods among the recognised containers.
//
// kubelet names every container's cgroup after its pod, with either cgroup
// driver:
//   systemd:  kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod<uid>.slice/cri-containerd-<id>.scope
//             (the uid's dashes written as '_'; guaranteed pods sit directly
//             in kubepods.slice as kubepods-pod<uid>.slice; a --cgroup-root
//             adds a prefix such as kubelet-kubepods-...)
//   cgroupfs: /kubepods/burstable/pod<uid>/<id>, /kubepods/pod<uid>/<id>
// The container runtime's CRI plugin writes the pod's name, namespace and
// uid and the container's name into the OCI spec's annotations, which
// engine_record_parse.hpp reads. group_pods() joins the two: a cgroup path
// alone gives the pod uid and QoS class, never a name.
//
// Thread safety: pure functions of their inputs.

#include <optional>
#include <string_view>
#include <vector>

#include "engine/model/container.hpp"
#include "engine/model/pod.hpp"
#include "engine/model/task.hpp"

namespace drydock {

// The pod a kubelet cgroup path names; nullopt for any other path.
std::optional<PodCgroup> pod_from_cgroup(std::string_view path);

// Fills each container's `kubernetes` from its record's CRI annotations and
// its `pod_cgroup`, marks the pods' pause (sandbox) containers, adds to
// `record_errors` what stays unknown and why, and returns the pods sorted by
// uid. `tasks` are the model's tasks (a pause container is recognised by its
// only process when no record says which container is the sandbox).
std::vector<Pod> group_pods(std::vector<Container>& containers, const std::vector<Task>& tasks);

}  // namespace drydock
