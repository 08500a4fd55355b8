// The extraction pipeline: the pass table is sound, a request runs exactly
// the passes it needs in dependency order, and every pass run is timed.

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

#include "engine/pipeline/build_model.hpp"
#include "engine/pipeline/pipeline.hpp"
#include "support/synthetic_kernel.hpp"

using namespace drydock;
using drydock::testing::kHostNamespaces;
using drydock::testing::NsKind;
using drydock::testing::SyntheticKernel;

namespace {

std::vector<std::string> names_of(const std::vector<const Pass*>& plan) {
  std::vector<std::string> names;
  for (const Pass* p : plan) names.emplace_back(p->name);
  return names;
}

std::vector<std::string> names_of(const std::vector<PassTiming>& timings) {
  std::vector<std::string> names;
  for (const PassTiming& t : timings) names.emplace_back(t.name);
  return names;
}

void nothing(ExtractionContext&) {}

ExtractionContext extract_with_views(const KernelMemory& kernel, ProductSet request, std::vector<int> view_pids) {
  ExtractionOptions options;
  options.view_pids = std::move(view_pids);
  return extract(kernel, request, options);
}

// PID 1 on a root filesystem holding /etc/hosts, and a shell (PID 42) in the
// same namespaces.
struct SmallHost {
  SyntheticKernel k;
  std::uint64_t net = k.ns_object(NsKind::net, kHostNamespaces.net);
  std::uint64_t lo = k.add_net_device(net, {.name = "lo", .ifindex = 1, .type = 772});
  std::uint64_t mnt_ns = k.ns_object(NsKind::mnt, kHostNamespaces.mnt);
  std::uint64_t root = k.add_mount(mnt_ns, {.id = 21, .devname = "/dev/vda1", .fstype = "ext4"});
  std::uint64_t etc = k.add_file("etc", k.mount_root(root), {.ino = 30, .mode = 0040755});
  std::uint64_t hosts = k.add_file("hosts", etc, {.ino = 31, .size = 12});
  std::uint64_t init = k.add_task({.pid = 1, .comm = "systemd", .root_mount = root});
  std::uint64_t sh = k.add_task({.pid = 42, .comm = "sh", .parent = init, .root_mount = root});
};

}  // namespace

TEST_CASE("the extraction pass table is sound: each product made by one pass, each need by an earlier one") {
  const auto table = extraction_passes();
  const std::optional<std::string> problem = pass_table_problem(table);
  INFO(problem.value_or(""));
  CHECK_FALSE(problem.has_value());
  for (std::size_t i = 0; i < kProductCount; ++i) {
    const auto product = static_cast<Product>(i);
    INFO(product_name(product));
    CHECK(std::count_if(table.begin(), table.end(), [&](const Pass& p) { return p.makes == product; }) == 1);
  }
}

TEST_CASE("pass_table_problem names a cycle, a need no pass makes and a product made twice") {
  using enum Product;
  const std::vector<Pass> cycle{{"tasks", {mounts}, tasks, nothing}, {"mounts", {tasks}, mounts, nothing}};
  CHECK_THAT(pass_table_problem(cycle).value_or(""), Catch::Contains("pass tasks needs mounts") &&
                                                         Catch::Contains("a cycle"));
  const std::vector<Pass> self{{"tasks", {tasks}, tasks, nothing}};
  CHECK_THAT(pass_table_problem(self).value_or(""), Catch::Contains("a cycle"));
  const std::vector<Pass> orphan{{"sockets", {containers}, sockets, nothing}};
  CHECK_THAT(pass_table_problem(orphan).value_or(""), Catch::Contains("needs containers, which no pass makes"));
  const std::vector<Pass> twice{{"tasks", {}, tasks, nothing}, {"threads", {}, tasks, nothing}};
  CHECK_THAT(pass_table_problem(twice).value_or(""), Catch::Contains("pass threads: tasks is made by an earlier pass"));
}

TEST_CASE("a request for changes runs containers and the host's mount view, not sockets, records or files") {
  CHECK(names_of(plan_passes({Product::changes})) ==
        std::vector<std::string>{"tasks", "mounts", "network", "containers", "views", "changes"});
}

TEST_CASE("a request runs only what it needs, each pass once, in table order") {
  using enum Product;
  CHECK(names_of(plan_passes({network})) == std::vector<std::string>{"network"});
  CHECK(names_of(plan_passes({files})) == std::vector<std::string>{"tasks", "views", "files"});
  CHECK(names_of(plan_passes({views, mounts})) == std::vector<std::string>{"tasks", "mounts", "views"});
  CHECK(names_of(plan_passes({sockets})) ==
        std::vector<std::string>{"tasks", "mounts", "network", "containers", "sockets"});
  CHECK(names_of(plan_passes({changes, records})) ==
        std::vector<std::string>{"tasks", "mounts", "network", "containers", "records", "views", "changes"});
  CHECK(names_of(plan_passes(kScanProducts)) == std::vector<std::string>{"tasks",   "mounts", "network", "containers",
                                                                          "records", "pods",   "sockets", "views",
                                                                          "changes", "creators"});
  CHECK(plan_passes({}).empty());
}

TEST_CASE("running a request times each pass it runs, in run order, in the context") {
  SmallHost host;
  auto loaded = host.k.load();
  const ExtractionContext context = extract_with_views(*loaded->kernel, {Product::files}, {42, 1});
  CHECK(names_of(context.timings) == std::vector<std::string>{"tasks", "views", "files"});
  for (const PassTiming& t : context.timings) CHECK(t.elapsed.count() >= 0);
  // What the passes made, and nothing more.
  CHECK(context.model.tasks.size() == 2);
  REQUIRE(context.views.size() == 2);
  CHECK(context.views[0].pid == 42);
  CHECK(context.views[1].pid == 1);
  CHECK(context.missing_pids.empty());
  CHECK(context.model.mounts.empty());
  CHECK(context.model.interfaces.empty());
  // Both PIDs see one namespace from one root: each file once.
  std::vector<std::string> paths;
  for (const CachedFile& f : context.files) paths.push_back(f.path);
  CHECK(paths == std::vector<std::string>{"/", "/etc", "/etc/hosts"});
}

TEST_CASE("a view of a PID no task has is reported missing and the others are still made") {
  SmallHost host;
  auto loaded = host.k.load();
  const ExtractionContext context = extract_with_views(*loaded->kernel, {Product::views}, {7, 1});
  CHECK(context.missing_pids == std::vector<int>{7});
  REQUIRE(context.views.size() == 1);
  CHECK(context.views[0].pid == 1);
  CHECK(context.views[0].mounts.size() == 1);
}

TEST_CASE("changes are unknown, with an issue, when PID 1 is not among the chosen views") {
  SmallHost host;
  auto loaded = host.k.load();
  const ExtractionContext context = extract_with_views(*loaded->kernel, {Product::changes}, {42});
  const auto& issues = context.model.issues;
  CHECK(std::any_of(issues.begin(), issues.end(), [](const ExtractionIssue& i) {
    return i.stage == "changes" && i.message.starts_with("PID 1 not among the chosen views");
  }));
}
