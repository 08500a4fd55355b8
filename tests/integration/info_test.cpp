// `drydock info` on each dataset: the kernel is found, the shifts are right,
// the translation reads init_task.comm, and the physical ranges are the ones
// the dump file declares.

#include <filesystem>
#include <fstream>
#include <map>
#include <utility>
#include <vector>

#include <catch2/catch.hpp>

#include "integration/real_dump.hpp"

using namespace drydock::test;

namespace {

using Ranges = std::vector<std::pair<std::uint64_t, std::uint64_t>>;  // first and last physical address

// A file beside the dataset's ISF named after its kernel release (meta.json
// uname_r): System.map-<release>, config-<release>.
std::string kernel_file(const std::string& prefix) {
  const auto meta = read_json_file(dataset().ground_truth("meta.json"));
  return dataset().dir + "/" + prefix + meta["uname_r"].get<std::string>();
}

// The link address of `symbol` in the kernel's System.map; 0 when absent.
std::uint64_t system_map_address(const std::string& symbol) {
  std::ifstream in(kernel_file("System.map-"));
  std::string address, type, name;
  while (in >> address >> type >> name) {
    if (name == symbol) return std::stoull(address, nullptr, 16);
  }
  return 0;
}

// The value of CONFIG_<key> in the kernel's config file; "" when absent.
std::string kernel_config(const std::string& key) {
  std::ifstream in(kernel_file("config-"));
  const std::string prefix = "CONFIG_" + key + "=";
  for (std::string line; std::getline(in, line);) {
    if (line.rfind(prefix, 0) == 0) return line.substr(prefix.size());
  }
  return "";
}

template <typename T>
T read_at(std::ifstream& in, std::uint64_t offset) {
  T value{};
  in.seekg(static_cast<std::streamoff>(offset));
  in.read(reinterpret_cast<char*>(&value), sizeof value);
  return value;
}

// The ranges a LiME file (one 32-byte header before each range) or an ELF
// core (its PT_LOAD program headers) declares.
Ranges declared_ranges(const std::string& path, const std::string& format) {
  std::ifstream in(path, std::ios::binary);
  Ranges ranges;
  if (format == "lime") {
    const auto size = std::filesystem::file_size(path);
    for (std::uint64_t at = 0; at + 32 <= size && ranges.size() < 1024;) {
      const auto start = read_at<std::uint64_t>(in, at + 8), end = read_at<std::uint64_t>(in, at + 16);
      ranges.emplace_back(start, end);
      at += 32 + (end - start + 1);
    }
  } else if (format == "elf") {
    const auto phoff = read_at<std::uint64_t>(in, 32);
    const auto entry_size = read_at<std::uint16_t>(in, 54), count = read_at<std::uint16_t>(in, 56);
    for (std::uint16_t i = 0; i < count; ++i) {
      const std::uint64_t header = phoff + std::uint64_t{i} * entry_size;
      if (read_at<std::uint32_t>(in, header) != 1) continue;  // PT_LOAD
      const auto paddr = read_at<std::uint64_t>(in, header + 24), memsz = read_at<std::uint64_t>(in, header + 40);
      ranges.emplace_back(paddr, paddr + memsz - 1);
    }
  }
  return ranges;
}

Ranges ranges_of(const nlohmann::json& info) {
  Ranges ranges;
  for (const auto& r : info["ranges"]) {
    ranges.emplace_back(std::stoull(r["start"].get<std::string>(), nullptr, 16),
                        std::stoull(r["end"].get<std::string>(), nullptr, 16));
  }
  return ranges;
}

std::uint64_t hex(const nlohmann::json& j) { return std::stoull(j.get<std::string>(), nullptr, 16); }

}  // namespace

