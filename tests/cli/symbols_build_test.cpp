// `drydock symbols build`: an ISF from a fixture vmlinux ELF (a .BTF section,
// a symbol table, the banner in .rodata) that loads in drydock.

#include <catch2/catch.hpp>

#include <cstring>
#include <fstream>
#include <string>
#include <vector>

#include "engine/cli/app.hpp"
#include "support/elf_file_builder.hpp"
#include "support/temp_dir.hpp"
#include "symbols/btf_fixtures.hpp"
#include "symbols/symbol_table.hpp"

namespace drydock {
namespace {

namespace fs = std::filesystem;

constexpr std::uint64_t kRodata = 0xffffffff81e00000;
const std::string kBanner = "Linux version 6.1.0-fixture (builder@test) #1 SMP";

std::vector<std::byte> bytes_of(const std::string& text) {
  std::vector<std::byte> out(text.size());
  std::memcpy(out.data(), text.data(), text.size());
  return out;
}

fs::path write_vmlinux(const fs::path& dir, bool with_btf) {
  testing::ElfFileBuilder elf;
  elf.add_section(".rodata", bytes_of(std::string("padding\0", 8) + kBanner + "\n" + std::string(1, '\0')), kRodata, true);
  if (with_btf) elf.add_section(".BTF", test::small_kernel_btf());
  elf.add_symbol("linux_banner", kRodata + 8, ".rodata");
  elf.add_symbol("init_task", 0xffffffff82a0c940, ".rodata");
  elf.add_symbol("tk_core", 0xffffffff83000000, ".rodata");
  const fs::path path = dir / (with_btf ? "vmlinux" : "vmlinux-no-btf");
  const auto bytes = elf.bytes();
  std::ofstream(path, std::ios::binary).write(reinterpret_cast<const char*>(bytes.data()), static_cast<std::streamsize>(bytes.size()));
  return path;
}

int run(std::vector<std::string> args) {
  args.insert(args.begin(), "drydock");
  std::vector<char*> argv;
  for (std::string& a : args) argv.push_back(a.data());
  return run_cli(static_cast<int>(argv.size()), argv.data());
}

TEST_CASE("symbols build makes an ISF from a vmlinux's BTF that drydock loads", "[symbols]") {
  testing::TempDir dir;
  const fs::path vmlinux = write_vmlinux(dir.path(), true);
  for (const std::string name : {"kernel.json", "kernel.json.xz"}) {
    INFO(name);
    const fs::path out = dir.path() / name;
    REQUIRE(run({"symbols", "build", "--vmlinux", vmlinux.string(), "-o", out.string()}) == 0);
    auto table = SymbolTable::load(out);
    INFO((table ? "" : table.error().message));
    REQUIRE(table);
    const SymbolTable& t = *table.value();
    CHECK(t.banner() == kBanner);
    REQUIRE(t.symbol("init_task"));
    CHECK(t.symbol("init_task")->address == 0xffffffff82a0c940);
    CHECK(t.type_desc(t.symbol("init_task")->type).name == "task_struct");
    CHECK(t.member("task_struct", "comm")->offset == 32);
    CHECK(t.symbol("linux_banner")->address == kRodata + 8);
  }
}

TEST_CASE("symbols build takes the addresses from a System.map when given one", "[symbols]") {
  testing::TempDir dir;
  const fs::path vmlinux = write_vmlinux(dir.path(), true);
  const fs::path map = dir.path() / "System.map";
  std::ofstream(map) << "ffffffff82000000 D init_task\nffffffff81e00008 D linux_banner\n";
  const fs::path out = dir.path() / "kernel.json";
  REQUIRE(run({"symbols", "build", "--vmlinux", vmlinux.string(), "--system-map", map.string(), "-o", out.string()}) == 0);
  auto table = SymbolTable::load(out);
  REQUIRE(table);
  CHECK(table.value()->symbol("init_task")->address == 0xffffffff82000000);
  CHECK_FALSE(table.value()->symbol("tk_core"));
  CHECK(table.value()->banner() == kBanner);
}

TEST_CASE("symbols build refuses a vmlinux without BTF, saying what to do instead", "[symbols]") {
  testing::TempDir dir;
  const fs::path vmlinux = write_vmlinux(dir.path(), false);
  CHECK(run({"symbols", "build", "--vmlinux", vmlinux.string(), "-o", (dir.path() / "x.json").string()}) == 2);
  CHECK_FALSE(fs::exists(dir.path() / "x.json"));
}

}  // namespace
}  // namespace drydock
