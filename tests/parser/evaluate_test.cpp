// Evaluation over hand-built models: what matches, what must not, evidence,
// messages, null handling, global/private semantics and determinism.

#include <catch2/catch.hpp>

#include <algorithm>
#include <set>
#include <thread>

#include "model_builder.hpp"

using namespace drydock;
using namespace drydock::rules;
using drydock::test::compile_text;
using drydock::test::ModelBuilder;

namespace {

constexpr const char* kMeta = "meta: severity = \"high\" description = \"d\" ";

std::vector<Finding> run(const std::string& text, const DumpModel& model, EvalOptions options = {},
                         std::vector<std::pair<std::string, std::string>> defines = {}) {
  auto compiled = compile_text(text, std::move(defines));
  INFO(compiled.rendered);
  REQUIRE(compiled.rules.has_value());
  return evaluate(*compiled.rules, model, options);
}

// The labels of the objects the single rule `r` matched.
std::vector<std::string> matched(const std::string& scope, const std::string& condition, const DumpModel& model,
                                 std::vector<std::pair<std::string, std::string>> defines = {}) {
  auto findings = run("rule r on " + scope + " { " + kMeta + "condition: " + condition + " }", model, {}, defines);
  std::vector<std::string> labels;
  for (const auto& f : findings) labels.push_back(f.object_label);
  return labels;
}

using Labels = std::vector<std::string>;

const Evidence* find_evidence(const Finding& f, const std::string& path) {
  for (const auto& e : f.evidence) {
    if (e.path == path) return &e;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("comparisons on container fields select the right containers", "[eval]") {
  const auto model = test::docker_basic_model();
  CHECK(matched("container", "euid != 0", model) == Labels{"web"});
  CHECK(matched("container", "privileged", model) == Labels{"priv"});
  CHECK(matched("container", "not privileged and euid == 0 and runtime == \"podman\"", model) == Labels{"pod1"});
  CHECK(matched("container", "init_pid >= 1700 and init_pid < 1800", model) == Labels{"multi"});
}

TEST_CASE("integer arithmetic and bitwise operators work on capability masks", "[eval]") {
  const auto model = test::docker_basic_model();
  CHECK(matched("container", "caps_effective & mask(CAP_SYS_ADMIN) != 0 and not privileged", model) == Labels{"caps"});
  CHECK(matched("container", "has_cap(caps_effective, CAP_NET_ADMIN) and has_cap(caps_effective, CAP_SYS_ADMIN) and not privileged",
                model) == Labels{"caps"});
  CHECK(matched("container", "caps_effective & ~0xa80425fb & mask(CAP_SYS_ADMIN, CAP_NET_ADMIN) == mask(CAP_NET_ADMIN, CAP_SYS_ADMIN) and not privileged",
                model) == Labels{"caps"});
  CHECK(matched("container", "popcount(caps_effective) >= 38", model) == Labels{"priv"});
  CHECK(matched("container", "(caps_effective >> 12) & 1 == 1 and (1 << 21) == mask(CAP_SYS_ADMIN) and not privileged", model) ==
        Labels{"caps"});
  CHECK(matched("container", "euid + 2 * 3 - 6 == 1000 and euid / 10 % 7 == 2 and (euid ^ 1000) == 0 and (euid | 8) == 1000",
                model) == Labels{"web"});
  CHECK(matched("container", "-euid == -1000 and ~0 == -1", model) == Labels{"web"});
}

TEST_CASE("division by zero and bad shifts do not crash and do not match", "[eval]") {
  const auto model = test::docker_basic_model();
  CHECK(matched("container", "euid / 0 == 0", model).empty());
  CHECK(matched("container", "euid % 0 == 0", model).empty());
  // The quotient is unknown, so is its negation: nothing matches on it.
  CHECK(matched("container", "not (euid / 0 == 0) and name == \"web\"", model).empty());
  CHECK(matched("container", "not (euid / 0 == 0) or name == \"web\"", model) == Labels{"web"});
  CHECK(matched("container", "(1 << 64) == 0 and (1 << -1) == 0 and name == \"web\"", model) == Labels{"web"});
  CHECK(matched("container", "(-9223372036854775807 - 1) / -1 == 0", model).empty());
  CHECK(matched("container", "9223372036854775807 + 1 < 0 and name == \"web\"", model) == Labels{"web"});
}

TEST_CASE("string operators", "[eval]") {
  const auto model = test::docker_basic_model();
  CHECK(matched("container", "name contains \"tc\"", model) == Labels{"etcro", "etcrw"});
  CHECK(matched("container", "name icontains \"TCR\"", model) == Labels{"etcro", "etcrw"});
  CHECK(matched("container", "name startswith \"app\"", model) == Labels{"app2", "app1"});
  CHECK(matched("container", "name endswith \"net\"", model) == Labels{"hostnet"});
  CHECK(matched("container", "name iequals \"WEB\"", model) == Labels{"web"});
  CHECK(matched("container", "name matches /^host(net|pid)$/", model) == Labels{"hostnet", "hostpid"});
  CHECK(matched("container", "name matches /^HOSTNET$/i", model) == Labels{"hostnet"});
  CHECK(matched("container", "name matches /^HOSTNET$/", model).empty());
}

TEST_CASE("regex flag s lets dot match a newline", "[eval]") {
  ModelBuilder b;
  b.container("x", "aa", 10).command = "sh -c\nrm -rf /";
  const auto model = b.take();
  CHECK(matched("container", "command matches /-c.rm/", model).empty());
  CHECK(matched("container", "command matches /-c.rm/s", model) == Labels{"x"});
}

TEST_CASE("membership in literal lists, ranges and list fields", "[eval]") {
  const auto model = test::docker_basic_model();
  CHECK(matched("container", "name in (\"web\", \"priv\")", model) == Labels{"priv", "web"});
  CHECK(matched("container", "euid in (1..1000)", model) == Labels{"web"});
  CHECK(matched("container", "\"net\" in host_namespaces", model) == Labels{"hostnet"});
  CHECK(matched("container", "\"CAP_SYS_ADMIN\" in caps_effective_names and not privileged", model) == Labels{"caps"});
  CHECK(matched("container", "1738 in pids", model) == Labels{"multi"});
}

TEST_CASE("list length with # and len()", "[eval]") {
  const auto model = test::docker_basic_model();
  CHECK(matched("container", "#tasks == 3", model) == Labels{"multi"});
  CHECK(matched("container", "len(tasks) == 3 and len(name) == 5", model) == Labels{"multi"});
  CHECK(matched("container", "#mounts > 0", model).size() == 3);
}

TEST_CASE("quantifiers any, all, none and N of", "[eval]") {
  const auto model = test::docker_basic_model();
  CHECK(matched("container", "any m in mounts : (m.source matches /(^|\\/)docker\\.sock$/)", model) == Labels{"sock"});
  CHECK(matched("container", "any m in mounts : (m.destination startswith \"/host/etc\" and not m.read_only)", model) ==
        Labels{"etcrw"});
  CHECK(matched("container", "#mounts > 0 and all m in mounts : (m.read_only)", model) == Labels{"etcro"});
  CHECK(matched("container", "#mounts > 0 and none m in mounts : (m.read_only)", model) == Labels{"sock", "etcrw"});
  CHECK(matched("container", "3 of t in tasks : (t.comm == \"sleep\")", model) == Labels{"multi"});
  CHECK(matched("container", "for 4 of t in tasks : (t.comm == \"sleep\")", model).empty());
  CHECK(matched("container", "for any n in caps_effective_names : (n == \"CAP_NET_ADMIN\") and not privileged", model) ==
        Labels{"caps"});
  CHECK(matched("container", "name == \"web\" and all t in tasks : (false) == false", model) == Labels{"web"});
}

TEST_CASE("quantifiers over empty lists follow the documented truth", "[eval]") {
  const auto model = test::docker_basic_model();
  // web has no mounts: any is false, all and none are true, `0 of` is true.
  CHECK(matched("container", "name == \"web\" and all m in mounts : (false)", model) == Labels{"web"});
  CHECK(matched("container", "name == \"web\" and none m in mounts : (true)", model) == Labels{"web"});
  CHECK(matched("container", "name == \"web\" and 0 of m in mounts : (true)", model) == Labels{"web"});
  CHECK(matched("container", "name == \"web\" and any m in mounts : (true)", model).empty());
}

TEST_CASE("nested quantifiers see the outer variable", "[eval]") {
  const auto model = test::docker_basic_model();
  CHECK(matched("host", "any c in containers : (c.name == \"multi\" and 2 of t in c.tasks : (t.ppid == c.init_pid))", model) ==
        Labels{"6.1.0-56-amd64"});
}

TEST_CASE("a task navigates to its container, and a missing container makes comparisons unknown", "[eval]") {
  const auto model = test::docker_basic_model();
  CHECK(matched("task", "container.name == \"multi\" and pid != container.init_pid", model) == Labels{"sleep", "sleep"});
  CHECK(matched("task", "container.privileged", model) == Labels{"sleep"});
  // dockerd has no container: a comparison with its fields is unknown, and
  // so is its negation (three-valued logic); only defined() tells absence apart.
  CHECK(matched("task", "comm == \"dockerd\" and container.euid == 0", model).empty());
  CHECK(matched("task", "comm == \"dockerd\" and container.euid != 0", model).empty());
  CHECK(matched("task", "comm == \"dockerd\" and not (container.euid == 0)", model).empty());
  CHECK(matched("task", "comm == \"dockerd\" and (container.euid == 0 or true)", model) == Labels{"dockerd"});
  CHECK(matched("task", "comm == \"dockerd\" and not defined(container)", model) == Labels{"dockerd"});
  CHECK(matched("task", "not defined(container) and comm == \"sleep\"", model).empty());
}

TEST_CASE("containers navigate to tasks, interfaces, kernel mounts and segments", "[eval]") {
  ModelBuilder b;
  auto& c = b.container("c", "cc", 100);
  b.interface(*c.ns.net, "eth0", "veth", "172.17.0.2");
  b.mount(*c.ns.mnt, 500, "/", "overlay");
  b.mount(*c.ns.mnt, 501, "/etc/hosts", "ext4", true);
  b.interface(test::kHostNet, "docker0", "bridge", "172.17.0.1");
  b.add_network(c, "172.17.0.2/16", "172.17.0.0/16");
  auto model = b.take();
  CHECK(matched("container", "#interfaces == 1 and any i in interfaces : (\"172.17.0.2/16\" in i.ipv4)", model) == Labels{"c"});
  CHECK(matched("container", "2 of m in kernel_mounts : (m.container.name == \"c\")", model) == Labels{"c"});
  CHECK(matched("container", "any s in segments : (s.bridge == \"docker0\")", model) == Labels{"c"});
  CHECK(matched("mount", "read_only and container.name == \"c\"", model) == Labels{"/etc/hosts"});
  CHECK(matched("interface", "defined(container) and kind == \"veth\"", model) == Labels{"eth0"});
  CHECK(matched("interface", "not defined(container)", model) == Labels{"docker0"});
  CHECK(matched("container", "init_task.comm == \"sleep\"", model) == Labels{"c"});
}

TEST_CASE("network scope: one object per segment listing its members", "[eval][network]") {
  const auto model = test::docker_basic_model();
  auto findings = run(R"(
rule shared_segment on network {
  meta:
    severity = "info"
    description = "containers share a segment"
    message = "{member_count} containers share {segment} on {bridge}: {members}"
  condition: member_count >= 2
})",
                      model);
  REQUIRE(findings.size() == 2);
  CHECK(findings[0].object == "172.17.0.0/16");
  CHECK(findings[0].object_label == "docker0");
  std::set<std::string> bridge_members;
  for (const auto& e : findings[0].evidence) {
    (void)e;
  }
  CHECK(findings[0].message ==
        "8 containers share 172.17.0.0/16 on docker0: etcro, priv, multi, sock, web, hostpid, caps, etcrw");
  CHECK(findings[1].object == "172.20.0.0/16");
  CHECK(findings[1].message == "2 containers share 172.20.0.0/16 on br-5a1b2c3d4e5f: app2, app1");
  // pod1 alone on 10.88.0.0/16 and the host network are not reported.
  auto all = run("rule any_segment on network { meta: severity = \"info\" description = \"d\" condition: true }", model);
  std::vector<std::string> segments;
  for (const auto& f : all) segments.push_back(f.object);
  CHECK(segments == std::vector<std::string>{"10.88.0.0/16", "172.17.0.0/16", "172.20.0.0/16"});
}

TEST_CASE("host scope runs once per dump", "[eval]") {
  const auto model = test::docker_basic_model();
  auto findings = run(R"(rule engine on host {
    meta: severity = "info" description = "engine" message = "engines: {engines}"
    condition: "docker" in engines and any t in tasks : (t.comm == "dockerd") })",
                      model);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].object == "host");
  CHECK(findings[0].scope == "host");
  CHECK(findings[0].message == "engines: docker, podman");
}

