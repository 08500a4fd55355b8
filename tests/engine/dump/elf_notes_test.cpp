#include "engine/dump/elf_notes.hpp"

#include <catch2/catch.hpp>

#include <vector>

#include "support/dump_builder.hpp"

using namespace drydock;
using drydock::testing::Bytes;
using drydock::testing::Segment;

namespace {

const std::vector<Segment> kOneLoad = {{0x0, drydock::testing::pattern_bytes(0x1000)}};
constexpr std::string_view kVmcoreinfo =
    "OSRELEASE=6.1.0-56-amd64\nPAGESIZE=4096\nSYMBOL(init_uts_ns)=ffffffff8fe16a20\nKERNELOFFSET=e000000\n";

}  // namespace

TEST_CASE("find_vmcoreinfo_note returns the VMCOREINFO note text") {
  const Bytes file = drydock::testing::build_elf_core(kOneLoad, {.vmcoreinfo = std::string(kVmcoreinfo)});
  auto text = find_vmcoreinfo_note(file);
  REQUIRE(text.has_value());
  CHECK(*text == kVmcoreinfo);
}

TEST_CASE("find_vmcoreinfo_note skips other notes and strips trailing NULs") {
  Bytes file = drydock::testing::build_elf_core(kOneLoad);
  // A PT_NOTE with a CORE/NT_PRSTATUS note, then VMCOREINFO with a NUL-padded text.
  Bytes notes = drydock::testing::elf_note("CORE", 1, std::string(336, '\x01'));
  drydock::testing::append(notes, drydock::testing::elf_note("VMCOREINFO", 0, std::string("PAGESIZE=4096\n\0\0", 16)));
  const std::size_t notes_at = file.size();
  drydock::testing::append(file, notes);
  // A new two-entry program header table at the end of the file: the PT_LOAD, then the PT_NOTE.
  const std::size_t phoff = file.size();
  Bytes table(2 * 56);
  std::copy_n(file.begin() + 64, 56, table.begin());  // the PT_LOAD
  drydock::testing::put_le<std::uint32_t>(table, 56, 4);  // PT_NOTE
  drydock::testing::put_le<std::uint64_t>(table, 56 + 8, notes_at);
  drydock::testing::put_le<std::uint64_t>(table, 56 + 32, notes.size());
  drydock::testing::append(file, table);
  drydock::testing::put_le<std::uint64_t>(file, 32, phoff);
  drydock::testing::put_le<std::uint16_t>(file, 56, 2);
  auto text = find_vmcoreinfo_note(file);
  REQUIRE(text.has_value());
  CHECK(*text == "PAGESIZE=4096\n");
}

TEST_CASE("find_vmcoreinfo_note returns nothing without a note, for other formats and for malformed notes") {
  CHECK_FALSE(find_vmcoreinfo_note(drydock::testing::build_elf_core(kOneLoad)).has_value());
  CHECK_FALSE(find_vmcoreinfo_note(drydock::testing::build_lime(kOneLoad)).has_value());
  CHECK_FALSE(find_vmcoreinfo_note({}).has_value());

  Bytes file = drydock::testing::build_elf_core(kOneLoad, {.vmcoreinfo = std::string(kVmcoreinfo)});
  // The note's descsz claims more than its segment holds.
  const std::size_t note_at = drydock::testing::get_le<std::uint64_t>(file, 64 + 8);
  drydock::testing::put_le<std::uint32_t>(file, note_at + 4, 0x7fffffff);
  CHECK_FALSE(find_vmcoreinfo_note(file).has_value());
}
