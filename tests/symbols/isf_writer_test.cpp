// write_isf (symbols/isf_writer.hpp): a written ISF loads back into the same
// table (real ISFs and a table built from BTF), and it is valid under
// Volatility 3's ISF schema (tests/data/isf-schema/).

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "support/run_command.hpp"
#include "support/temp_dir.hpp"
#include "symbols/btf_fixtures.hpp"
#include "symbols/btf_table.hpp"
#include "symbols/detail/symbol_table_impl.hpp"
#include "symbols/isf_writer.hpp"
#include "symbols/type_compare.hpp"

namespace drydock {
namespace {

namespace fs = std::filesystem;

const fs::path kShared = fs::path(DRYDOCK_REAL_DUMP_DIR).parent_path().parent_path();

// Every difference between two tables: types, symbols, enums, base types.
std::vector<std::string> table_differences(const SymbolTable& a, const SymbolTable& b) {
  std::vector<std::string> out;
  if (a.user_type_count() != b.user_type_count()) out.push_back("user type count differs");
  if (a.symbol_count() != b.symbol_count()) out.push_back("symbol count differs");
  if (a.banner() != b.banner()) out.push_back("banner differs");
  for (const UserType& u : a.impl().user_types) {
    for (auto& d : compare_user_types(a, b, u.name)) out.push_back(std::move(d));
  }
  for (const Symbol& s : a.impl().symbols) {
    for (auto& d : compare_symbols(a, b, s.name)) out.push_back(std::move(d));
  }
  for (const EnumType& e : a.impl().enums) {
    const EnumType* other = find_by_name(b.impl().enums, e.name);
    if (!other || other->size != e.size || other->base != e.base || other->constants.size() != e.constants.size()) {
      out.push_back("enum " + std::string(e.name) + " differs");
      continue;
    }
    for (const EnumConstant& c : e.constants) {
      if (b.enum_value(e.name, c.name) != c.value) out.push_back("enum " + std::string(e.name) + "." + std::string(c.name) + " differs");
    }
  }
  for (const BaseType& base : a.impl().base_types) {
    const BaseType* other = b.base_type(base.name);
    if (!other || other->size != base.size || other->is_signed != base.is_signed) out.push_back("base " + std::string(base.name) + " differs");
  }
  return out;
}

std::string joined(const std::vector<std::string>& lines) {
  std::string text;
  for (std::size_t i = 0; i < lines.size() && i < 40; ++i) text += lines[i] + "\n";
  return text;
}

std::shared_ptr<const SymbolTable> small_btf_table() {
  static const auto blob = test::small_kernel_btf();
  const std::vector<KernelSymbolAddress> symbols{{"init_task", 0xffffffff82a0c940}, {"tk_core", 0xffffffff83000000},
                                                 {"linux_banner", 0xffffffff81e00100}, {"runqueues", 0x2c000}};
  auto table = table_from_btf(BtfBlob{"vmlinux", blob}, {}, symbols, "Linux version 6.1.0 (test)", "small BTF");
  REQUIRE(table);
  return table.value();
}

// Validates with tests/data/isf-schema/validate.js; skipped without node and ajv.
void check_schema(const std::string& json) {
  const fs::path validator = fs::path(DRYDOCK_SOURCE_DIR) / "tests/data/isf-schema/validate.js";
  if (!fs::exists(fs::path(DRYDOCK_SOURCE_DIR) / "tests/sarif/node_modules/ajv")) {
    WARN("tests/sarif/node_modules missing (scripts/setup.sh installs it): ISF schema not checked");
    return;
  }
  testing::TempDir dir;
  const fs::path file = dir.path() / "out.json";
  std::ofstream(file) << json;
  const auto result = test::run_shell("node " + test::shell_quote(validator.string()) + " " + test::shell_quote(file.string()));
  INFO(result.out << result.err);
  CHECK(result.exit_code == 0);
}

TEST_CASE("a table built from BTF written as ISF loads back into the same table", "[isf]") {
  const auto table = small_btf_table();
  const std::string json = write_isf(*table);
  auto loaded = SymbolTable::parse(json, "written");
  INFO((loaded ? "" : loaded.error().message));
  REQUIRE(loaded);
  const auto differences = table_differences(*table, *loaded.value());
  INFO(joined(differences));
  CHECK(differences.empty());
  CHECK(loaded.value()->member("task_struct", "in_iowait")->offset == 8);
  CHECK(loaded.value()->banner() == "Linux version 6.1.0 (test)");
  check_schema(json);
}

TEST_CASE("real ISFs written back load into the same tables, valid under the ISF schema", "[isf][slow]") {
  for (const fs::path& path : {kShared / "dumps/docker-basic/6.1.0-56-amd64_6.1.192-2.json.xz",
                               kShared / "isf/7.2.13+deb14-amd64_7.2.13-1.json.xz"}) {
    INFO(path.string());
    auto original = SymbolTable::load(path);
    REQUIRE(original);
    const std::string json = write_isf(*original.value());
    auto loaded = SymbolTable::parse(json, "written");
    INFO((loaded ? "" : loaded.error().message));
    REQUIRE(loaded);
    const auto differences = table_differences(*original.value(), *loaded.value());
    INFO(joined(differences));
    CHECK(differences.empty());
    if (path.string().find("docker-basic") != std::string::npos) check_schema(json);
  }
}

}  // namespace
}  // namespace drydock