TEST_CASE("info finds the kernel of the dump and proves the translation", "[dataset]") {
  CommandResult raw;
  const auto info = drydock_json("info --format json" + on_dataset(), &raw);
  INFO(raw.err);
  REQUIRE(raw.exit_code == 0);
  const auto meta = read_json_file(dataset().ground_truth("meta.json"));
  CHECK(info["dump"]["banner"] == meta["linux_banner"]);
  CHECK(info["dump"]["kernel_release"] == meta["uname_r"]);
  const std::map<std::string, std::string> format_names = {{"lime", "lime"}, {"elf", "elf_core"}, {"raw", "raw"}};
  CHECK(info["dump"]["format"] == format_names.at(dataset().format));
  CHECK(info["init_task_comm"] == "swapper/0");
  // _text at runtime ("ffffffff8ee00000 T _text" in meta.json) minus its link
  // address in System.map is the virtual (KASLR) shift.
  const std::uint64_t text_link = system_map_address("_text");
  REQUIRE(text_link != 0);
  CHECK(hex(info["virtual_shift"]) == std::stoull(meta["kallsyms_text"].get<std::string>().substr(0, 16), nullptr, 16) - text_link);
  // The kernel is loaded at a multiple of CONFIG_PHYSICAL_ALIGN.
  const std::string align = kernel_config("PHYSICAL_ALIGN");
  REQUIRE(!align.empty());
  CHECK(hex(info["physical_shift"]) % std::stoull(align, nullptr, 16) == 0);
  CHECK((info["paging"] == "4-level" || info["paging"] == "5-level"));
  CHECK(ranges_of(info) == declared_ranges(dataset().dump, dataset().format));
}

TEST_CASE("info gives the same answer for the zstd-compressed dump", "[dataset]") {
  const std::string symbols_arg = " --symbols " + shell_quote(symbols()) + " ";
  auto plain = drydock_json("info --format json" + symbols_arg + shell_quote(dataset().dump));
  auto packed = drydock_json("info --format json" + symbols_arg + shell_quote(dataset().compressed_dump));
  REQUIRE(packed.contains("dump"));
  CHECK(packed["dump"]["compression"] == "zstd");
  for (auto* j : {&plain, &packed}) {
    (*j)["dump"].erase("path");
    (*j)["dump"].erase("compression");
  }
  CHECK(plain == packed);
}

TEST_CASE("info picks the matching ISF from a directory", "[dataset]") {
  const std::string dir = std::filesystem::path(isf_file()).parent_path().string();
  CommandResult raw;
  const auto info = drydock_json("info --format json --symbols " + shell_quote(dir) + " " + shell_quote(dataset().dump), &raw);
  INFO(raw.err);
  REQUIRE(raw.exit_code == 0);
  CHECK(info["init_task_comm"] == "swapper/0");
}

TEST_CASE("info with a directory of ISFs remembers their banners and answers the same from the index", "[dataset]") {
  // CTest runs this once per ISF of a dataset, maybe at once: one cache each.
  const std::string cache = dataset().work_dir + "/banner-index-" + dataset_choice().isf;
  const std::string dir = std::filesystem::path(isf_file()).parent_path().string();
  std::filesystem::remove_all(cache);
  const std::string args = "info --format json --cache-dir " + shell_quote(cache) + " --symbols " + shell_quote(dir) + " " +
                           shell_quote(dataset().dump);
  CommandResult first_raw, second_raw;
  const auto first = drydock_json(args, &first_raw);
  REQUIRE(first_raw.exit_code == 0);
  // The second run probes for the remembered banner instead of scanning.
  const auto index = read_json_file(cache + "/isf-banners.json");
  const auto& files = index["files"];
  const auto isf = files.find(std::filesystem::path(isf_file()).lexically_normal().string());
  REQUIRE(isf != files.end());
  CHECK((*isf)["banner"] == first["dump"]["banner"]);
  CHECK((*isf)["link"].is_number_unsigned());
  const auto second = drydock_json(args, &second_raw);
  REQUIRE(second_raw.exit_code == 0);
  CHECK(second == first);
  std::filesystem::remove_all(cache);
}

TEST_CASE("info places docker-basic's kernel where SCENARIO.md does, under 4-level paging", "[real]") {
  const auto info = drydock_json("info --format json --symbols " + shell_quote(docker_basic().isf) + " " +
                                 shell_quote(docker_basic().dump));
  // SCENARIO.md: _text is at physical 0x29a00000; it is linked at physical 0x1000000.
  CHECK(info["physical_shift"] == "0x28a00000");
  CHECK(info["paging"] == "4-level");
}