TEST_CASE("evidence names the fields and the matching list elements", "[eval][evidence]") {
  const auto model = test::docker_basic_model();
  auto findings = run(R"(rule sock on container {
    meta: severity = "critical" description = "socket"
    condition: euid == 0 and any m in mounts : (m.source endswith "docker.sock") })",
                      model);
  REQUIRE(findings.size() == 1);
  const auto& f = findings[0];
  CHECK(f.object_label == "sock");
  const auto* euid = find_evidence(f, "euid");
  REQUIRE(euid != nullptr);
  CHECK(std::get<std::int64_t>(euid->value) == 0);
  const auto* source = find_evidence(f, "mounts[0].source");
  REQUIRE(source != nullptr);
  CHECK(std::get<std::string>(source->value) == "/run/docker.sock");
}

TEST_CASE("evidence follows or, not and rule references", "[eval][evidence]") {
  const auto model = test::docker_basic_model();
  auto findings = run(R"(
private rule root on container { condition: euid == 0 }
rule r on container {
  meta: severity = "high" description = "d"
  condition: root and (privileged or name == "nope") and not (seccomp_mode == 2) })",
                      model);
  REQUIRE(findings.size() == 1);
  const auto& f = findings[0];
  CHECK(find_evidence(f, "euid") != nullptr);
  CHECK(find_evidence(f, "privileged") != nullptr);
  CHECK(find_evidence(f, "name") == nullptr);  // the false branch of `or` is not evidence
  REQUIRE(find_evidence(f, "seccomp_mode") != nullptr);
  CHECK(std::get<std::int64_t>(find_evidence(f, "seccomp_mode")->value) == 0);
  const auto* caps = find_evidence(f, "caps_effective");
  CHECK(caps == nullptr);
}

