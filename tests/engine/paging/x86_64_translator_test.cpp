#include "engine/paging/x86_64_translator.hpp"

#include <catch2/catch.hpp>

#include <array>
#include <memory>
#include <string>

#include "support/dump_builder.hpp"
#include "support/page_table_builder.hpp"

using namespace drydock;
using drydock::testing::Bytes;
using drydock::testing::kPage1G;
using drydock::testing::kPage2M;
using drydock::testing::kPage4K;
using drydock::testing::PageTableBuilder;
using drydock::testing::PhysicalImageBuilder;

namespace {

constexpr std::uint64_t kRoot = 0x10000;    // PML4 (or PML5)
constexpr std::uint64_t kTables = 0x20000;  // intermediate tables from here

// A dump built from an image, kept alive with the memory over it.
struct Dump {
  Bytes file;
  std::unique_ptr<PhysicalMemory> memory;
};

std::unique_ptr<Dump> open(const PhysicalImageBuilder& image) {
  auto dump = std::make_unique<Dump>();
  dump->file = image.lime();
  auto memory = PhysicalMemory::from_bytes(dump->file, "tables.lime");
  REQUIRE(memory);
  dump->memory = std::make_unique<PhysicalMemory>(std::move(memory).value());
  return dump;
}

std::string read_text(const X86Translator& mmu, std::uint64_t address, std::size_t size, bool& ok) {
  std::string out(size, '\0');
  ok = mmu.read(address, std::as_writable_bytes(std::span(out.data(), out.size())));
  return out;
}

}  // namespace

TEST_CASE("a 4 KiB page translates to its frame plus the page offset") {
  PhysicalImageBuilder image;
  PageTableBuilder tables(image, kRoot, kTables);
  tables.map(0xffff888000123000, 0x456000, kPage4K);
  image.write_string(0x456abc, "four-k");
  auto dump = open(image);
  const X86Translator mmu(*dump->memory, kRoot, PagingMode::level4);

  auto t = mmu.translate(0xffff888000123abc);
  REQUIRE(t);
  CHECK(t->physical == 0x456abc);
  CHECK(t->page_size == kPage4K);
  bool ok = false;
  CHECK(read_text(mmu, 0xffff888000123abc, 6, ok) == "four-k");
  CHECK(ok);
}

TEST_CASE("a 2 MiB page translates with the low 21 bits of the address") {
  PhysicalImageBuilder image;
  PageTableBuilder tables(image, kRoot, kTables);
  tables.map(0xffffffff81000000, 0x3200000, kPage2M);
  image.write_string(0x3200000 + 0x1abcde, "two-m");
  auto dump = open(image);
  const X86Translator mmu(*dump->memory, kRoot, PagingMode::level4);

  auto t = mmu.translate(0xffffffff811abcde);
  REQUIRE(t);
  CHECK(t->physical == 0x33abcde);
  CHECK(t->page_size == kPage2M);
  bool ok = false;
  CHECK(read_text(mmu, 0xffffffff811abcde, 5, ok) == "two-m");
  CHECK(ok);
}

TEST_CASE("a 1 GiB page translates with the low 30 bits of the address") {
  PhysicalImageBuilder image;
  PageTableBuilder tables(image, kRoot, kTables);
  tables.map(0xffff888000000000, 0x40000000, kPage1G);
  image.write_string(0x40000000 + 0x2345678, "one-g");
  auto dump = open(image);
  const X86Translator mmu(*dump->memory, kRoot, PagingMode::level4);

  auto t = mmu.translate(0xffff888002345678);
  REQUIRE(t);
  CHECK(t->physical == 0x42345678);
  CHECK(t->page_size == kPage1G);
  bool ok = false;
  CHECK(read_text(mmu, 0xffff888002345678, 5, ok) == "one-g");
  CHECK(ok);
}

TEST_CASE("entry flag bits outside the frame address do not leak into the physical address") {
  PhysicalImageBuilder image;
  PageTableBuilder tables(image, kRoot, kTables);
  // NX (bit 63), protection key (bits 59..62), accessed/dirty/global.
  const std::uint64_t flags = testing::kPteNoExecute | (0xfULL << 59) | 0x160 | testing::kPteWritable;
  tables.map(0xffff888000001000, 0x7000, kPage4K, flags);
  // A 2 MiB entry with its PAT bit (bit 12) set: not part of the frame.
  tables.map(0xffffffff81000000, 0x3200000, kPage2M, flags | (1ULL << 12));
  // A PT entry with bit 7 set (PAT for 4 KiB pages) still maps a 4 KiB page.
  tables.map(0xffff888000002000, 0x9000, kPage4K, testing::kPteLarge);
  image.map(0x7000, kPage4K);
  image.map(0x9000, kPage4K);
  auto dump = open(image);
  const X86Translator mmu(*dump->memory, kRoot, PagingMode::level4);

  auto small = mmu.translate(0xffff888000001234);
  REQUIRE(small);
  CHECK(small->physical == 0x7234);
  auto large = mmu.translate(0xffffffff81001234);
  REQUIRE(large);
  CHECK(large->physical == 0x3201234);
  CHECK(large->page_size == kPage2M);
  auto pat = mmu.translate(0xffff888000002010);
  REQUIRE(pat);
  CHECK(pat->physical == 0x9010);
  CHECK(pat->page_size == kPage4K);
}

