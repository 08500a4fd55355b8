#pragma once
// The engines' own records of each container, found among the files memory
// holds (the runtime bundles on tmpfs, Docker's and Podman's per-container
// files when the page cache kept them) and attached to the containers the
// kernel view recognised.
//
// Reading is split from assembly: find_record_files() lists the candidate
// files of every container and reads their bytes through the page cache
// reader; attach_engine_records() is a pure function that parses them
// (engine_record_parse.hpp) and fills each container's `record`, its name
// when the kernel view had none, and `record_errors` naming why a record is
// missing (no file in the dentry cache, or its pages not in memory).
//
// Thread safety: both are pure functions of their inputs.

#include <optional>
#include <string>
#include <vector>

#include "engine/containers/engine_record_parse.hpp"
#include "engine/model/container.hpp"

namespace drydock {

// One candidate file: its path on the host and its bytes, or why they are unknown.
struct RecordFile {
  std::string path;
  std::optional<std::string> content;  // nullopt: not (wholly) in memory
  std::string problem;                 // why content is nullopt
};

// The kind of record a path is, and the container id it names; nullopt for
// a path that is none of them.
struct RecordPath {
  enum class Kind { docker_config, docker_hostconfig, oci_spec, runc_state } kind;
  std::string id;
};
std::optional<RecordPath> classify_record_path(std::string_view path);

// The directories (on the host) under which the records lie.
const std::vector<std::string>& record_directories();

void attach_engine_records(std::vector<Container>& containers, const std::vector<RecordFile>& files,
                           const RecordParseOptions& options = {});

}  // namespace drydock
