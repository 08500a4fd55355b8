#pragma once
// Splitting a list of dumps among the workers of a distributed engine
// (Slurm job arrays, Kubernetes Indexed Jobs, Celery workers): a manifest of
// dump paths, one a line, and a stable choice of the entries a worker scans.
// Each entry belongs to exactly one of N shards, chosen from the path as
// written (its SHA-256), so every worker computes the same split with no
// coordination, and a re-run of a shard scans the same entries.
//
// Pure functions but for read_manifest (a file or standard input).

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/result.hpp"

namespace drydock {

// The dump paths of a manifest, in order: one a line; blank lines and lines
// starting with '#' are skipped, surrounding spaces kept (a path may hold
// them) except a trailing '\r'. `path` "-" reads standard input.
Result<std::vector<std::string>> read_manifest(const std::string& path);

// Which of `count` shards a key belongs to (count >= 1).
std::uint64_t shard_of(std::string_view key, std::uint64_t count);

struct ShardSpec {
  std::uint64_t index = 0;
  std::uint64_t count = 1;
};

// Reads `--shard I/N`, or `--shard auto`: I from JOB_COMPLETION_INDEX
// (Kubernetes Indexed Job) or SLURM_ARRAY_TASK_ID - SLURM_ARRAY_TASK_MIN
// (Slurm array), N from `shard_count` (--shard-count) or
// SLURM_ARRAY_TASK_COUNT. `getenv` looks the variables up (std::getenv in the
// CLI). The error says what is wrong and what to pass.
Result<ShardSpec> parse_shard(std::string_view text, std::optional<std::uint64_t> shard_count,
                              const std::function<const char*(const char*)>& getenv);

}  // namespace drydock