TEST_CASE("a non-present entry stops the walk and the error names its level") {
  PhysicalImageBuilder image;
  PageTableBuilder tables(image, kRoot, kTables);
  tables.map(0xffff888000001000, 0x7000, kPage4K);  // PML4[273] -> PDPT -> PD -> PT
  image.map(0x7000, kPage4K);
  auto dump = open(image);
  const X86Translator mmu(*dump->memory, kRoot, PagingMode::level4);

  SECTION("PML4") {
    auto t = mmu.translate(0xffffc90000000000);
    REQUIRE_FALSE(t);
    CHECK_THAT(t.error().message, Catch::Contains("PML4") && Catch::Contains("not present") &&
                                      Catch::Contains("0xffffc90000000000"));
  }
  SECTION("PDPT") {
    auto t = mmu.translate(0xffff888040000000);  // next GiB: same PML4 entry, empty PDPT entry
    REQUIRE_FALSE(t);
    CHECK_THAT(t.error().message, Catch::Contains("PDPT") && Catch::Contains("not present"));
  }
  SECTION("PD") {
    auto t = mmu.translate(0xffff888000200000);  // next 2 MiB
    REQUIRE_FALSE(t);
    CHECK_THAT(t.error().message, Catch::Contains("PD entry") && Catch::Contains("not present"));
  }
  SECTION("PT") {
    auto t = mmu.translate(0xffff888000002000);  // next 4 KiB
    REQUIRE_FALSE(t);
    CHECK_THAT(t.error().message, Catch::Contains("PT entry") && Catch::Contains("not present"));
  }
}

TEST_CASE("a table entry pointing outside the dump is reported with the physical address") {
  PhysicalImageBuilder image;
  PageTableBuilder tables(image, kRoot, kTables);
  // PML4[511] -> a PDPT at 64 GiB, which the dump did not save.
  tables.set_entry(kRoot, 511, 0x1000000000ULL | testing::kPtePresent | testing::kPteWritable);
  auto dump = open(image);
  const X86Translator mmu(*dump->memory, kRoot, PagingMode::level4);

  auto t = mmu.translate(0xffffffff81000000);
  REQUIRE_FALSE(t);
  // PDPT index of 0xffffffff81000000 is 510: entry at 0x1000000000 + 510 * 8.
  CHECK_THAT(t.error().message, Catch::Contains("PDPT") && Catch::Contains("0x1000000ff0") &&
                                    Catch::Contains("not in the dump"));
}

TEST_CASE("a DTB outside the dump fails at the top level") {
  PhysicalImageBuilder image;
  image.map(0, kPage4K);
  auto dump = open(image);
  const X86Translator mmu(*dump->memory, 0x7fff0000, PagingMode::level4);
  auto t = mmu.translate(0xffffffff81000000);
  REQUIRE_FALSE(t);
  CHECK_THAT(t.error().message, Catch::Contains("PML4") && Catch::Contains("not in the dump"));
}

TEST_CASE("a self-referencing PML4 entry ends the walk after one entry per level") {
  PhysicalImageBuilder image;
  PageTableBuilder tables(image, kRoot, kTables);
  tables.set_entry(kRoot, 0x1ed, kRoot | testing::kPtePresent | testing::kPteWritable);
  image.write_string(kRoot + 0x100, "pml4-itself");
  auto dump = open(image);
  const X86Translator mmu(*dump->memory, kRoot, PagingMode::level4);

  // Indices 0x1ed at every level: the walk goes PML4 -> PML4 -> PML4 -> PML4
  // and lands on the PML4 page itself (the "recursive mapping" trick).
  const std::uint64_t recursive = 0xfffff6fb7dbed000ULL;
  auto t = mmu.translate(recursive + 0x100);
  REQUIRE(t);
  CHECK(t->physical == kRoot + 0x100);
  CHECK(t->page_size == kPage4K);
  bool ok = false;
  CHECK(read_text(mmu, recursive + 0x100, 11, ok) == "pml4-itself");
  CHECK(ok);

  // Any other index at a lower level finds an empty entry of the same page.
  auto other = mmu.translate(0xfffff6fb7dbee000ULL);
  REQUIRE_FALSE(other);
  CHECK_THAT(other.error().message, Catch::Contains("PT entry") && Catch::Contains("not present"));
}