TEST_CASE("capability masks are marked as hex evidence", "[eval][evidence]") {
  const auto model = test::docker_basic_model();
  auto findings = run(R"(rule r on container { meta: severity = "high" description = "d"
    condition: has_cap(caps_effective, CAP_SYS_ADMIN) and not privileged })", model);
  REQUIRE(findings.size() == 1);
  const auto* caps = find_evidence(findings[0], "caps_effective");
  REQUIRE(caps != nullptr);
  CHECK(caps->hex);
  CHECK(to_display_string(caps->value, caps->hex) == "0xa82435fb");
}

TEST_CASE("findings carry severity, tags, all meta and the description as message", "[eval]") {
  const auto model = test::docker_basic_model();
  auto findings = run(R"(rule privileged_container : escape cis_5_4 on container {
    meta:
      severity = "critical"
      description = "The container runs privileged"
      cis = 54
      autofix = false
    condition: privileged })",
                      model);
  REQUIRE(findings.size() == 1);
  const auto& f = findings[0];
  CHECK(f.rule == "privileged_container");
  CHECK(f.severity == Severity::critical);
  CHECK(f.tags == std::vector<std::string>{"escape", "cis_5_4"});
  REQUIRE(f.meta.size() == 4);
  CHECK(f.meta[0].key == "severity");
  CHECK(std::get<std::int64_t>(f.meta[2].value) == 54);
  CHECK(std::get<bool>(f.meta[3].value) == false);
  CHECK(f.message == "The container runs privileged");
  CHECK(f.scope == "container");
  CHECK(f.object.size() == 64);
  CHECK(f.object_label == "priv");
}

