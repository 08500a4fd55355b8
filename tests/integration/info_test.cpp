// `drydock info` on the real docker-basic dump: the kernel is found, the
// shifts and DTB are right, and the translation reads init_task.comm.

#include <catch2/catch.hpp>

#include "integration/real_dump.hpp"

using namespace drydock::test;

namespace {

// _text at runtime, from ground-truth/meta.json ("ffffffff8ee00000 T _text"),
// minus its link address in the ISF gives the virtual shift.
std::uint64_t ground_truth_text() {
  const auto meta = read_json_file(ground_truth("meta.json"));
  return std::stoull(meta["kallsyms_text"].get<std::string>().substr(0, 16), nullptr, 16);
}

}  // namespace

TEST_CASE("info finds the kernel of the real dump and proves the translation", "[real]") {
  CommandResult raw;
  const auto info = drydock_json("info --format json --symbols " + shell_quote(real_isf()) + " " +
                                 shell_quote(real_lime()), &raw);
  INFO(raw.err);
  REQUIRE(raw.exit_code == 0);
  const auto meta = read_json_file(ground_truth("meta.json"));
  CHECK(info["dump"]["banner"] == meta["linux_banner"]);
  CHECK(info["dump"]["kernel_release"] == meta["uname_r"]);
  CHECK(info["dump"]["format"] == "lime");
  CHECK(info["init_task_comm"] == "swapper/0");
  const std::uint64_t text_link = 0xffffffff81000000ULL;  // _text in the ISF (System.map)
  CHECK(std::stoull(info["virtual_shift"].get<std::string>(), nullptr, 16) == ground_truth_text() - text_link);
  // SCENARIO.md: _text is at physical 0x29a00000; it is linked at physical 0x1000000.
  CHECK(info["physical_shift"] == "0x28a00000");
  CHECK(info["paging"] == "4-level");
  CHECK(info["ranges"].size() == 5);
}

TEST_CASE("info gives the same answer for the zstd-compressed dump", "[real]") {
  const std::string symbols = " --symbols " + shell_quote(real_isf()) + " ";
  auto plain = drydock_json("info --format json" + symbols + shell_quote(real_lime()));
  auto packed = drydock_json("info --format json" + symbols + shell_quote(real_zst()));
  REQUIRE(packed.contains("dump"));
  CHECK(packed["dump"]["compression"] == "zstd");
  for (auto* j : {&plain, &packed}) {
    (*j)["dump"].erase("path");
    (*j)["dump"].erase("compression");
  }
  CHECK(plain == packed);
}

TEST_CASE("info picks the matching ISF from a directory", "[real]") {
  CommandResult raw;
  const auto info = drydock_json("info --format json --symbols " + shell_quote(real_dump_dir()) + " " +
                                 shell_quote(real_lime()), &raw);
  INFO(raw.err);
  REQUIRE(raw.exit_code == 0);
  CHECK(info["init_task_comm"] == "swapper/0");
}

TEST_CASE("info with a directory of ISFs remembers their banners and answers the same from the index", "[real]") {
  const std::string cache = work_dir() + "/banner-index-cache";
  std::filesystem::remove_all(cache);
  const std::string args = "info --format json --cache-dir " + shell_quote(cache) + " --symbols " +
                           shell_quote(real_dump_dir()) + " " + shell_quote(real_lime());
  CommandResult first_raw, second_raw;
  const auto first = drydock_json(args, &first_raw);
  REQUIRE(first_raw.exit_code == 0);
  // The second run probes for the remembered banner instead of scanning.
  const auto index = read_json_file(cache + "/isf-banners.json");
  const auto& files = index["files"];
  const auto plain = files.find(std::filesystem::path(real_isf()).lexically_normal().string());
  REQUIRE(plain != files.end());
  CHECK((*plain)["banner"] == first["dump"]["banner"]);
  CHECK((*plain)["link"].is_number_unsigned());
  const auto second = drydock_json(args, &second_raw);
  REQUIRE(second_raw.exit_code == 0);
  CHECK(second == first);
  std::filesystem::remove_all(cache);
}
