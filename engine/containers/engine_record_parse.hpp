#pragma once
// Decoders of the files a container engine keeps about a container. Each is
// a pure function over the file's bytes, which come from a memory dump and
// are never trusted: input larger than max_bytes or nested deeper than
// kMaxJsonDepth is refused before parsing, a member of an unexpected type is
// ignored, and nothing is taken from a file that does not parse.
//
// Each merge_* takes what its file says into `record` (a field already set
// by an earlier file is kept) and adds `source` to record.sources; it returns
// the reason when the file gave nothing.
//
//   Docker:  /var/lib/docker/containers/<id>/config.v2.json, hostconfig.json
//   OCI runtime spec: <bundle>/config.json (containerd's
//            /run/containerd/io.containerd.runtime.v2.task/<ns>/<id>/, Podman's
//            /run/containers/storage/overlay-containers/<id>/userdata/)
//   runc:    /run/runc/<id>/state.json, /run/containerd/runc/<ns>/<id>/state.json
//
// Thread safety: pure functions.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

#include "engine/model/engine_record.hpp"

namespace drydock {

inline constexpr std::size_t kMaxJsonDepth = 64;

struct RecordParseOptions {
  bool show_secrets = false;             // keep the values of secret-looking variables
  std::size_t max_bytes = 4u << 20;      // larger files are refused
};

using MergeError = std::optional<std::string>;

MergeError merge_docker_config_v2(std::string_view text, const std::string& source, EngineRecord& record,
                                  const RecordParseOptions& options = {});
MergeError merge_docker_hostconfig(std::string_view text, const std::string& source, EngineRecord& record,
                                   const RecordParseOptions& options = {});
MergeError merge_oci_spec(std::string_view text, const std::string& source, EngineRecord& record,
                          const RecordParseOptions& options = {});
MergeError merge_runc_state(std::string_view text, const std::string& source, EngineRecord& record,
                            const RecordParseOptions& options = {});

// Whether an environment variable's name looks like it holds a secret
// (PASSWORD, SECRET, TOKEN, API_KEY, ...), case-insensitively.
bool secret_looking_name(std::string_view name);

}  // namespace drydock
