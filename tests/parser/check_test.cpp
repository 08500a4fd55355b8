// The checker and compiler: names, types, includes, externals, the schema's
// generated documentation, and what `rules list` sees.

#include <catch2/catch.hpp>

#include <filesystem>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <set>
#include <thread>

#include <unistd.h>

#include "model_builder.hpp"

using namespace drydock;
using namespace drydock::rules;
using drydock::test::compile_text;

namespace {

std::vector<std::string> codes(const std::string& text, std::vector<std::pair<std::string, std::string>> defines = {}) {
  auto out = compile_text(text, std::move(defines));
  std::vector<std::string> result;
  for (const auto& d : out.diagnostics) result.push_back(d.code);
  return result;
}

std::string rule_on(const std::string& scope, const std::string& condition) {
  return "rule r on " + scope + " { meta: severity = \"low\" description = \"d\" condition: " + condition + " }";
}

struct TempDir {
  std::filesystem::path path;
  TempDir() {
    path = std::filesystem::temp_directory_path() /
           ("drydock-rules-test-" + std::to_string(::getpid()) + "-" +
            std::to_string(reinterpret_cast<std::uintptr_t>(this)));
    std::filesystem::create_directories(path);
  }
  ~TempDir() { std::filesystem::remove_all(path); }
  void write(const std::string& name, const std::string& text) const {
    std::filesystem::create_directories((path / name).parent_path());
    std::ofstream(path / name) << text;
  }
};

using Codes = std::vector<std::string>;

}  // namespace

TEST_CASE("valid rules compile with no diagnostics", "[check]") {
  auto out = compile_text(rule_on("container", "euid == 0 and any m in mounts : (m.source contains \"sock\")"));
  CHECK(out.rendered.empty());
  REQUIRE(out.rules);
  REQUIRE(out.rules->rules().size() == 1);
  const auto& info = out.rules->rules()[0];
  CHECK(info.name == "r");
  CHECK(info.scope == "container");
  CHECK(info.severity == Severity::low);
  CHECK(info.description == "d");
  CHECK(info.file == "test.rules");
  CHECK(info.line == 1);
}

TEST_CASE("a misspelt field is an error with a suggestion", "[check][diagnostics]") {
  auto out = compile_text(rule_on("container", "eiud == 0"));
  REQUIRE(out.diagnostics.size() == 1);
  const auto& d = out.diagnostics[0];
  CHECK(d.code == "E012");
  CHECK(d.message == "unknown field `eiud` of container");
  CHECK(d.span.column == 75);
  CHECK(d.span.length == 4);
  REQUIRE(d.hints.size() == 1);
  CHECK(d.hints[0] == "did you mean `euid`?");
  CHECK(codes(rule_on("container", "any m in mounts : (m.sorce == \"x\")")) == Codes{"E012"});
  CHECK(codes(rule_on("task", "container.nmae == \"x\"")) == Codes{"E012"});
}

TEST_CASE("every semantic error in a file is reported", "[check][diagnostics]") {
  auto out = compile_text(
      "rule a on container { meta: severity = \"low\" description = \"d\" condition: eiud == 0 }\n"
      "rule b on container { meta: severity = \"bad\" description = \"d\" condition: name == 1 }\n"
      "rule c on contianer { condition: true }\n");
  std::vector<std::string> got;
  for (const auto& d : out.diagnostics) got.push_back(d.code);
  CHECK(got == Codes{"E012", "E018", "E013", "E011"});
  CHECK(!out.rules);
}

