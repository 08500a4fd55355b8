// Kubernetes pods: kubelet cgroup paths of both drivers, and the synthetic
// node of support/kubernetes_fixture.hpp grouped into pods.

#include <catch2/catch.hpp>

#include <algorithm>

#include "engine/containers/kubernetes_pods.hpp"
#include "support/kubernetes_fixture.hpp"

using namespace drydock;
using drydock::testing::KubernetesFixture;

namespace {

const std::string kId = "8518136a00a3d227ef2a523d9500992b5c1662adb9f5e23e017a4cf133e5def1";
const std::string kUid = "6f1c2b7e-3a4d-4c55-9e0f-1a2b3c4d5e6f";
const std::string kUnderscored = "6f1c2b7e_3a4d_4c55_9e0f_1a2b3c4d5e6f";

bool has_error(const Container& c, std::string_view part) {
  return std::any_of(c.record_errors.begin(), c.record_errors.end(),
                     [&](const std::string& e) { return e.find(part) != std::string::npos; });
}

}  // namespace

TEST_CASE("kubelet cgroup paths of the systemd driver give the pod uid and QoS class", "[kubernetes]") {
  struct Case {
    std::string path, qos;
  };
  const Case cases[] = {
      {"/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" + kUnderscored + ".slice/cri-containerd-" + kId + ".scope", "burstable"},
      {"/kubepods.slice/kubepods-besteffort.slice/kubepods-besteffort-pod" + kUnderscored + ".slice/cri-containerd-" + kId + ".scope", "besteffort"},
      {"/kubepods.slice/kubepods-pod" + kUnderscored + ".slice/cri-containerd-" + kId + ".scope", "guaranteed"},
      {"/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" + kUnderscored + ".slice/crio-" + kId + ".scope", "burstable"},
      {"/kubepods.slice/kubepods-pod" + kUnderscored + ".slice/docker-" + kId + ".scope", "guaranteed"},
      // kind and other nested nodes: a --cgroup-root prefixes every slice name.
      {"/kubelet.slice/kubelet-kubepods.slice/kubelet-kubepods-besteffort.slice/kubelet-kubepods-besteffort-pod" + kUnderscored +
           ".slice/cri-containerd-" + kId + ".scope", "besteffort"},
  };
  for (const Case& c : cases) {
    INFO(c.path);
    const auto pod = pod_from_cgroup(c.path);
    REQUIRE(pod);
    CHECK(pod->pod_uid == kUid);
    CHECK(pod->qos_class == c.qos);
    CHECK(pod->cgroup_driver == "systemd");
    CHECK(pod->path == c.path);
  }
}

TEST_CASE("kubelet cgroup paths of the cgroupfs driver give the pod uid and QoS class", "[kubernetes]") {
  const std::pair<std::string, std::string> cases[] = {
      {"/kubepods/burstable/pod" + kUid + "/" + kId, "burstable"},
      {"/kubepods/besteffort/pod" + kUid + "/" + kId, "besteffort"},
      {"/kubepods/pod" + kUid + "/" + kId, "guaranteed"},
      {"/kubepods/burstable/pod" + kUid + "/crio-" + kId, "burstable"},
  };
  for (const auto& [path, qos] : cases) {
    INFO(path);
    const auto pod = pod_from_cgroup(path);
    REQUIRE(pod);
    CHECK(pod->pod_uid == kUid);
    CHECK(pod->qos_class == qos);
    CHECK(pod->cgroup_driver == "cgroupfs");
  }
  // A static pod's uid is a 32-digit hash.
  CHECK(pod_from_cgroup("/kubepods/podc4ca4238a0b923820dcc509a6f75849b/" + kId)->pod_uid ==
        "c4ca4238a0b923820dcc509a6f75849b");
}

