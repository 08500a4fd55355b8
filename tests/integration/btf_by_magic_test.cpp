// vmlinux's BTF found by its header (magic 0xeB9F, a header whose sections
// lie inside the blob, the largest blob that decodes) in the kernel image,
// for kernels whose kallsyms does not name __start_BTF and __stop_BTF: on
// each dataset, the tables built that way equal those built from the BTF
// kallsyms names.

#include <catch2/catch.hpp>

#include <string>

#include "engine/dump/physical_memory.hpp"
#include "engine/kernel/dump_symbols.hpp"
#include "engine/kernel/kernel_finder.hpp"
#include "integration/real_dump.hpp"
#include "symbols/isf_writer.hpp"

using namespace drydock;
using namespace drydock::test;

TEST_CASE("BTF found by its header in the kernel image gives the tables the BTF kallsyms names gives", "[dataset]") {
  if (!dataset_choice().from_dump()) {
    SUCCEED("checked in the dump run of each dataset");
    return;
  }
  auto memory = PhysicalMemory::open(dataset().dump);
  REQUIRE(memory);
  auto kernel = find_kernel_without_symbols(*memory);
  REQUIRE(kernel);
  auto named = build_symbols_from_dump(*memory, *kernel, {});
  REQUIRE(named);
  std::erase_if(kernel->kallsyms.symbols,
                [](const KallsymsSymbol& s) { return s.name == "__start_BTF" || s.name == "__stop_BTF"; });
  REQUIRE_FALSE(kernel->symbol("__start_BTF"));
  auto by_magic = build_symbols_from_dump(*memory, *kernel, {});
  if (!by_magic) FAIL(by_magic.error().message);
  // The same BTF and modules (the symbol count is two fewer).
  const auto btf_part = [](const std::string& d) { return d.substr(0, d.find("kallsyms")); };
  CHECK(btf_part(by_magic->description) == btf_part(named->description));
  // Both tables as ISF, less the two symbols one of them lacks.
  nlohmann::json a = nlohmann::json::parse(write_isf(*named->table));
  nlohmann::json b = nlohmann::json::parse(write_isf(*by_magic->table));
  REQUIRE(a["symbols"].contains("__start_BTF"));
  for (const char* name : {"__start_BTF", "__stop_BTF"}) a["symbols"].erase(name);
  CHECK(a["symbols"].size() == b["symbols"].size());
  CHECK(a["user_types"].size() == b["user_types"].size());
  CHECK((a == b));
}
