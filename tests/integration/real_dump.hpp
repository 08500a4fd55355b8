#pragma once
// Paths and helpers for the integration tests on the real dumps in
// shared/dumps.
//
// A test tagged [dataset] compares drydock with a dataset's ground truth and
// holds nothing specific to one dump: CTest runs it on every dataset with a
// ground-truth/ folder, once with the plain ISF, once with the ISF with
// module types, and once with no ISF at all, the tables built from the dump's
// own BTF and kallsyms (`--dataset DIR --isf plain|modules|dump`,
// integration_main.cpp). It reads dataset() and symbols(). The other tests are about what only the
// docker-basic scenario holds, and read docker_basic().

#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "integration/dataset.hpp"
#include "support/run_command.hpp"

namespace drydock::test {

inline std::string work_dir() { return DRYDOCK_WORK_DIR; }

// What the command line chose; set once by main before any test runs.
struct DatasetChoice {
  std::string dir = DRYDOCK_REAL_DUMP_DIR;  // docker-basic unless --dataset says otherwise
  std::string isf = "plain";                // --isf plain|modules|dump
  bool module_types() const { return isf == "modules"; }
  bool from_dump() const { return isf == "dump"; }
};

inline DatasetChoice& dataset_choice() {
  static DatasetChoice choice;
  return choice;
}

// The dataset chosen with --dataset (docker-basic by default), opened on first
// use so that listing the tests needs no dataset.
inline const Dataset& dataset() {
  static const Dataset chosen = open_dataset(dataset_choice().dir, work_dir());
  return chosen;
}

// The ISF file of dataset() that --isf chose (the plain one for --isf dump):
// for the tests about ISF files themselves.
inline const std::string& isf_file() {
  const Dataset& d = dataset();
  if (dataset_choice().module_types() && d.isf_with_modules.empty()) {
    throw std::runtime_error("dataset " + d.dir + " has no symbols-with-modules/*.json.xz for --isf modules");
  }
  return dataset_choice().module_types() ? d.isf_with_modules : d.isf;
}

// What --symbols gets: the ISF file --isf chose, or "dump" (tables from the dump).
inline const std::string& symbols() {
  static const std::string kDump = "dump";
  return dataset_choice().from_dump() ? kDump : isf_file();
}

// "--symbols ISF DUMP" for dataset() and symbols(), to end a drydock command line.
inline std::string on_dataset() { return " --symbols " + shell_quote(symbols()) + " " + shell_quote(dataset().dump); }

// shared/dumps/docker-basic, for the tests of what only that scenario holds.
inline const Dataset& docker_basic() {
  static const Dataset basic = open_dataset(DRYDOCK_REAL_DUMP_DIR, work_dir());
  return basic;
}

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

// Checks a SARIF log with tests/sarif/validate.js: the OASIS schema and
// GitHub code scanning's upload rules. Exit code 0 when valid.
inline CommandResult validate_sarif(const std::string& path) {
  return run_shell("node " + shell_quote(std::string(DRYDOCK_SOURCE_DIR) + "/tests/sarif/validate.js") + " " +
                   shell_quote(path));
}

}  // namespace drydock::test