TEST_CASE("private rules are evaluated and referable but never reported", "[eval]") {
  const auto model = test::docker_basic_model();
  auto findings = run(R"(
private rule is_root on container { condition: euid == 0 }
rule root_and_podman on container { meta: severity = "low" description = "d" condition: is_root and runtime == "podman" })",
                      model);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].rule == "root_and_podman");
}

TEST_CASE("a rule referring to a rule whose condition is unknown is unknown, never its negation", "[eval][unknown]") {
  test::ModelBuilder b;
  b.container("known", "kk", 4100);
  auto& blind = b.container("blind", "bb", 4200);
  blind.euid.reset();
  const DumpModel model = b.take();
  auto findings = run(R"(
private rule is_root on container { condition: euid == 0 }
rule not_root on container { meta: severity = "low" description = "d" condition: not is_root }
rule root_or_not on container { meta: severity = "low" description = "d" condition: is_root or not is_root })",
                      model);
  std::set<std::string> labels;
  for (const auto& f : findings) labels.insert(f.rule + ":" + f.object_label);
  // "known" runs as root (the builder's default euid 0): neither is_root's
  // negation nor anything on "blind", whose euid is unknown.
  CHECK(labels == std::set<std::string>{"root_or_not:known"});
}

TEST_CASE("a failing global rule suppresses every other match on that object", "[eval]") {
  const auto model = test::docker_basic_model();
  auto findings = run(R"(
global private rule only_docker on container { condition: runtime == "docker" }
rule root on container { meta: severity = "low" description = "d" condition: euid == 0 }
rule any_task on task { meta: severity = "low" description = "d" condition: comm == "dockerd" })",
                      model);
  std::set<std::string> labels;
  for (const auto& f : findings) {
    if (f.scope == "container") labels.insert(f.object_label);
  }
  CHECK(labels.count("pod1") == 0);  // podman: suppressed by the global rule
  CHECK(labels.count("priv") == 1);
  CHECK(labels.count("web") == 0);   // not root
  // Globals are per scope: the task rule is untouched.
  CHECK(std::count_if(findings.begin(), findings.end(), [](const Finding& f) { return f.scope == "task"; }) == 1);
}

