// Loading ISF files and choosing one by kernel banner (fixtures in
// tests/data/isf/).

#include <catch2/catch.hpp>

#include "symbols/detail/isf_banner.hpp"
#include "symbols/isf_fixtures.hpp"
#include "symbols/symbol_table.hpp"

namespace drydock {
namespace {

namespace fs = std::filesystem;

const fs::path kIsfDir = fs::path(DRYDOCK_TEST_DATA_DIR) / "isf";
const fs::path kCandidates = kIsfDir / "candidates";
const std::string kNewBanner =
    "Linux version 6.1.0-test-amd64 (drydock@tests) (gcc 12) #1 SMP Debian 6.1.0-1";
const std::string kOldBanner = "Linux version 5.10.0-old-amd64 (drydock@tests) (gcc 10) #1 SMP Debian 5.10.0-1";

TEST_CASE("load reads plain and xz-compressed ISF files") {
  auto plain = SymbolTable::load(kCandidates / "6.1.0-test-amd64.json");
  REQUIRE(plain.ok());
  CHECK(plain.value()->banner() == kNewBanner);
  CHECK(plain.value()->member("task_struct", "comm")->offset == 4);

  auto packed = SymbolTable::load(kCandidates / "nested" / "5.10.0-old-amd64.json.xz");
  INFO((packed ? "" : packed.error().message));
  REQUIRE(packed.ok());
  CHECK(packed.value()->banner() == kOldBanner);
}

TEST_CASE("load errors name the file") {
  auto missing = SymbolTable::load(kIsfDir / "missing.json");
  REQUIRE_FALSE(missing.ok());
  CHECK(missing.error().message.find("missing.json") != std::string::npos);

  auto readme = SymbolTable::load(kCandidates / "README.txt");
  REQUIRE_FALSE(readme.ok());
  CHECK(readme.error().message ==
        (kCandidates / "README.txt").string() +
            ": not an ISF symbol table (JSON parse error at byte 0: expected a value)");
}

TEST_CASE("the banner probe reads linux_banner without parsing the whole file") {
  CHECK(detail::probe_banner(test::kSmallIsf) == std::string(test::kSmallIsfBanner));
  // A struct member of the same name has no constant_data and is passed over.
  CHECK(detail::probe_banner(R"({"user_types": {"x": {"fields": {"linux_banner": {"offset": 0}}}},
      "symbols": {"linux_banner": {"constant_data": "TGludXgK"}}})") == "Linux");
  CHECK_FALSE(detail::probe_banner(R"({"symbols": {}})").has_value());
  CHECK_FALSE(detail::probe_banner(R"({"linux_banner": {"constant_data": "%%%"}})").has_value());
}

TEST_CASE("base64 decoding accepts padding or none, and refuses other characters") {
  CHECK(detail::decode_base64("TGludXg=") == "Linux");
  CHECK(detail::decode_base64("TGludXg") == "Linux");
  CHECK(detail::decode_base64("") == "");
  CHECK_FALSE(detail::decode_base64("TGl!dXg=").has_value());
  CHECK_FALSE(detail::decode_base64("T").has_value());
}

TEST_CASE("find_symbols_for_banner picks the matching file from a directory tree") {
  std::vector<fs::path> candidates{kCandidates};
  auto found = find_symbols_for_banner(candidates, kOldBanner + "\n");  // trailing newline ignored
  INFO((found ? "" : found.error().message));
  REQUIRE(found.ok());
  CHECK(found.value()->source() == (kCandidates / "nested" / "5.10.0-old-amd64.json.xz").string());

  auto newer = find_symbols_for_banner(candidates, kNewBanner);
  REQUIRE(newer.ok());
  CHECK(newer.value()->source() == (kCandidates / "6.1.0-test-amd64.json").string());
}

TEST_CASE("find_symbols_for_banner accepts files as candidates") {
  std::vector<fs::path> candidates{kCandidates / "6.1.0-test-amd64.json"};
  CHECK(find_symbols_for_banner(candidates, kNewBanner).ok());
}

TEST_CASE("no match lists what was tried and how to make the right ISF") {
  std::vector<fs::path> candidates{kCandidates, kIsfDir / "no-isf", kIsfDir / "missing.json"};
  auto found = find_symbols_for_banner(
      candidates, "Linux version 6.9.9-other (x@y) #1 SMP PREEMPT_DYNAMIC Debian 6.9.9-1 (2026-01-01)\n");
  REQUIRE_FALSE(found.ok());
  const std::string& message = found.error().message;
  const std::string expected_start =
      "no symbol table matches this dump's kernel.\n"
      "  dump banner: Linux version 6.9.9-other (x@y) #1 SMP PREEMPT_DYNAMIC Debian 6.9.9-1 (2026-01-01)\n"
      "  tried: " + (kCandidates / "6.1.0-test-amd64.json").string() + " (banner: " + kNewBanner + ")\n"
      "  tried: " + (kCandidates / "nested" / "5.10.0-old-amd64.json.xz").string() + " (banner: " + kOldBanner + ")\n"
      "  tried: " + (kIsfDir / "missing.json").string() + " (unreadable: ";
  CHECK(message.substr(0, expected_start.size()) == expected_start);
  CHECK(message.find("\n  tried: " + (kIsfDir / "no-isf").string() + " (no ISF files in it)\n") != std::string::npos);
  CHECK(message.ends_with(
      "\n  make one with dwarf2json: dwarf2json linux --elf /usr/lib/debug/boot/vmlinux-6.9.9-other "
      "--system-map System.map-6.9.9-other | xz > 6.9.9-other.json.xz "
      "(vmlinux from the kernel's -dbg / debuginfo package)"));
}

TEST_CASE("a directory without any ISF file is an error saying so") {
  std::vector<fs::path> candidates{kIsfDir / "no-isf"};
  auto found = find_symbols_for_banner(candidates, kNewBanner);
  REQUIRE_FALSE(found.ok());
  CHECK(found.error().message ==
        "no ISF symbol table files (*.json, *.json.xz, *.json.gz, *.json.zst) found in " +
            (kIsfDir / "no-isf").string());
}

}  // namespace
}  // namespace drydock
