#include "engine/kernel/kernel_locator.hpp"

#include <catch2/catch.hpp>

#include <string>

#include "engine/kernel/dump_session.hpp"
#include "support/synthetic_kernel.hpp"
#include "support/temp_dir.hpp"

using namespace drydock;
using drydock::testing::ImageFormat;
using drydock::testing::SyntheticKernel;
using drydock::testing::SyntheticKernelOptions;

namespace {

struct Located {
  testing::Bytes file;
  std::unique_ptr<PhysicalMemory> memory;
  std::shared_ptr<const SymbolTable> symbols;
  Result<KernelLocation> location = Error::of("not run");
};

// Runs locate_kernel on the image of `k`, keeping the bytes alive.
std::unique_ptr<Located> locate(const SyntheticKernel& k, ImageFormat format = ImageFormat::lime) {
  auto out = std::make_unique<Located>();
  out->file = k.image_bytes(format);
  auto memory = PhysicalMemory::from_bytes(out->file, "synthetic.img");
  REQUIRE(memory);
  out->memory = std::make_unique<PhysicalMemory>(std::move(memory).value());
  out->symbols = k.symbols();
  out->location = locate_kernel(*out->memory, *out->symbols);
  return out;
}

std::string comm_of_init_task(const KernelMemory& kernel) {
  const auto init = kernel.symbol_address("init_task");
  REQUIRE(init);
  return kernel.read_string(*init + SyntheticKernel::offset("task_struct", "comm"), 16).value_or("<unreadable>");
}

}  // namespace

TEST_CASE("locate_kernel finds the shifts and DTB from the VMCOREINFO note") {
  SyntheticKernel k;
  auto found = locate(k);
  REQUIRE(found->location);
  const KernelLocation& loc = *found->location;
  CHECK(loc.method == "vmcoreinfo");
  CHECK(loc.virtual_shift == 0x4e00000);
  CHECK(loc.physical_shift == 0x2200000);
  CHECK(loc.dtb == k.dtb());
  CHECK(loc.dtb == testing::kInitTopPgtLink - testing::kStartKernelMapLink + 0x2200000);
  CHECK(loc.mode == PagingMode::level4);
  CHECK(loc.banner == testing::kSyntheticBanner);
  CHECK(loc.banner_physical == testing::kLinuxBannerLink - testing::kStartKernelMapLink + 0x2200000);
  REQUIRE(loc.vmcoreinfo);
  CHECK(vmcoreinfo_value(*loc.vmcoreinfo, "KERNELOFFSET") == "4e00000");
}

TEST_CASE("locate_kernel finds the virtual shift by scanning when there is no VMCOREINFO") {
  SyntheticKernel k(SyntheticKernelOptions{.virtual_shift = 0x1c600000, .physical_shift = 0x3400000,
                                           .vmcoreinfo = false});
  auto found = locate(k);
  REQUIRE(found->location);
  CHECK(found->location->method == "scan");
  CHECK(found->location->virtual_shift == 0x1c600000);
  CHECK(found->location->physical_shift == 0x3400000);
  CHECK(found->location->dtb == k.dtb());
  CHECK_FALSE(found->location->vmcoreinfo);
}

TEST_CASE("locate_kernel falls back to the scan when KERNELOFFSET is wrong") {
  SyntheticKernel k(SyntheticKernelOptions{.vmcoreinfo_kernel_offset = 0x12000000});
  auto found = locate(k);
  REQUIRE(found->location);
  CHECK(found->location->method == "scan");
  CHECK(found->location->virtual_shift == 0x4e00000);
}

TEST_CASE("locate_kernel works without KASLR") {
  SyntheticKernel k(SyntheticKernelOptions{.virtual_shift = 0, .physical_shift = 0});
  auto found = locate(k);
  REQUIRE(found->location);
  CHECK(found->location->virtual_shift == 0);
  CHECK(found->location->physical_shift == 0);
}

TEST_CASE("locate_kernel reads the same kernel from LiME, ELF core and raw images") {
  SyntheticKernel k(SyntheticKernelOptions{.physical_shift = 0});  // keeps the raw image small
  for (ImageFormat format : {ImageFormat::lime, ImageFormat::elf_core, ImageFormat::raw}) {
    auto found = locate(k, format);
    REQUIRE(found->location);
    CHECK(found->location->virtual_shift == 0x4e00000);
    CHECK(found->location->dtb == k.dtb());
  }
}

