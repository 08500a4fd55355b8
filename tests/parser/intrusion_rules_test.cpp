// rules/intrusion.rules on hand-built models: each rule fires on what it
// describes and not on the look-alikes (real kernel threads, image
// executables, ordinary listeners, records that agree with the kernel).

#include <catch2/catch.hpp>

#include <filesystem>
#include <map>
#include <set>

#include "model_builder.hpp"

using namespace drydock;
using namespace drydock::rules;

namespace {

std::map<std::string, std::set<std::string>> findings(const DumpModel& model) {
  RuleCompiler compiler;
  compiler.add_file(std::filesystem::path(DRYDOCK_SOURCE_DIR) / "rules" / "intrusion.rules");
  auto compiled = compiler.compile();
  INFO(render_diagnostics(compiler.diagnostics()));
  REQUIRE(compiled);
  std::map<std::string, std::set<std::string>> out;
  for (const auto& f : evaluate(*compiled, model)) out[f.object].insert(f.rule);
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
