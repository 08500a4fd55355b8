#include <catch2/catch.hpp>

#include "engine/kernel/kallsyms_locator.hpp"
#include "support/kallsyms_builder.hpp"

using namespace drydock;
using drydock::testing::append_le;
using drydock::testing::build_kallsyms;
using drydock::testing::SymbolSpec;

namespace {

constexpr std::uint64_t kImage = 0xffffffff9ee00000ULL;

void pad8(std::vector<std::byte>& out) {
  while (out.size() % 8) out.push_back(std::byte{0});
}
void append(std::vector<std::byte>& out, const std::vector<std::byte>& bytes) {
  out.insert(out.end(), bytes.begin(), bytes.end());
  pad8(out);
}

// kallsyms_markers (u32) for one-byte name lengths.
std::vector<std::byte> markers_of(const std::vector<std::byte>& names) {
  std::vector<std::byte> out;
  std::size_t at = 0;
  for (std::size_t i = 0; at < names.size(); ++i) {
    if (i % 256 == 0) append_le(out, at, 4);
    at += 1 + std::to_integer<std::size_t>(names[at]);
  }
  return out;
}

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
    pad8(image);
    const std::uint64_t offsets_at = modern ? 0 : kImage + image.size();
    const auto built = build_kallsyms(symbols, KallsymsNameLength::one_byte, KallsymsAddressing::relative_base_percpu,
                                      kImage, offsets_at, true);
    const std::vector<std::byte> markers = markers_of(built.names);
    std::vector<std::byte> base(8), count;
    std::memcpy(base.data(), &kImage, 8);
    append_le(count, built.num_syms, 4);
    if (!modern) {
      append(image, built.addresses);
      append(image, base);
    }
    append(image, count);
    append(image, built.names);
    append(image, markers);
    append(image, built.token_table);
    append(image, built.token_index);
    if (modern) {
      append(image, built.addresses);
      append(image, base);
    }
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
