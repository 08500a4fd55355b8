// Issue 16: what users write after the bundled rules — addresses, allow-lists
// and thresholds from outside (typed externals), counting — and the evidence
// of a `none` quantifier.

#include <catch2/catch.hpp>

#include <algorithm>
#include <cstdio>
#include <fstream>
#include <map>
#include <sstream>

#include "engine/model/file_change.hpp"
#include "engine/rules/detail/eval_env.hpp"
#include "engine/rules/functions.hpp"
#include "engine/rules/ip_address.hpp"
#include "engine/rules/schema.hpp"
#include "model_builder.hpp"
#include "support/temp_dir.hpp"

using namespace drydock;
using namespace drydock::rules;
using drydock::test::compile_text;

namespace {

constexpr const char* kMeta = "meta: severity = \"high\" description = \"d\" ";

using Labels = std::vector<std::string>;
using Defines = std::vector<std::pair<std::string, std::string>>;

std::vector<Finding> run(const std::string& text, const DumpModel& model, Defines defines = {}) {
  auto compiled = compile_text(text, std::move(defines));
  INFO(compiled.rendered);
  REQUIRE(compiled.rules.has_value());
  return evaluate(*compiled.rules, model, {});
}

Labels matched(const std::string& prelude, const std::string& scope, const std::string& condition,
               const DumpModel& model, Defines defines = {}) {
  auto findings = run(prelude + "\nrule r on " + scope + " { " + kMeta + "condition: " + condition + " }", model,
                      std::move(defines));
  Labels labels;
  for (const auto& f : findings) labels.push_back(f.object_label);
  return labels;
}

struct Endpoint {
  std::string address;
  std::uint16_t port;
};

Socket tcp_socket(std::int32_t pid, std::int32_t fd, std::string family, std::string state, Endpoint local, Endpoint remote) {
  Socket s;
  s.pid = pid;
  s.fd = fd;
  s.family = std::move(family);
  s.protocol = "tcp";
  s.state = std::move(state);
  s.local = std::move(local.address);
  s.local_port = local.port;
  s.remote = std::move(remote.address);
  s.remote_port = remote.port;
  return s;
}

std::string errors_of(const std::string& text, Defines defines = {}) {
  return compile_text(text, std::move(defines)).rendered;
}

}  // namespace

TEST_CASE("IP addresses and networks parse, nest and classify", "[eval][ip]") {
  auto ip = [](const char* t) { return parse_ip(t).value(); };
  auto net = [](const char* t) { return parse_network(t).value(); };
  CHECK(ip_inside(ip("172.17.0.2/16"), net("172.16.0.0/12")));
  CHECK(ip_inside(ip("172.17.0.0/16"), net("172.16.0.0/12")));   // a network inside a wider one
  CHECK_FALSE(ip_inside(ip("172.17.0.0/16"), net("172.17.0.0/24")));  // a network is not inside a narrower one
  CHECK(ip_inside(ip("172.17.0.2/16"), net("172.17.0.0/24")));   // an interface address is its address
  CHECK_FALSE(ip_inside(ip("10.88.0.2/16"), net("172.16.0.0/12")));
  CHECK(ip_inside(ip("fd00::5/64"), net("fc00::/7")));
  CHECK_FALSE(ip_inside(ip("fd00::5"), net("10.0.0.0/8")));  // families never mix
  CHECK(ip_is_private(ip("192.168.1.1")));
  CHECK_FALSE(ip_is_private(ip("8.8.8.8")));
  CHECK(ip_is_loopback(ip("127.0.0.1/8")));
  CHECK(ip_is_loopback(ip("::1")));
  CHECK_FALSE(parse_ip("").has_value());
  CHECK_FALSE(parse_ip("172.17.0.2/33").has_value());
  CHECK_FALSE(parse_ip("example.org").has_value());
}

