// Tables built from the dump itself (BTF and kallsyms, no ISF): the same
// results as the dataset's ISF with module types, a cache keyed by the build,
// and one clear error when the dump has no BTF.

#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <memory>
#include <string>
#include <vector>

#include "engine/dump/access_recorder.hpp"
#include "engine/dump/physical_memory.hpp"
#include "engine/kernel/dump_session.hpp"
#include "engine/kernel/kernel_finder.hpp"
#include "integration/real_dump.hpp"
#include "support/dump_builder.hpp"

using namespace drydock;
using namespace drydock::test;
using nlohmann::json;

namespace {

// `document` without its dump.symbols fields (the one field that names where
// the tables came from), wherever a "dump" object sits.
json without_symbols_source(json document) {
  if (document.is_object()) {
    for (auto& [key, value] : document.items()) {
      if (key == "dump" && value.is_object()) value.erase("symbols");
      value = without_symbols_source(value);
    }
  } else if (document.is_array()) {
    for (auto& value : document) value = without_symbols_source(value);
  }
  return document;
}

// The first path at which two documents differ, for the failure message.
std::string first_difference(const json& a, const json& b, const std::string& path = "") {
  if (a.type() != b.type()) return path + ": " + a.dump().substr(0, 200) + " vs " + b.dump().substr(0, 200);
  if (a.is_object()) {
    for (auto& [key, value] : a.items()) {
      if (!b.contains(key)) return path + "." + key + ": missing without an ISF";
      if (auto d = first_difference(value, b[key], path + "." + key); !d.empty()) return d;
    }
    for (auto& [key, value] : b.items()) {
      if (!a.contains(key)) return path + "." + key + ": only without an ISF";
    }
    return "";
  }
  if (a.is_array()) {
    if (a.size() != b.size()) return path + ": " + std::to_string(a.size()) + " vs " + std::to_string(b.size()) + " items";
    for (std::size_t i = 0; i < a.size(); ++i) {
      if (auto d = first_difference(a[i], b[i], path + "[" + std::to_string(i) + "]"); !d.empty()) return d;
    }
    return "";
  }
  return a == b ? "" : path + ": " + a.dump().substr(0, 200) + " vs " + b.dump().substr(0, 200);
}

// Writes the 4 KiB pages of `memory` holding a byte `recorder` saw read, as
// a LiME file (adjacent pages share one range).
void write_recorded_pages(const PhysicalMemory& memory, const AccessRecorder& recorder,
                          const std::filesystem::path& out) {
  std::vector<testing::Segment> segments;
  for (const AccessRecorder::Range& r : recorder.ranges()) {
    const std::uint64_t start = r.start / 4096 * 4096;
    const std::uint64_t end = (r.end + 4095) / 4096 * 4096;
    testing::Segment s{start, testing::Bytes(end - start)};
    REQUIRE(memory.read(start, s.bytes));
    if (!segments.empty() && segments.back().address + segments.back().bytes.size() >= start) {
      auto& last = segments.back();
      const std::uint64_t overlap = last.address + last.bytes.size() - start;
      last.bytes.insert(last.bytes.end(), s.bytes.begin() + static_cast<std::ptrdiff_t>(overlap), s.bytes.end());
    } else {
      segments.push_back(std::move(s));
    }
  }
  const testing::Bytes lime = testing::build_lime(segments);
  std::ofstream(out, std::ios::binary).write(reinterpret_cast<const char*>(lime.data()),
                                             static_cast<std::streamsize>(lime.size()));
}

// `args` run again answers `first` from the one table entry in `cache`,
// which it reads and does not rewrite.
void check_second_run_reads_cache(const std::string& cache, const std::string& args, const json& first) {
  std::vector<std::filesystem::path> entries;
  for (const auto& entry : std::filesystem::directory_iterator(cache)) {
    if (entry.path().extension() == ".ddsym") entries.push_back(entry.path());
  }
  REQUIRE(entries.size() == 1);
  const auto written = std::filesystem::last_write_time(entries.front());
  CommandResult second_raw;
  const json second = drydock_json(args, &second_raw);
  REQUIRE(second_raw.exit_code == 0);
  CHECK(second == first);
  CHECK(std::filesystem::last_write_time(entries.front()) == written);  // read, not rebuilt
}

}  // namespace

