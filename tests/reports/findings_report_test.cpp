// Issue 16: findings that can be told apart (text groups per object with
// pid, mount ids and container) and imported (SARIF fingerprints stable
// across uploads, located results, meta in written order, one run per host).

#include <catch2/catch.hpp>

#include "parser/model_builder.hpp"
#include "reports/json_output.hpp"
#include "reports/sarif_report.hpp"
#include "reports/scan_report.hpp"

using namespace drydock;

namespace {

constexpr const char* kRules = R"(
rule sleeping on task {
  meta: severity = "low" description = "d" zeta = "z" alpha = 1 message = "{comm} ({pid}) in {container.label}"
  condition: comm == "sleep"
}
rule root_container on container {
  meta: severity = "medium" description = "root" remediation = "r" message = "{label} since {created}"
  condition: euid == 0 and name == "priv"
}
)";

struct Scanned {
  rules::CompiledRules rules;
  std::vector<DumpScanResult> results;
};

Scanned scan(const std::string& display, const std::string& hostname) {
  auto compiled = test::compile_text(kRules);
  INFO(compiled.rendered);
  REQUIRE(compiled.rules.has_value());
  DumpModel model = test::docker_basic_model();
  for (auto& t : model.tasks) {
    if (t.pid == 1) t.hostname = hostname;
    t.start_boottime_ns = 1000 + static_cast<std::uint64_t>(t.pid);
  }
  for (auto& c : model.containers) c.created_unix_ns = 1795000000000000000;
  DumpScanResult r;
  r.display = display;
  r.sha256 = "827de8d18591bb36ba69a64de7e5218edaee13371316e782b602e2d55623ecf5";
  r.findings = rules::evaluate(*compiled.rules, model, {});
  r.model = std::move(model);
  Scanned out{*compiled.rules, {}};
  out.results.push_back(std::move(r));
  return out;
}

}  // namespace

TEST_CASE("text output gives each task its own group with pid and container", "[report][text]") {
  const auto s = scan("dumps/a.lime", "dockerhost");
  const std::string text = scan_text(s.results);
  // Twelve `sleep` tasks in twelve containers are twelve groups, not one `task sleep`.
  CHECK(text.find("task sleep\n") == std::string::npos);
  CHECK(text.find("task sleep (pid 917) in container ") != std::string::npos);
  CHECK(text.find("(priv)") != std::string::npos);
  CHECK(text.find("sleep (917) in priv") != std::string::npos);   // {container.label}
  CHECK(text.find("priv since 2026-") != std::string::npos);      // {created} as a time
}

TEST_CASE("the container header does not repeat the short id", "[report][text]") {
  auto s = scan("dumps/a.lime", "dockerhost");
  for (auto& c : s.results[0].model->containers) c.name.reset();
  for (auto& f : s.results[0].findings) f.container_label = f.container_id.substr(0, 12);
  const std::string text = scan_text(s.results);
  CHECK(text.find("(3a6aa54f0998)") == std::string::npos);
}

TEST_CASE("SARIF: same findings, same fingerprints, wherever the dump lies", "[report][sarif]") {
  const auto first = scan("/tmp/x/a.lime", "dockerhost");
  const auto second = scan("elsewhere/copy.lime", "dockerhost");
  const auto a = sarif_log(first.results, first.rules);
  const auto b = sarif_log(second.results, second.rules);
  REQUIRE(a["runs"].size() == 1);
  const auto& ra = a["runs"][0]["results"];
  const auto& rb = b["runs"][0]["results"];
  REQUIRE(ra.size() == rb.size());
  REQUIRE(ra.size() == 15);  // one container, fourteen sleep tasks
  std::set<std::string> distinct;
  for (std::size_t i = 0; i < ra.size(); ++i) {
    CHECK(ra[i]["partialFingerprints"] == rb[i]["partialFingerprints"]);
    distinct.insert(ra[i]["partialFingerprints"]["drydockFinding/v2"].get<std::string>());
    CHECK(ra[i]["locations"][0]["physicalLocation"]["region"]["startLine"] == 1);
  }
  CHECK(distinct.size() == ra.size());  // fourteen sleep tasks, fourteen fingerprints
  // Another host: other fingerprints, and its own automation id.
  const auto other = scan("/tmp/x/a.lime", "otherhost");
  const auto c = sarif_log(other.results, other.rules);
  CHECK(c["runs"][0]["results"][0]["partialFingerprints"] != ra[0]["partialFingerprints"]);
  CHECK(a["runs"][0]["automationDetails"]["id"] == "drydock/dockerhost/");
  CHECK(c["runs"][0]["automationDetails"]["id"] == "drydock/otherhost/");
}

TEST_CASE("SARIF: two hosts are two runs; meta is in properties in written order; uri base", "[report][sarif]") {
  auto one = scan("dumps/a.lime", "hosta");
  auto two = scan("dumps/b.lime", "hostb");
  one.results.push_back(std::move(two.results[0]));
  const auto log = sarif_log(one.results, one.rules, SarifOptions{"evidence/dumps"});
  REQUIRE(log["runs"].size() == 2);
  CHECK(log["runs"][1]["artifacts"][0]["location"]["uri"] == "evidence/dumps/b.lime");
  const auto& meta = log["runs"][0]["results"][1]["properties"]["meta"];  // the first task finding
  std::vector<std::string> keys;
  for (const auto& [key, value] : meta.items()) keys.push_back(key);
  CHECK(keys == std::vector<std::string>{"severity", "description", "zeta", "alpha", "message"});
  const std::string text = to_ordered_json_text(log["runs"][0]["results"][1]);
  CHECK(text.find("\"zeta\": \"z\"") < text.find("\"alpha\": 1"));
}