TEST_CASE("type errors", "[check][diagnostics]") {
  CHECK(codes(rule_on("container", "euid")) == Codes{"E013"});
  CHECK(codes(rule_on("container", "name == 0")) == Codes{"E013"});
  CHECK(codes(rule_on("container", "name < \"b\"")) == Codes{"E013"});
  CHECK(codes(rule_on("container", "euid contains \"0\"")) == Codes{"E013"});
  CHECK(codes(rule_on("container", "euid matches /0/")) == Codes{"E013"});
  CHECK(codes(rule_on("container", "euid + \"x\" == 1")) == Codes{"E013"});
  CHECK(codes(rule_on("container", "not euid")) == Codes{"E013"});
  CHECK(codes(rule_on("container", "privileged and euid")) == Codes{"E013"});
  CHECK(codes(rule_on("container", "euid in (\"a\", \"b\")")) == Codes{"E013", "E013"});
  CHECK(codes(rule_on("container", "name in (0..3)")) == Codes{"E013"});
  CHECK(codes(rule_on("container", "\"x\" in pids")) == Codes{"E013"});
  CHECK(codes(rule_on("container", "any x in euid : (true)")) == Codes{"E013"});
  CHECK(codes(rule_on("container", "mounts.source == \"x\"")) == Codes{"E013"});
  CHECK(codes(rule_on("container", "#euid > 0")) == Codes{"E013"});
  CHECK(codes(rule_on("container", "-name == 1")) == Codes{"E013"});
  CHECK(codes(rule_on("task", "container == 1")) == Codes{"E013"});
}

TEST_CASE("rule references: earlier rules of the same scope only", "[check][diagnostics]") {
  const std::string meta = " meta: severity = \"low\" description = \"d\" ";
  CHECK(codes("private rule a on container { condition: true }\nrule b on container {" + meta + "condition: a }").empty());
  CHECK(codes("rule b on container {" + meta + "condition: a }\nprivate rule a on container { condition: true }") ==
        Codes{"E015"});
  CHECK(codes("private rule a on task { condition: true }\nrule b on container {" + meta + "condition: a }") ==
        Codes{"E015"});
  CHECK(codes("rule b on container {" + meta + "condition: b }") == Codes{"E015"});
  CHECK(codes("private rule a on container { condition: true }\nrule b on container {" + meta + "condition: a.x }") ==
        Codes{"E013"});
}

TEST_CASE("meta requirements", "[check][diagnostics]") {
  CHECK(codes("rule r on host { condition: true }") == Codes{"E017", "E017"});
  CHECK(codes("private rule r on host { condition: true }").empty());
  CHECK(codes("rule r on host { meta: severity = \"severe\" description = \"d\" condition: true }") == Codes{"E018"});
  CHECK(codes("rule r on host { meta: severity = 3 description = \"d\" condition: true }") == Codes{"E030"});
  CHECK(codes("rule r on host { meta: severity = \"low\" description = \"d\" severity = \"high\" condition: true }") ==
        Codes{"E021"});
  CHECK(codes("rule r on host { meta: severity = \"low\" description = \"d\" message = \"{nope}\" condition: true }") ==
        Codes{"E025"});
  CHECK(codes("rule r on host { meta: severity = \"low\" description = \"d\" message = \"{tasks}\" condition: true }") ==
        Codes{"E025"});
  CHECK(codes("rule r on host { meta: severity = \"low\" description = \"d\" message = \"{kernel_release\" condition: true }") ==
        Codes{"E025"});
}

TEST_CASE("regular expressions are compiled at check time", "[check][diagnostics]") {
  CHECK(codes(rule_on("container", "name matches /(/")) == Codes{"E016"});
  CHECK(codes(rule_on("container", "name matches /a{1001}/")) == Codes{"E016"});
  CHECK(codes(rule_on("container", "name matches /a/x")) == Codes{"E022"});
  CHECK(codes(rule_on("container", "name matches /a/is")).empty());
}

TEST_CASE("names that are not fields", "[check][diagnostics]") {
  CHECK(codes(rule_on("container", "has_cap(caps_effective, CAP_SYS_ADMN)")) == Codes{"E020"});
  CHECK(codes(rule_on("container", "has_caps(caps_effective, CAP_SYS_ADMIN)")) == Codes{"E024"});
  CHECK(codes(rule_on("container", "has_cap(caps_effective)")) == Codes{"E024"});
  CHECK(codes(rule_on("container", "external.nope == 1")) == Codes{"E019"});
  CHECK(codes(rule_on("container", "any t in tasks : (any t in tasks : (true))")) == Codes{"E026"});
  CHECK(codes(rule_on("container", "euid == 99999999999999999999")) == Codes{"E023"});
  CHECK(codes(rule_on("container", "99999999999999999999 of t in tasks : (true)")) == Codes{"E023"});
}

