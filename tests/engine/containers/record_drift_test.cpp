// The kernel's view against the engine's record: mounts and capabilities the
// record does not declare, only where both sides are known.

#include <catch2/catch.hpp>

#include "engine/containers/record_drift.hpp"
#include "engine/model/capabilities.hpp"

using namespace drydock;

namespace {

constexpr std::uint64_t kSysAdmin = std::uint64_t{1} << 21;
constexpr std::uint64_t kNetAdmin = std::uint64_t{1} << 12;

Container docker(std::uint64_t caps) {
  Container c;
  c.id = std::string(64, 'a');
  c.runtime = "docker";
  c.caps_effective = caps;
  c.caps_bounding = caps;
  c.record = EngineRecord{};
  c.record->privileged = false;
  c.record->cap_add = std::vector<std::string>{};
  c.record->cap_drop = std::vector<std::string>{};
  return c;
}

}  // namespace

TEST_CASE("the declared capability set comes from the spec, else from Docker's defaults and CapAdd/CapDrop",
          "[record_drift]") {
  Container c = docker(kDockerDefaultCapabilities);
  CHECK(declared_capability_set(c) == kDockerDefaultCapabilities);
  CHECK(capabilities_beyond_record(c) == 0u);

  c.record->cap_add = std::vector<std::string>{"NET_ADMIN"};
  c.record->cap_drop = std::vector<std::string>{"CAP_MKNOD"};
  CHECK(declared_capability_set(c) == ((kDockerDefaultCapabilities & ~(std::uint64_t{1} << 27)) | kNetAdmin));
  c.record->cap_drop = std::vector<std::string>{"ALL"};
  CHECK(declared_capability_set(c) == kNetAdmin);
  c.record->cap_add = std::vector<std::string>{"ALL"};
  CHECK(declared_capability_set(c) == ~std::uint64_t{0});

  // The OCI spec's bounding set wins over the computation.
  c.record->capabilities = std::vector<std::string>{"CAP_CHOWN", "CAP_KILL"};
  CHECK(declared_capability_set(c) == 0x21u);
  // Declared privileged: every capability.
  c.record->privileged = true;
  CHECK(declared_capability_set(c) == ~std::uint64_t{0});
}

TEST_CASE("capabilities beyond the record are found, and unknown sides give no answer", "[record_drift]") {
  Container raised = docker(kDockerDefaultCapabilities | kSysAdmin);
  CHECK(capabilities_beyond_record(raised) == kSysAdmin);
  raised.caps_effective = kDockerDefaultCapabilities;  // bounding alone still counts
  CHECK(capabilities_beyond_record(raised) == kSysAdmin);

  Container no_record = docker(kDockerDefaultCapabilities | kSysAdmin);
  no_record.record.reset();
  CHECK_FALSE(capabilities_beyond_record(no_record));

  Container unread = docker(kDockerDefaultCapabilities | kSysAdmin);
  unread.caps_bounding.reset();
  CHECK_FALSE(capabilities_beyond_record(unread));

  Container no_hostconfig = docker(kSysAdmin);
  no_hostconfig.record->cap_add.reset();
  CHECK_FALSE(declared_capability_set(no_hostconfig));
  no_hostconfig.record->cap_add = std::vector<std::string>{};
  no_hostconfig.record->privileged.reset();
  CHECK_FALSE(declared_capability_set(no_hostconfig));

  Container podman = docker(kSysAdmin);  // no spec: Docker's defaults say nothing of Podman
  podman.runtime = "podman";
  CHECK_FALSE(declared_capability_set(podman));

  Container odd = docker(kSysAdmin);
  odd.record->capabilities = std::vector<std::string>{"CAP_CHOWN", "CAP_FLY"};
  CHECK_FALSE(declared_capability_set(odd));
}

TEST_CASE("a kernel mount the record does not declare is undeclared, and its submounts and declared ones are not",
          "[record_drift]") {
  Container c = docker(kDockerDefaultCapabilities);
  c.mounts = {{"/", "/host", "ext4", false},
              {"/proc", "/host/proc", "proc", false},  // brought along by the recursive bind
              {"/run/docker.sock", "/var/run/docker.sock", "tmpfs", false},
              {"/usr/bin/docker-init", "/sbin/docker-init", "ext4", true},
              {"/var/lib/docker/volumes/data/_data", "/data", "ext4", false},
              {"/etc", "/mnt/etc", "ext4", true},
              {"/var/lib/docker/containers/" + c.id + "/mounts/secrets", "/run/secrets", "tmpfs", true},
              {"tmpfs", "/scratch", "tmpfs", false}};  // docker run --tmpfs /scratch
  c.record->mounts = std::vector<DeclaredMount>{{"/", "/host", "bind", false},
                                                {"/var/run/docker.sock", "/var/run/docker.sock", "bind", false},
                                                {"/var/lib/docker/volumes/data/_data", "/srv/data", "volume", false}};
  CHECK(mount_declared(c, c.mounts[0]) == true);
  CHECK(mount_declared(c, c.mounts[1]) == true);
  CHECK(mount_declared(c, c.mounts[2]) == true);
  CHECK(mount_declared(c, c.mounts[3]) == true);
  CHECK(mount_declared(c, c.mounts[4]) == true);  // by its source
  CHECK(mount_declared(c, c.mounts[5]) == false);
  CHECK(mount_declared(c, c.mounts[6]) == true);  // the engine's own directory of the container
  CHECK_FALSE(mount_declared(c, c.mounts[7]));    // hostconfig.json's Tmpfs is not read: unknown
  CHECK(undeclared_mounts(c) == std::vector<std::string>{"/etc on /mnt/etc (ro)"});

  c.record->mounts.reset();  // not known: nothing said either way
  CHECK_FALSE(mount_declared(c, c.mounts[5]));
  CHECK_FALSE(undeclared_mounts(c));
  c.record.reset();
  CHECK_FALSE(undeclared_mounts(c));
}
