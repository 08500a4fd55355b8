#pragma once
// Lookups into what the kernel walkers return, for tests: keys in order, one
// record by its key (a test failure when it is absent) and issue texts.
//
//   CHECK(pids_of(result.tasks) == std::vector<std::int32_t>{1, 2, 3});
//   CHECK(task_with_pid(result.tasks, 3).comm == "sh");
//   CHECK_THAT(issues_text(result.issues, "tasks"), Catch::Contains("loops"));
//
// Header-only; needs Catch2 (REQUIRE).

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "engine/model/cached_file.hpp"
#include "engine/model/dump_model.hpp"

namespace drydock::testing {

// One member of each record, in order: keys_of(result.tasks, &Task::pid).
template <typename Record, typename Key>
std::vector<Key> keys_of(const std::vector<Record>& records, Key Record::*key) {
  std::vector<Key> keys;
  for (const Record& r : records) keys.push_back(r.*key);
  return keys;
}

inline std::vector<std::int32_t> pids_of(const std::vector<Task>& tasks) { return keys_of(tasks, &Task::pid); }
inline std::vector<std::int32_t> mount_ids(const std::vector<Mount>& mounts) {
  return keys_of(mounts, &Mount::mount_id);
}
inline std::vector<std::string> names_of(const std::vector<NetInterface>& interfaces) {
  return keys_of(interfaces, &NetInterface::name);
}
inline std::vector<std::string> paths_of(const std::vector<CachedFile>& files) {
  return keys_of(files, &CachedFile::path);
}

// The issue messages of one stage ("" for every stage), joined by newlines
// (for Contains checks).
inline std::string issues_text(const std::vector<ExtractionIssue>& issues, std::string_view stage = "") {
  std::string text;
  for (const ExtractionIssue& i : issues) {
    if (stage.empty() || i.stage == stage) text += i.message + "\n";
  }
  return text;
}

inline const Task& task_with_pid(const std::vector<Task>& tasks, std::int32_t pid) {
  auto it = std::find_if(tasks.begin(), tasks.end(), [&](const Task& t) { return t.pid == pid; });
  REQUIRE(it != tasks.end());
  return *it;
}

inline const Mount& mount_with_id(const std::vector<Mount>& mounts, std::int32_t id) {
  auto it = std::find_if(mounts.begin(), mounts.end(), [&](const Mount& m) { return m.mount_id == id; });
  REQUIRE(it != mounts.end());
  return *it;
}

inline const CachedFile& file_at(const std::vector<CachedFile>& files, std::string_view path) {
  auto it = std::find_if(files.begin(), files.end(), [&](const CachedFile& f) { return f.path == path; });
  REQUIRE(it != files.end());
  return *it;
}

}  // namespace drydock::testing
