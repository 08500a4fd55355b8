// The containers report of the synthetic Kubernetes node
// (support/kubernetes_fixture.hpp): the POD column, the pods table and the
// JSON grouping.

#include <catch2/catch.hpp>

#include <cstdlib>
#include <iostream>

#include "reports/container_report.hpp"
#include "reports/scan_report.hpp"
#include "support/kubernetes_fixture.hpp"

using namespace drydock;
using drydock::testing::KubernetesFixture;

TEST_CASE("containers text shows each container's pod and sandbox and the pods", "[kubernetes]") {
  const KubernetesFixture f;
  const std::string text = containers_text(f.model);
  // DRYDOCK_PRINT_FIXTURE=1 prints it (the README's example).
  if (std::getenv("DRYDOCK_PRINT_FIXTURE")) std::cout << text;
  CHECK(text.find("POD") != std::string::npos);
  CHECK(text.find("shop/web-7d9f8c6b5-x2k4q (sandbox)") != std::string::npos);
  CHECK(text.find("uid 0a7d5c31-8e2f-4b6a-a1c9-77e0f3d2b410 (sandbox)") != std::string::npos);
  CHECK(text.find("pod           shop/web-7d9f8c6b5-x2k4q (uid 6f1c2b7e-3a4d-4c55-9e0f-1a2b3c4d5e6f, qos burstable), "
                  "container nginx, sandbox no") != std::string::npos);
  CHECK(text.find("pod           - (uid c4ca4238a0b923820dcc509a6f75849b, qos guaranteed), container -, sandbox -") !=
        std::string::npos);  // the static pod's two pause containers: nothing says which is the sandbox
  CHECK(text.find("shop/web-7d9f8c6b5-x2k4q      6f1c2b7e-3a4d-4c55-9e0f-1a2b3c4d5e6f  burstable   aaaaaaaaaaaa  "
                  "aaaaaaaaaaaa bbbbbbbbbbbb cccccccccccc") != std::string::npos);
}

TEST_CASE("containers JSON carries each container's kubernetes object and a pods array", "[kubernetes]") {
  const KubernetesFixture f;
  const nlohmann::json j = containers_json(f.model);
  REQUIRE(j.at("pods").size() == 3);
  bool found_web = false;
  for (const auto& pod : j.at("pods")) {
    if (pod.at("uid") != KubernetesFixture::kWebUid) continue;
    found_web = true;
    CHECK(pod.at("namespace") == "shop");
    CHECK(pod.at("name") == "web-7d9f8c6b5-x2k4q");
    CHECK(pod.at("qos_class") == "burstable");
    CHECK(pod.at("sandbox_id") == f.sandbox);
    CHECK(pod.at("containers").size() == 3);
  }
  CHECK(found_web);
  for (const auto& c : j.at("containers")) {
    const auto& k = c.at("kubernetes");
    REQUIRE(k.is_object());
    if (c.at("id") == f.nginx) {
      CHECK(k.at("pod") == "web-7d9f8c6b5-x2k4q");
      CHECK(k.at("namespace") == "shop");
      CHECK(k.at("container") == "nginx");
      CHECK(k.at("sandbox") == false);
      CHECK(k.at("sandbox_id") == f.sandbox);
      CHECK(c.at("name") == "nginx");
      CHECK(c.at("image") == "docker.io/library/nginx:1.25.3");
    }
    if (c.at("id") == f.batch_job) {
      CHECK(k.at("pod").is_null());
      CHECK(k.at("namespace").is_null());
      CHECK(k.at("container").is_null());
      CHECK(k.at("pod_uid") == KubernetesFixture::kBatchUid);
      CHECK(k.at("qos_class") == "besteffort");
      CHECK(c.at("name").is_null());
      CHECK(c.at("image").is_null());
    }
    if (c.at("id") == f.static_a) CHECK(k.at("sandbox").is_null());
  }
}

TEST_CASE("scan JSON carries the pods of each dump beside its containers", "[kubernetes]") {
  KubernetesFixture f;
  DumpScanResult r;
  r.display = "node.lime";
  r.model = std::move(f.model);
  const nlohmann::json j = dump_scan_json(r);
  REQUIRE(j.at("pods").size() == 3);
  CHECK(j.at("pods")[1].at("name") == "web-7d9f8c6b5-x2k4q");
  for (const auto& c : j.at("containers")) CHECK(c.at("kubernetes").is_object());
}

TEST_CASE("a host without pods keeps its containers table without a POD column", "[kubernetes]") {
  DumpModel m;
  Container c;
  c.id = std::string(64, 'a');
  c.runtime = "docker";
  m.containers.push_back(c);
  const std::string text = containers_text(m);
  CHECK(text.find("POD") == std::string::npos);
  CHECK(containers_json(m).at("pods").empty());
}
