// rules/intrusion.rules on hand-built models: each rule fires on what it
// describes and not on the look-alikes (real kernel threads, image
// executables, ordinary listeners, records that agree with the kernel).

#include <catch2/catch.hpp>

#include <filesystem>
#include <map>
#include <set>

#include "engine/model/capabilities.hpp"
#include "model_builder.hpp"

using namespace drydock;
using namespace drydock::rules;

namespace {

std::vector<Finding> intrusion_findings(const DumpModel& model) {
  RuleCompiler compiler;
  compiler.add_file(std::filesystem::path(DRYDOCK_SOURCE_DIR) / "rules" / "intrusion.rules");
  auto compiled = compiler.compile();
  INFO(render_diagnostics(compiler.diagnostics()));
  REQUIRE(compiled);
  return evaluate(*compiled, model);
}

std::map<std::string, std::set<std::string>> findings(const DumpModel& model) {
  std::map<std::string, std::set<std::string>> out;
  for (const auto& f : intrusion_findings(model)) out[f.object].insert(f.rule);
  return out;
}

Socket listener(std::int32_t pid, std::uint16_t port) {
  Socket s;
  s.pid = pid;
  s.fd = 3;
  s.family = "ipv6";
  s.protocol = "tcp";
  s.state = "LISTEN";
  s.local = "::";
  s.local_port = port;
  return s;
}

using Rules = std::set<std::string>;

}  // namespace

TEST_CASE("the intrusion rules flag a disguised bind shell and spare its look-alikes", "[eval][intrusion]") {
  test::ModelBuilder b;
  auto& shop = b.container("shop", "aa", 903, 1000, 0);
  const std::string shop_id = shop.id;
  Task& httpd = b.task(904, "httpd", 1000);  // the image's web server, listening
  httpd.exe = "/bin/busybox", httpd.exe_layer = "lower", httpd.container_id = shop_id;
  Task& shell = b.task(1151, "kworkerd", 1000);  // busybox copied into the upper layer, nc -e /bin/sh
  shell.ppid = 903, shell.exe = "/tmp/.cache/kworkerd", shell.exe_layer = "upper", shell.container_id = shop_id;
  shell.cmdline = "nc -ll -p 4444 -e /bin/sh";
  Task& worker = b.task(40, "kworker/0:1", 0);  // a real kernel thread
  worker.kernel_thread = true, worker.ppid = 2, worker.cmdline.reset();
  Task& netcat = b.task(2000, "nc", 0);  // netcat on the host, from the disk
  netcat.exe = "/usr/bin/nc.openbsd", netcat.cmdline = "nc -l 9000";
  DumpModel model = b.take();
  model.sockets = {listener(904, 8080), listener(1151, 4444), listener(2000, 9000)};
  for (const Task& t : model.tasks) {
    for (Socket& s : model.sockets) {
      if (s.pid == t.pid) s.container_id = t.container_id;
    }
  }
  auto got = findings(model);
  CHECK(got["1151"] == Rules{"disguised_kernel_thread", "exe_from_upper_layer", "suspicious_listener"});
  CHECK(got["2000"] == Rules{"suspicious_listener"});
  CHECK(got["904"].empty());
  CHECK(got["40"].empty());
}

TEST_CASE("a kernel view that contradicts the engine's record is flagged, an agreeing or absent record is not",
          "[eval][intrusion]") {
  test::ModelBuilder b;
  auto& raised = b.container("raised", "r1", 500);
  raised.privileged = true;
  raised.record = EngineRecord{};
  raised.record->privileged = false;
  const std::string raised_id = raised.id;  // the next container() may move the vector
  auto& declared = b.container("declared", "d1", 600);
  declared.privileged = true;
  declared.record = EngineRecord{};
  declared.record->privileged = true;
  const std::string declared_id = declared.id;
  auto& unknown = b.container("unknown", "u1", 700);
  unknown.privileged = true;  // no record in memory: nothing to compare
  const std::string unknown_id = unknown.id;
  auto& remounted = b.container("remounted", "m1", 800);
  remounted.read_only_rootfs = false;
  remounted.record = EngineRecord{};
  remounted.record->read_only_rootfs = true;
  const std::string remounted_id = remounted.id;
  auto got = findings(b.take());
  CHECK(got[raised_id] == Rules{"privilege_differs_from_record"});
  CHECK(got[declared_id].empty());
  CHECK(got[unknown_id].empty());
  CHECK(got[remounted_id] == Rules{"read_only_root_differs_from_record"});
}