TEST_CASE("locate_kernel detects 5-level paging from __pgtable_l5_enabled") {
  SyntheticKernel k(SyntheticKernelOptions{.five_level = true});
  auto found = locate(k);
  REQUIRE(found->location);
  CHECK(found->location->mode == PagingMode::level5);
  CHECK(found->location->virtual_shift == 0x4e00000);
  CHECK(found->location->method == "vmcoreinfo");  // the note is read through the 5-level direct map
  CHECK(comm_of_init_task(*k.load()->kernel) == "swapper/0");
}

TEST_CASE("a located kernel reads init_task through the page tables") {
  SyntheticKernel k;
  auto loaded = k.load();
  CHECK(comm_of_init_task(*loaded->kernel) == "swapper/0");
  CHECK(loaded->kernel->symbol_address("init_task") == testing::kInitTaskLink + 0x4e00000);
}

TEST_CASE("a copy of the banner outside the kernel image does not mislead locate_kernel") {
  SyntheticKernel k;
  // The banner as it might sit in a page-cache page, at the same 2 MiB residue
  // as linux_banner but in low memory, before the real one.
  const std::uint64_t decoy = (testing::kLinuxBannerLink - testing::kStartKernelMapLink) % testing::kPage2M + 0xe00000;
  k.image().write_string(decoy, std::string(testing::kSyntheticBanner) + "\n");
  auto found = locate(k);
  REQUIRE(found->location);
  CHECK(found->location->physical_shift == 0x2200000);
  CHECK(found->location->banner_physical != decoy);
}

TEST_CASE("locate_kernel fails with a clear error when the banner is not in the dump") {
  SyntheticKernel k(SyntheticKernelOptions{.isf_banner = "Linux version 6.1.0-other (gcc) #2 SMP"});
  auto found = locate(k);
  REQUIRE_FALSE(found->location);
  CHECK_THAT(found->location.error().message,
             Catch::Contains("does not occur in this dump") && Catch::Contains("6.1.0-other"));
}

TEST_CASE("locate_kernel fails when the banner is there but the page tables do not map it") {
  SyntheticKernel k;
  // Wipe init_top_pgt: the DTB no longer maps anything.
  for (std::uint64_t i = 0; i < 512; ++i) k.image().write_u64(k.dtb() + i * 8, 0);
  auto found = locate(k);
  REQUIRE_FALSE(found->location);
  CHECK_THAT(found->location.error().message,
             Catch::Contains("found the kernel banner but could not locate the kernel") &&
                 Catch::Contains("no virtual shift maps linux_banner"));
}

TEST_CASE("DumpSession::open explains an ISF of another kernel with both banners") {
  SyntheticKernel k(SyntheticKernelOptions{.isf_banner = "Linux version 6.5.0-other (gcc (GCC) 13.1.0) #7 SMP"});
  const testing::TempDir dir("drydock-locator");
  const auto dump = dir.write("memory.lime", k.image_bytes());
  const std::string isf = k.isf_json();
  const auto symbols = dir.write("other.json", std::span<const char>(isf.data(), isf.size()));

  SessionOptions options;
  options.symbol_paths = {symbols};
  auto session = DumpSession::open(dump, options);
  REQUIRE_FALSE(session);
  const std::string& message = session.error().message;
  CHECK_THAT(message, Catch::Contains("is for another kernel"));
  CHECK_THAT(message, Catch::Contains("dump banner:    " + std::string(testing::kSyntheticBanner)));
  CHECK_THAT(message, Catch::Contains("symbols banner: Linux version 6.5.0-other"));
  CHECK_THAT(message, Catch::Contains("linux-image-6.1.0-synthetic-dbg"));
}

TEST_CASE("DumpSession::open on a synthetic dump describes the located kernel") {
  SyntheticKernel k;
  const testing::TempDir dir("drydock-locator");
  const auto dump = dir.write("memory.lime", k.image_bytes());
  const std::string isf = k.isf_json();
  const auto symbols = dir.write("synthetic.json", std::span<const char>(isf.data(), isf.size()));

  SessionOptions options;
  options.symbol_paths = {symbols};
  auto session = DumpSession::open(dump, options);
  REQUIRE(session);
  const DumpInfo info = (*session)->describe();
  CHECK(info.format == "lime");
  CHECK(info.kernel_release == "6.1.0-synthetic");
  CHECK(info.virtual_shift == 0x4e00000);
  CHECK(info.physical_shift == 0x2200000);
  CHECK(info.dtb == k.dtb());
  CHECK(info.paging == "4-level");
  CHECK(info.shift_source == "vmcoreinfo");
  CHECK(info.init_task_comm == "swapper/0");
}
