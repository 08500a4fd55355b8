// Writing recovered files under a directory with hostile paths from a dump:
// nothing lands outside it, no links or device nodes are made, planted
// symbolic links are not followed, and odd names come back by decoding.

#include "engine/core/extract_dir.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <set>
#include <string>

#include <sys/stat.h>
#include <unistd.h>

using namespace drydock;
namespace fs = std::filesystem;

namespace {

struct Scratch {
  fs::path base;
  Scratch() {
    base = fs::temp_directory_path() / ("drydock-extract-test-" + std::to_string(::getpid()));
    fs::remove_all(base);
    fs::create_directories(base / "outside");
  }
  ~Scratch() { fs::remove_all(base); }
  // Every path under base except those inside `dir`.
  std::set<std::string> outside_entries(const fs::path& dir) const {
    std::set<std::string> out;
    for (const auto& e : fs::recursive_directory_iterator(base)) {
      const std::string p = e.path().string();
      if (p.rfind(dir.string(), 0) != 0) out.insert(p);
    }
    return out;
  }
};

std::vector<ByteExtent> one(const std::string& text) {
  return {{0, std::as_bytes(std::span(text.data(), text.size()))}};
}

}  // namespace

TEST_CASE("extract dir: hostile names are encoded and nothing is written outside the directory") {
  Scratch s;
  const fs::path dir = s.base / "out";
  auto x = ExtractDir::open(dir);
  REQUIRE(x);
  const std::set<std::string> before = s.outside_entries(dir);
  const std::string long_name(4096, 'A');
  const std::vector<std::string> hostile = {
      "../../outside/escaped", "/../outside/abs", "/etc/passwd", "a/./../../b", std::string("nul\0byte", 8),
      "ctl\x1b[2J\n\t", "..", ".", "/" + long_name, "%2E%2E", "dir/" + long_name + "/file", "\xff\xfe bytes"};
  for (std::size_t i = 0; i < hostile.size(); ++i) {
    const std::string& path = hostile[i];
    INFO(path.substr(0, 60));
    // Each under its own directory: ".." alone and "../x" would otherwise name one entry twice.
    std::vector<std::string> components = encoded_components(path);
    components.insert(components.begin(), "case-" + std::to_string(i));
    auto written = x->write_file(components, 4, one("data"));
    REQUIRE(written);
    const fs::path target = dir / *written;
    CHECK(fs::is_regular_file(fs::symlink_status(target)));
    // Within the directory, and every component decodes back to the raw one (unless it was too long).
    CHECK(fs::weakly_canonical(target).string().rfind(fs::weakly_canonical(dir).string() + "/", 0) == 0);
  }
  CHECK(s.outside_entries(dir) == before);
  // Each written name is a plain, short component.
  for (const auto& e : fs::recursive_directory_iterator(dir)) {
    const std::string name = e.path().filename().string();
    CHECK(name.size() <= 255);
    CHECK(name != "..");
    CHECK(name.find('\0') == std::string::npos);
  }
}

TEST_CASE("extract dir: a planted symbolic link is not followed, an existing file is not overwritten") {
  Scratch s;
  const fs::path dir = s.base / "out";
  auto x = ExtractDir::open(dir);
  REQUIRE(x);
  fs::create_directory_symlink(s.base / "outside", dir / "etc");
  fs::create_symlink(s.base / "outside" / "target", dir / "file");
  CHECK_FALSE(x->write_file(encoded_components("/etc/passwd"), 4, one("root")));
  CHECK_FALSE(x->write_file(encoded_components("/file"), 4, one("root")));
  CHECK(fs::is_empty(s.base / "outside"));
  REQUIRE(x->write_file(encoded_components("/twice"), 4, one("once")));
  CHECK_FALSE(x->write_file(encoded_components("/twice"), 5, one("again")));
}

TEST_CASE("extract dir: missing ranges stay holes and the size is the file's") {
  Scratch s;
  auto x = ExtractDir::open(s.base / "out");
  REQUIRE(x);
  const std::string page(4096, 'x');
  const std::vector<ByteExtent> extents{{8192, std::as_bytes(std::span(page.data(), page.size()))}};
  auto written = x->write_file(encoded_components("/sparse"), 1 << 20, extents);
  REQUIRE(written);
  const fs::path p = s.base / "out" / *written;
  CHECK(fs::file_size(p) == (1u << 20));
  struct stat st {};
  REQUIRE(::stat(p.c_str(), &st) == 0);
  // Allocated far less than the size (a file system without holes would allocate it all).
  CHECK(st.st_blocks * 512 < (1 << 20));
}

TEST_CASE("extract dir: the name encoding is reversible and leaves plain names alone") {
  for (const std::string& raw : {std::string("passwd"), std::string(".."), std::string("."), std::string(""),
                                std::string("a b%c"), std::string("nul\0x", 5), std::string("\x01\xff/")}) {
    const std::string encoded = encode_path_component(raw);
    INFO(encoded);
    auto back = decode_path_component(encoded);
    REQUIRE(back);
    CHECK(*back == raw);
    CHECK(encoded.find('/') == std::string::npos);
    CHECK(encoded != "..");
    CHECK(encoded != ".");
  }
  CHECK(encode_path_component("ld-linux-x86-64.so.2") == "ld-linux-x86-64.so.2");
  const std::string long_name = file_system_name(std::string(4096, 'A'));
  CHECK(long_name.size() <= 240);
  CHECK(long_name != file_system_name(std::string(4095, 'A')));
}
