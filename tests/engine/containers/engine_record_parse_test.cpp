// The decoders of the engines' own files, on literal texts: what each file
// gives, secrets redacted, and hostile input refused without a crash.

#include <string>

#include <catch2/catch.hpp>

#include "engine/containers/engine_record_parse.hpp"
#include "engine/containers/engine_records.hpp"

using namespace drydock;

namespace {

const char* kConfigV2 = R"({"ID":"2f1c047b5a6b","Created":"2026-11-30T10:00:00.123Z","Name":"/shop",
  "Config":{"Image":"shop/busybox:1.35","Labels":{"tier":"web"},"Env":["PATH=/bin","DB_PASSWORD=hunter2","API_TOKEN=x"]},
  "MountPoints":{"/var/run/docker.sock":{"Source":"/var/run/docker.sock","Destination":"/var/run/docker.sock","RW":true,"Type":"bind"}},
  "AppArmorProfile":"docker-default"})";

const char* kHostConfig = R"({"Privileged":true,"ReadonlyRootfs":false,"CapAdd":["NET_ADMIN"],"CapDrop":null,
  "SecurityOpt":["label=disable"],"RestartPolicy":{"Name":"on-failure","MaximumRetryCount":3},"NetworkMode":"default"})";

const char* kCriSpec = R"({"ociVersion":"1.1.0","process":{"env":["HOME=/root","AWS_SECRET_ACCESS_KEY=abc"],
  "capabilities":{"bounding":["CAP_CHOWN","CAP_KILL"]},"apparmorProfile":"cri-containerd.apparmor.d"},
  "root":{"path":"rootfs","readonly":true},
  "mounts":[{"destination":"/etc/hosts","type":"bind","source":"/var/lib/kubelet/pods/u/etc-hosts","options":["rbind","ro"]}],
  "annotations":{"io.kubernetes.cri.container-type":"container","io.kubernetes.cri.container-name":"web",
    "io.kubernetes.cri.sandbox-name":"shop-7d9f","io.kubernetes.cri.sandbox-namespace":"prod",
    "io.kubernetes.cri.sandbox-uid":"0b7c","io.kubernetes.cri.sandbox-id":"aa11","io.kubernetes.cri.image-name":"nginx:1.25"},
  "linux":{"seccomp":{"defaultAction":"SCMP_ACT_ERRNO"}}})";

}  // namespace

TEST_CASE("Docker's config.v2.json gives name, image, labels, env and mounts, secrets redacted", "[records]") {
  EngineRecord r;
  REQUIRE_FALSE(merge_docker_config_v2(kConfigV2, "config.v2.json", r));
  CHECK(r.name == "shop");
  CHECK(r.image == "shop/busybox:1.35");
  CHECK(r.labels.at("tier") == "web");
  REQUIRE(r.env);
  CHECK(*r.env == std::vector<std::string>{"PATH=/bin", "DB_PASSWORD=<redacted>", "API_TOKEN=<redacted>"});
  REQUIRE(r.mounts);
  REQUIRE(r.mounts->size() == 1);
  CHECK(r.mounts->front().source == "/var/run/docker.sock");
  CHECK(r.mounts->front().read_only == false);
  CHECK(r.apparmor_profile == "docker-default");
  CHECK(r.created == "2026-11-30T10:00:00.123Z");
  CHECK(r.sources == std::vector<std::string>{"config.v2.json"});

  EngineRecord shown;
  RecordParseOptions options;
  options.show_secrets = true;
  REQUIRE_FALSE(merge_docker_config_v2(kConfigV2, "config.v2.json", shown, options));
  CHECK((*shown.env)[1] == "DB_PASSWORD=hunter2");
}

TEST_CASE("Docker's hostconfig.json gives privilege, capabilities, restart policy and profiles", "[records]") {
  EngineRecord r;
  REQUIRE_FALSE(merge_docker_hostconfig(kHostConfig, "hostconfig.json", r));
  CHECK(r.privileged == true);
  CHECK(r.read_only_rootfs == false);
  CHECK(r.cap_add == std::vector<std::string>{"NET_ADMIN"});
  CHECK(r.cap_drop == std::vector<std::string>{});
  CHECK(r.restart_policy == "on-failure:3");
  CHECK(r.seccomp_profile == "unconfined");
}

