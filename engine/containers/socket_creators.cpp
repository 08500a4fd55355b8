#include "engine/containers/socket_creators.hpp"

#include <algorithm>
#include <array>
#include <string_view>

#include <fmt/format.h>

#include "engine/core/time_format.hpp"

namespace drydock {
namespace {

struct EngineSocket {
  std::string_view file;     // the socket's name
  std::string_view engine;   // as CreatorCandidate::engine says it
  std::string_view display;  // in sentences
  // The runtimes (Container::runtime) of the containers created through it.
  // Podman serves the Docker API too (podman-docker links docker.sock to it).
  std::array<std::string_view, 2> runtimes;
};

constexpr std::array<EngineSocket, 4> kSockets = {{
    {"docker.sock", "docker", "Docker", {"docker", "podman"}},
    {"podman.sock", "podman", "Podman", {"podman", ""}},
    {"containerd.sock", "containerd", "containerd", {"containerd", ""}},
    {"crio.sock", "cri-o", "CRI-O", {"cri-o", ""}},
}};

constexpr std::array<std::string_view, 7> kClients = {"docker", "podman",  "nerdctl",       "ctr",
                                                      "crictl", "kubectl", "docker-compose"};

std::string_view base_name(std::string_view path) {
  const auto slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

const EngineSocket* socket_of(const ContainerMount& m) {
  for (const EngineSocket& s : kSockets) {
    if (base_name(m.source) == s.file || base_name(m.destination) == s.file) return &s;
  }
  return nullptr;
}

bool creates(const EngineSocket& socket, const std::string& runtime) {
  return std::find(socket.runtimes.begin(), socket.runtimes.end(), runtime) != socket.runtimes.end();
}

bool is_client(const FileChange& f) {
  return f.kind == "file" && (f.mode & 0111) != 0 && f.size && *f.size > 0 &&
         std::find(kClients.begin(), kClients.end(), base_name(f.path)) != kClients.end();
}

// The record file `created` was read from: Docker's config.v2.json is merged
// first, runc's state.json carries the other one.
std::string created_source(const EngineRecord& r) {
  for (std::string_view name : {"config.v2.json", "state.json"}) {
    for (const std::string& source : r.sources) {
      if (base_name(source) == name) return source;
    }
  }
  return r.sources.empty() ? std::string() : r.sources.front();
}

std::string_view display_engine(std::string_view engine) {
  for (const EngineSocket& s : kSockets) {
    if (s.engine == engine) return s.display;
  }
  return engine;
}

// "2026-12-01T20:55:57Z": a sentence must fit a finding's evidence (256 bytes);
// the JSON keeps the nanoseconds.
std::string to_second(std::int64_t unix_ns) {
  const std::string full = iso8601_utc(unix_ns);
  return full.size() > 19 ? full.substr(0, 19) + "Z" : full;
}

}  // namespace

std::optional<std::vector<CreatorCandidate>> possible_creators(std::span<const Container> containers,
                                                               std::size_t index) {
  if (index >= containers.size()) return std::nullopt;
  const Container& created = containers[index];
  if (!created.record || !created.record->created) return std::nullopt;
  const auto created_ns = parse_rfc3339(*created.record->created);
  if (!created_ns) return std::nullopt;
  std::vector<CreatorCandidate> out;
  for (std::size_t i = 0; i < containers.size(); ++i) {
    const Container& creator = containers[i];
    if (i == index || !creator.created_unix_ns || *creator.created_unix_ns >= *created_ns || !creator.changes) continue;
    for (const ContainerMount& m : creator.mounts) {
      const EngineSocket* socket = socket_of(m);
      if (socket == nullptr || !creates(*socket, created.runtime)) continue;
      for (const FileChange& f : *creator.changes) {
        if (!is_client(f) || !f.ctime_unix_ns || *f.ctime_unix_ns >= *created_ns) continue;
        CreatorCandidate c;
        c.creator_id = creator.id;
        c.creator_label = creator.name ? *creator.name : creator.id.substr(0, 12);
        c.engine = std::string(socket->engine);
        c.socket_source = m.source;
        c.socket_destination = m.destination;
        c.creator_started_ns = *creator.created_unix_ns;
        c.client = f.path;
        c.client_changed_ns = *f.ctime_unix_ns;
        c.client_modified_ns = f.mtime_unix_ns;
        c.created_ns = *created_ns;
        c.record_source = created_source(*created.record);
        out.push_back(std::move(c));
      }
    }
  }
  return out;
}

void attach_possible_creators(std::vector<Container>& containers) {
  std::vector<std::optional<std::vector<CreatorCandidate>>> found;
  found.reserve(containers.size());
  for (std::size_t i = 0; i < containers.size(); ++i) found.push_back(possible_creators(containers, i));
  for (std::size_t i = 0; i < containers.size(); ++i) containers[i].possible_creators = std::move(found[i]);
}

std::string describe(const CreatorCandidate& c) {
  return fmt::format(
      "created {} ({}) while container {} had the {} API socket mounted at {} (since {}) and got {} in its upper "
      "layer at {}",
      to_second(c.created_ns), base_name(c.record_source), c.creator_label, display_engine(c.engine),
      c.socket_destination, to_second(c.creator_started_ns), c.client, to_second(c.client_changed_ns));
}

}  // namespace drydock
