// The kallsyms tables found by their structure in the kernel image (the way
// kernels before 6.0 are read, their VMCOREINFO not naming the tables) equal
// the ones VMCOREINFO names, on each real dataset: the dataset's VMCOREINFO
// is stripped of its SYMBOL(kallsyms_*) entries (and of _stext, so that the
// banner is the known address) before the kernel is looked for.

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <string>

#include "engine/dump/physical_memory.hpp"
#include "engine/kernel/dump_symbols.hpp"
#include "engine/kernel/kernel_finder.hpp"
#include "integration/real_dump.hpp"
#include "symbols/isf_writer.hpp"

using namespace drydock;
using namespace drydock::test;

namespace {

// The kernels VMCOREINFO describes, with the kallsyms entries (and, if asked, _stext) removed.
std::vector<VmcoreinfoKernel> kernels_without_kallsyms(const PhysicalMemory& memory, bool drop_stext) {
  auto kernels = kernels_from_vmcoreinfo(memory);
  REQUIRE(kernels);
  for (VmcoreinfoKernel& k : *kernels) {
    std::erase_if(k.info.symbols, [&](const auto& entry) {
      return entry.first.starts_with("kallsyms_") || (drop_stext && entry.first == "_stext");
    });
  }
  return std::move(kernels).value();
}

}  // namespace

TEST_CASE("kallsyms found by structure in the kernel image equal the tables VMCOREINFO names", "[dataset]") {
  if (!dataset_choice().from_dump()) {
    SUCCEED("checked in the dump run of each dataset");
    return;
  }
  auto memory = PhysicalMemory::open(dataset().dump);
  REQUIRE(memory);
  auto named = find_kernel_without_symbols(*memory);
  REQUIRE(named);
  for (bool drop_stext : {false, true}) {
    INFO((drop_stext ? "known address: linux_banner" : "known address: _stext"));
    auto kernels = kernels_without_kallsyms(*memory, drop_stext);
    auto scanned = kernel_from_copies(*memory, kernels);
    if (!scanned) FAIL(scanned.error().message);
    const Kallsyms& a = named->kallsyms;
    const Kallsyms& b = scanned->kallsyms;
    CHECK(a.addressing == b.addressing);
    CHECK(a.name_length == b.name_length);
    REQUIRE(a.symbols.size() == b.symbols.size());
    for (const char* name : {"init_task", "linux_banner", "_stext", "init_net", "init_top_pgt"}) {
      INFO(name);
      REQUIRE(named->symbol(name));
      CHECK(named->symbol(name) == scanned->symbol(name));
    }
    std::size_t differ = 0;
    for (std::size_t i = 0; i < a.symbols.size(); ++i) {
      if (a.symbols[i].name != b.symbols[i].name || a.symbols[i].address != b.symbols[i].address ||
          a.symbols[i].type != b.symbols[i].type) {
        ++differ;
      }
    }
    CHECK(differ == 0);
    CHECK(scanned->location.dtb == named->location.dtb);
    CHECK(scanned->location.banner == named->location.banner);
  }
}

TEST_CASE("ps with tables built from kallsyms found by structure equals ps with VMCOREINFO's kallsyms",
          "[dataset][slow]") {
  if (!dataset_choice().from_dump()) {
    SUCCEED("checked in the dump run of each dataset");
    return;
  }
  auto memory = PhysicalMemory::open(dataset().dump);
  REQUIRE(memory);
  auto kernels = kernels_without_kallsyms(*memory, true);
  auto scanned = kernel_from_copies(*memory, kernels);
  if (!scanned) FAIL(scanned.error().message);
  auto built = build_symbols_from_dump(*memory, *scanned, {});
  REQUIRE(built);
  // The scanned tables as an ISF, given to ps; against ps with no ISF at all.
  const std::filesystem::path isf = dataset().work_dir + "/kallsyms-scan.json";
  {
    std::ofstream out(isf);
    out << write_isf(*built->table);
  }
  const std::string dump = shell_quote(dataset().dump);
  CommandResult via_scan_raw, via_vmcoreinfo_raw;
  nlohmann::json via_scan = drydock_json("ps --format json --no-symbol-cache --symbols " + shell_quote(isf.string()) +
                                             " " + dump,
                                         &via_scan_raw);
  nlohmann::json via_vmcoreinfo = drydock_json("ps --format json --no-symbol-cache " + dump, &via_vmcoreinfo_raw);
  INFO(via_scan_raw.err << via_vmcoreinfo_raw.err);
  REQUIRE(via_scan_raw.exit_code == via_vmcoreinfo_raw.exit_code);
  REQUIRE(via_scan.contains("tasks"));
  REQUIRE(!via_scan["tasks"].empty());
  CHECK(via_scan["tasks"] == via_vmcoreinfo["tasks"]);
  CHECK(via_scan["errors"] == via_vmcoreinfo["errors"]);
  std::filesystem::remove(isf);
}