TEST_CASE("every capability has a name, an index and a mask", "[check][capabilities]") {
  REQUIRE(capability_names().size() == 41);
  CHECK(capability_bit("CAP_CHOWN") == 0);
  CHECK(capability_bit("CAP_NET_ADMIN") == 12);
  CHECK(capability_bit("CAP_SYS_ADMIN") == 21);
  CHECK(capability_bit("CAP_CHECKPOINT_RESTORE") == 40);
  CHECK(capability_names_of(0xa80425fb).size() == 14);
  CHECK(capability_names_of(std::uint64_t{1} << 50) == std::vector<std::string>{"CAP_50"});
  const auto model = test::docker_basic_model();
  for (int bit = 0; bit < 41; ++bit) {
    const std::string name(capability_names()[static_cast<std::size_t>(bit)]);
    auto out = compile_text(rule_on("host", name + " == " + std::to_string(bit) + " and mask(" + name + ") == 1 << " +
                                                std::to_string(bit)));
    INFO(out.rendered);
    REQUIRE(out.rules);
    CHECK(evaluate(*out.rules, model).size() == 1);
  }
}

TEST_CASE("externals: declarations, -d values and their errors", "[check][externals]") {
  std::string decl = "external limit = 10\n";
  decl += rule_on("host", "external.limit > 5");
  CHECK(codes(decl).empty());
  CHECK(codes(decl, {{"limit", "0x20"}}).empty());
  auto bad = compile_text(decl, {{"limit", "ten"}});
  REQUIRE(bad.diagnostics.size() == 1);
  CHECK(bad.diagnostics[0].code == "E028");
  CHECK(bad.rendered == "command line: error[E028]: -d limit=ten: `limit` is declared as an integer, and `ten` is not one\n");
  CHECK(codes("external a = 1\nexternal a = 2\n") == Codes{"E027"});
  CHECK(codes(rule_on("host", "external.x == \"5\""), {{"x", "5"}}) == Codes{"E013"});  // inferred integer
  auto compiled = compile_text(decl, {{"limit", "7"}, {"other", "yes"}});
  REQUIRE(compiled.rules);
  REQUIRE(compiled.rules->externals().size() == 2);
  CHECK(compiled.rules->externals()[0].name == "limit");
  CHECK(std::get<std::int64_t>(compiled.rules->externals()[0].value) == 7);
  CHECK(compiled.rules->externals()[1].defined);
}

TEST_CASE("duplicate rule names are reported with the first place", "[check][diagnostics]") {
  auto out = compile_text("private rule a on host { condition: true }\nprivate rule a on host { condition: false }\n");
  REQUIRE(out.diagnostics.size() == 1);
  CHECK(out.diagnostics[0].code == "E010");
  CHECK(out.diagnostics[0].span.line == 2);
  CHECK(out.diagnostics[0].hints.at(0) == "first declared at test.rules:1:14");
}

TEST_CASE("includes are relative to the including file, once each, without cycles", "[check][include]") {
  TempDir dir;
  dir.write("main.rules",
            "include \"lib/common.rules\"\ninclude \"lib/common.rules\"\n"
            "rule uses on container { meta: severity = \"low\" description = \"d\" condition: is_root }\n");
  dir.write("lib/common.rules", "include \"more.rules\"\nprivate rule is_root on container { condition: euid == 0 }\n");
  dir.write("lib/more.rules", "private rule other on container { condition: true }\n");
  RuleCompiler compiler;
  compiler.add_file(dir.path / "main.rules", "main.rules");
  auto compiled = compiler.compile();
  INFO(render_diagnostics(compiler.diagnostics()));
  REQUIRE(compiled);
  REQUIRE(compiled->rules().size() == 3);
  CHECK(compiled->rules()[0].name == "other");
  CHECK(compiled->rules()[0].file == "lib/more.rules");
  CHECK(compiled->rules()[2].name == "uses");

  dir.write("a.rules", "include \"b.rules\"\n");
  dir.write("b.rules", "include \"a.rules\"\n");
  RuleCompiler cyclic;
  cyclic.add_file(dir.path / "a.rules", "a.rules");
  CHECK(!cyclic.compile());
  REQUIRE(cyclic.diagnostics().size() == 1);
  CHECK(cyclic.diagnostics()[0].code == "E006");
  CHECK(cyclic.diagnostics()[0].span.file == "b.rules");

  RuleCompiler missing;
  missing.add_file(dir.path / "nope.rules", "nope.rules");
  CHECK(!missing.compile());
  CHECK(missing.diagnostics().at(0).code == "E005");
  CHECK(render_diagnostic(missing.diagnostics().at(0)) ==
        "nope.rules: error[E005]: cannot read rule file `nope.rules`: cannot open it\n");
}

