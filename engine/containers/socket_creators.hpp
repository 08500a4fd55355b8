#pragma once
// Which container may have created another through the container engine's
// API socket mounted into it. The engine records no client (dockerd's event
// trail lives only in its heap), and the client process has usually exited,
// so this correlates what memory does hold:
//   * the creator C1 has an engine's API socket bind-mounted (docker.sock,
//     podman.sock, containerd.sock, crio.sock), and its init task, which had
//     the mount from its start, started before C2 was created;
//   * a container-engine client (docker, podman, nerdctl, ctr, crictl,
//     kubectl, docker-compose: an executable regular file of that name) lies
//     in C1's overlay upper layer, written (inode change time) before C2 was
//     created: someone brought a client into C1;
//   * C2's engine record gives its creation time, and C2 belongs to the
//     engine whose socket C1 holds.
// All three must be known: an unknown time, record or upper layer gives no
// candidate. A socket mounted for a legitimate reason (Traefik, a CI runner
// whose image ships the client) and no client written at run time gives none
// either; that case is left to the socket-mount rule.
//
// Thread safety: pure functions of their inputs.

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "engine/model/container.hpp"

namespace drydock {

// The candidates for containers[index]; nullopt when its recorded creation
// time is unknown (no record in memory, or no parsable `created`).
std::optional<std::vector<CreatorCandidate>> possible_creators(std::span<const Container> containers,
                                                               std::size_t index);

// Fills every container's `possible_creators`; call once records and
// changes are attached.
void attach_possible_creators(std::vector<Container>& containers);

// One sentence for findings, times to the second so that it fits a
// finding's evidence (256 bytes) with names of ordinary length: "created
// 2026-12-01T20:55:57Z (config.v2.json) while container ci-runner had the
// Docker API socket mounted at /var/run/docker.sock (since <T1>) and got
// /usr/local/bin/docker in its upper layer at <T0>".
std::string describe(const CreatorCandidate& candidate);

}  // namespace drydock
