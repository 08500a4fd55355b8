#pragma once
// Kubernetes pods as drydock rebuilds them: where kubelet placed a container
// (its cgroup path), what the container runtime recorded (the CRI
// annotations of the OCI spec, engine_record.hpp), and the pods those group
// into. Plain values; a field is nullopt when neither source gives it.

#include <optional>
#include <string>
#include <vector>

namespace drydock {

// What a kubelet cgroup path alone says about a container
// (kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod<uid>.slice/...,
// /kubepods/burstable/pod<uid>/...).
struct PodCgroup {
  std::string pod_uid;        // with its dashes (the systemd driver writes them as '_')
  std::string qos_class;      // "guaranteed", "burstable" or "besteffort"
  std::string cgroup_driver;  // "systemd" or "cgroupfs"
  std::string path;           // the cgroup path read
};

// One container's place in its pod, from the record and the cgroup path.
struct PodMembership {
  std::optional<std::string> pod, namespace_, pod_uid, container, sandbox_id, qos_class;
  std::optional<bool> sandbox;       // the pod's pause (sandbox) container; unknown when nothing says
  std::vector<std::string> sources;  // "record", "cgroup", "pause-process"
};

struct Pod {
  std::optional<std::string> uid, namespace_, name, qos_class;
  std::optional<std::string> sandbox_id;  // id of its pause container, when known
  std::vector<std::string> containers;    // member container ids, sorted
  std::vector<std::string> sources;       // where the grouping came from ("record", "cgroup", ...)
};

}  // namespace drydock