TEST_CASE("cidr, is_private and is_loopback select containers by address", "[eval][ip]") {
  const auto model = test::docker_basic_model();
  // String equality could not do this: every address inside 172.16.0.0/12 is trusted.
  const std::string outside_trusted = "any n in networks : (not cidr(n.ipv4, external.trusted))";
  CHECK(matched("external trusted = \"172.16.0.0/12\"", "container", outside_trusted, model) ==
        Labels{"hostnet", "pod1"});
  CHECK(matched("external trusted = \"172.16.0.0/12\"", "container", outside_trusted, model,
                {{"trusted", "10.0.0.0/8"}}).size() == 10);
  CHECK(matched("external trusted = [\"172.16.0.0/12\", \"10.0.2.0/24\"]", "container", outside_trusted, model) ==
        Labels{"pod1"});
  CHECK(matched("", "container", "any n in networks : (cidr(n.segment, \"172.20.0.0/16\"))", model) ==
        Labels{"app2", "app1"});
  CHECK(matched("", "interface", "any a in ipv4 : (is_loopback(a))", model) == Labels{"lo"});
  CHECK(matched("", "interface", "any a in ipv4 : (not is_private(a))", model) == Labels{"lo"});
}

TEST_CASE("ip values: == compares addresses, in, string operators, IPv6 and IPv4-mapped forms", "[eval][ip]") {
  const auto model = test::docker_basic_model();
  // A segment is a network: equal to the same network however it is written.
  CHECK(matched("", "container", "any n in networks : (n.segment == \"172.20.0.0/16\")", model) == Labels{"app2", "app1"});
  CHECK(matched("", "container", "any n in networks : (n.segment == \"172.20.0.0\")", model).empty());  // one address
  // An interface address "a.b.c.d/len" is the address a.b.c.d.
  CHECK(matched("", "container", "any n in networks : (n.ipv4 == \"172.20.0.2\")", model) == Labels{"app1"});
  CHECK(matched("", "container", "any n in networks : (n.ipv4 == \"::ffff:172.20.0.2\")", model) == Labels{"app1"});
  CHECK(matched("", "container", "any n in networks : (n.ipv4 != \"172.20.0.2\" and n.ipv4 in (\"172.20.0.2\", \"172.20.0.3\"))",
                model) == Labels{"app2"});
  CHECK(matched("", "interface", "\"127.0.0.1\" in ipv4", model) == Labels{"lo"});
  CHECK(matched("external hosts = [\"10.88.0.1\", \"172.20.0.1\"]", "interface",
                "any a in ipv4 : (a in external.hosts)", model) == Labels{"br-5a1b2c3d4e5f", "cni-podman0"});
  // String operators and `matches` see the text the address was read from.
  CHECK(matched("", "container", "any n in networks : (n.ipv4 startswith \"172.20.\" and n.ipv4 endswith \"/16\")",
                model) == Labels{"app2", "app1"});
  CHECK(matched("", "interface", "any a in ipv4 : (a matches /^127\\./)", model) == Labels{"lo"});
  CHECK(matched("", "interface", "#ipv4 == 1 and len(ipv6) == 0 and name == \"lo\"", model) == Labels{"lo"});

  // IPv6 addresses and networks, and a dual-stack socket's IPv4-mapped peer.
  auto v6 = model;
  v6.interfaces.front().ipv6.push_back(IpAddress{"::1", 128});
  v6.interfaces[1].ipv6.push_back(IpAddress{"fd00:5::2", 64});
  v6.interfaces[1].ipv6.push_back(IpAddress{"2001:db8::1", 64});
  CHECK(matched("", "interface", "any a in ipv6 : (is_loopback(a))", v6) == Labels{"lo"});
  CHECK(matched("", "interface", "any a in ipv6 : (is_private(a) and cidr(a, \"fd00::/8\"))", v6) == Labels{"eth0"});
  CHECK(matched("", "interface", "any a in ipv6 : (not is_private(a) and not is_loopback(a))", v6) == Labels{"eth0"});
  CHECK(matched("", "interface", "\"2001:db8::1\" in ipv6 and not cidr(\"2001:db8::1\", \"10.0.0.0/8\")", v6) ==
        Labels{"eth0"});
  v6.sockets.push_back(tcp_socket(v6.tasks.front().pid, 5, "ipv6", "ESTAB", {"::ffff:10.0.2.15", 22}, {"2001:db8::7", 50000}));
  const std::string on_socket = "any s in sockets : (";
  CHECK(matched("", "task", on_socket + "s.local == \"10.0.2.15\" and cidr(s.local, \"10.0.2.0/24\"))", v6) ==
        Labels{"systemd"});
  CHECK(matched("", "task", on_socket + "cidr(s.remote, \"2001:db8::/32\") and not is_private(s.remote))", v6) ==
        Labels{"systemd"});
}

