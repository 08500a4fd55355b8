// The pure parts of the file walk: `ls -l` mode strings and the path-prefix
// filter that decides what is listed and which subtrees are walked.

#include <catch2/catch.hpp>

#include "engine/kernel/file_walker.hpp"

using drydock::mode_string;
using drydock::normalize_path_prefix;
using drydock::path_may_contain;
using drydock::path_within;

TEST_CASE("mode_string prints i_mode as ls -l does", "[files]") {
  CHECK(mode_string(0100644) == "-rw-r--r--");
  CHECK(mode_string(0040755) == "drwxr-xr-x");
  CHECK(mode_string(0120777) == "lrwxrwxrwx");
  CHECK(mode_string(0020620) == "crw--w----");
  CHECK(mode_string(0060660) == "brw-rw----");
  CHECK(mode_string(0010600) == "prw-------");
  CHECK(mode_string(0140777) == "srwxrwxrwx");
  CHECK(mode_string(0104755) == "-rwsr-xr-x");
  CHECK(mode_string(0102645) == "-rw-r-Sr-x");
  CHECK(mode_string(0041777) == "drwxrwxrwt");
  CHECK(mode_string(0041776) == "drwxrwxrwT");
  CHECK(mode_string(0000000) == "?---------");
}

TEST_CASE("a path prefix keeps itself and what lies under it, not siblings sharing its letters", "[files]") {
  const std::string etc = normalize_path_prefix("/etc/");
  CHECK(etc == "/etc");
  CHECK(path_within("/etc", etc));
  CHECK(path_within("/etc/hosts", etc));
  CHECK(path_within("/etc/ssh/sshd_config", etc));
  CHECK_FALSE(path_within("/etcfoo", etc));
  CHECK_FALSE(path_within("/", etc));
  CHECK_FALSE(path_within("/var/etc", etc));
  CHECK(normalize_path_prefix("/") == "");
  CHECK(path_within("/anything", normalize_path_prefix("/")));
}

TEST_CASE("the walk descends only where the prefix can still be reached", "[files]") {
  const std::string etc = "/etc/ssh";
  CHECK(path_may_contain("/", etc));
  CHECK(path_may_contain("/etc", etc));
  CHECK(path_may_contain("/etc/ssh", etc));
  CHECK(path_may_contain("/etc/ssh/moduli", etc));
  CHECK_FALSE(path_may_contain("/etc/sshd", etc));
  CHECK_FALSE(path_may_contain("/et", etc));
  CHECK_FALSE(path_may_contain("/var", etc));
}