TEST_CASE("an OCI spec written by containerd's CRI plugin names the pod, namespace and container", "[records]") {
  EngineRecord r;
  REQUIRE_FALSE(merge_oci_spec(kCriSpec, "config.json", r));
  REQUIRE(r.kubernetes);
  CHECK(r.kubernetes->pod == "shop-7d9f");
  CHECK(r.kubernetes->namespace_ == "prod");
  CHECK(r.kubernetes->pod_uid == "0b7c");
  CHECK(r.kubernetes->container == "web");
  CHECK(r.kubernetes->sandbox_id == "aa11");
  CHECK_FALSE(r.kubernetes->sandbox);
  CHECK(r.image == "nginx:1.25");
  CHECK(r.read_only_rootfs == true);
  CHECK(r.seccomp_profile == "custom");
  CHECK(r.capabilities == std::vector<std::string>{"CAP_CHOWN", "CAP_KILL"});
  CHECK((*r.env)[1] == "AWS_SECRET_ACCESS_KEY=<redacted>");
  REQUIRE(r.mounts);
  CHECK(r.mounts->front().read_only == true);
  CHECK(r.mounts->front().type == "bind");
}

TEST_CASE("runc's state.json gives the creation time and the spec's annotations", "[records]") {
  EngineRecord r;
  REQUIRE_FALSE(merge_runc_state(R"({"id":"x","init_process_pid":903,"created":"2026-11-30T10:00:01Z",
    "config":{"readonlyfs":false,"labels":["bundle=/run/containerd/io.containerd.runtime.v2.task/moby/x"]}})",
                                 "state.json", r));
  CHECK(r.created == "2026-11-30T10:00:01Z");
  CHECK(r.read_only_rootfs == false);
  CHECK(r.annotations.at("bundle") == "/run/containerd/io.containerd.runtime.v2.task/moby/x");
}

TEST_CASE("a file that is not the record, is truncated, too deep or too large gives nothing and says why",
          "[records]") {
  EngineRecord r;
  CHECK(merge_docker_config_v2("{\"ID\":", "a", r));
  CHECK(merge_docker_config_v2("[1,2]", "a", r));
  CHECK(merge_oci_spec("{\"x\":1}", "a", r));
  CHECK(merge_docker_hostconfig(std::string(100, '[') + std::string(100, ']'), "a", r));
  RecordParseOptions small;
  small.max_bytes = 10;
  CHECK(merge_docker_config_v2(kConfigV2, "a", r, small));
  // A member of the wrong type is ignored, not trusted.
  CHECK_FALSE(merge_docker_config_v2(R"({"ID":"x","Name":7,"Config":{"Image":["a"],"Env":"PATH=/"}})", "b", r));
  CHECK_FALSE(r.name);
  CHECK_FALSE(r.image);
  CHECK_FALSE(r.env);
  CHECK(r.sources == std::vector<std::string>{"b"});
}

TEST_CASE("secret-looking variable names", "[records]") {
  CHECK(secret_looking_name("MYSQL_ROOT_PASSWORD"));
  CHECK(secret_looking_name("github_token"));
  CHECK(secret_looking_name("AWS_SECRET_ACCESS_KEY"));
  CHECK_FALSE(secret_looking_name("PATH"));
  CHECK_FALSE(secret_looking_name("PWD"));
  CHECK_FALSE(secret_looking_name("HOME"));
}

TEST_CASE("record paths are told apart and name their container", "[records]") {
  const std::string id(64, 'a');
  using K = RecordPath::Kind;
  auto kind = [](const std::string& path) { return classify_record_path(path); };
  CHECK(kind("/var/lib/docker/containers/" + id + "/config.v2.json")->kind == K::docker_config);
  CHECK(kind("/var/lib/docker/containers/" + id + "/hostconfig.json")->kind == K::docker_hostconfig);
  CHECK(kind("/run/containerd/io.containerd.runtime.v2.task/moby/" + id + "/config.json")->kind == K::oci_spec);
  CHECK(kind("/run/containerd/io.containerd.runtime.v2.task/k8s.io/" + id + "/config.json")->id == id);
  CHECK(kind("/run/containers/storage/overlay-containers/" + id + "/userdata/config.json")->kind == K::oci_spec);
  CHECK(kind("/run/containerd/runc/moby/" + id + "/state.json")->kind == K::runc_state);
  CHECK_FALSE(kind("/var/lib/docker/containers/" + id + "/resolv.conf"));
  CHECK_FALSE(kind("/var/lib/docker/containers/abc/config.v2.json"));
  CHECK_FALSE(kind("/etc/config.json"));
}
