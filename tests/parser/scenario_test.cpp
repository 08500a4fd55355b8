// The rule language can express the docker-basic scenario's expected
// findings: a fixture rule file evaluated over a model of that scenario.

#include <catch2/catch.hpp>

#include <filesystem>
#include <map>
#include <set>

#include "model_builder.hpp"

using namespace drydock;
using namespace drydock::rules;

namespace {

std::map<std::string, std::set<std::string>> findings_by_object() {
  RuleCompiler compiler;
  const auto path = std::filesystem::path(DRYDOCK_SOURCE_DIR) / "tests/parser/data/scenario.rules";
  compiler.add_file(path, "scenario.rules");
  auto compiled = compiler.compile();
  INFO(render_diagnostics(compiler.diagnostics()));
  REQUIRE(compiled);
  std::map<std::string, std::set<std::string>> out;
  for (const auto& f : evaluate(*compiled, test::docker_basic_model())) out[f.object_label].insert(f.rule);
  return out;
}

using Rules = std::set<std::string>;

}  // namespace

TEST_CASE("the scenario rules find exactly what SCENARIO.md expects", "[eval][scenario]") {
  auto by = findings_by_object();
  CHECK(by["6.1.0-56-amd64"] == Rules{"container_engine_present"});
  CHECK(by["web"].empty());
  CHECK(by["priv"] == Rules{"privileged_container", "root_user"});
  CHECK(by["sock"] == Rules{"docker_socket_mounted", "root_user"});
  CHECK(by["etcrw"] == Rules{"sensitive_host_path_writable", "root_user"});
  CHECK(by["etcro"] == Rules{"sensitive_host_path_read_only", "root_user"});
  CHECK(by["caps"] == Rules{"dangerous_capabilities_added", "root_user"});
  CHECK(by["hostnet"] == Rules{"host_network_namespace", "root_user"});
  CHECK(by["hostpid"] == Rules{"host_pid_namespace", "root_user"});
  CHECK(by["app1"] == Rules{"root_user"});
  CHECK(by["app2"] == Rules{"root_user"});
  CHECK(by["multi"] == Rules{"root_user"});
  CHECK(by["pod1"] == Rules{"root_user"});
  CHECK(by["docker0"] == Rules{"shared_network_segment"});
  CHECK(by["br-5a1b2c3d4e5f"] == Rules{"shared_network_segment"});
  CHECK(by.count("cni-podman0") == 0);
}

TEST_CASE("scenario findings carry readable messages and evidence", "[eval][scenario]") {
  RuleCompiler compiler;
  compiler.add_file(std::filesystem::path(DRYDOCK_SOURCE_DIR) / "tests/parser/data/scenario.rules", "scenario.rules");
  auto compiled = compiler.compile();
  REQUIRE(compiled);
  const auto findings = evaluate(*compiled, test::docker_basic_model());
  bool saw_caps = false, saw_sock = false;
  for (const auto& f : findings) {
    if (f.rule == "dangerous_capabilities_added") {
      saw_caps = true;
      CHECK(f.message.find("Container caps has capabilities CAP_CHOWN") == 0);
      CHECK(f.message.find("CAP_SYS_ADMIN") != std::string::npos);
      REQUIRE(!f.evidence.empty());
      CHECK(f.evidence.back().path == "caps_effective");
    }
    if (f.rule == "docker_socket_mounted") {
      saw_sock = true;
      REQUIRE(f.evidence.size() == 1);
      CHECK(f.evidence[0].path == "mounts[0].source");
      CHECK(to_display_string(f.evidence[0].value) == "\"/run/docker.sock\"");
      CHECK(f.meta.back().key == "remediation");
    }
  }
  CHECK(saw_caps);
  CHECK(saw_sock);
}

TEST_CASE("the bundled rules raise nothing on a container whose fields are unknown", "[eval][scenario][unknown]") {
  // A root container with the default capabilities, whose credentials,
  // seccomp mode, no_new_privs and root mount could not be read: every field
  // a bundled rule tests is null, so none of them may fire on it.
  test::ModelBuilder b;
  auto& c = b.container("blind", "bb", 4200);
  c.euid.reset();
  c.caps_effective.reset();
  c.caps_bounding.reset();
  c.seccomp_mode.reset();
  c.privileged.reset();
  c.no_new_privs.reset();
  c.read_only_rootfs.reset();
  c.ns.pid.reset(), c.ns.net.reset(), c.ns.mnt.reset(), c.ns.user.reset(), c.ns.uts.reset(), c.ns.ipc.reset();
  const DumpModel model = b.take();
  RuleCompiler compiler;
  for (const char* file : {"containers.rules", "host.rules", "network.rules"}) {
    compiler.add_file(std::filesystem::path(DRYDOCK_SOURCE_DIR) / "rules" / file);
  }
  auto compiled = compiler.compile();
  INFO(render_diagnostics(compiler.diagnostics()));
  REQUIRE(compiled);
  std::set<std::string> on_blind;
  for (const auto& f : evaluate(*compiled, model)) {
    if (f.object_label == "blind") on_blind.insert(f.rule);
  }
  CHECK(on_blind.empty());
  // The same container with its fields known is flagged (the rules do apply).
  test::ModelBuilder known;
  known.container("seen", "ss", 4200);
  std::set<std::string> on_seen;
  for (const auto& f : evaluate(*compiled, known.take())) {
    if (f.object_label == "seen") on_seen.insert(f.rule);
  }
  CHECK(on_seen.count("runs_as_root") == 1);
  CHECK(on_seen.count("writable_root_filesystem") == 1);
  CHECK(on_seen.count("no_new_privileges_not_set") == 1);
}