TEST_CASE("a string that is not an address where an ip is expected is E035, at load", "[check][ip]") {
  const std::string rule = std::string("rule r on container { ") + kMeta + "condition: ";
  CHECK_THAT(errors_of(rule + "any n in networks : (n.segment == \"172.20.0/16\") }"),
             Catch::Matchers::Contains("error[E035]: `172.20.0/16` is not an IP address"));
  CHECK_THAT(errors_of(rule + "any n in networks : (is_private(\"\")) }"),
             Catch::Matchers::Contains("error[E035]: `` is not an IP address"));
  CHECK_THAT(errors_of(rule + "any n in networks : (n.ipv4 in (\"10.0.0.1\", \"ten\")) }"),
             Catch::Matchers::Contains("error[E035]: `ten` is not an IP address"));
  CHECK_THAT(errors_of("external hosts = [\"10.0.0.1\", \"x\"]\n" + rule + "any n in networks : (n.ipv4 in external.hosts) }"),
             Catch::Matchers::Contains("error[E035]: `x` is not an IP address"));
  // A string that is not a constant is not an ip: a type error, not a parse at run time.
  CHECK_THAT(errors_of(rule + "any n in networks : (n.ipv4 == name) }"),
             Catch::Matchers::Contains("error[E013]: cannot compare ip with string using `==`"));
  CHECK_THAT(errors_of(rule + "is_private(name) }"),
             Catch::Matchers::Contains("error[E013]: `is_private` needs ip, found string"));
  CHECK_THAT(errors_of(rule + "any n in networks : (n.segment < \"10.0.0.0/8\") }"),
             Catch::Matchers::Contains("only integers are ordered"));
}

TEST_CASE("a malformed address from a dump is unknown: no finding either way", "[eval][ip]") {
  auto model = test::docker_basic_model();
  for (auto& c : model.containers) {
    if (c.name == "pod1") c.networks.front().ipv4 = "10.88.0.999/16";
  }
  model.interfaces.front().ipv4.front().address = "127.0.0.x";
  const std::string cidr = "cidr(n.ipv4, \"10.0.0.0/8\")";
  CHECK(matched("", "container", "any n in networks : (" + cidr + ")", model) == Labels{"hostnet"});
  const auto outside = matched("", "container", "any n in networks : (not " + cidr + ")", model);
  CHECK(std::find(outside.begin(), outside.end(), "pod1") == outside.end());
  CHECK(matched("", "container", "any n in networks : (n.ipv4 != \"10.88.0.2\" and name == \"pod1\")", model).empty());
  CHECK(matched("", "interface", "any a in ipv4 : (is_loopback(a))", model).empty());
  CHECK(matched("", "interface", "name == \"lo\" and not (\"127.0.0.1\" in ipv4)", model).empty());
  CHECK(matched("", "interface", "name == \"lo\" and none a in ipv4 : (is_private(a))", model).empty());
}

TEST_CASE("a bad network is an error naming it, at load", "[check][ip]") {
  CHECK_THAT(errors_of(std::string("rule r on container { ") + kMeta + "condition: cidr(name, \"10.0.0/8\") }"),
             Catch::Matchers::Contains("error[E031]: `10.0.0/8` is not an IP network"));
  const std::string with_external =
      std::string("external trusted = \"10.0.0.0/8\"\nrule r on container { ") + kMeta +
      "condition: any n in networks : (cidr(n.ipv4, external.trusted)) }";
  CHECK(errors_of(with_external).empty());
  CHECK_THAT(errors_of(with_external, {{"trusted", "10.0.0.0/88"}}), Catch::Matchers::Contains("`10.0.0.0/88` is not an IP network"));
}

TEST_CASE("list externals: declared, from -d with commas or @FILE, tested with in", "[eval][external]") {
  const auto model = test::docker_basic_model();
  const std::string allowed = "external allowed_root = [\"systemd\", \"containerd\", \"dockerd\"]";
  const std::string root_not_allowed = "euid == 0 and not defined(container) and not (comm in external.allowed_root)";
  CHECK(matched(allowed, "task", root_not_allowed, model).empty());
  // `in` is exact membership: without systemd in the list, pid 1 is flagged.
  CHECK(matched(allowed, "task", root_not_allowed, model, {{"allowed_root", "containerd,dockerd,sleep"}}) ==
        Labels{"systemd"});
  testing::TempDir dir;
  const auto file = dir.path() / "allowed.txt";
  std::ofstream(file) << "# allowed root processes\nsystemd\n\n  containerd  \ndockerd\nsleep\n";
  CHECK(matched(allowed, "task", root_not_allowed, model, {{"allowed_root", "@" + file.string()}}).empty());
  CHECK_THAT(errors_of(allowed + "\nrule r on task { " + kMeta + "condition: " + root_not_allowed + " }",
                       {{"allowed_root", "@" + (dir.path() / "missing").string()}}),
             Catch::Matchers::Contains("error[E028]: -d allowed_root=@"));
  CHECK(matched("external none_yet = []", "task", "comm in external.none_yet", model).empty());
}

