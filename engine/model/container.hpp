#pragma once
// A container recognised among the tasks: what `docker ps` and `docker inspect`
// would have said, rebuilt from kernel state.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/model/creator_candidate.hpp"
#include "engine/model/engine_record.hpp"
#include "engine/model/file_change.hpp"
#include "engine/model/namespaces.hpp"
#include "engine/model/pod.hpp"

namespace drydock {

struct ContainerNetwork {
  std::string interface;   // name inside the container ("eth0")
  std::string ipv4;        // "172.17.0.2/16", empty if none
  std::string segment;     // "172.17.0.0/16", from the real prefix length
  std::vector<std::string> ipv6;
};

struct ContainerMount {
  std::string source;       // host-side path (or device) of the mounted thing
  std::string destination;  // where it is mounted inside the container
  std::string fstype;
  std::optional<bool> read_only;  // nullopt when its mount flags could not be read
};

struct OverlayLayers {
  std::string upperdir;
  std::vector<std::string> lowerdirs;
  std::string workdir;
  std::string merged;       // where the host sees the container's root
};

struct Container {
  std::string id;                 // 64 hex
  std::string runtime;            // "docker", "podman", "containerd", "unknown"
  std::optional<std::string> name;
  // Fields read from the init task are nullopt when drydock could not read
  // them (see Task); a finding never comes from an unknown value.
  std::optional<std::string> hostname;
  std::int32_t init_pid = 0;
  std::vector<std::int32_t> pids;
  std::string command;
  std::optional<std::int64_t> created_unix_ns;  // start of the init task
  std::optional<std::uint32_t> euid;
  std::optional<bool> privileged;  // unknown when its capabilities or seccomp mode are
  std::optional<std::uint64_t> caps_effective;
  std::optional<std::uint64_t> caps_bounding;
  std::optional<std::int32_t> seccomp_mode;
  std::optional<bool> no_new_privs;
  std::optional<bool> read_only_rootfs;  // unknown when its root mount was not read
  NamespaceSet ns;
  std::vector<std::string> host_namespaces;  // "net", "pid", ... shared with PID 1
  std::vector<ContainerNetwork> networks;
  std::vector<ContainerMount> mounts;        // the non-default ones
  std::optional<OverlayLayers> overlay;
  // Read-only mount of the container's filesystem from a disk image of the
  // host mounted at $EVIDENCE_ROOT; empty without overlay layers.
  std::string mount_command;
  std::int32_t runtime_pid = 0;              // its shim or conmon, 0 if none
  std::vector<std::string> id_sources;       // where the id was found: "cgroup", "shim", "bind-mount"
  std::vector<std::string> devices;          // host device nodes visible in /dev beyond the defaults
  // The engine's own record of it, where memory holds one (engine_records.hpp),
  // and why parts of it are unknown.
  std::optional<EngineRecord> record;
  std::vector<std::string> record_errors;
  // Kubernetes: where its cgroup path places it (set by the detector), and
  // its resolved pod membership (set by group_pods, kubernetes_pods.hpp);
  // nullopt for a container nothing ties to a pod.
  std::optional<PodCgroup> pod_cgroup;
  std::optional<PodMembership> kubernetes;
  // The entries of its overlay upper directory (engine/containers/container_changes.hpp),
  // sorted by path; nullopt when they were not read (no upperdir, or not asked for).
  std::optional<std::vector<FileChange>> changes;
  // Containers that may have created this one through an engine socket
  // mounted into them (engine/containers/socket_creators.hpp); nullopt when
  // not looked for (changes not read) or its recorded creation time is unknown.
  std::optional<std::vector<CreatorCandidate>> possible_creators;
};

}  // namespace drydock
