// Writes the generated seed inputs of the fuzz targets (run once; its output is
// kept under tests/fuzz/<target>/):
//   dump_layout/: a LiME of two ranges, ELF cores with and without a
//     VMCOREINFO note (one with a segment inside another, one with an unsaved
//     tail), a raw image too small to be accepted;
//   isf/: the small hand-written ISF of the symbols tests, and the same table
//     as a symbol cache payload (the isf fuzzer's "DDSYMC\x01\0" form).
// Build and run from the repository root (uses build-fuzz/libdrydock_fuzz.a,
// which tests/fuzz/run_fuzzers.sh makes):
//   clang++-14 -std=c++20 -fsanitize=fuzzer-no-link,address,undefined -I. -Itests tests/fuzz/make_seeds.cpp \
//     build-fuzz/libdrydock_fuzz.a -lsimdjson -lfmt -lcrypto -lzstd -llzma -lz -ltbb -lpthread -o build-fuzz/make_seeds
//   build-fuzz/make_seeds tests/fuzz

#include <cstdio>
#include <fstream>
#include <string>
#include <vector>

#include "support/dump_builder.hpp"
#include "symbols/isf_fixtures.hpp"
#include "symbols/symbol_cache.hpp"
#include "symbols/symbol_table.hpp"

namespace {

using namespace drydock::testing;

void write(const std::string& path, const void* data, std::size_t size) {
  std::ofstream out(path, std::ios::binary);
  out.write(static_cast<const char*>(data), static_cast<std::streamsize>(size));
  if (!out) {
    std::fprintf(stderr, "cannot write %s\n", path.c_str());
    std::exit(1);
  }
}

void write(const std::string& path, const Bytes& bytes) { write(path, bytes.data(), bytes.size()); }

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s tests/fuzz\n", argv[0]);
    return 2;
  }
  const std::string dir = argv[1];
  const std::string banner = "Linux version 6.1.0-56-amd64 (debian-kernel@lists.debian.org) #1 SMP\n";
  std::vector<Segment> two = {{0x1000, pattern_bytes(256, 3)}, {0x100000, bytes_of(banner)}};
  write(dir + "/dump_layout/lime-two-ranges", build_lime(two));
  write(dir + "/dump_layout/elf-core", build_elf_core(two));
  ElfCoreOptions with_note;
  with_note.vmcoreinfo = "OSRELEASE=6.1.0-56-amd64\nPAGESIZE=4096\nKERNELOFFSET=de00000\n";
  with_note.data_alignment = 16;
  write(dir + "/dump_layout/elf-core-vmcoreinfo", build_elf_core(two, with_note));
  std::vector<Segment> nested = {{0x2000, pattern_bytes(512, 5)}, {0x2100, pattern_bytes(64, 5)},
                                 {0x8000, pattern_bytes(32, 7), 4096}};
  write(dir + "/dump_layout/elf-core-nested-tail", build_elf_core(nested));
  const std::vector<Segment> low = {two.front()};
  write(dir + "/dump_layout/raw-too-small", build_raw(low, 0));

  const std::string_view isf = drydock::test::kSmallIsf;
  write(dir + "/isf/small.json", isf.data(), isf.size());
  auto table = drydock::SymbolTable::parse(isf, "small.json");
  if (!table) {
    std::fprintf(stderr, "%s\n", table.error().message.c_str());
    return 1;
  }
  const std::string image = drydock::serialize_symbol_table(**table, std::string(64, '0'));
  constexpr std::size_t kHeaderSize = 8 + 4 + 4 + 64 + 64 + 8;
  const std::string seed = std::string("DDSYMC\x01\0", 8) + image.substr(kHeaderSize);
  write(dir + "/isf/small.cache", seed.data(), seed.size());
  return 0;
}
