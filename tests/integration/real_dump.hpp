#pragma once
// Paths and helpers for the integration tests on shared/dumps/docker-basic.

#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "support/run_command.hpp"

namespace drydock::test {

inline std::string real_dump_dir() { return DRYDOCK_REAL_DUMP_DIR; }
inline std::string work_dir() { return DRYDOCK_WORK_DIR; }
inline std::string real_lime() { return work_dir() + "/memory.lime"; }
inline std::string real_zst() { return real_dump_dir() + "/memory.lime.zst"; }
inline std::string real_isf() { return real_dump_dir() + "/6.1.0-56-amd64_6.1.192-2.json.xz"; }
inline std::string real_isf_with_modules() {
  return real_dump_dir() + "/symbols-with-modules/6.1.0-56-amd64_6.1.192-2.json.xz";
}
inline std::string ground_truth(const std::string& name) { return real_dump_dir() + "/ground-truth/" + name; }

inline nlohmann::json read_json_file(const std::string& path) {
  std::ifstream in(path);
  return nlohmann::json::parse(in);
}

// Runs the drydock binary with the given arguments (already quoted as needed).
inline CommandResult run_drydock(const std::string& args) { return run_shell(std::string(DRYDOCK_BINARY) + " " + args); }

// Runs drydock and parses its stdout as JSON; an empty object when it is not JSON.
inline nlohmann::json drydock_json(const std::string& args, CommandResult* raw = nullptr) {
  CommandResult r = run_drydock(args);
  if (raw) *raw = r;
  auto j = nlohmann::json::parse(r.out, nullptr, false);
  return j.is_discarded() ? nlohmann::json::object() : j;
}

}  // namespace drydock::test
