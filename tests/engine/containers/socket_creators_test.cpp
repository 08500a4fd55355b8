// Who may have created a container through an engine socket mounted into
// another: synthetic containers, every fact present or one missing.

#include <catch2/catch.hpp>

#include "engine/containers/socket_creators.hpp"
#include "engine/core/time_format.hpp"

using namespace drydock;

namespace {

constexpr std::int64_t kSecond = 1'000'000'000;
constexpr std::int64_t kT0 = 1796158500 * kSecond;

std::string id_of(char seed) { return std::string(64, seed); }

Container container(char seed, std::string name, std::int64_t started) {
  Container c;
  c.id = id_of(seed);
  c.runtime = "docker";
  c.name = std::move(name);
  c.created_unix_ns = started;
  c.changes = std::vector<FileChange>{};
  return c;
}

void record_created(Container& c, std::int64_t at) {
  c.record = EngineRecord{};
  c.record->created = iso8601_utc(at);
  c.record->sources = {"/var/lib/docker/containers/" + c.id + "/config.v2.json",
                       "/var/lib/docker/containers/" + c.id + "/hostconfig.json"};
}

FileChange client(std::string path, std::int64_t changed) {
  FileChange f;
  f.path = std::move(path);
  f.kind = "file";
  f.change = "added_or_modified";
  f.mode = 0100755;
  f.size = 45582984;
  f.ctime_unix_ns = changed;
  f.mtime_unix_ns = changed - 200 * 86400 * kSecond;  // docker cp keeps the source's mtime
  return f;
}

// ci-runner (socket mounted, client dropped at +45 s) and escape (created at +57 s).
std::vector<Container> incident() {
  Container runner = container('f', "ci-runner", kT0 + 15 * kSecond);
  runner.mounts.push_back({"/run/docker.sock", "/var/run/docker.sock", "tmpfs", false});
  runner.changes->push_back(client("/usr/local/bin/docker", kT0 + 45 * kSecond));
  FileChange stub;  // Docker's own mount point for the socket: an empty file
  stub.path = "/var/run/docker.sock", stub.kind = "file", stub.mode = 0100755, stub.size = 0;
  stub.ctime_unix_ns = kT0 + 13 * kSecond;
  runner.changes->push_back(stub);
  record_created(runner, kT0 + 12 * kSecond);
  Container escape = container('2', "escape", kT0 + 62 * kSecond);
  record_created(escape, kT0 + 57 * kSecond);
  return {escape, runner};  // sorted by id, as the model keeps them
}

}  // namespace

TEST_CASE("a container created after another had the socket mounted and a client dropped names that one",
          "[socket_creators]") {
  auto list = incident();
  const auto found = possible_creators(list, 0);
  REQUIRE(found);
  REQUIRE(found->size() == 1);
  const CreatorCandidate& c = found->front();
  CHECK(c.creator_id == id_of('f'));
  CHECK(c.creator_label == "ci-runner");
  CHECK(c.engine == "docker");
  CHECK(c.socket_source == "/run/docker.sock");
  CHECK(c.socket_destination == "/var/run/docker.sock");
  CHECK(c.client == "/usr/local/bin/docker");
  CHECK(c.client_changed_ns == kT0 + 45 * kSecond);
  CHECK(c.created_ns == kT0 + 57 * kSecond);
  CHECK(c.record_source.ends_with("/config.v2.json"));
  CHECK(describe(c) ==
        "created 2026-12-01T20:55:57Z (config.v2.json) while container ci-runner had the Docker API socket "
        "mounted at /var/run/docker.sock (since 2026-12-01T20:55:15Z) and got "
        "/usr/local/bin/docker in its upper layer at 2026-12-01T20:55:45Z");
  // The creator itself was created before anything happened: no candidate, but known.
  const auto runner = possible_creators(list, 1);
  REQUIRE(runner);
  CHECK(runner->empty());

  attach_possible_creators(list);
  REQUIRE(list[0].possible_creators);
  CHECK(list[0].possible_creators->size() == 1);
}

TEST_CASE("no candidate when a fact is missing, unknown or in the wrong order", "[socket_creators]") {
  SECTION("the created container's record or its time is unknown") {
    auto list = incident();
    list[0].record->created.reset();
    CHECK_FALSE(possible_creators(list, 0));
    list[0].record->created = "yesterday";
    CHECK_FALSE(possible_creators(list, 0));
    list[0].record.reset();
    CHECK_FALSE(possible_creators(list, 0));
  }
  SECTION("the creator's upper layer is unknown") {
    auto list = incident();
    list[1].changes.reset();
    CHECK(possible_creators(list, 0)->empty());
  }
  SECTION("the client's change time is unknown") {
    auto list = incident();
    list[1].changes->front().ctime_unix_ns.reset();
    CHECK(possible_creators(list, 0)->empty());
  }
  SECTION("the creator's start is unknown") {
    auto list = incident();
    list[1].created_unix_ns.reset();
    CHECK(possible_creators(list, 0)->empty());
  }
  SECTION("the client was written after the creation") {
    auto list = incident();
    list[1].changes->front().ctime_unix_ns = kT0 + 58 * kSecond;
    CHECK(possible_creators(list, 0)->empty());
  }
  SECTION("the creator started after the creation") {
    auto list = incident();
    list[1].created_unix_ns = kT0 + 58 * kSecond;
    CHECK(possible_creators(list, 0)->empty());
  }
  SECTION("no client, only a socket (Traefik, a runner whose image ships the client)") {
    auto list = incident();
    list[1].changes->erase(list[1].changes->begin());
    CHECK(possible_creators(list, 0)->empty());
  }
  SECTION("a file named docker that is not an executable") {
    auto list = incident();
    list[1].changes->front().mode = 0100644;
    CHECK(possible_creators(list, 0)->empty());
  }
  SECTION("no socket mounted") {
    auto list = incident();
    list[1].mounts.clear();
    CHECK(possible_creators(list, 0)->empty());
  }
  SECTION("another engine's socket") {
    auto list = incident();
    list[1].mounts.front() = {"/run/containerd/containerd.sock", "/run/containerd/containerd.sock", "tmpfs", false};
    CHECK(possible_creators(list, 0)->empty());
    list[0].runtime = "containerd";
    CHECK(possible_creators(list, 0)->size() == 1);
  }
}