TEST_CASE("paths that only resemble kubelet's name no pod", "[kubernetes]") {
  const std::string not_pods[] = {
      "/system.slice/docker-" + kId + ".scope",
      "/docker/" + kId,
      "/kubepods.slice/kubepods-burstable.slice",                                            // the QoS slice itself
      "/kubepods.slice/kubepods-burstable.slice/kubepods-besteffort-pod" + kUnderscored + ".slice",  // not its parent's child
      "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-podnot-a-uid.slice/cri-containerd-" + kId + ".scope",
      "/mykubepods.slice/mykubepods-pod" + kUnderscored + ".slice/x.scope",                   // kubepods not a whole word
      "/kubepods/burstable/pod" + kUnderscored + "/" + kId,                                  // cgroupfs keeps the dashes
      "/kubepods/guaranteed/pod" + kUid + "/" + kId,                                         // no such tier directory
      "/other/pod" + kUid + "/" + kId,
      "/kubepods/burstable/pod6F1C2B7E-3A4D-4C55-9E0F-1A2B3C4D5E6F/" + kId,
  };
  for (const std::string& path : not_pods) {
    INFO(path);
    CHECK_FALSE(pod_from_cgroup(path));
  }
}

TEST_CASE("a Kubernetes fixture with CRI records gives pod, namespace and container names and one pod", "[kubernetes]") {
  const KubernetesFixture f;
  REQUIRE(f.model.containers.size() == 7);
  const Container& pause = f.container(f.sandbox);
  const Container& nginx = f.container(f.nginx);
  const Container& shipper = f.container(f.shipper);
  for (const Container* c : {&pause, &nginx, &shipper}) {
    INFO(c->id);
    CHECK(c->runtime == "containerd");
    REQUIRE(c->kubernetes);
    CHECK(c->kubernetes->pod == "web-7d9f8c6b5-x2k4q");
    CHECK(c->kubernetes->namespace_ == "shop");
    CHECK(c->kubernetes->pod_uid == KubernetesFixture::kWebUid);
    CHECK(c->kubernetes->qos_class == "burstable");
    CHECK(c->kubernetes->sandbox_id == f.sandbox);
    CHECK(c->kubernetes->sources == std::vector<std::string>{"record", "cgroup"});
    REQUIRE(c->pod_cgroup);
    CHECK(c->pod_cgroup->cgroup_driver == "systemd");
    CHECK_FALSE(has_error(*c, "kubernetes:"));
  }
  CHECK(pause.kubernetes->sandbox == true);
  CHECK_FALSE(pause.kubernetes->container);
  CHECK_FALSE(pause.name);  // a sandbox's name is its pod's
  CHECK(pause.runtime_pid == 1100);
  CHECK(nginx.kubernetes->sandbox == false);
  CHECK(nginx.kubernetes->container == "nginx");
  CHECK(nginx.name == "nginx");
  CHECK(nginx.pids == std::vector<std::int32_t>{1180, 1181});
  REQUIRE(nginx.record);
  CHECK(nginx.record->image == "docker.io/library/nginx:1.25.3");
  CHECK(shipper.kubernetes->container == "log-shipper");
  CHECK(shipper.record->image == "cr.fluentbit.io/fluent/fluent-bit:2.2.0");

  REQUIRE(f.model.pods.size() == 3);
  const auto web = std::find_if(f.model.pods.begin(), f.model.pods.end(),
                                [](const Pod& p) { return p.uid == KubernetesFixture::kWebUid; });
  REQUIRE(web != f.model.pods.end());
  CHECK(web->name == "web-7d9f8c6b5-x2k4q");
  CHECK(web->namespace_ == "shop");
  CHECK(web->qos_class == "burstable");
  CHECK(web->sandbox_id == f.sandbox);
  std::vector<std::string> members = {f.sandbox, f.nginx, f.shipper};
  std::sort(members.begin(), members.end());
  CHECK(web->containers == members);
  CHECK(web->sources == std::vector<std::string>{"cgroup", "record"});
  CHECK(f.model.engine.engines == std::vector<std::string>{"containerd"});
}