TEST_CASE("a reported global rule is itself a finding when it holds", "[eval]") {
  const auto model = test::docker_basic_model();
  auto findings = run(R"(global rule podman on container { meta: severity = "info" description = "d" condition: runtime == "podman" })",
                      model);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].object_label == "pod1");
}

TEST_CASE("external variables: defaults, -d overrides and typed conversion", "[eval][externals]") {
  const auto model = test::docker_basic_model();
  const std::string rules = R"(
external min_uid = 1000
external wanted = "web"
rule r on container { meta: severity = "low" description = "d" condition: euid >= external.min_uid and name == external.wanted })";
  CHECK(run(rules, model).size() == 1);
  CHECK(run(rules, model, {}, {{"min_uid", "1001"}}).empty());
  CHECK(run(rules, model, {}, {{"wanted", "priv"}, {"min_uid", "0"}}).size() == 1);
  // Undeclared but defined on the command line: the type is inferred.
  auto findings = run(R"(rule r on container { meta: severity = "low" description = "d" condition: name == external.who and external.flag })",
                      model, {}, {{"who", "sock"}, {"flag", "true"}});
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].object_label == "sock");
}

TEST_CASE("tag and severity filters choose what is reported", "[eval]") {
  const auto model = test::docker_basic_model();
  const std::string rules = R"(
rule a : escape on container { meta: severity = "critical" description = "d" condition: privileged }
rule b : hygiene on container { meta: severity = "low" description = "d" condition: privileged })";
  EvalOptions by_tag;
  by_tag.tags = {"hygiene"};
  auto tagged = run(rules, model, by_tag);
  REQUIRE(tagged.size() == 1);
  CHECK(tagged[0].rule == "b");
  EvalOptions by_severity;
  by_severity.min_severity = Severity::high;
  auto severe = run(rules, model, by_severity);
  REQUIRE(severe.size() == 1);
  CHECK(severe[0].rule == "a");
}

TEST_CASE("message templates fill fields, lists and escaped braces", "[eval]") {
  const auto model = test::docker_basic_model();
  auto findings = run(R"(rule r on container {
    meta: severity = "low" description = "d" message = "{{{name}}} euid={euid} caps={caps_effective} ns={host_namespaces} created={created}"
    condition: name == "hostnet" })",
                      model);
  REQUIRE(findings.size() == 1);
  CHECK(findings[0].message == "{hostnet} euid=0 caps=0xa80425fb ns=net created=(unknown)");
}

TEST_CASE("output is identical for any thread count", "[eval][parallel]") {
  ModelBuilder b;
  for (int i = 0; i < 3000; ++i) {
    auto& t = b.task(10 + i, "proc" + std::to_string(i % 17), static_cast<std::uint32_t>(i % 5));
    t.caps->effective = static_cast<std::uint64_t>(i);
  }
  const auto model = b.take();
  const std::string rules = R"(
rule r1 on task { meta: severity = "low" description = "d" condition: euid == 0 and comm matches /proc1[0-6]/ }
rule r2 on task { meta: severity = "low" description = "d" condition: has_cap(caps_effective, CAP_SYS_ADMIN) })";
  auto render = [](const std::vector<Finding>& fs) {
    std::string out;
    for (const auto& f : fs) out += f.rule + "/" + f.object + "/" + std::to_string(f.evidence.size()) + ";";
    return out;
  };
  EvalOptions one;
  one.threads = 1;
  EvalOptions four;
  four.threads = 2;
  const auto a = render(run(rules, model, one));
  const auto b2 = render(run(rules, model, four));
  const auto c = render(run(rules, model));
  CHECK(!a.empty());
  CHECK(a == b2);
  CHECK(a == c);
}