TEST_CASE("matches external: compiled at load, errors name the external", "[eval][external]") {
  const auto model = test::docker_basic_model();
  const std::string decl = "external re = \"^(containerd|dockerd)$\"";
  CHECK(matched(decl, "task", "comm matches external.re", model) == Labels{"containerd", "dockerd"});
  CHECK(matched(decl, "task", "comm matches external.re", model, {{"re", "^system"}}) ==
        Labels{"systemd", "systemd-network"});
  const auto bad = errors_of(decl + "\nrule r on task { " + kMeta + "condition: comm matches external.re }", {{"re", "(x"}});
  CHECK_THAT(bad, Catch::Matchers::Contains("error[E016]: external `re` = \"(x\" is not a valid regular expression"));
}

TEST_CASE("count of a filtered list and an external threshold", "[eval][external]") {
  const auto model = test::docker_basic_model();
  CHECK(matched("external max_priv = 0", "host", "count(c in containers : c.privileged) > external.max_priv", model) ==
        Labels{model.info.kernel_release});
  CHECK(matched("external max_priv = 0", "host", "count(c in containers : c.privileged) > external.max_priv", model,
                {{"max_priv", "1"}})
            .empty());
  CHECK(matched("", "container", "count(t in tasks : t.comm == \"sleep\") >= 2", model) == Labels{"multi"});
  CHECK(matched("external n = 2", "host", "external.n of c in containers : (c.privileged or c.name == \"web\")", model)
            .size() == 1);
  CHECK(matched("external n = 3", "host", "external.n of c in containers : (c.privileged or c.name == \"web\")", model)
            .empty());
  const auto findings = run(std::string("rule r on host { ") + kMeta +
                                "condition: count(c in containers : c.privileged) == 1 }",
                            model);
  REQUIRE(findings.size() == 1);
  REQUIRE(!findings[0].evidence.empty());
  CHECK(findings[0].evidence[0].path == "count(c in containers)");
  CHECK_THAT(errors_of(std::string("external n = \"x\"\nrule r on host { ") + kMeta +
                       "condition: external.n of c in containers : (c.privileged) }"),
             Catch::Matchers::Contains("needs an integer external"));
  // `count(` without `NAME in` is a call of an unknown function.
  CHECK_THAT(errors_of(std::string("rule r on host { ") + kMeta + "condition: count(containers) > 1 }"),
             Catch::Matchers::Contains("E024"));
}

TEST_CASE("a none quantifier that holds has evidence", "[eval][evidence]") {
  const auto model = test::docker_basic_model();
  const auto findings = run(std::string("rule r on container { ") + kMeta +
                                "condition: name == \"web\" and none m in mounts : (m.destination == \"/etc\") }",
                            model);
  REQUIRE(findings.size() == 1);
  bool found = false;
  for (const auto& e : findings[0].evidence) found = found || e.path == "len(mounts)";
  CHECK(found);
}

TEST_CASE("a -d naming no declared external and used by no rule is a warning with a hint", "[check][external]") {
  auto out = compile_text(std::string("external trusted_segment = \"x\"\nrule r on container { ") + kMeta +
                              "condition: name == external.trusted_segment }",
                          {{"trusted_segmnt", "y"}});
  REQUIRE(out.rules.has_value());
  CHECK_THAT(out.rendered, Catch::Matchers::Contains("warning[W002]: -d trusted_segmnt: no rule declares or uses"));
  CHECK_THAT(out.rendered, Catch::Matchers::Contains("did you mean `trusted_segment`?"));
  // Used by a rule without a declaration: no warning.
  auto used = compile_text(std::string("rule r on container { ") + kMeta + "condition: name == external.who }",
                           {{"who", "web"}});
  CHECK(used.rendered.empty());
}

