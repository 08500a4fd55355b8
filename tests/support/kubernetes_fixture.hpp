#pragma once
// A synthetic Kubernetes node (containerd with its CRI plugin) as an object
// model: the tasks the kernel walk would give, with kubelet's cgroup paths,
// and the runtime bundles' config.json files as containerd writes them, run
// through the product's own stages (detect_containers, attach_engine_records,
// group_pods). No real node was available to dump; the names and formats
// below follow containerd's CRI plugin (pkg/cri/annotations) and kubelet's
// cgroup naming for both drivers.
//
//   pod shop/web-7d9f8c6b5-x2k4q (burstable, systemd driver): a shim
//     `-namespace k8s.io -id <sandbox>`, the pause container and two app
//     containers (nginx, log-shipper), each with its config.json in memory.
//   a besteffort pod (cgroupfs driver) with no record in memory: its shim,
//     pause container and one app container.
//   a guaranteed pod (cgroupfs driver), no record and no shim, in which two
//     containers run only /pause: which one is the sandbox is unknown.
//
// Header-only.

#include <string>
#include <vector>

#include <fmt/format.h>

#include "engine/containers/container_detector.hpp"
#include "engine/containers/engine_records.hpp"
#include "engine/containers/kubernetes_pods.hpp"
#include "engine/model/dump_model.hpp"

namespace drydock::testing {

struct KubernetesFixture {
  static constexpr const char* kWebUid = "6f1c2b7e-3a4d-4c55-9e0f-1a2b3c4d5e6f";
  static constexpr const char* kBatchUid = "0a7d5c31-8e2f-4b6a-a1c9-77e0f3d2b410";
  static constexpr const char* kStaticUid = "c4ca4238a0b923820dcc509a6f75849b";  // a static pod's hashed uid
  const std::string sandbox = std::string(32, 'a') + std::string(32, '1');
  const std::string nginx = std::string(32, 'b') + std::string(32, '2');
  const std::string shipper = std::string(32, 'c') + std::string(32, '3');
  const std::string batch_sandbox = std::string(32, 'd') + std::string(32, '4');
  const std::string batch_job = std::string(32, 'e') + std::string(32, '5');
  const std::string static_a = std::string(32, '6') + std::string(32, 'f');
  const std::string static_b = std::string(32, '7') + std::string(32, 'f');

  DumpModel model;
  std::vector<RecordFile> records;

  KubernetesFixture() {
    host();
    web_pod();
    batch_pod();
    static_pod();
    model.host_ns = model.tasks.front().ns;
    ContainerDetection found = detect_containers(model);
    model.containers = std::move(found.containers);
    model.engine = std::move(found.engine);
    attach_engine_records(model.containers, records);
    model.pods = group_pods(model.containers, model.tasks);
  }

  const Container& container(const std::string& id) const {
    for (const Container& c : model.containers) {
      if (c.id == id) return c;
    }
    throw std::logic_error("no container " + id);
  }

 private:
  static Task task(int pid, int ppid, std::string comm, std::string cmdline, NamespaceSet ns, std::string cgroup) {
    Task t;
    t.pid = t.tgid = pid;
    t.ppid = ppid;
    t.comm = std::move(comm);
    t.cmdline = std::move(cmdline);
    t.ns = ns;
    t.uid = t.gid = t.euid = t.egid = t.suid = t.sgid = t.fsuid = t.fsgid = 0;
    t.caps = CapabilitySets{};
    t.seccomp_mode = 2;
    t.no_new_privs = true;
    t.state = "sleeping";
    if (!cgroup.empty()) t.cgroups = {std::move(cgroup)};
    t.hostname = "node-1";
    return t;
  }
  static NamespaceSet ns(std::uint64_t base, std::uint64_t net) {
    NamespaceSet n{base + 1, base + 2, base + 3, net, base + 5, 4026531837, base + 7};
    return n;
  }
  static NamespaceSet host_ns() { return NamespaceSet{4026531838, 4026531839, 4026531841, 4026531840, 4026531836, 4026531837, 4026531835}; }

  void host() {
    model.tasks.push_back(task(1, 0, "systemd", "/sbin/init", host_ns(), "/init.scope"));
    model.tasks.push_back(task(610, 1, "containerd", "/usr/bin/containerd", host_ns(), "/system.slice/containerd.service"));
    model.tasks.push_back(task(700, 1, "kubelet", "/usr/bin/kubelet --config=/var/lib/kubelet/config.yaml", host_ns(),
                               "/system.slice/kubelet.service"));
  }

  static std::string pod_slice(const std::string& uid) {
    std::string underscored = uid;
    for (char& c : underscored) c = c == '-' ? '_' : c;
    return "/kubepods.slice/kubepods-burstable.slice/kubepods-burstable-pod" + underscored + ".slice";
  }