TEST_CASE("one compiled rule set is shared by concurrent evaluations", "[eval][parallel]") {
  const auto model = test::docker_basic_model();
  auto compiled = compile_text(R"(rule r on container { meta: severity = "low" description = "d" condition: euid == 0 })");
  REQUIRE(compiled.rules);
  std::vector<std::size_t> counts(8);
  std::vector<std::thread> threads;
  for (std::size_t i = 0; i < counts.size(); ++i) {
    threads.emplace_back([&, i] { counts[i] = evaluate(*compiled.rules, model).size(); });
  }
  for (auto& t : threads) t.join();
  for (auto c : counts) CHECK(c == 11);
}

TEST_CASE("hostile sizes stay bounded", "[eval][limits]") {
  ModelBuilder b;
  auto& c = b.container("big", "bb", 10);
  c.command = std::string(1 << 20, 'a');
  const auto model = b.take();
  // Linear-time search for a long needle that almost matches everywhere.
  const std::string needle(200, 'a');
  CHECK(matched("container", "command contains \"" + needle + "b\"", model).empty());
  CHECK(matched("container", "command contains \"" + needle + "\"", model) == Labels{"big"});
  CHECK(matched("container", "command matches /(a|aa)*b/", model).empty());
  auto findings = run(R"(rule r on container { meta: severity = "low" description = "d" condition: command startswith "a" })", model);
  REQUIRE(findings.size() == 1);
  const auto* e = find_evidence(findings[0], "command");
  REQUIRE(e != nullptr);
  CHECK(std::get<std::string>(e->value).size() == 259);  // cut at 256 bytes + "..."
}

TEST_CASE("evidence of all lists every element, nested quantifiers give nested paths", "[eval][evidence]") {
  const auto model = test::docker_basic_model();
  auto all = run(R"(rule r on container { meta: severity = "low" description = "d"
    condition: #tasks == 3 and all t in tasks : (t.comm == "sleep") })", model);
  REQUIRE(all.size() == 1);
  std::vector<std::string> paths;
  for (const auto& e : all[0].evidence) paths.push_back(e.path);
  CHECK(paths == std::vector<std::string>{"len(tasks)", "tasks[0].comm", "tasks[1].comm", "tasks[2].comm"});

  auto nested = run(R"(rule r on host { meta: severity = "low" description = "d"
    condition: any c in containers : (any m in c.mounts : (m.destination == "/var/run/docker.sock")) })", model);
  REQUIRE(nested.size() == 1);
  REQUIRE(nested[0].evidence.size() == 1);
  // Containers are sorted by id: sock (5e02...) is the sixth.
  CHECK(nested[0].evidence[0].path == "containers[5].mounts[0].destination");
}

TEST_CASE("a rule that matches nothing reports nothing", "[eval]") {
  const auto model = test::docker_basic_model();
  CHECK(run(R"(rule r on container { meta: severity = "low" description = "d" condition: false })", model).empty());
  CHECK(run(R"(rule r on mount { meta: severity = "low" description = "d" condition: fstype == "nfs" })", model).empty());
  CHECK(run(R"(rule r on network { meta: severity = "low" description = "d" condition: member_count > 8 })", model).empty());
  DumpModel empty;
  CHECK(run(R"(rule r on container { meta: severity = "low" description = "d" condition: true })", empty).empty());
  CHECK(run(R"(rule r on host { meta: severity = "low" description = "d" condition: #containers == 0 })", empty).size() == 1);
}

TEST_CASE("conditions nested close to the limit check and evaluate", "[eval][limits]") {
  const auto model = test::docker_basic_model();
  const std::string parens = std::string(190, '(') + "euid == 1000" + std::string(190, ')');
  CHECK(matched("container", parens, model) == Labels{"web"});
  std::string nots;
  for (int i = 0; i < 190; ++i) nots += "not ";
  CHECK(matched("container", nots + "(euid == 1000)", model) == Labels{"web"});  // an even number of `not`
  std::string quantifiers = "euid == 1000";
  for (int i = 0; i < 60; ++i) {
    std::string next = "any n";
    next.append(std::to_string(i)).append(" in host_namespaces : (").append(quantifiers).append(") or euid == 1000");
    quantifiers = std::move(next);
  }
  CHECK(matched("container", quantifiers, model) == Labels{"web"});
}