TEST_CASE("with no symbols, ps, mounts, net, files, containers and scan equal the module ISF's, field by field",
          "[dataset][slow]") {
  // Once per dataset: in the run whose tables come from the dump.
  if (!dataset_choice().from_dump() || dataset().isf_with_modules.empty()) {
    SUCCEED("compared in the dump run of datasets with a module ISF");
    return;
  }
  const std::string cache = dataset().work_dir + "/dump-symbols-compare-cache";
  std::filesystem::remove_all(cache);
  const std::string dump = shell_quote(dataset().dump);
  const std::string isf = " --symbols " + shell_quote(dataset().isf_with_modules) + " ";
  const std::string own = " --cache-dir " + shell_quote(cache) + " ";
  for (const std::string command : {"ps", "mounts --all", "net", "files", "containers", "scan"}) {
    CommandResult with_isf_raw, own_raw;
    const json with_isf = drydock_json(command + " --format json" + isf + dump, &with_isf_raw);
    const json without = drydock_json(command + " --format json" + own + dump, &own_raw);
    INFO(command << "\n" << own_raw.err);
    REQUIRE(with_isf_raw.exit_code == own_raw.exit_code);
    REQUIRE(without.contains(command == "scan" ? "dumps" : "dump"));
    const json& header = command == "scan" ? without["dumps"][0]["dump"] : without["dump"];
    CHECK(header["symbols"].get<std::string>().rfind("from dump (BTF ", 0) == 0);
    CHECK(first_difference(without_symbols_source(with_isf), without_symbols_source(without)) == "");
  }
  std::filesystem::remove_all(cache);
}

TEST_CASE("tables built from a dump are cached by its build: the second run reads them and answers the same",
          "[dataset][slow]") {
  if (!dataset_choice().from_dump()) {
    SUCCEED("checked in the dump run");
    return;
  }
  const std::string cache = dataset().work_dir + "/dump-symbols-cache";
  std::filesystem::remove_all(cache);
  const std::string args = "info --format json --symbols dump --cache-dir " + shell_quote(cache) + " " +
                           shell_quote(dataset().dump);
  CommandResult first_raw;
  const json first = drydock_json(args, &first_raw);
  INFO(first_raw.err);
  REQUIRE(first_raw.exit_code == 0);
  check_second_run_reads_cache(cache, args, first);
  CHECK(first["init_task_comm"] == "swapper/0");
  CHECK(first["shift_source"] == "vmcoreinfo");
  std::filesystem::remove_all(cache);
}

TEST_CASE("a dump whose kernel BTF is missing gets one error naming what was looked for and the ISF way, exit 2",
          "[real]") {
  // The fixture: the pages of docker-basic that locating the kernel and
  // decoding kallsyms read (VMCOREINFO, page tables, kallsyms, linux_banner),
  // and nothing else: no BTF.
  const std::filesystem::path fixture = std::filesystem::path(docker_basic().work_dir) / "no-btf.lime";
  {
    auto recorder = std::make_shared<AccessRecorder>();
    OpenOptions open;
    open.recorder = recorder;
    auto memory = PhysicalMemory::open(docker_basic().dump, open);
    REQUIRE(memory);
    auto kernel = find_kernel_without_symbols(*memory);
    INFO((kernel ? std::string() : kernel.error().message));
    REQUIRE(kernel);
    write_recorded_pages(*memory, *recorder, fixture);
  }
  for (const std::string symbols : {" --symbols dump", ""}) {
    const CommandResult r = run_drydock("ps --no-symbol-cache" + symbols + " " + shell_quote(fixture.string()));
    INFO(r.err);
    CHECK(r.exit_code == 2);
    CHECK_THAT(r.err, Catch::Contains("no BTF type information"));
    CHECK_THAT(r.err, Catch::Contains("__start_BTF"));
    CHECK_THAT(r.err, Catch::Contains("CONFIG_DEBUG_INFO_BTF"));
    CHECK_THAT(r.err, Catch::Contains("--symbols FILE|DIR"));
    CHECK(std::count(r.err.begin(), r.err.end(), '\n') == 1);  // one message
  }
  std::filesystem::remove(fixture);
}