TEST_CASE("override rule replaces an earlier rule in its place, and without it a duplicate stays an error", "[check][override]") {
  const auto model = test::docker_basic_model();
  const std::string bundled = std::string("rule runs_as_root on container { ") + kMeta +
                              "condition: euid == 0 }\n"
                              "rule root_and_podman on container { " + kMeta +
                              "condition: runs_as_root and runtime == \"podman\" }\n";
  const std::string user = std::string("override rule runs_as_root on container { ") + kMeta +
                           "condition: euid == 0 and name != \"pod1\" }\n";
  rules::RuleCompiler compiler;
  compiler.add_source(bundled, "bundled.rules");
  compiler.add_source(user, "mine.rules");
  auto compiled = compiler.compile();
  INFO(render_diagnostics(compiler.diagnostics()));
  REQUIRE(static_cast<bool>(compiled));
  REQUIRE(compiled->rules().size() == 2);
  CHECK(compiled->rules()[0].is_override);
  CHECK(compiled->rules()[0].file == "mine.rules");
  std::vector<std::string> hits;
  for (const auto& f : evaluate(*compiled, model, {})) hits.push_back(f.rule + ":" + f.object_label);
  CHECK(std::count(hits.begin(), hits.end(), "runs_as_root:pod1") == 0);
  // The rule that uses it by name sees the replacement.
  CHECK(std::count(hits.begin(), hits.end(), "root_and_podman:pod1") == 0);

  auto duplicate = compile_text(bundled + "rule runs_as_root on container { " + kMeta + "condition: true }");
  CHECK_FALSE(duplicate.rules.has_value());
  CHECK_THAT(duplicate.rendered, Catch::Matchers::Contains("write `override rule runs_as_root`"));
}

TEST_CASE("disabling a rule turns it off, and an unknown name is an error", "[check][override]") {
  const auto model = test::docker_basic_model();
  rules::RuleCompiler compiler;
  compiler.add_source(std::string("rule runs_as_root on container { ") + kMeta + "condition: euid == 0 }", "b.rules");
  compiler.disable("runs_as_root");
  auto compiled = compiler.compile();
  REQUIRE(static_cast<bool>(compiled));
  CHECK(compiled->rules()[0].is_disabled);
  CHECK(evaluate(*compiled, model, {}).empty());
}

TEST_CASE("the README's user-rules example compiles and selects what it says", "[readme][external]") {
  std::ifstream in(std::string(DRYDOCK_SOURCE_DIR) + "/README.md");
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string readme = ss.str();
  const auto marker = readme.find("<!-- README example: user rules");
  REQUIRE(marker != std::string::npos);
  const auto open = readme.find("```\n", marker);
  const auto close = readme.find("```\n", open + 4);
  const std::string example = readme.substr(open + 4, close - open - 4);
  auto model = test::docker_basic_model();
  for (auto& t : model.tasks) t.state = "sleeping";  // a count over unknown states would be unknown
  auto objects = [&](Defines defines, const std::string& rule) {
    std::vector<std::string> out;
    for (const auto& f : run(example, model, std::move(defines))) {
      if (f.rule == rule) out.push_back(f.object_label);
    }
    return out;
  };
  CHECK(objects({}, "outside_trusted") == Labels{"hostnet", "pod1"});
  CHECK(objects({{"trusted", "10.0.0.0/8"}}, "outside_trusted").size() == 10);
  CHECK(objects({}, "unexpected_root_process") == Labels{"containerd", "dockerd"});
  CHECK(objects({{"allowed_root", "systemd,containerd,dockerd"}}, "unexpected_root_process").empty());
  CHECK(objects({}, "too_many_privileged").size() == 1);
  CHECK(objects({{"max_priv", "1"}}, "too_many_privileged").empty());
  CHECK(objects({}, "busy_container") == Labels{"multi"});
  auto on_bridge = objects({}, "on_default_bridge");
  std::sort(on_bridge.begin(), on_bridge.end());
  CHECK(on_bridge == Labels{"caps", "etcro", "etcrw", "hostpid", "multi", "priv", "sock", "web"});
  CHECK(objects({{"shell_re", "^sle+p$"}}, "shell_in_container").size() == 14);
}

