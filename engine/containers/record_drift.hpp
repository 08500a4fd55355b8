#pragma once
// Where the kernel's view of a container goes beyond what its engine's record
// declares: mounts the record does not list, capabilities it does not grant.
// Each compares only where both sides are known; nullopt means "cannot say"
// (no record in memory, or the kernel value unread), never "agrees".
//
// Thread safety: pure functions of their inputs.

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "engine/model/container.hpp"

namespace drydock {

// Docker's default capability set (moby's oci/caps defaults): CHOWN,
// DAC_OVERRIDE, FSETID, FOWNER, MKNOD, NET_RAW, SETGID, SETUID, SETFCAP,
// SETPCAP, NET_BIND_SERVICE, SYS_CHROOT, KILL, AUDIT_WRITE.
inline constexpr std::uint64_t kDockerDefaultCapabilities = 0xa80425fb;

// The capability bounding set the record declares, as a mask: every
// capability when it declares the container privileged; else the OCI
// runtime spec's bounding set where memory holds the spec; else, for Docker,
// its default set less CapDrop plus CapAdd (hostconfig.json; "ALL" honoured).
// nullopt when none of these is known or a name in them is not a capability.
std::optional<std::uint64_t> declared_capability_set(const Container& c);

// Capabilities the init task holds (effective or bounding) outside the
// declared set; nullopt when either side is unknown.
std::optional<std::uint64_t> capabilities_beyond_record(const Container& c);

// Whether the record declares the kernel mount `m` (one of c.mounts, which
// already leaves out the runtime's own standard mounts: /proc, /sys, /dev,
// /dev/pts, /dev/mqueue, /dev/shm, cgroup, masked /proc and /sys paths, and
// the /etc/hosts, /etc/hostname, /etc/resolv.conf, /.dockerenv and
// /run/.containerenv it writes per container). Declared: a record mount has
// its destination, or a parent of it (a recursive bind brings the source's
// submounts along), or its source; Docker's --init binary and anything from
// the engine's own directory of the container (a source path holding its id:
// secrets, configs) are the engine's own. nullopt when the record's mounts
// are unknown, and for a Docker tmpfs the record does not list (Docker keeps
// --tmpfs in hostconfig.json's Tmpfs, which is not read).
std::optional<bool> mount_declared(const Container& c, const ContainerMount& m);

// "source on destination (rw)" for each mount the record does not declare;
// nullopt when the record's mounts are unknown.
std::optional<std::vector<std::string>> undeclared_mounts(const Container& c);

}  // namespace drydock