TEST_CASE("mounts and capabilities beyond the engine's record are flagged only where the record is known",
          "[eval][intrusion]") {
  test::ModelBuilder b;
  auto& added = b.container("added", "a1", 500);  // an /etc bind the record does not list
  b.add_mount(added, "/", "/host", false);
  b.add_mount(added, "/etc", "/mnt/etc", true);
  added.record = EngineRecord{};
  added.record->mounts = std::vector<DeclaredMount>{{"/", "/host", "bind", false}};
  const std::string added_id = added.id;
  auto& agreeing = b.container("agreeing", "b1", 600);
  b.add_mount(agreeing, "/run/docker.sock", "/var/run/docker.sock", false);
  agreeing.record = EngineRecord{};
  agreeing.record->mounts = std::vector<DeclaredMount>{{"/var/run/docker.sock", "/var/run/docker.sock", "bind", false}};
  agreeing.record->capabilities = drydock::capability_names(test::kDockerDefaultCaps);
  const std::string agreeing_id = agreeing.id;
  auto& raised = b.container("raised", "c1", 700, 0, test::kDockerDefaultCaps | (1ull << 21));
  raised.record = EngineRecord{};
  raised.record->privileged = false;
  raised.record->cap_add = std::vector<std::string>{};
  raised.record->cap_drop = std::vector<std::string>{};
  const std::string raised_id = raised.id;
  auto& unknown = b.container("unknown", "d1", 800, 0, test::kDockerDefaultCaps | (1ull << 21));
  b.add_mount(unknown, "/etc", "/mnt/etc", true);  // no record in memory: nothing to compare
  const std::string unknown_id = unknown.id;
  std::map<std::string, std::set<std::string>> got;
  std::map<std::string, std::string> messages;
  for (const auto& f : intrusion_findings(b.take())) {
    got[f.object].insert(f.rule);
    messages[f.object + " " + f.rule] = f.message;
  }
  CHECK(got[added_id] == Rules{"mount_differs_from_record"});
  CHECK(messages[added_id + " mount_differs_from_record"] ==
        "Container added has mounts its engine record does not declare: /etc on /mnt/etc (ro)");
  CHECK(got[agreeing_id].empty());
  CHECK(got[raised_id] == Rules{"capabilities_differ_from_record"});
  CHECK(messages[raised_id + " capabilities_differ_from_record"] ==
        "Container raised holds capabilities its engine record does not grant: CAP_SYS_ADMIN");
  CHECK(got[unknown_id].empty());
}

TEST_CASE("a container created through another's engine socket is flagged with what was observed",
          "[eval][intrusion]") {
  test::ModelBuilder b;
  auto& escape = b.container("escape", "2e", 1466);
  CreatorCandidate c;
  c.creator_id = test::fake_id("fe");
  c.creator_label = "ci-runner";
  c.engine = "docker";
  c.socket_source = "/run/docker.sock";
  c.socket_destination = "/var/run/docker.sock";
  c.creator_started_ns = 1796158515000000000;
  c.client = "/usr/local/bin/docker";
  c.client_changed_ns = 1796158545000000000;
  c.created_ns = 1796158557000000000;
  c.record_source = "/var/lib/docker/containers/2e/config.v2.json";
  escape.possible_creators = std::vector<CreatorCandidate>{c};
  const std::string escape_id = escape.id;
  auto& unknown = b.container("unknown", "aa", 1500);  // creation time unknown: nothing said
  const std::string unknown_id = unknown.id;
  auto& none = b.container("none", "bb", 1600);
  none.possible_creators = std::vector<CreatorCandidate>{};
  const std::string none_id = none.id;
  std::map<std::string, std::set<std::string>> got;
  for (const auto& f : intrusion_findings(b.take())) {
    got[f.object].insert(f.rule);
    if (f.rule != "created_from_another_container") continue;
    CHECK(f.message ==
          "Container escape was created 2026-12-01T20:55:57Z (config.v2.json) while container ci-runner had "
          "the Docker API socket mounted at /var/run/docker.sock (since "
          "2026-12-01T20:55:15Z) and got /usr/local/bin/docker in its upper layer at "
          "2026-12-01T20:55:45Z");
    REQUIRE_FALSE(f.evidence.empty());
    CHECK(f.evidence.front().path == "possible_creators[0]");
  }
  CHECK(got[escape_id] == Rules{"created_from_another_container"});
  CHECK(got[unknown_id].empty());
  CHECK(got[none_id].empty());
}
