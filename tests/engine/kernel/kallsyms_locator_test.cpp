#include <catch2/catch.hpp>

#include "engine/kernel/kallsyms_locator.hpp"
#include "support/kallsyms_builder.hpp"

using namespace drydock;
using drydock::testing::build_kallsyms;
using drydock::testing::lay_out_kallsyms;
using drydock::testing::SymbolSpec;

namespace {

constexpr std::uint64_t kImage = 0xffffffff9ee00000ULL;

}  // namespace

TEST_CASE("kallsyms tables are found by their structure in a kernel image, in both layouts", "[kallsyms]") {
  std::vector<SymbolSpec> symbols{{'T', "_stext", kImage + 0x1000}};
  for (int i = 0; i < 600; ++i) symbols.push_back({'t', "fn_" + std::to_string(i), kImage + 0x2000 + 16 * i});
  symbols.push_back({'D', "linux_banner", kImage + 0x9000});
  const std::array known{KnownAddress{"_stext", kImage + 0x1000}};
  for (bool modern : {false, true}) {
    INFO((modern ? "6.4+ layout" : "layout up to 6.3"));
    // Some bytes that are not tables, then the tables at an 8-aligned offset.
    std::vector<std::byte> image(200, std::byte{0x5a});
    const std::uint64_t offsets_at = modern ? 0 : kImage + image.size();
    const auto built = build_kallsyms(symbols, KallsymsNameLength::one_byte, KallsymsAddressing::relative_base_percpu,
                                      kImage, offsets_at, true);
    lay_out_kallsyms(image, built, modern);
    image.resize(image.size() + 100, std::byte{0x33});

    auto found = locate_kallsyms(image, kImage, known);
    if (!found) FAIL(found.error().message);
    REQUIRE(found->symbols.size() == symbols.size());
    CHECK(found->addressing == KallsymsAddressing::relative_base_percpu);
    CHECK(found->symbols.back().name == "linux_banner");
    CHECK(found->symbols.back().address == kImage + 0x9000);
    CHECK(found->symbols[300].address == symbols[300].address);

    // Without the known address, nothing decodes; without the tables, nothing is found.
    const std::array wrong{KnownAddress{"_stext", kImage + 0x1001}};
    CHECK_FALSE(locate_kallsyms(image, kImage, wrong));
    CHECK(kallsyms_table_candidates(std::span(image).first(200), kImage).empty());
  }
}

TEST_CASE("the banner is found in a kernel image by its release", "[kallsyms]") {
  const std::string text = std::string("xx\0Linux version 6.1.0-56-amd64 (debian", 39);
  const auto bytes = std::as_bytes(std::span(text));
  CHECK(find_banners_in_image(bytes, kImage, "6.1.0-56-amd64") == std::vector<std::uint64_t>{kImage + 3});
  CHECK(find_banners_in_image(bytes, kImage, "6.1.0").empty());
}