TEST_CASE("the field reference and listing are generated from the schema", "[check][schema]") {
  const auto markdown = render_field_reference_markdown();
  CHECK(markdown.find("### `container`") != std::string::npos);
  CHECK(markdown.find("| `euid` | integer (may be absent) | Effective uid of the init process |") != std::string::npos);
  CHECK(markdown.find("| `container` | container (may be absent) |") != std::string::npos);
  CHECK(markdown.find("### `network`") != std::string::npos);
  const auto listing = render_field_listing();
  CHECK(listing.find("network.members") != std::string::npos);
  // Every field is in both, and every field resolves in the checker.
  for (const auto& f : schema()) {
    std::string quoted = "`";
    quoted.append(f.name).append("`");
    CHECK(markdown.find(quoted) != std::string::npos);
    CHECK(find_field(f.owner, f.name) == &f);
  }
  for (const auto& kind : object_kinds()) {
    if (!kind.is_scope) continue;
    CHECK(scope_by_name(kind.name) == kind.kind);
  }
}

TEST_CASE("a diagnostic renders with the line, a caret under the span and hints", "[check][diagnostics]") {
  auto out = compile_text("rule r on container {\n  meta: severity = \"low\" description = \"d\"\n  condition: eiud == 0\n}\n");
  CHECK(out.rendered ==
        "test.rules:3:14: error[E012]: unknown field `eiud` of container\n"
        " 3 |   condition: eiud == 0\n"
        "   |              ^~~~ not a field of container, a variable or a rule\n"
        "   = hint: did you mean `euid`?\n");
}

TEST_CASE("edit distance suggestions stay conservative", "[check][diagnostics]") {
  CHECK(closest_match("eiud", {"euid", "egid", "name"}) == "euid");
  CHECK(closest_match("xyz", {"euid", "name"}).empty());
  CHECK(closest_match("privilged", {"privileged", "pids"}) == "privileged");
  CHECK(edit_distance("kitten", "sitting", 10) == 3);
  CHECK(edit_distance(std::string(5000, 'a'), "b", 3) == 4);
}

TEST_CASE("the fuzz seed using every construct compiles and evaluates", "[check][eval]") {
  RuleCompiler compiler;
  compiler.add_file(std::filesystem::path(DRYDOCK_SOURCE_DIR) / "tests/fuzz/parser/seed_all_forms.rules", "seed.rules");
  auto compiled = compiler.compile();
  INFO(render_diagnostics(compiler.diagnostics()));
  REQUIRE(compiled);
  CHECK(compiled->rules().size() == 8);
  const auto findings = evaluate(*compiled, test::docker_basic_model());
  std::set<std::string> rules;
  for (const auto& f : findings) rules.insert(f.rule);
  // Podman's pod1 fails the global rule, so the only container findings are docker ones.
  CHECK(rules.count("seg") == 1);
  CHECK(rules.count("t") == 1);
  CHECK(rules.count("h") == 1);
  CHECK(rules.count("i") == 1);
}

TEST_CASE("README.md carries the current generated field reference", "[check][schema][docs]") {
  const auto path = std::filesystem::path(DRYDOCK_SOURCE_DIR) / "README.md";
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  std::string doc = buffer.str();
  const std::string begin_marker = "<!-- fields:begin";
  const std::string end_marker = "<!-- fields:end -->";
  const auto begin = doc.find(begin_marker);
  const auto end = doc.find(end_marker);
  REQUIRE(begin != std::string::npos);
  REQUIRE(end != std::string::npos);
  const auto content_begin = doc.find('\n', begin) + 1;
  const std::string current = doc.substr(content_begin, end - content_begin);
  const std::string wanted = render_field_reference_markdown();
  if (std::getenv("DRYDOCK_UPDATE_GOLDEN") != nullptr && current != wanted) {
    doc.replace(content_begin, end - content_begin, wanted);
    std::ofstream(path, std::ios::binary) << doc;
    return;
  }
  CHECK(current == wanted);
}
