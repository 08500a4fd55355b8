// The globals table (symbols/kernel_globals.hpp) against every real ISF in
// shared/: for each global an ISF has, the type the table gives equals the
// ISF's, and a synthesized anonymous struct has the ISF's member offsets.

#include <catch2/catch.hpp>

#include <filesystem>
#include <set>

#include "symbols/detail/symbol_table_impl.hpp"
#include "symbols/kernel_globals.hpp"
#include "symbols/symbol_table.hpp"
#include "symbols/type_compare.hpp"

namespace drydock {
namespace {

namespace fs = std::filesystem;

// Every ISF under shared/ (both datasets', their module variants, shared/isf/).
std::vector<fs::path> shared_isfs() {
  const fs::path shared = fs::path(DRYDOCK_REAL_DUMP_DIR).parent_path().parent_path();
  std::vector<fs::path> found;
  std::error_code ec;
  for (const fs::path& root : {shared / "dumps", shared / "isf"}) {
    for (auto it = fs::recursive_directory_iterator(root, ec); it != fs::recursive_directory_iterator(); ++it) {
      if (it->is_regular_file() && it->path().string().ends_with(".json.xz")) found.push_back(it->path());
    }
  }
  std::sort(found.begin(), found.end());
  return found;
}

// Differences between a resolved shape and the ISF's descriptor.
void compare(const GlobalShape& shape, const SymbolTable& isf, std::uint32_t index, const std::string& where,
             std::vector<std::string>& out) {
  const TypeDesc& d = isf.type_desc(index);
  if (d.kind != shape.kind) {
    out.push_back(where + ": kind differs (" + std::string(d.name) + " / " + shape.name + ")");
    return;
  }
  if (!shape.fields.empty()) {
    const UserType* type = isf.user_type(d.name);
    if (!type || !is_generated_type_name(d.name)) {
      out.push_back(where + ": the ISF's type is not an anonymous struct");
      return;
    }
    if (type->size != shape.size) out.push_back(where + ": size " + std::to_string(type->size) + " != " + std::to_string(shape.size));
    if (type->members.size() != shape.fields.size()) out.push_back(where + ": member count differs");
    for (const GlobalShape::Field& f : shape.fields) {
      const Member* m = find_by_name(type->members, f.name);
      if (!m) {
        out.push_back(where + "." + f.name + ": not in the ISF");
        continue;
      }
      if (m->offset != f.offset) out.push_back(where + "." + f.name + ": offset " + std::to_string(m->offset) + " != " + std::to_string(f.offset));
      compare(f.type, isf, m->type, where + "." + f.name, out);
    }
    return;
  }
  if (d.name != shape.name && !(d.kind == TypeKind::void_)) out.push_back(where + ": name " + std::string(d.name) + " != " + shape.name);
  if (d.count != shape.count) out.push_back(where + ": count " + std::to_string(d.count) + " != " + std::to_string(shape.count));
  if (!shape.subtype.empty()) compare(shape.subtype.front(), isf, d.subtype, where + "/", out);
}

TEST_CASE("the globals table gives every global the type each real ISF gives it", "[isf][slow]") {
  const auto isfs = shared_isfs();
  REQUIRE(isfs.size() >= 4);
  std::set<std::string> seen;
  for (const fs::path& path : isfs) {
    auto table = SymbolTable::load(path);
    REQUIRE(table);
    const SymbolTable& isf = *table.value();
    for (const KernelGlobal& global : kernel_globals()) {
      const Symbol* symbol = isf.symbol(global.name);
      if (!symbol || symbol->type == UINT32_MAX) continue;
      INFO(path.filename().string() << ": " << global.name);
      auto shape = resolve_global_type(global, isf.impl());
      REQUIRE(shape);
      std::vector<std::string> differences;
      compare(shape.value(), isf, symbol->type, std::string(global.name), differences);
      std::string text;
      for (const auto& d : differences) text += d + "\n";
      INFO(text);
      CHECK(differences.empty());
      seen.insert(std::string(global.name));
    }
  }
  // Each row but the pre-3.17 timekeeper is checked by at least one ISF.
  for (const KernelGlobal& global : kernel_globals()) {
    if (global.name == "timekeeper" || global.name == "kallsyms_addresses") continue;
    INFO(global.name);
    CHECK(seen.count(std::string(global.name)) == 1);
  }
}

}  // namespace
}  // namespace drydock
