#include "engine/scan/shard.hpp"

#include <charconv>
#include <fstream>
#include <iostream>

#include <fmt/format.h>

#include "engine/core/sha256.hpp"

namespace drydock {
namespace {

std::optional<std::uint64_t> parse_uint(std::string_view text) {
  std::uint64_t value = 0;
  const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size() || text.empty()) return std::nullopt;
  return value;
}

std::optional<std::uint64_t> env_uint(const std::function<const char*(const char*)>& getenv, const char* name) {
  const char* value = getenv(name);
  if (value == nullptr) return std::nullopt;
  return parse_uint(value);
}

}  // namespace

Result<std::vector<std::string>> read_manifest(const std::string& path) {
  std::ifstream file;
  std::istream* in = &std::cin;
  if (path != "-") {
    file.open(path);
    if (!file) return Error::of(path + ": cannot open the manifest (one dump path a line)");
    in = &file;
  }
  std::vector<std::string> entries;
  std::string line;
  while (std::getline(*in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line.front() == '#') continue;
    if (line.find_first_not_of(" \t") == std::string::npos) continue;
    entries.push_back(line);
  }
  if (in->bad()) return Error::of((path == "-" ? std::string("standard input") : path) + ": read error in the manifest");
  return entries;
}

std::uint64_t shard_of(std::string_view key, std::uint64_t count) {
  const std::string digest = sha256_hex(key);
  // The first 64 bits of the digest, as a number: the same on every machine.
  const std::uint64_t value = std::stoull(digest.substr(0, 16), nullptr, 16);
  return count == 0 ? 0 : value % count;
}

Result<ShardSpec> parse_shard(std::string_view text, std::optional<std::uint64_t> shard_count,
                              const std::function<const char*(const char*)>& getenv) {
  ShardSpec spec;
  if (text == "auto") {
    if (auto index = env_uint(getenv, "JOB_COMPLETION_INDEX")) {
      spec.index = *index;
      if (!shard_count) {
        return Error::of("--shard auto: JOB_COMPLETION_INDEX is set (Kubernetes Indexed Job) but the number of "
                         "shards is not known; pass --shard-count N (the Job's completions)");
      }
      spec.count = *shard_count;
    } else if (auto task = env_uint(getenv, "SLURM_ARRAY_TASK_ID")) {
      const std::uint64_t min = env_uint(getenv, "SLURM_ARRAY_TASK_MIN").value_or(0);
      if (*task < min) return Error::of("--shard auto: SLURM_ARRAY_TASK_ID is below SLURM_ARRAY_TASK_MIN");
      spec.index = *task - min;
      auto count = shard_count ? shard_count : env_uint(getenv, "SLURM_ARRAY_TASK_COUNT");
      if (!count) return Error::of("--shard auto: SLURM_ARRAY_TASK_COUNT is not set; pass --shard-count N");
      spec.count = *count;
    } else {
      return Error::of("--shard auto: neither JOB_COMPLETION_INDEX (Kubernetes Indexed Job) nor SLURM_ARRAY_TASK_ID "
                       "(Slurm array) is set; pass --shard I/N");
    }
  } else {
    const auto slash = text.find('/');
    auto index = slash == std::string_view::npos ? std::nullopt : parse_uint(text.substr(0, slash));
    auto count = slash == std::string_view::npos ? std::nullopt : parse_uint(text.substr(slash + 1));
    if (!index || !count) return Error::of(fmt::format("--shard {}: expected I/N (e.g. 0/4) or auto", text));
    spec.index = *index;
    spec.count = *count;
  }
  if (spec.count == 0 || spec.index >= spec.count) {
    return Error::of(fmt::format("--shard: shard {} of {} does not exist; I goes from 0 to N-1", spec.index, spec.count));
  }
  return spec;
}

}  // namespace drydock
