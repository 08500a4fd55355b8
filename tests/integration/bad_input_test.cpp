// Bad input gets one clear line (or a short block) and exit code 2, never a
// crash or a hang.

#include <filesystem>
#include <cstring>
#include <fstream>

#include <catch2/catch.hpp>

#include "integration/real_dump.hpp"

using namespace drydock::test;

namespace {

std::string write_file(const std::string& name, const std::string& bytes) {
  const std::string path = std::string(DRYDOCK_WORK_DIR) + "/" + name;
  std::ofstream(path, std::ios::binary) << bytes;
  return path;
}

CommandResult info(const std::string& dump, const std::string& symbols) {
  return run_drydock("info --symbols " + shell_quote(symbols) + " " + shell_quote(dump));
}

}  // namespace

TEST_CASE("bad dumps and symbol files exit 2 with a message naming the file", "[real]") {
  const std::string isf = docker_basic().isf;
  SECTION("empty file") {
    const auto r = info(write_file("empty.bin", ""), isf);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("empty.bin") != std::string::npos);
  }
  SECTION("a file that is no dump") {
    const auto r = info(write_file("text.txt", std::string(2 << 20, 'x')), isf);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("text.txt") != std::string::npos);
  }
  SECTION("truncated LiME header") {
    const auto r = info(write_file("short.lime", std::string("EMiL\x01\x00\x00\x00", 8)), isf);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("short.lime") != std::string::npos);
  }
  SECTION("a LiME range past the end of the file") {
    std::string header("EMiL\x01\x00\x00\x00", 8);
    const std::uint64_t start = 0, end = 0xffffff;
    header.append(reinterpret_cast<const char*>(&start), 8).append(reinterpret_cast<const char*>(&end), 8).append(8, '\0');
    const auto r = info(write_file("past-end.lime", header + std::string(4096, 'A')), isf);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("past-end.lime") != std::string::npos);
  }
  SECTION("ELF with bogus program headers") {
    std::string elf(64, '\0');
    elf[0] = 0x7f, elf[1] = 'E', elf[2] = 'L', elf[3] = 'F', elf[4] = 2, elf[5] = 1, elf[6] = 1;
    elf[16] = 4;     // ET_CORE
    elf[18] = 62;    // EM_X86_64
    elf[20] = 1;
    const std::uint64_t phoff = 1ULL << 40;
    std::memcpy(elf.data() + 32, &phoff, 8);
    elf[52] = 64, elf[54] = 56, elf[56] = 3;  // ehsize, phentsize, phnum
    const auto r = info(write_file("bogus.elf", elf + std::string(2 << 20, '\0')), isf);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("bogus.elf") != std::string::npos);
  }
  SECTION("an ISF that is not JSON") {
    const auto r = info(docker_basic().dump, write_file("broken.json", "{ not json"));
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("broken.json") != std::string::npos);
  }
  SECTION("an ISF of another kernel") {
    const std::string other = R"({"metadata": {"format": "6.2.0"}, "base_types": {}, "user_types": {}, "enums": {},
      "symbols": {"linux_banner": {"address": 1, "constant_data": "TGludXggdmVyc2lvbiA1LjEwLjAgKG5vYm9keSkgIzEK"},
                  "init_top_pgt": {"address": 2}}})";
    const auto r = info(docker_basic().dump, write_file("other-kernel.json", other));
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("another kernel") != std::string::npos);
    CHECK(r.err.find("Linux version 6.1.0-56-amd64") != std::string::npos);
    CHECK(r.err.find("dwarf2json") != std::string::npos);
  }
  SECTION("a corrupt .zst") {
    std::string zst("\x28\xb5\x2f\xfd", 4);
    zst += std::string(64, '\x55');
    const auto r = info(write_file("corrupt.lime.zst", zst), isf);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("corrupt.lime.zst") != std::string::npos);
  }
  SECTION("a missing file") {
    const auto r = info(std::string(DRYDOCK_WORK_DIR) + "/does-not-exist.lime", isf);
    CHECK(r.exit_code == 2);
    CHECK(r.err.find("does-not-exist.lime") != std::string::npos);
  }
}
