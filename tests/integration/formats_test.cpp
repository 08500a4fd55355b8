// The same dump as LiME, raw, ELF core and zstd-compressed LiME gives the
// same `info` (except the format and, for raw, the ranges, which a raw image
// cannot tell apart from zeros).

#include <unistd.h>

#include <filesystem>

#include <catch2/catch.hpp>

#include "engine/dump/physical_memory.hpp"
#include "integration/real_dump.hpp"
#include "support/dump_convert.hpp"

using namespace drydock::test;
using nlohmann::json;

namespace {

// Writes the converted files once per build tree.
void make_converted_dumps(const std::string& elf, const std::string& raw) {
  if (std::filesystem::exists(elf) && std::filesystem::exists(raw)) return;
  auto memory = drydock::PhysicalMemory::open(docker_basic().dump);
  REQUIRE(memory.ok());
  // CTest may run both tests of this file at once: each writes its own
  // temporary files and renames them into place (rename is atomic).
  const std::string part = ".part" + std::to_string(::getpid());
  REQUIRE(drydock::testing::write_elf_core(*memory, elf + part).ok());
  REQUIRE(drydock::testing::write_raw_image(*memory, raw + part).ok());
  std::filesystem::rename(elf + part, elf);
  std::filesystem::rename(raw + part, raw);
}

json info_of(const std::string& dump) {
  CommandResult raw;
  json j = drydock_json("info --format json --symbols " + shell_quote(docker_basic().isf) + " " + shell_quote(dump), &raw);
  INFO(dump << ": " << raw.err);
  REQUIRE(raw.exit_code == 0);
  return j;
}

}  // namespace

TEST_CASE("LiME, raw, ELF core and zstd forms of the real dump give the same info", "[real]") {
  const std::string elf = work_dir() + "/memory.elf";
  const std::string raw = work_dir() + "/memory.raw";
  make_converted_dumps(elf, raw);

  json lime = info_of(docker_basic().dump);
  json core = info_of(elf);
  json flat = info_of(raw);
  json packed = info_of(docker_basic().compressed_dump);
  CHECK(lime["dump"]["format"] == "lime");
  CHECK(core["dump"]["format"] == "elf_core");
  CHECK(flat["dump"]["format"] == "raw");
  CHECK(packed["dump"]["format"] == "lime");
  CHECK(packed["dump"]["compression"] == "zstd");
  CHECK(core["ranges"] == lime["ranges"]);
  for (json* j : {&lime, &core, &flat, &packed}) {
    (*j)["dump"].erase("path");
    (*j)["dump"].erase("format");
    (*j)["dump"].erase("compression");
  }
  json flat_without_ranges = flat, lime_without_ranges = lime;
  flat_without_ranges.erase("ranges");
  lime_without_ranges.erase("ranges");
  CHECK(core == lime);
  CHECK(packed == lime);
  CHECK(flat_without_ranges == lime_without_ranges);
}

TEST_CASE("every form gives the same containers", "[real]") {
  const std::string elf = work_dir() + "/memory.elf";
  const std::string raw = work_dir() + "/memory.raw";
  make_converted_dumps(elf, raw);
  const auto containers = [](const std::string& dump) {
    json j = drydock_json("containers --format json --symbols " + shell_quote(docker_basic().isf) + " " + shell_quote(dump));
    return j["containers"];
  };
  const json lime = containers(docker_basic().dump);
  CHECK(lime.size() == 12);
  CHECK(containers(elf) == lime);
  CHECK(containers(raw) == lime);
}
