// What a synthetic host does not let drydock read (a torn namespace, torn
// task flags, a symbol table without mnt_flags) is null in JSON and `-` in
// text, `errors` says why, and no bundled rule raises a finding from it:
// the findings are those of the intact host but the ones that needed the
// unread value.

#include <filesystem>
#include <set>
#include <string>
#include <utility>

#include <catch2/catch.hpp>

#include "engine/pipeline/build_model.hpp"
#include "engine/rules/rules.hpp"
#include "reports/container_report.hpp"
#include "reports/mount_report.hpp"
#include "reports/net_report.hpp"
#include "reports/task_report.hpp"
#include "support/unreadable_host.hpp"

using namespace drydock;
using drydock::testing::Unreadable;
using drydock::testing::UnreadableHost;
using nlohmann::json;

namespace {

DumpModel model_of(Unreadable what) {
  UnreadableHost host(what);
  auto loaded = host.load();
  return build_model(*loaded->kernel);
}

using Finding = std::pair<std::string, std::string>;  // (rule, object)

std::set<Finding> bundled_findings(const DumpModel& model) {
  rules::RuleCompiler compiler;
  for (const auto& entry : std::filesystem::directory_iterator(std::filesystem::path(DRYDOCK_SOURCE_DIR) / "rules")) {
    if (entry.path().extension() == ".rules") compiler.add_file(entry.path());
  }
  auto compiled = compiler.compile();
  INFO(rules::render_diagnostics(compiler.diagnostics()));
  REQUIRE(compiled);
  std::set<Finding> out;
  for (const auto& f : rules::evaluate(*compiled, model)) out.emplace(f.rule, f.object);
  return out;
}

bool errors_name(const json& document, const std::string& text) {
  for (const json& e : document["errors"]) {
    if (e.get<std::string>().find(text) != std::string::npos) return true;
  }
  return false;
}

const json& row(const json& list, const char* key, const json& value) {
  for (const json& r : list) {
    if (r[key] == value) return r;
  }
  FAIL("no row with " << key << " = " << value.dump());
  static const json none;
  return none;
}

const std::string kId = UnreadableHost::kId;

}  // namespace

TEST_CASE("the intact unreadable-host fixture raises the findings its unknown variants must not") {
  const std::set<Finding> found = bundled_findings(model_of(Unreadable::nothing));
  CHECK(found.count({"disguised_kernel_thread", "1151"}) == 1);
  CHECK(found.count({"host_etc_writable", kId}) == 1);
  CHECK(found.count({"writable_root_filesystem", kId}) == 1);
}

TEST_CASE("unknown task flags are null in JSON, '-' in text, and raise no kernel-thread finding") {
  const DumpModel model = model_of(Unreadable::task_flags);
  const json tasks = tasks_json(model);
  CHECK(row(tasks["tasks"], "pid", 900)["kernel_thread"].is_null());
  CHECK(row(tasks["tasks"], "pid", 1151)["kernel_thread"].is_null());
  CHECK(row(tasks["tasks"], "pid", 2)["kernel_thread"] == true);
  CHECK(errors_name(tasks, "task 1151"));
  // Unknown is not a kernel thread in text either: no "[comm]".
  CHECK(tasks_text(model).find("[kworker/0:1]") == std::string::npos);

  std::set<Finding> expected = bundled_findings(model_of(Unreadable::nothing));
  expected.erase({"disguised_kernel_thread", "1151"});
  CHECK(bundled_findings(model) == expected);
}

TEST_CASE("an unknown mount namespace inode is null in JSON and '-' in text, and changes no finding") {
  const DumpModel model = model_of(Unreadable::mnt_ns_inode);
  const json mounts = mounts_json(model.info, model.mounts, model.issues);
  CHECK(row(mounts["mounts"], "mount_id", 500)["mnt_ns"].is_null());
  CHECK(row(mounts["mounts"], "mount_id", 501)["mnt_ns"].is_null());
  CHECK(row(mounts["mounts"], "mount_id", 1)["mnt_ns"] == drydock::testing::kHostNamespaces.mnt);
  CHECK(errors_name(mounts, "inode number unreadable"));
  CHECK(mounts_text(model.mounts, model.issues).find("\n-   ") != std::string::npos);
  CHECK(bundled_findings(model) == bundled_findings(model_of(Unreadable::nothing)));
}

TEST_CASE("an unknown network namespace inode is null in JSON and '-' in text, and changes no finding") {
  const DumpModel model = model_of(Unreadable::net_ns_inode);
  const json interfaces = interfaces_json(model);
  int unknown = 0;
  for (const json& i : interfaces["interfaces"]) {
    CHECK((i["net_ns"].is_null() || i["net_ns"] == drydock::testing::kHostNamespaces.net));
    unknown += i["net_ns"].is_null();
  }
  CHECK(unknown == 2);  // the container's lo and eth0
  CHECK(errors_name(interfaces, "inode number unreadable"));
  CHECK(interfaces_text(model).find("\n-   ") != std::string::npos);
  CHECK(bundled_findings(model) == bundled_findings(model_of(Unreadable::nothing)));
}

TEST_CASE("unknown mount flags are null in JSON, '-' in text, and raise no access finding") {
  const DumpModel model = model_of(Unreadable::mnt_flags);
  const json mounts = mounts_json(model.info, model.mounts, model.issues);
  REQUIRE(mounts["mounts"].size() == 3);
  for (const json& m : mounts["mounts"]) {
    CHECK(m["access"].is_null());
    CHECK(m["flags"].is_null());
  }
  CHECK(errors_name(mounts, "lacks mount.mnt.mnt_flags: mount flags unknown"));
  CHECK(mounts_text(model.mounts, model.issues).find(" rw ") == std::string::npos);
  REQUIRE(model.containers.size() == 1);
  const json c = container_json(model.containers[0]);
  CHECK(c["read_only_rootfs"].is_null());
  CHECK(row(c["mounts"], "destination", "/etc")["access"].is_null());
  CHECK(containers_text(model).find("/etc (ext4, -)") != std::string::npos);

  std::set<Finding> expected = bundled_findings(model_of(Unreadable::nothing));
  expected.erase({"host_etc_writable", kId});
  expected.erase({"writable_root_filesystem", kId});
  CHECK(bundled_findings(model) == expected);
}
