// Tables built from the kernel's own BTF (found in the dump) against the
// dataset's dwarf2json ISF: every type and member drydock's kernel layout
// looks up must have the same size, offset and shape in both. Module types
// (ovl_fs and the like) are not in vmlinux's BTF: with the module ISF they
// are listed as not checked, not failed.

#include <algorithm>
#include <cstring>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include <vector>

#include <catch2/catch.hpp>

#include "engine/core/mapped_file.hpp"
#include "engine/kernel/kernel_layout.hpp"
#include "integration/real_dump.hpp"
#include "support/elf_file_builder.hpp"
#include "support/temp_dir.hpp"
#include "symbols/btf_table.hpp"
#include "symbols/lookup_recorder.hpp"
#include "symbols/system_map.hpp"
#include "symbols/detail/symbol_table_impl.hpp"
#include "symbols/type_compare.hpp"

using namespace drydock;
using namespace drydock::test;

namespace {

std::string read_text(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream text;
  text << in.rdbuf();
  return text.str();
}

}  // namespace

TEST_CASE("tables built from the dump's BTF match the ISF for every type the kernel layout reads", "[dataset][slow]") {
  if (dataset_choice().from_dump()) return;  // the ISF runs compare; the no-ISF run would repeat the plain one
  auto recorder = std::make_shared<LookupRecorder>();
  auto isf = SymbolTable::load(isf_file(), recorder);
  REQUIRE(isf);
  (void)resolve_kernel_layout(*isf.value());

  auto dump = MappedFile::open(dataset().dump);
  REQUIRE(dump);
  const auto blob = find_btf_blob(dump.value().bytes());
  REQUIRE(blob);

  const auto maps = detail::files_named(dataset().dir, "System.map-", "");
  REQUIRE(maps.size() == 1);
  auto map = parse_system_map(read_text(maps.front()), maps.front());
  REQUIRE(map);
  std::optional<std::string> banner;
  if (auto b = isf.value()->banner()) banner = std::string(*b);
  auto btf = table_from_btf(BtfBlob{"vmlinux", *blob}, {}, map.value(), banner, "dump BTF");
  INFO((btf ? "" : btf.error().message));
  REQUIRE(btf);

  std::vector<std::string> differences;
  std::vector<std::string> not_checked;
  std::size_t checked = 0;
  for (const std::string& name : recorder->user_types()) {
    // Anonymous types are compared through the members that hold them.
    if (is_generated_type_name(name)) continue;
    const UserType* expected = isf.value()->user_type(name);
    if (!expected) continue;  // the layout tried a name this kernel does not have
    if (!btf.value()->user_type(name)) {
      not_checked.push_back(name);
      continue;
    }
    ++checked;
    for (std::string& d : compare_user_types(*isf.value(), *btf.value(), name)) differences.push_back(std::move(d));
  }
  for (const std::string& name : recorder->symbols()) {
    for (std::string& d : compare_symbols(*isf.value(), *btf.value(), name)) differences.push_back(std::move(d));
  }
  // Beyond what the layout reads: how many of all the ISF's types differ.
  std::size_t all = 0, all_differ = 0;
  for (const UserType& type : isf.value()->impl().user_types) {
    if (is_generated_type_name(type.name) || !btf.value()->impl().user_types.size()) continue;
    ++all;
    auto d = compare_user_types(*isf.value(), *btf.value(), type.name);
    if (!d.empty()) {
      ++all_differ;
      if (getenv("DRYDOCK_BTF_ALL")) for (auto& x : d) std::fprintf(stderr, "%s\n", x.c_str());
    }
  }
  WARN("all named ISF types: " << all << ", differing or missing in BTF: " << all_differ);
  std::string unchecked;
  for (const std::string& name : not_checked) unchecked += " " + name;
  WARN("types compared: " << checked << "; in the ISF but not in vmlinux BTF (module types):" << unchecked);
  std::string text;
  for (const std::string& d : differences) text += d + "\n";
  INFO(text);
  CHECK(differences.empty());
  CHECK(checked > 30);
  // Outside the module types, every type the layout found in the ISF is in BTF.
  for (const std::string& name : not_checked) CHECK((name.starts_with("ovl_") || name.starts_with("net_bridge") || name.starts_with("veth")));
}

// symbols build on a vmlinux made of the dump's own BTF and the dataset's
// System.map (with linux_banner's text where the map puts it): the ISF it
// writes gives the same ps, net and mounts output as the dwarf2json ISF.
TEST_CASE("an ISF built from the dump's BTF gives the same ps and net and mounts as the dataset's ISF", "[dataset][slow]") {
  if (dataset_choice().isf != "plain") return;  // once per dataset is enough: vmlinux BTF has no module types
  auto dump = MappedFile::open(dataset().dump);
  REQUIRE(dump);
  const auto blob = find_btf_blob(dump.value().bytes());
  REQUIRE(blob);
  const auto maps = detail::files_named(dataset().dir, "System.map-", "");
  REQUIRE(maps.size() == 1);
  auto map = parse_system_map(read_text(maps.front()), maps.front());
  REQUIRE(map);
  auto isf = SymbolTable::load(isf_file());
  REQUIRE(isf);
  REQUIRE(isf.value()->banner());
  std::uint64_t banner_address = 0;
  for (const auto& s : map.value()) {
    if (s.name == "linux_banner") banner_address = s.address;
  }
  REQUIRE(banner_address != 0);

  drydock::testing::ElfFileBuilder elf;
  const std::string banner = std::string(*isf.value()->banner()) + "\n" + std::string(1, '\0');
  std::vector<std::byte> rodata(banner.size());
  std::memcpy(rodata.data(), banner.data(), banner.size());
  elf.add_section(".rodata", rodata, banner_address, true);
  elf.add_section(".BTF", std::vector<std::byte>(blob->begin(), blob->end()));
  drydock::testing::TempDir dir;
  const std::string vmlinux = (dir.path() / "vmlinux").string();
  const auto bytes = elf.bytes();
  std::ofstream(vmlinux, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  const std::string built = (dir.path() / "from-btf.json.xz").string();
  const CommandResult made = run_drydock("symbols build --vmlinux " + shell_quote(vmlinux) + " --system-map " +
                                         shell_quote(maps.front()) + " -o " + shell_quote(built));
  INFO(made.err);
  REQUIRE(made.exit_code == 0);

  for (const std::string command : {"ps", "net", "mounts"}) {
    INFO(command);
    const std::string args = command + " --format json --no-symbol-cache " + shell_quote(dataset().dump);
    nlohmann::json expected = drydock_json(args + " --symbols " + shell_quote(isf_file()));
    nlohmann::json actual = drydock_json(args + " --symbols " + shell_quote(built));
    REQUIRE(expected.is_object());
    REQUIRE(actual.is_object());
    // The outputs name their symbol table; everything else must agree.
    for (nlohmann::json* j : {&expected, &actual}) {
      j->erase("symbols");
      if (j->contains("dump") && (*j)["dump"].is_object()) (*j)["dump"].erase("symbols");
    }
    CHECK(expected.dump() == actual.dump());
    if (expected != actual) {
      const auto patch = nlohmann::json::diff(expected, actual);
      FAIL_CHECK(patch.dump().substr(0, 2000));
    }
  }
}
