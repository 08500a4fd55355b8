// The banner index of a --symbols directory: remembered banners let later
// searches skip decompressing candidates, and a remembered banner is only a
// hint (a changed file or a lying index never picks the wrong table).

#include "symbols/banner_index.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>

#include "support/temp_dir.hpp"
#include "symbols/symbol_table.hpp"

namespace drydock {
namespace {

namespace fs = std::filesystem;
using drydock::testing::TempDir;

const fs::path kCandidates = fs::path(DRYDOCK_TEST_DATA_DIR) / "isf" / "candidates";
const std::string kNewBanner = "Linux version 6.1.0-test-amd64 (drydock@tests) (gcc 12) #1 SMP Debian 6.1.0-1";
const std::string kOldBanner = "Linux version 5.10.0-old-amd64 (drydock@tests) (gcc 10) #1 SMP Debian 5.10.0-1";

// A writable copy of the candidates directory.
fs::path copy_candidates(const TempDir& dir) {
  const fs::path copy = dir.path() / "isf";
  fs::copy(kCandidates, copy, fs::copy_options::recursive);
  return copy;
}

}  // namespace

TEST_CASE("BannerIndex remembers a banner until the file changes") {
  TempDir dir;
  const fs::path isf = copy_candidates(dir) / "6.1.0-test-amd64.json";
  const fs::path cache = dir.path() / "cache";
  {
    BannerIndex index = BannerIndex::load(cache);
    CHECK_FALSE(index.lookup(isf).has_value());
    index.remember(isf, {kNewBanner, 0xffffffff82000040ULL});
    index.save();
  }
  const auto known = BannerIndex::load(cache).lookup(isf);
  REQUIRE(known.has_value());
  CHECK(known->banner == kNewBanner);
  CHECK(known->link == 0xffffffff82000040ULL);

  // A rewrite changes the size or time: the entry no longer applies.
  std::ofstream(isf, std::ios::app) << " ";
  CHECK_FALSE(BannerIndex::load(cache).lookup(isf).has_value());
}

TEST_CASE("BannerIndex starts afresh from an index it cannot read") {
  TempDir dir;
  const fs::path isf = copy_candidates(dir) / "6.1.0-test-amd64.json";
  const fs::path cache = dir.path() / "cache";
  fs::create_directories(cache);
  for (const char* text : {"not json", "[]", R"({"version": 99, "files": {}})",
                           R"({"version": 1, "files": {"x": {"size": "big"}}})"}) {
    CAPTURE(text);
    std::ofstream(cache / "isf-banners.json", std::ios::trunc) << text;
    CHECK_FALSE(BannerIndex::load(cache).lookup(isf).has_value());
  }
}

TEST_CASE("BannerIndex without a cache directory neither loads nor saves") {
  TempDir dir;
  const fs::path isf = copy_candidates(dir) / "6.1.0-test-amd64.json";
  BannerIndex index = BannerIndex::load({});
  index.remember(isf, {kNewBanner, std::nullopt});
  index.save();
  CHECK_FALSE(index.lookup(isf).has_value());
}

TEST_CASE("find_symbols_for_banner with a cache remembers every file's banner and the match's link address") {
  TempDir dir;
  const fs::path isf_dir = copy_candidates(dir);
  const fs::path cache = dir.path() / "cache";
  const std::vector<fs::path> candidates{isf_dir};
  auto found = find_symbols_for_banner(candidates, kOldBanner, cache);
  REQUIRE(found.ok());
  CHECK(found.value()->source() == (isf_dir / "nested" / "5.10.0-old-amd64.json.xz").string());

  const BannerIndex index = BannerIndex::load(cache);
  const auto other = index.lookup(isf_dir / "6.1.0-test-amd64.json");
  REQUIRE(other.has_value());
  CHECK(other->banner == kNewBanner);
  CHECK_FALSE(other->link.has_value());  // never loaded in full
  const auto match = index.lookup(isf_dir / "nested" / "5.10.0-old-amd64.json.xz");
  REQUIRE(match.has_value());
  CHECK(match->link == found.value()->symbol("linux_banner")->address);

  // known_isf_banners offers only what can be probed for (a link address).
  const auto known = known_isf_banners(candidates, cache);
  REQUIRE(known.size() == 1);
  CHECK(known[0].banner == kOldBanner);

  // The second search trusts the remembered banners: it finds the same file.
  auto again = find_symbols_for_banner(candidates, kOldBanner, cache);
  REQUIRE(again.ok());
  CHECK(again.value()->source() == found.value()->source());
}

TEST_CASE("a lying banner index never picks the wrong symbol table") {
  TempDir dir;
  const fs::path isf_dir = copy_candidates(dir);
  const fs::path cache = dir.path() / "cache";
  {
    // The index claims the 6.1 file carries the 5.10 banner.
    BannerIndex index = BannerIndex::load(cache);
    index.remember(isf_dir / "6.1.0-test-amd64.json", {kOldBanner, 0xffffffff82000000ULL});
    index.save();
  }
  const std::vector<fs::path> candidates{isf_dir};
  auto found = find_symbols_for_banner(candidates, kOldBanner, cache);
  REQUIRE(found.ok());
  CHECK(found.value()->banner() == kOldBanner);
  CHECK(found.value()->source() == (isf_dir / "nested" / "5.10.0-old-amd64.json.xz").string());
}

}  // namespace drydock
