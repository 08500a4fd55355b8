// `drydock files` on the real dump: Docker's bind-mounted /etc files of the
// `web` container, and what the dentry cache still held of the host's /etc.
// Expected values come from ground-truth (container-inits.json, mountinfo/).

#include <fstream>
#include <map>
#include <set>
#include <sstream>

#include <catch2/catch.hpp>

#include "integration/ground_truth.hpp"
#include "integration/real_dump.hpp"

using namespace drydock::test;
using nlohmann::json;

namespace {

json files_of(const std::string& filter, CommandResult& raw) {
  return drydock_json("files --format json --symbols " + shell_quote(docker_basic().isf) + " " + filter + " " +
                          shell_quote(docker_basic().dump),
                      &raw);
}

// Init PID and container id of a container named in container-inits.json.
std::pair<int, std::string> container(const std::string& name) {
  for (const json& c : read_json_file(docker_basic().ground_truth("container-inits.json"))) {
    if (c["name"] == name) return {c["pid"].get<int>(), c["id"].get<std::string>()};
  }
  return {0, ""};
}

// Mount id per mount point path, from mountinfo/<pid>.txt.
std::map<std::string, int> mount_ids(int pid) {
  std::map<std::string, int> ids;
  for (const MountinfoEntry& e : read_mountinfo(docker_basic().ground_truth("mountinfo/" + std::to_string(pid) + ".txt"))) {
    ids[e.point] = e.id;
  }
  return ids;
}

std::map<std::string, json> by_path(const json& files) {
  std::map<std::string, json> out;
  for (const json& f : files) out[f["path"].get<std::string>()] = f;
  return out;
}

}  // namespace

TEST_CASE("files lists a container's bind-mounted /etc files under their container paths", "[real]") {
  const auto [pid, id] = container("web");
  REQUIRE(pid != 0);
  CommandResult raw;
  const json out = files_of("--pid " + std::to_string(pid) + " --path /etc", raw);
  INFO(raw.err);
  REQUIRE(raw.exit_code == 0);
  REQUIRE(out.contains("files"));
  const auto files = by_path(out["files"]);
  const auto mounts = mount_ids(pid);

  for (const char* path : {"/etc/hostname", "/etc/hosts", "/etc/resolv.conf"}) {
    INFO(path);
    REQUIRE(files.count(path) == 1);
    const json& f = files.at(path);
    CHECK(f["mode"] == "-rw-r--r--");
    CHECK(f["uid"] == 0);
    // Listed through the bind mount on it (the overlay's file below is covered).
    CHECK(f["mount_id"] == mounts.at(path));
  }
  // /etc/hostname holds the short id and a newline.
  CHECK(files.at("/etc/hostname")["size"] == id.substr(0, 12).size() + 1);
  // Each path once, and only /etc and what lies under it.
  CHECK(files.size() == out["files"].size());
  for (const auto& [path, f] : files) {
    INFO(path);
    CHECK((path == "/etc" || path.rfind("/etc/", 0) == 0));
  }
}

TEST_CASE("files lists what the host's dentry cache still held of /etc", "[real]") {
  CommandResult raw;
  const json out = files_of("--pid 1 --path /etc/", raw);
  INFO(raw.err);
  REQUIRE(raw.exit_code == 0);
  const auto files = by_path(out["files"]);
  REQUIRE(files.count("/etc") == 1);
  CHECK(files.at("/etc")["mode"].get<std::string>().front() == 'd');
  for (const char* path : {"/etc/crontab", "/etc/ld.so.cache"}) {
    INFO(path);
    REQUIRE(files.count(path) == 1);
    CHECK(files.at(path)["mode"].get<std::string>().front() == '-');
    CHECK(files.at(path)["uid"] == 0);
    CHECK(files.at(path)["size"].get<std::int64_t>() > 0);
    CHECK(files.at(path)["inode"].get<std::uint64_t>() > 0);
  }
  for (const auto& [path, f] : files) {
    INFO(path);
    CHECK((path == "/etc" || path.rfind("/etc/", 0) == 0));
  }
}

TEST_CASE("files filters by uid and rejects unknown mounts", "[real]") {
  CommandResult raw;
  const json out = files_of("--pid 1 --path /etc --uid 12345", raw);
  INFO(raw.err);
  REQUIRE(raw.exit_code == 0);
  CHECK(out["files"].empty());

  files_of("--pid 1 --mount 999999", raw);
  CHECK(raw.exit_code == 2);
}