  void web_pod() {
    const std::string slice = pod_slice(kWebUid);
    const std::size_t first = model.tasks.size();
    const std::uint64_t pod_net = 4026532300;
    model.tasks.push_back(task(1100, 1, "containerd-shim",
                               "/usr/bin/containerd-shim-runc-v2 -namespace k8s.io -id " + sandbox +
                                   " -address /run/containerd/containerd.sock",
                               host_ns(), "/system.slice/containerd.service"));
    model.tasks.push_back(task(1120, 1100, "pause", "/pause", ns(4026532300, pod_net), slice + "/cri-containerd-" + sandbox + ".scope"));
    model.tasks.push_back(task(1180, 1100, "nginx", "nginx: master process nginx -g daemon off;", ns(4026532310, pod_net),
                               slice + "/cri-containerd-" + nginx + ".scope"));
    model.tasks.push_back(task(1181, 1180, "nginx", "nginx: worker process", ns(4026532310, pod_net),
                               slice + "/cri-containerd-" + nginx + ".scope"));
    model.tasks.push_back(task(1240, 1100, "fluent-bit", "/fluent-bit/bin/fluent-bit -c /fluent-bit/etc/fluent-bit.conf",
                               ns(4026532320, pod_net), slice + "/cri-containerd-" + shipper + ".scope"));
    for (std::size_t i = first + 1; i < model.tasks.size(); ++i) model.tasks[i].hostname = "web-7d9f8c6b5-x2k4q";
    const std::string common = fmt::format(
        R"("io.kubernetes.cri.sandbox-id":"{}","io.kubernetes.cri.sandbox-name":"web-7d9f8c6b5-x2k4q",)"
        R"("io.kubernetes.cri.sandbox-namespace":"shop","io.kubernetes.cri.sandbox-uid":"{}")",
        sandbox, kWebUid);
    add_bundle(sandbox, "/pause", slice, std::string(R"("io.kubernetes.cri.container-type":"sandbox",)") +
                                             R"("io.kubernetes.cri.sandbox-log-directory":"/var/log/pods/shop_web-7d9f8c6b5-x2k4q_)" +
                                             kWebUid + "\"," + common);
    add_bundle(nginx, "nginx", slice, R"("io.kubernetes.cri.container-type":"container",)"
                                      R"("io.kubernetes.cri.container-name":"nginx",)"
                                      R"("io.kubernetes.cri.image-name":"docker.io/library/nginx:1.25.3",)" + common);
    add_bundle(shipper, "/fluent-bit/bin/fluent-bit", slice,
               R"("io.kubernetes.cri.container-type":"container",)"
               R"("io.kubernetes.cri.container-name":"log-shipper",)"
               R"("io.kubernetes.cri.image-name":"cr.fluentbit.io/fluent/fluent-bit:2.2.0",)" + common);
  }

  // An OCI runtime spec as containerd's CRI plugin writes it into the bundle.
  void add_bundle(const std::string& id, const std::string& arg0, const std::string& slice, const std::string& annotations) {
    const std::string slice_name = slice.substr(slice.rfind('/') + 1);
    records.push_back(
        {"/run/containerd/io.containerd.runtime.v2.task/k8s.io/" + id + "/config.json",
         fmt::format(R"({{"ociVersion":"1.1.0","process":{{"user":{{"uid":65535,"gid":65535}},"args":["{}"],)"
                     R"("env":["PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"],"cwd":"/",)"
                     R"("capabilities":{{"bounding":["CAP_CHOWN","CAP_NET_BIND_SERVICE"]}}}},)"
                     R"("root":{{"path":"rootfs","readonly":true}},"annotations":{{{}}},)"
                     R"("linux":{{"cgroupsPath":"{}:cri-containerd:{}","namespaces":[{{"type":"pid"}},{{"type":"ipc"}},)"
                     R"({{"type":"uts"}},{{"type":"mount"}},{{"type":"network"}}]}}}})",
                     arg0, annotations, slice_name, id),
         {}});
  }

  void batch_pod() {
    const std::string pod = std::string("/kubepods/besteffort/pod") + kBatchUid;
    const std::uint64_t pod_net = 4026532400;
    model.tasks.push_back(task(2100, 1, "containerd-shim",
                               "/usr/bin/containerd-shim-runc-v2 -namespace k8s.io -id " + batch_sandbox +
                                   " -address /run/containerd/containerd.sock",
                               host_ns(), "/system.slice/containerd.service"));
    model.tasks.push_back(task(2120, 2100, "pause", "/pause", ns(4026532400, pod_net), pod + "/" + batch_sandbox));
    model.tasks.push_back(task(2150, 2100, "python3", "python3 /app/job.py", ns(4026532410, pod_net), pod + "/" + batch_job));
    for (std::size_t i = model.tasks.size() - 2; i < model.tasks.size(); ++i) model.tasks[i].hostname = "report-28391-7xk2p";
  }

  void static_pod() {
    const std::string pod = std::string("/kubepods/pod") + kStaticUid;
    model.tasks.push_back(task(3120, 1, "pause", "/pause", ns(4026532500, 4026532500), pod + "/" + static_a));
    model.tasks.push_back(task(3130, 1, "pause", "/pause", ns(4026532510, 4026532500), pod + "/" + static_b));
  }
};

}  // namespace drydock::testing
