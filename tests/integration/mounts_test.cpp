// `drydock mounts --pid P` against /proc/P/mountinfo recorded in the guest
// (ground-truth/mountinfo/P.txt) for PID 1 and every container init.

#include <filesystem>
#include <set>
#include <sstream>
#include <tuple>

#include <catch2/catch.hpp>

#include "integration/real_dump.hpp"

using namespace drydock::test;
using nlohmann::json;

namespace {

// mountinfo escapes space, tab, newline and backslash as \ooo.
std::string unescape(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size() + 1 && i + 3 <= s.size()) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 3), nullptr, 8));
      i += 3;
    } else {
      out += s[i];
    }
  }
  return out;
}

using Row = std::tuple<int, int, std::string, std::string, std::string, std::string>;  // id parent root path fstype access

struct Mountinfo {
  std::set<Row> rows;
  std::map<int, std::string> super_options;  // by mount id
};

Mountinfo read_mountinfo(const std::string& path) {
  Mountinfo info;
  std::ifstream in(path);
  std::string line;
  while (std::getline(in, line)) {
    std::istringstream fields(line);
    int id = 0, parent = 0;
    std::string devno, root, point, options, field;
    fields >> id >> parent >> devno >> root >> point >> options;
    while (fields >> field && field != "-") {
    }
    std::string fstype, source, super;
    fields >> fstype >> source >> super;
    const std::string access = options.rfind("ro", 0) == 0 ? "ro" : "rw";
    info.rows.emplace(id, parent, unescape(root), unescape(point), fstype, access);
    info.super_options[id] = super;
  }
  return info;
}

}  // namespace

TEST_CASE("mounts --pid gives each recorded process's mountinfo", "[real]") {
  const std::string dir = ground_truth("mountinfo");
  int checked = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    const std::string pid = entry.path().stem().string();
    const Mountinfo truth = read_mountinfo(entry.path().string());
    CommandResult raw;
    const json got = drydock_json("mounts --format json --pid " + pid + " --symbols " + shell_quote(real_isf()) + " " +
                                  shell_quote(real_lime()), &raw);
    INFO("pid " << pid << ": " << raw.err);
    REQUIRE(raw.exit_code == 0);
    std::set<Row> ours;
    for (const json& m : got["mounts"]) {
      ours.emplace(m["mount_id"], m["parent_id"], m["root"], m["path"], m["fstype"], m["access"]);
    }
    for (const Row& r : truth.rows) {
      if (!ours.count(r)) UNSCOPED_INFO("pid " << pid << " missing: " << std::get<0>(r) << " " << std::get<3>(r));
    }
    for (const Row& r : ours) {
      if (!truth.rows.count(r)) UNSCOPED_INFO("pid " << pid << " extra or different: " << std::get<0>(r) << " "
                                                     << std::get<1>(r) << " " << std::get<2>(r) << " " << std::get<3>(r)
                                                     << " " << std::get<4>(r) << " " << std::get<5>(r));
    }
    CHECK(ours == truth.rows);
    ++checked;
  }
  CHECK(checked == 13);
}

TEST_CASE("overlay mounts carry their upper and lower directories, with or without module types", "[real]") {
  const Mountinfo truth = read_mountinfo(ground_truth("mountinfo/837.txt"));
  for (const std::string& isf : {real_isf(), real_isf_with_modules()}) {
    const json got = drydock_json("mounts --format json --pid 837 --symbols " + shell_quote(isf) + " " +
                                  shell_quote(real_lime()));
    REQUIRE(got.contains("mounts"));
    int overlays = 0;
    for (const json& m : got["mounts"]) {
      if (m["fstype"] != "overlay") continue;
      ++overlays;
      const std::string super = truth.super_options.at(m["mount_id"].get<int>());
      for (const char* key : {"lowerdir", "upperdir", "workdir"}) {
        INFO(isf << " " << key);
        REQUIRE(m["options"].contains(key));
        CHECK(super.find(std::string(key) + "=" + m["options"][key].get<std::string>()) != std::string::npos);
      }
    }
    CHECK(overlays == 1);
  }
}
