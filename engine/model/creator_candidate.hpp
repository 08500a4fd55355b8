#pragma once
// A container that may have created another one through the container
// engine's API socket mounted into it: the facts read from memory that point
// to it (engine/containers/socket_creators.hpp finds them). A plain value;
// it states what was observed, never that the creation happened that way.

#include <cstdint>
#include <optional>
#include <string>

namespace drydock {

struct CreatorCandidate {
  std::string creator_id;     // the container that had the socket mounted
  std::string creator_label;  // its name, or its short id
  std::string engine;         // whose socket: "docker", "podman", "containerd", "cri-o"
  std::string socket_source;       // the mount: host side ("/run/docker.sock") ...
  std::string socket_destination;  // ... and inside the creator ("/var/run/docker.sock")
  std::int64_t creator_started_ns = 0;  // start of the creator's init task: the mount existed from then
  std::string client;                   // a container-engine client in the creator's upper layer
  std::int64_t client_changed_ns = 0;   // its inode change time: when it was written there
  std::optional<std::int64_t> client_modified_ns;  // its mtime (copies often keep the original's)
  std::int64_t created_ns = 0;  // the created container's creation time, as its engine recorded it
  std::string record_source;    // the record file that time was read from
};

}  // namespace drydock
