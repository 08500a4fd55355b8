// The kernel found with no VMCOREINFO at all: by its banner, the kallsyms
// tables around it and the page tables they name (kernel_finder.hpp,
// find_kernel_without_vmcoreinfo), on a synthetic image.

#include <catch2/catch.hpp>

#include <string>

#include "engine/kernel/kernel_finder.hpp"
#include "support/kallsyms_builder.hpp"
#include "support/page_table_builder.hpp"

using namespace drydock;
using drydock::testing::build_kallsyms;
using drydock::testing::lay_out_kallsyms;
using drydock::testing::SymbolSpec;

namespace {

constexpr std::uint64_t kTextPhysical = 0x3000000;           // where the image was loaded
constexpr std::uint64_t kText = 0xffffffff82e00000ULL;        // _text after a KASLR shift of 0x1e00000
constexpr std::uint64_t kBanner = 0x100000;                   // offsets from _text
constexpr std::uint64_t kInitTask = 0x140000;
constexpr std::uint64_t kPgd = 0x180000;
constexpr std::uint64_t kTables = 0x200000;
const std::string kBannerText = "Linux version 6.99.0-test (builder@host) (gcc 12) #1 SMP PREEMPT_DYNAMIC";

struct Image {
  testing::Bytes file;
  std::unique_ptr<PhysicalMemory> memory;
};

// A kernel image at kTextPhysical mapped at kText, with its banner (and a
// copy of it elsewhere, as the log buffer holds), init_task, init_top_pgt
// and kallsyms tables in `addressing` (6.4+ layout for self-relative ones).
std::unique_ptr<Image> make_image(KallsymsAddressing addressing, std::string_view idle_comm = "swapper/0") {
  testing::PhysicalImageBuilder memory;
  testing::PageTableBuilder tables(memory, kTextPhysical + kPgd, kTextPhysical + kPgd + 0x1000);
  tables.map_range(kText, kTextPhysical, 4 * testing::kPage2M, testing::kPage2M);
  memory.write_string(kTextPhysical + kBanner, kBannerText + "\n");
  memory.write_string(0x100000, "<5>" + kBannerText + "\n");  // the log buffer's copy
  memory.write_string(kTextPhysical + kInitTask + 0x5c0, std::string(idle_comm) + std::string(1, '\0'));

  std::vector<SymbolSpec> symbols{{'T', "_text", kText}, {'T', "_stext", kText + 0x1000}};
  for (int i = 0; i < 600; ++i) symbols.push_back({'t', "fn_" + std::to_string(i), kText + 0x2000 + 16 * i});
  symbols.push_back({'D', "linux_banner", kText + kBanner});
  symbols.push_back({'D', "init_task", kText + kInitTask});
  symbols.push_back({'D', "init_top_pgt", kText + kPgd});
  const bool modern = addressing == KallsymsAddressing::self_relative;
  std::vector<std::byte> laid_out;
  auto built = build_kallsyms(symbols, KallsymsNameLength::one_byte, addressing, kText, 0, true);
  // Self-relative offsets need the array's own address: lay out once to learn it.
  const std::size_t at = lay_out_kallsyms(laid_out, built, modern);
  if (modern) {
    built = build_kallsyms(symbols, KallsymsNameLength::one_byte, addressing, kText, kText + kTables + at, true);
    laid_out.clear();
    lay_out_kallsyms(laid_out, built, modern);
  }
  memory.write(kTextPhysical + kTables, laid_out);
  memory.map(kTextPhysical, 4 * testing::kPage2M);

  auto out = std::make_unique<Image>();
  out->file = memory.lime();
  auto opened = PhysicalMemory::from_bytes(out->file, "synthetic.lime");
  REQUIRE(opened);
  out->memory = std::make_unique<PhysicalMemory>(std::move(opened).value());
  return out;
}

}  // namespace

TEST_CASE("without VMCOREINFO the kernel is found by its banner, kallsyms and page tables", "[kallsyms]") {
  for (KallsymsAddressing addressing : {KallsymsAddressing::relative_base_percpu, KallsymsAddressing::absolute,
                                        KallsymsAddressing::self_relative}) {
    INFO(to_string(addressing));
    auto image = make_image(addressing);
    CHECK_FALSE(kernels_from_vmcoreinfo(*image->memory));
    for (bool through_entry_point : {false, true}) {
      auto kernel = through_entry_point ? find_kernel_without_symbols(*image->memory)
                                        : find_kernel_without_vmcoreinfo(*image->memory);
      if (!kernel) FAIL(kernel.error().message);
      const KernelLocation& loc = kernel->location;
      CHECK(loc.method == "kallsyms");
      CHECK(loc.dtb == kTextPhysical + kPgd);
      CHECK(loc.mode == PagingMode::level4);
      CHECK(loc.virtual_shift == 0x1e00000);
      // physical = link - __START_KERNEL_map + physical_shift, _text linked at 0xffffffff81000000
      CHECK(loc.physical_shift == kTextPhysical - 0x1000000);
      CHECK(loc.banner == kBannerText);
      CHECK(loc.banner_physical == kTextPhysical + kBanner);
      CHECK(kernel->vmcoreinfo.osrelease == "6.99.0-test");
      CHECK(kernel->kallsyms.addressing == addressing);
      CHECK(kernel->kallsyms.symbols.size() == 605);
      CHECK(kernel->symbol("init_task") == kText + kInitTask);
      CHECK(kernel->symbol("fn_300") == kText + 0x2000 + 16 * 300);
    }
  }
}

TEST_CASE("without VMCOREINFO a reading that fails a check gives an error naming what was looked for",
          "[kallsyms]") {
  auto image = make_image(KallsymsAddressing::relative_base_percpu, "notswapper");
  auto kernel = find_kernel_without_symbols(*image->memory);
  REQUIRE_FALSE(kernel);
  const std::string& message = kernel.error().message;
  CHECK_THAT(message, Catch::Contains("no VMCOREINFO"));
  CHECK_THAT(message, Catch::Contains("banner at physical 0x3100000"));
  CHECK_THAT(message, Catch::Contains("init_task at 0xffffffff82f40000 does not hold the comm \"swapper/0\""));
  CHECK_THAT(message, Catch::Contains("banner at physical 0x100003"));
  CHECK_THAT(message, Catch::Contains("--symbols FILE|DIR"));
}
