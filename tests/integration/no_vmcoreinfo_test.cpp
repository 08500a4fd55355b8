// A dump with no VMCOREINFO at all (a kernel built without CONFIG_CRASH_CORE,
// or its page overwritten): the kernel is found by its banner and the
// kallsyms tables around it, and ps and containers equal their output with
// VMCOREINFO present. The fixture is a copy of the dataset's dump with every
// VMCOREINFO text (the kernel's two copies in memory, and an ELF core's note)
// overwritten with zeros.

#include <catch2/catch.hpp>

#include <cstring>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include "engine/dump/physical_memory.hpp"
#include "engine/kernel/kernel_finder.hpp"
#include "engine/kernel/vmcoreinfo.hpp"
#include "integration/real_dump.hpp"

using namespace drydock;
using namespace drydock::test;
using nlohmann::json;

namespace {

// Copies `from` to `to` (a reflink or a sparse copy where the file system
// can) and zeroes every VMCOREINFO text in the copy; returns how many.
std::size_t copy_without_vmcoreinfo(const std::string& from, const std::string& to) {
  std::filesystem::remove(to);
  const CommandResult copied =
      run_shell("cp --reflink=auto --sparse=always " + shell_quote(from) + " " + shell_quote(to));
  INFO(copied.err);
  REQUIRE(copied.exit_code == 0);
  std::filesystem::permissions(to, std::filesystem::perms::owner_write, std::filesystem::perm_options::add);
  std::vector<std::pair<std::uint64_t, std::size_t>> texts;  // file offset, length
  {
    std::ifstream in(to, std::ios::binary);
    REQUIRE(in);
    constexpr std::size_t kChunk = 64ULL << 20;
    constexpr std::string_view kKey = "OSRELEASE=";
    std::vector<char> buffer(kChunk + kMaxVmcoreinfoText);
    std::uint64_t base = 0;
    while (in) {
      in.read(buffer.data(), static_cast<std::streamsize>(buffer.size()));
      const auto got = static_cast<std::size_t>(in.gcount());
      if (got == 0) break;
      const std::string_view view(buffer.data(), got);
      const std::size_t limit = got == buffer.size() ? kChunk : got;  // the overlap is searched next time
      for (std::size_t at = view.find(kKey); at != std::string_view::npos && at < limit; at = view.find(kKey, at + 1)) {
        const auto bytes = std::as_bytes(std::span(buffer.data(), got));
        if (auto info = vmcoreinfo_at(bytes, at)) texts.emplace_back(base + at, info->text.size());
      }
      if (got < buffer.size()) break;
      base += kChunk;
      in.seekg(static_cast<std::streamoff>(base));
    }
  }
  std::fstream out(to, std::ios::binary | std::ios::in | std::ios::out);
  REQUIRE(out);
  for (auto [offset, length] : texts) {
    const std::string zeros(length, '\0');
    out.seekp(static_cast<std::streamoff>(offset));
    out.write(zeros.data(), static_cast<std::streamsize>(zeros.size()));
  }
  REQUIRE(out.flush());
  return texts.size();
}

}  // namespace

TEST_CASE("a dump without VMCOREINFO gives the same ps and containers as with it", "[dataset][slow]") {
  if (!dataset_choice().from_dump()) {
    SUCCEED("checked in the dump run of each dataset");
    return;
  }
  const std::string stripped = dataset().work_dir + "/no-vmcoreinfo." + dataset().format;
  const std::size_t blanked = copy_without_vmcoreinfo(dataset().dump, stripped);
  CHECK(blanked >= 2);  // vmcoreinfo_data and vmcoreinfo_note at least

  {
    auto memory = PhysicalMemory::open(stripped);
    REQUIRE(memory);
    CHECK_FALSE(kernels_from_vmcoreinfo(*memory));
    auto original = PhysicalMemory::open(dataset().dump);
    REQUIRE(original);
    auto with = find_kernel_without_symbols(*original);
    REQUIRE(with);
    auto without = find_kernel_without_symbols(*memory);
    if (!without) FAIL(without.error().message);
    CHECK(without->location.method == "kallsyms");
    CHECK(without->location.dtb == with->location.dtb);
    CHECK(without->location.virtual_shift == with->location.virtual_shift);
    CHECK(without->location.physical_shift == with->location.physical_shift);
    CHECK(without->location.mode == with->location.mode);
    CHECK(without->location.banner == with->location.banner);
    CHECK(without->kallsyms.symbols.size() == with->kallsyms.symbols.size());
    CHECK(without->symbol("init_task") == with->symbol("init_task"));
  }

  const json info = drydock_json("info --format json --no-symbol-cache " + shell_quote(stripped));
  INFO(info.dump().substr(0, 2000));
  CHECK(info.dump().find("\"shift_source\":\"kallsyms\"") != std::string::npos);
  for (const auto& [command, key] : {std::pair{"ps", "tasks"}, std::pair{"containers", "containers"}}) {
    CommandResult with_raw, without_raw;
    const std::string args = std::string(command) + " --format json --no-symbol-cache ";
    const json with = drydock_json(args + shell_quote(dataset().dump), &with_raw);
    const json without = drydock_json(args + shell_quote(stripped), &without_raw);
    INFO(command << "\n" << without_raw.err);
    REQUIRE(without_raw.exit_code == with_raw.exit_code);
    REQUIRE(with.contains(key));
    REQUIRE(!with[key].empty());
    CHECK(without[key] == with[key]);
    CHECK(without["errors"] == with["errors"]);
  }
  std::filesystem::remove(stripped);
}
