// A symbol table that lacks a member drydock needs: the run still succeeds,
// `errors` names the type, member and symbol table, what depends on the
// member is null (never 0 or false), and no finding comes from it. The
// tables are each dataset's real ISFs with members removed.

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <set>
#include <string>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "integration/real_dump.hpp"
#include "support/temp_dir.hpp"

using namespace drydock::test;
using nlohmann::json;

namespace {

using Removal = std::pair<std::string, std::string>;  // (user type, member)

// The dataset's ISF with the given members taken out (those it has: a
// kernel holds one of `list` and `mounts`), written under `dir`.
std::string isf_without(const drydock::testing::TempDir& dir, const std::vector<Removal>& removals) {
  const std::filesystem::path plain = dir.path() / "full.json";
  const CommandResult unpacked = run_shell("xz -dc " + shell_quote(isf_file()) + " > " + shell_quote(plain.string()));
  REQUIRE(unpacked.exit_code == 0);
  json isf = read_json_file(plain.string());
  std::string name = "isf";
  std::size_t removed = 0;
  for (const auto& [type, member] : removals) {
    removed += isf["user_types"][type]["fields"].erase(member);
    name += "-" + type + "." + member;
  }
  REQUIRE(removed > 0);
  const std::filesystem::path out = dir.path() / (name + ".json");
  std::ofstream(out) << isf.dump();
  return out.string();
}

json scan_with(const std::string& isf) {
  CommandResult raw;
  json scan = drydock_json("scan --format json --no-symbol-cache --symbols " + shell_quote(isf) + " " +
                               shell_quote(dataset().dump),
                           &raw);
  INFO(raw.err);
  REQUIRE((raw.exit_code == 0 || raw.exit_code == 1));  // 1: findings at the default --fail-on
  REQUIRE(scan.contains("dumps"));
  return scan["dumps"][0];
}

bool errors_name(const json& dump, const std::string& text) {
  return std::any_of(dump["errors"].begin(), dump["errors"].end(),
                     [&](const json& e) { return e.get<std::string>().find(text) != std::string::npos; });
}

std::set<std::string> rules_found(const json& dump) {
  std::set<std::string> rules;
  for (const json& f : dump["findings"]) rules.insert(f["rule"].get<std::string>());
  return rules;
}

// No finding of any of `rules` in the scan.
void check_none_found(const json& dump, std::initializer_list<const char*> rules) {
  const std::set<std::string> found = rules_found(dump);
  for (const char* rule : rules) {
    INFO(rule);
    CHECK(found.count(rule) == 0);
  }
}

const json& full_scan() {
  static const json dump = scan_with(isf_file());
  return dump;
}

}  // namespace

TEST_CASE("without cred.euid every euid is null, errors say why, and no root finding is raised", "[dataset][missing]") {
  drydock::testing::TempDir dir;
  const std::string isf = isf_without(dir, {{"cred", "euid"}});
  const json dump = scan_with(isf);
  CHECK(errors_name(dump, "symbol table " + isf + " lacks cred.euid: task euid unknown"));
  REQUIRE_FALSE(dump["tasks"].empty());
  for (const json& t : dump["tasks"]) {
    CHECK(t["euid"].is_null());
    CHECK(t["uid"].is_number());  // the rest of the credentials are still read
  }
  REQUIRE_FALSE(dump["containers"].empty());
  for (const json& c : dump["containers"]) CHECK(c["euid"].is_null());
  REQUIRE(rules_found(full_scan()).count("runs_as_root") == 1);  // the rule exists and fires with the full table
  CHECK(rules_found(dump).count("runs_as_root") == 0);
  // Nothing else changes: the same findings but the one that needs euid.
  std::set<std::string> expected = rules_found(full_scan());
  expected.erase("runs_as_root");
  CHECK(rules_found(dump) == expected);
}

TEST_CASE("without seccomp.mode seccomp and privileged are null and no seccomp or privilege finding is raised",
          "[dataset][missing]") {
  drydock::testing::TempDir dir;
  const json dump = scan_with(isf_without(dir, {{"seccomp", "mode"}}));
  CHECK(errors_name(dump, "lacks task_struct.seccomp.mode"));
  for (const json& t : dump["tasks"]) CHECK(t["seccomp"].is_null());
  REQUIRE_FALSE(dump["containers"].empty());
  for (const json& c : dump["containers"]) {
    CHECK(c["seccomp"].is_null());
    CHECK(c["privileged"].is_null());
  }
  check_none_found(dump, {"seccomp_disabled", "privileged_container", "dangerous_capabilities_added"});
}

TEST_CASE("without mnt_namespace.list and mounts no mount is listed, errors say why, and no mount finding is raised",
          "[dataset][missing]") {
  drydock::testing::TempDir dir;
  const json dump = scan_with(isf_without(dir, {{"mnt_namespace", "list"}, {"mnt_namespace", "mounts"}}));
  CHECK(errors_name(dump, "lacks mnt_namespace.list or mounts"));
  CHECK(dump["mounts"].empty());
  REQUIRE_FALSE(dump["containers"].empty());
  for (const json& c : dump["containers"]) {
    CHECK(c["read_only_rootfs"].is_null());
    CHECK(c["overlay"].is_null());
  }
  check_none_found(dump, {"docker_socket_mounted", "host_etc_writable", "host_etc_read_only",
                          "sensitive_host_path_writable", "sensitive_host_path_read_only", "writable_root_filesystem"});
  // Tasks, credentials and networks do not depend on the mounts.
  CHECK(dump["tasks"].size() == full_scan()["tasks"].size());
  CHECK(dump["interfaces"] == full_scan()["interfaces"]);
}

TEST_CASE("without task_struct.flags and vfsmount.mnt_flags kernel_thread and access are null, errors say why, and no "
          "finding comes from them",
          "[dataset][missing]") {
  drydock::testing::TempDir dir;
  const json dump = scan_with(isf_without(dir, {{"task_struct", "flags"}, {"vfsmount", "mnt_flags"}}));
  CHECK(errors_name(dump, "lacks task_struct.flags"));
  CHECK(errors_name(dump, "lacks mount.mnt.mnt_flags: mount flags unknown"));
  REQUIRE_FALSE(dump["tasks"].empty());
  for (const json& t : dump["tasks"]) CHECK(t["kernel_thread"].is_null());
  REQUIRE_FALSE(dump["mounts"].empty());
  for (const json& m : dump["mounts"]) {
    CHECK(m["access"].is_null());
    CHECK(m["flags"].is_null());
    CHECK(m["mnt_ns"].is_number());  // the rest of the mount is still read
  }
  // Containers are still found (by cgroup and runtime parent), their
  // mounts' access unknown.
  REQUIRE(dump["containers"].size() == full_scan()["containers"].size());
  for (const json& c : dump["containers"]) {
    CHECK(c["read_only_rootfs"].is_null());
    for (const json& m : c["mounts"]) CHECK(m["access"].is_null());
  }
  check_none_found(dump, {"disguised_kernel_thread", "host_etc_writable", "host_etc_read_only",
                          "sensitive_host_path_writable", "sensitive_host_path_read_only", "writable_root_filesystem"});
  // Nothing is found that the full table does not find.
  const std::set<std::string> found = rules_found(dump);
  const std::set<std::string> full = rules_found(full_scan());
  CHECK(std::includes(full.begin(), full.end(), found.begin(), found.end()));
}
