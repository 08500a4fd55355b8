#include <catch2/catch.hpp>

#include <cstring>
#include <vector>

#include "engine/kernel/vmcoreinfo.hpp"

using namespace drydock;

namespace {

constexpr std::string_view kText =
    "OSRELEASE=6.12.117+deb13-amd64\n"
    "BUILD-ID=b1d7a9114053a488ef493f85f85e9fc75ba9f632\n"
    "PAGESIZE=4096\n"
    "SYMBOL(swapper_pg_dir)=ffffffffa0a22000\n"
    "SYMBOL(_stext)=ffffffff9ee00000\n"
    "NUMBER(VMALLOC_START)=0xffffcde600000000\n"
    "NUMBER(PAGE_BUDDY_MAPCOUNT_VALUE)=-129\n"
    "SYMBOL(kallsyms_names)=ffffffff9ff94dc0\n"
    "NUMBER(phys_base)=96468992\n"
    "SYMBOL(broken)=xyz\n"
    "KERNELOFFSET=1de00000\n";

std::vector<std::byte> bytes_of(std::string_view s) {
  std::vector<std::byte> out(s.size());
  std::memcpy(out.data(), s.data(), s.size());
  return out;
}

}  // namespace

TEST_CASE("VMCOREINFO text gives the release, build id, KASLR offset, symbols and numbers", "[vmcoreinfo]") {
  auto info = parse_vmcoreinfo(kText);
  REQUIRE(info);
  CHECK(info->osrelease == "6.12.117+deb13-amd64");
  CHECK(info->build_id == "b1d7a9114053a488ef493f85f85e9fc75ba9f632");
  CHECK(info->kernel_offset == 0x1de00000u);
  CHECK(info->symbol("swapper_pg_dir") == 0xffffffffa0a22000u);
  CHECK(info->symbol("kallsyms_names") == 0xffffffff9ff94dc0u);
  CHECK(info->number("phys_base") == 96468992);
  CHECK(info->number("PAGE_BUDDY_MAPCOUNT_VALUE") == -129);
  CHECK(info->number("VMALLOC_START") == static_cast<std::int64_t>(0xffffcde600000000u));
  CHECK_FALSE(info->symbol("broken"));  // an unparsable value is left out
  CHECK_FALSE(info->symbol("init_top_pgt"));
}

TEST_CASE("VMCOREINFO parsing refuses the kernel's format string and texts without OSRELEASE", "[vmcoreinfo]") {
  CHECK_FALSE(parse_vmcoreinfo("OSRELEASE=%s\nPAGESIZE=%ld\n"));
  CHECK_FALSE(parse_vmcoreinfo("PAGESIZE=4096\nOSRELEASE=6.1\n"));
  CHECK_FALSE(parse_vmcoreinfo("OSRELEASE=\n"));
  CHECK_FALSE(parse_vmcoreinfo(""));
  CHECK(parse_vmcoreinfo("OSRELEASE=6.1.0\n"));
}

TEST_CASE("VMCOREINFO is found in bytes up to its NUL and at most a page long", "[vmcoreinfo]") {
  std::string image(10000, 'x');
  image.replace(100, 12, "OSRELEASE=%s");
  image[112] = '\0';
  const std::string text = "OSRELEASE=6.1.0-56-amd64\nKERNELOFFSET=de00000\n";
  image.replace(5000, text.size(), text);
  image[5000 + text.size()] = '\0';
  const auto bytes = bytes_of(image);
  const auto found = find_vmcoreinfo_texts(bytes);
  REQUIRE(found.size() == 1);
  CHECK(found[0].osrelease == "6.1.0-56-amd64");
  CHECK(found[0].kernel_offset == 0xde00000u);

  // No NUL within a page: the text is cut at kMaxVmcoreinfoText.
  std::string long_text = "OSRELEASE=6.1\n" + std::string(2 * kMaxVmcoreinfoText, 'A');
  const auto long_bytes = bytes_of(long_text);
  auto at = vmcoreinfo_at(long_bytes, 0);
  REQUIRE(at);
  CHECK(at->text.size() == kMaxVmcoreinfoText);
  CHECK_FALSE(vmcoreinfo_at(long_bytes, long_bytes.size()));
}

TEST_CASE("Of several VMCOREINFO copies the one whose release agrees with the banner is chosen", "[vmcoreinfo]") {
  std::vector<VmcoreInfo> copies;
  copies.push_back(*parse_vmcoreinfo("OSRELEASE=5.10.0-guest\n"));
  copies.push_back(*parse_vmcoreinfo("OSRELEASE=6.1.0-56-amd64\n"));
  CHECK(choose_vmcoreinfo(copies, "6.1.0-56-amd64")->osrelease == "6.1.0-56-amd64");
  CHECK(choose_vmcoreinfo(copies, "4.19")->osrelease == "5.10.0-guest");
  CHECK(choose_vmcoreinfo(copies, "")->osrelease == "5.10.0-guest");
  CHECK_FALSE(choose_vmcoreinfo({}, "6.1"));
}