TEST_CASE("symbols export writes the dump's tables as an ISF that gives the same results as the tables themselves",
          "[dataset][slow]") {
  if (!dataset_choice().from_dump()) {
    SUCCEED("checked in the dump run");
    return;
  }
  const std::string isf = dataset().work_dir + "/exported.json.xz";
  std::filesystem::remove(isf);
  const CommandResult exported = run_drydock("symbols export --no-symbol-cache -o " + shell_quote(isf) + " " +
                                             shell_quote(dataset().dump));
  INFO(exported.err);
  REQUIRE(exported.exit_code == 0);
  CHECK_THAT(exported.err, Catch::Contains("from dump (BTF "));
  const std::string dump = " " + shell_quote(dataset().dump);
  for (const std::string command : {"ps", "mounts --all", "net", "containers"}) {
    const json own = drydock_json(command + " --format json --no-symbol-cache --symbols dump" + dump);
    CommandResult raw;
    const json loaded = drydock_json(command + " --format json --no-symbol-cache --symbols " + shell_quote(isf) + dump, &raw);
    INFO(command << "\n" << raw.err);
    REQUIRE(raw.exit_code == 0);
    CHECK(loaded["dump"]["symbols"] == isf);
    CHECK(first_difference(without_symbols_source(own), without_symbols_source(loaded)) == "");
  }
  std::filesystem::remove(isf);
}

TEST_CASE("without a BUILD-ID the dump's tables are cached under the banner and the BTF's digest", "[real]") {
  // The fixture: the pages `info --symbols dump` reads of docker-basic, with
  // VMCOREINFO's BUILD-ID line renamed in every copy (kernels before 5.9 have none).
  const std::filesystem::path fixture = std::filesystem::path(docker_basic().work_dir) / "no-build-id.lime";
  {
    auto recorder = std::make_shared<AccessRecorder>();
    SessionOptions options;
    options.symbol_source = SymbolSource::dump;
    options.open.recorder = recorder;
    auto session = DumpSession::open(docker_basic().dump, options);
    INFO((session ? std::string() : session.error().message));
    REQUIRE(session);
    CHECK((*session)->describe().init_task_comm == "swapper/0");
    write_recorded_pages((*session)->physical(), *recorder, fixture);
  }
  {
    std::fstream file(fixture, std::ios::in | std::ios::out | std::ios::binary);
    std::string bytes((std::istreambuf_iterator<char>(file)), std::istreambuf_iterator<char>());
    std::size_t renamed = 0;
    for (std::size_t at = bytes.find("\nBUILD-ID="); at != std::string::npos; at = bytes.find("\nBUILD-ID=", at + 1)) {
      file.seekp(static_cast<std::streamoff>(at + 1));
      file.write("BUILD-XX", 8);
      ++renamed;
    }
    REQUIRE(renamed >= 1);
  }
  const std::string cache = docker_basic().work_dir + "/no-build-id-cache";
  std::filesystem::remove_all(cache);
  const std::string args = "info --format json --symbols dump --cache-dir " + shell_quote(cache) + " " +
                           shell_quote(fixture.string());
  CommandResult first_raw;
  const json first = drydock_json(args, &first_raw);
  INFO(first_raw.err);
  REQUIRE(first_raw.exit_code == 0);
  CHECK(first["init_task_comm"] == "swapper/0");
  check_second_run_reads_cache(cache, args, first);
  std::filesystem::remove_all(cache);
  std::filesystem::remove(fixture);
}