TEST_CASE("a self-referencing entry marked as a large page maps the table's own region") {
  PhysicalImageBuilder image;
  PageTableBuilder tables(image, kRoot, kTables);
  tables.set_entry(kRoot, 3, kRoot | testing::kPtePresent | testing::kPteLarge);
  image.map(0, kPage4K);
  auto dump = open(image);
  const X86Translator mmu(*dump->memory, kRoot, PagingMode::level4);
  // PML4[3] -> PML4 as PDPT, entry 3 has PS: a 1 GiB page at physical 0.
  auto t = mmu.translate((3ULL << 39) | (3ULL << 30) | 0x42);
  REQUIRE(t);
  CHECK(t->physical == 0x42);
  CHECK(t->page_size == kPage1G);
}

TEST_CASE("5-level paging walks a PML5 before the PML4") {
  PhysicalImageBuilder image;
  PageTableBuilder tables(image, kRoot, kTables, 5);
  tables.map(0xff11000000000000ULL, 0x0, kPage1G);
  tables.map(0xffffffff81000000ULL, 0x3200000, kPage2M);
  image.write_string(0x3200010, "five-level");
  image.write_string(0x5000, "direct");
  auto dump = open(image);
  const X86Translator mmu(*dump->memory, kRoot, PagingMode::level5);
  CHECK(mmu.mode() == PagingMode::level5);

  auto kernel = mmu.translate(0xffffffff81000010ULL);
  REQUIRE(kernel);
  CHECK(kernel->physical == 0x3200010);
  bool ok = false;
  CHECK(read_text(mmu, 0xff11000000005000ULL, 6, ok) == "direct");
  CHECK(ok);

  auto missing = mmu.translate(0xff22000000000000ULL);
  REQUIRE_FALSE(missing);
  CHECK_THAT(missing.error().message, Catch::Contains("PML5") && Catch::Contains("not present"));

  // The same tables read as 4-level put the PML5 where the PML4 should be.
  const X86Translator four(*dump->memory, kRoot, PagingMode::level4);
  auto wrong = four.translate(0xffffffff81000010ULL);
  CHECK((!wrong || wrong->physical != 0x3200010));
}

TEST_CASE("a read crossing a page boundary joins frames that are not adjacent") {
  PhysicalImageBuilder image;
  PageTableBuilder tables(image, kRoot, kTables);
  tables.map(0xffff888000010000, 0x9000, kPage4K);
  tables.map(0xffff888000011000, 0x5000, kPage4K);  // the next virtual page lies lower
  image.write_string(0x9ffc, "left");
  image.write_string(0x5000, "right");
  auto dump = open(image);
  const X86Translator mmu(*dump->memory, kRoot, PagingMode::level4);

  bool ok = false;
  CHECK(read_text(mmu, 0xffff888000010ffc, 9, ok) == "leftright");
  CHECK(ok);
}

TEST_CASE("a read running into an unmapped page fails") {
  PhysicalImageBuilder image;
  PageTableBuilder tables(image, kRoot, kTables);
  tables.map(0xffff888000010000, 0x9000, kPage4K);
  image.map(0x9000, kPage4K);
  auto dump = open(image);
  const X86Translator mmu(*dump->memory, kRoot, PagingMode::level4);

  std::array<std::byte, 8> inside{};
  CHECK(mmu.read(0xffff888000010ff8, inside));
  std::array<std::byte, 16> across{};
  CHECK_FALSE(mmu.read(0xffff888000010ff8, across));
}

TEST_CASE("a read of a mapped page that the dump did not save fails") {
  PhysicalImageBuilder image;
  PageTableBuilder tables(image, kRoot, kTables);
  tables.map(0xffff888000000000, 0x0, kPage1G);  // maps 1 GiB; the dump saves a few pages
  image.map(0x8000, kPage4K);
  auto dump = open(image);
  const X86Translator mmu(*dump->memory, kRoot, PagingMode::level4);

  auto t = mmu.translate(0xffff888000300000);
  REQUIRE(t);  // translation succeeds: the page tables map it
  std::array<std::byte, 8> out{};
  CHECK(mmu.read(0xffff888000008000, out));
  CHECK_FALSE(mmu.read(0xffff888000300000, out));
  CHECK_FALSE(mmu.read(0xffff888000008ffc, out));  // half saved, half not
}

TEST_CASE("a non-canonical address does not translate") {
  // Bits 63..48 must copy bit 47 (4-level); the CPU faults on anything else.
  // A corrupted pointer with its top bits cleared must not alias the kernel's
  // direct map.
  PhysicalImageBuilder image;
  PageTableBuilder tables(image, kRoot, kTables);
  tables.map(0xffff888000000000, 0x0, kPage1G);
  image.map(0x1000, kPage4K);
  auto dump = open(image);
  const X86Translator mmu(*dump->memory, kRoot, PagingMode::level4);

  REQUIRE(mmu.translate(0xffff888000001000));
  auto t = mmu.translate(0x0000888000001000);
  REQUIRE_FALSE(t);
  CHECK_THAT(t.error().message, Catch::Contains("canonical"));
  std::array<std::byte, 8> out{};
  CHECK_FALSE(mmu.read(0x1234888000001000, out));
}
