// The kernel layout of every real symbol table in shared/ (the datasets' and
// the kernels with no public dump): every required member resolves, and the
// variant chosen by member presence agrees with the documented kernel history
// for the table's version.

#include <algorithm>
#include <filesystem>
#include <regex>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "engine/kernel/kernel_layout.hpp"
#include "symbols/symbol_table.hpp"

using namespace drydock;

namespace {

// shared/ is the parent of the datasets' folder.
std::filesystem::path shared_dir() { return std::filesystem::path(DRYDOCK_REAL_DUMP_DIR).parent_path().parent_path(); }

// Every ISF under shared/isf and shared/dumps, plain and with module types.
std::vector<std::filesystem::path> shared_isfs() {
  std::vector<std::filesystem::path> out;
  for (const char* sub : {"isf", "dumps"}) {
    const auto root = shared_dir() / sub;
    if (!std::filesystem::is_directory(root)) continue;
    for (const auto& entry : std::filesystem::recursive_directory_iterator(root)) {
      const std::string name = entry.path().filename().string();
      if (entry.is_regular_file() && name.ends_with(".json.xz")) out.push_back(entry.path());
    }
  }
  std::sort(out.begin(), out.end());
  return out;
}

std::string variant_of(const KernelLayout& layout, std::string_view family) {
  for (const LayoutVariant& v : layout.variants) {
    if (v.family == family) return v.variant;
  }
  return "(none)";
}

// (major, minor) from the banner's "Linux version X.Y...".
std::pair<int, int> version_of(const SymbolTable& table) {
  const std::string banner(table.banner().value_or(""));
  std::smatch m;
  REQUIRE(std::regex_search(banner, m, std::regex(R"(Linux version (\d+)\.(\d+))")));
  return {std::stoi(m[1]), std::stoi(m[2])};
}

}  // namespace

TEST_CASE("every symbol table in shared/ resolves every required member, with the documented variants",
          "[layout][real]") {
  const auto isfs = shared_isfs();
  REQUIRE(isfs.size() >= 4);  // the two datasets, plain and with modules
  for (const auto& path : isfs) {
    INFO(path.string());
    auto table = SymbolTable::load(path);
    REQUIRE(table);
    const KernelLayout layout = resolve_kernel_layout(**table);
    std::string missing;
    for (const MissingMember& m : layout.missing) missing += m.type + "." + m.member + " (" + m.feeds + ")\n";
    INFO("missing:\n" << missing);
    CHECK(layout.missing.empty());

    const auto version = version_of(**table);
    const auto since = [&](int major, int minor) { return version >= std::pair{major, minor}; };
    INFO("version " << version.first << "." << version.second);
    CHECK(variant_of(layout, "task state") == (since(5, 14) ? "__state" : "state"));
    CHECK(variant_of(layout, "caps") == (since(6, 3) ? "u64" : "u32[2]"));
    CHECK(variant_of(layout, "mounts") ==
          (since(6, 8) ? "rbtree (mnt_namespace.mounts)" : "list (mnt_namespace.list)"));
    CHECK(variant_of(layout, "dentry children") ==
          (since(6, 8) ? "hlist (d_children/d_sib)" : "list (d_subdirs/d_child)"));
    CHECK(variant_of(layout, "kernfs parent") == (since(6, 15) ? "__parent" : "parent"));
    if (table.value()->user_type("ovl_fs")) {
      CHECK(variant_of(layout, "overlayfs") == (since(6, 5) ? "ovl_config.lowerdirs (6.5+)" : "ovl_config.lowerdir"));
    }
  }
}

TEST_CASE("a table without a required member lists it, naming type, member and what it feeds", "[layout]") {
  const std::string isf = R"({
    "metadata": {"format": "6.2.0"},
    "base_types": {"unsigned int": {"size": 4, "signed": false, "kind": "int", "endian": "little"},
                   "int": {"size": 4, "signed": true, "kind": "int", "endian": "little"}},
    "user_types": {
      "cred": {"kind": "struct", "size": 16, "fields": {"uid": {"offset": 0, "type": {"kind": "base", "name": "unsigned int"}}}},
      "kernel_cap_t": {"kind": "struct", "size": 4, "fields": {"val": {"offset": 0, "type": {"kind": "base", "name": "unsigned int"}}}}
    },
    "enums": {}, "symbols": {}})";
  auto table = SymbolTable::parse(isf, "tiny.json");
  REQUIRE(table);
  const KernelLayout layout = resolve_kernel_layout(**table);
  CHECK(layout.symbol_table == "tiny.json");
  CHECK(layout.cred.uid == 0u);
  CHECK_FALSE(layout.cred.euid.has_value());
  CHECK(layout.lacks("cred", "euid"));
  CHECK_FALSE(layout.lacks("cred", "uid"));
  // A kernel_cap_t of 4 bytes is neither documented shape: caps are unknown.
  CHECK_FALSE(layout.cred.caps_readable);
  CHECK(layout.lacks("kernel_cap_t", "val (u64) or cap (u32[2])"));
  const auto issues = layout.missing_issues("tasks");
  CHECK(std::find(issues.begin(), issues.end(), "symbol table tiny.json lacks cred.euid: task euid unknown") !=
        issues.end());
  CHECK(std::find(issues.begin(), issues.end(),
                  "symbol table tiny.json lacks task_struct.__state or state: task state unknown") != issues.end());
  CHECK(layout.lacks("symbol", "init_task"));
}