TEST_CASE("the README's function list is the function table", "[readme][schema]") {
  std::ifstream in(std::string(DRYDOCK_SOURCE_DIR) + "/README.md");
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string readme = ss.str();
  for (const FunctionDef& f : functions()) {
    INFO(f.name);
    CHECK(readme.find("| `" + std::string(f.signature) + "` | " + std::string(f.description) + " |") != std::string::npos);
    CHECK(f.signature.substr(0, f.name.size() + 1) == std::string(f.name) + "(");
  }
}

TEST_CASE("every field getter returns its declared type on a populated model", "[schema]") {
  auto model = test::docker_basic_model();
  for (auto& t : model.tasks) {
    t.state = "sleeping";
    t.start_boottime_ns = 1000;
  }
  // One container changed a file wholly in memory and deleted another, so
  // every change field has an object to be read from.
  FileChange passwd;
  passwd.path = "/etc/passwd";
  passwd.kind = "file";
  passwd.change = "added_or_modified";
  passwd.inode = 12;
  passwd.mode = 0100644;
  passwd.mode_string = "-rw-r--r--";
  passwd.uid = 0;
  passwd.gid = 0;
  passwd.size = 6;
  passwd.mtime_unix_ns = passwd.ctime_unix_ns = 1000;
  passwd.bytes_in_memory = 6;
  passwd.content_complete = true;
  passwd.sha256 = std::string(64, 'a');
  passwd.first_line = "root:x";
  passwd.lines = std::vector<std::string>{"root:x"};
  FileChange dir;
  dir.path = "/var/log";
  dir.kind = "directory";
  dir.change = "added_or_modified";
  dir.opaque = true;
  FileChange gone;
  gone.path = "/var/log/syslog";
  gone.kind = "whiteout";
  gone.change = "deleted";
  gone.rdev_major = gone.rdev_minor = 0;
  REQUIRE(!model.containers.empty());
  model.containers.front().changes = std::vector<FileChange>{passwd, dir, gone};
  // A socket, so that kind has an object too.
  Socket socket = tcp_socket(model.tasks.front().pid, 3, "ipv4", "LISTEN", {"0.0.0.0", 80}, {"0.0.0.0", 0});
  socket.net_ns = 4026531840;
  model.sockets.push_back(socket);
  Socket unix_socket;  // so `path` has a value, and `local` is absent on it
  unix_socket.pid = socket.pid;
  unix_socket.fd = 4;
  unix_socket.family = "unix";
  unix_socket.protocol = "unix";
  unix_socket.local = "/run/app.sock";
  model.sockets.push_back(unix_socket);
  const detail::EvalEnv env(model);
  // Objects of every kind, enumerated as the kind table says.
  std::map<ObjectKind, std::vector<Obj>> objects;
  for (const KindDef& kind : object_kinds()) {
    objects[kind.kind] = kind.objects(env);
    INFO(kind.name);
    CHECK(!objects[kind.kind].empty());
    for (const Obj& o : objects[kind.kind]) CHECK(o.kind == kind.kind);
    CHECK(&kind_def(kind.kind) == &kind);
    CHECK(kind_by_name(kind.name) == &kind);
    for (const Obj& o : objects[kind.kind]) {
      CHECK(!env.object_id(o).empty());
      CHECK(!env.object_title(o).empty());
      CHECK(!env.object_identity(o).empty());
    }
  }
  // Every kind of object has its row.
  for (int k = 0; k < static_cast<int>(ObjectKind::none); ++k) {
    CHECK(kind_by_name(to_string(static_cast<ObjectKind>(k))) != nullptr);
  }
  for (const FieldDef& field : schema()) {
    INFO(to_string(field.owner) << "." << field.name);
    const auto& list = objects[field.owner];
    REQUIRE(!list.empty());
    bool some_value = false;
    for (const Obj& o : list) {
      const Value v = field.get(env, o);
      if (v.is_null()) {
        CHECK(field.nullable);  // only a field that may be absent is ever absent
        continue;
      }
      some_value = true;
      CHECK(v.kind == field.type);
      if (v.kind == ValueType::ip_list) CHECK(v.ips.size() == v.strings.size());
      if (v.kind == ValueType::object) CHECK(v.object.kind == field.target);
      if (v.kind == ValueType::object_list) {
        for (const Obj& x : v.objects) CHECK(x.kind == field.target);
      }
    }
    if (!some_value) CHECK(field.nullable);  // never present on this model: must be declared absent-able
  }
}