TEST_CASE("a cgroupfs pod with no record gives its uid and QoS class and nothing guessed", "[kubernetes]") {
  const KubernetesFixture f;
  const Container& pause = f.container(f.batch_sandbox);
  const Container& job = f.container(f.batch_job);
  for (const Container* c : {&pause, &job}) {
    INFO(c->id);
    CHECK(c->runtime == "containerd");  // the children of a k8s.io shim
    CHECK_FALSE(c->record);
    CHECK_FALSE(c->name);
    REQUIRE(c->kubernetes);
    CHECK(c->kubernetes->pod_uid == KubernetesFixture::kBatchUid);
    CHECK(c->kubernetes->qos_class == "besteffort");
    CHECK_FALSE(c->kubernetes->pod);
    CHECK_FALSE(c->kubernetes->namespace_);
    CHECK_FALSE(c->kubernetes->container);
    CHECK(has_error(*c, "no engine record"));
    CHECK(has_error(*c, "kubernetes: pod name, namespace and container name unknown"));
    CHECK(c->pod_cgroup->cgroup_driver == "cgroupfs");
  }
  // Its only process is /pause and the other container joins its network namespace.
  CHECK(pause.kubernetes->sandbox == true);
  CHECK(pause.kubernetes->sources == std::vector<std::string>{"cgroup", "pause-process"});
  CHECK(job.kubernetes->sandbox == false);
  CHECK(job.kubernetes->sandbox_id == f.batch_sandbox);
  const auto batch = std::find_if(f.model.pods.begin(), f.model.pods.end(),
                                  [](const Pod& p) { return p.uid == KubernetesFixture::kBatchUid; });
  REQUIRE(batch != f.model.pods.end());
  CHECK_FALSE(batch->name);
  CHECK_FALSE(batch->namespace_);
  CHECK(batch->sandbox_id == f.batch_sandbox);
  CHECK(batch->containers == std::vector<std::string>{f.batch_sandbox, f.batch_job});
}

TEST_CASE("two containers running only /pause in one pod leave the sandbox unknown", "[kubernetes]") {
  const KubernetesFixture f;
  for (const std::string& id : {f.static_a, f.static_b}) {
    const Container& c = f.container(id);
    INFO(id);
    CHECK(c.runtime == "unknown");  // no shim, and a bare id in the cgroup path names no runtime
    REQUIRE(c.kubernetes);
    CHECK(c.kubernetes->pod_uid == KubernetesFixture::kStaticUid);
    CHECK(c.kubernetes->qos_class == "guaranteed");
    CHECK_FALSE(c.kubernetes->sandbox);
    CHECK_FALSE(c.kubernetes->sandbox_id);
    CHECK(has_error(c, "2 containers of its pod run only /pause"));
    CHECK(has_error(c, "whether it is its pod's sandbox (pause) container is unknown"));
  }
  const auto pod = std::find_if(f.model.pods.begin(), f.model.pods.end(),
                                [](const Pod& p) { return p.uid == KubernetesFixture::kStaticUid; });
  REQUIRE(pod != f.model.pods.end());
  CHECK_FALSE(pod->sandbox_id);
  CHECK(pod->containers.size() == 2);
}

TEST_CASE("a pause process that does not hold the pod's network namespace is not taken for the sandbox", "[kubernetes]") {
  KubernetesFixture f;
  // Give the batch job its own network namespace: the /pause container no longer holds the pod's.
  for (Container& c : f.model.containers) {
    c.kubernetes.reset();
    c.record_errors.clear();
    if (c.id == f.batch_job) c.ns.net = 4026532999;
  }
  const auto pods = group_pods(f.model.containers, f.model.tasks);
  const Container& pause = f.container(f.batch_sandbox);
  CHECK_FALSE(pause.kubernetes->sandbox);
  CHECK(has_error(pause, "do not share its network namespace"));
  CHECK(pods.size() == 3);
}

TEST_CASE("containers outside any pod get no kubernetes membership", "[kubernetes]") {
  std::vector<Container> containers(1);
  containers[0].id = kId;
  containers[0].runtime = "docker";
  CHECK(group_pods(containers, {}).empty());
  CHECK_FALSE(containers[0].kubernetes);
  CHECK(containers[0].record_errors.empty());
}
