// Every layout variant the walkers tell apart (engine/kernel/kernel_layout.cpp),
// each on a synthetic kernel laid out as that kernel generation has it
// (support/synthetic_layout.hpp). A well-formed kernel gives back the tasks,
// mounts, files and interfaces placed in it, names the variant it was read as
// and lacks no required member; a kernel broken where that variant keeps its
// data gives an issue or an unknown value, never an invented one.

#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "engine/kernel/file_walker.hpp"
#include "engine/kernel/mount_walker.hpp"
#include "engine/kernel/net_walker.hpp"
#include "engine/kernel/task_walker.hpp"
#include "support/synthetic_kernel.hpp"
#include "support/walk_results.hpp"

using namespace drydock;
using drydock::testing::CapsField;
using drydock::testing::DentryChildren;
using drydock::testing::DevAddr;
using drydock::testing::file_at;
using drydock::testing::InodeSpec;
using drydock::testing::InodeTimes;
using drydock::testing::issues_text;
using drydock::testing::KernelVariants;
using drydock::testing::KernfsParent;
using drydock::testing::kHostNamespaces;
using drydock::testing::kSyntheticBootTimeNs;
using drydock::testing::kUnmappedAddress;
using drydock::testing::LoadedKernel;
using drydock::testing::mount_ids;
using drydock::testing::mount_with_id;
using drydock::testing::MountIndex;
using drydock::testing::names_of;
using drydock::testing::NsInodes;
using drydock::testing::NsInum;
using drydock::testing::NsKind;
using drydock::testing::paths_of;
using drydock::testing::pids_of;
using drydock::testing::StartTime;
using drydock::testing::SyntheticKernel;
using drydock::testing::SyntheticKernelOptions;
using drydock::testing::task_with_pid;
using drydock::testing::TaskPid;
using drydock::testing::TaskStateField;
using drydock::testing::ThreadList;
using drydock::testing::TimekeeperHolder;

namespace {

constexpr std::uint64_t kAllCaps = 0x1ffffffffffULL;
constexpr std::uint64_t kNginxCaps =
    0x100000400ULL;  // CAP_NET_BIND_SERVICE and CAP_MAC_OVERRIDE: both halves of u32 cap[2]
constexpr std::int64_t kSecond = 1'000'000'000;
constexpr std::uint32_t kTaskInterruptible = 0x1, kTaskDead = 0x80, kExitZombie = 0x20;

// The variant names the default (6.1-like) layout gives, by family.
const std::map<std::string, std::string> kDefaultVariantNames{
    {"task state", "__state"},
    {"caps", "u64"},
    {"task pid", "thread_pid"},
    {"task start time", "start_boottime"},
    {"timekeeper", "tk_core"},
    {"namespaces", "ns_common"},
    {"kernfs parent", "parent"},
    {"mounts", "list (mnt_namespace.list)"},
    {"dentry children", "list (d_subdirs/d_child)"},
    {"inode times", "i_* timespec64"},
    {"threads", "signal->thread_head"},
    {"net_device dev_addr", "pointer"},
    {"mount struct", "mount"},
};

// A kernel generation to build, and the variant names that differ from the default's.
struct Generation {
  std::string name;
  KernelVariants variants;
  std::map<std::string, std::string> variant_names{};
};

NsInodes container_namespaces() {
  NsInodes ns = kHostNamespaces;
  ns.pid = 4026532300, ns.net = 4026532303, ns.uts = 4026532302, ns.ipc = 4026532304;
  return ns;
}

const InodeSpec kHostsInode{.ino = 31,
                            .mode = 0100644,
                            .size = 220,
                            .atime_ns = 1'700'000'100 * kSecond + 5,
                            .mtime_ns = 1'600'000'000 * kSecond + 999'999'999,
                            .ctime_ns = 1'650'000'000 * kSecond + 42};
const InodeSpec kPasswdInode{.ino = 32,
                             .mode = 0100640,
                             .gid = 42,
                             .size = 1500,
                             .atime_ns = 1'700'000'000 * kSecond,
                             .mtime_ns = 1'690'000'000 * kSecond,
                             .ctime_ns = 1'690'000'000 * kSecond};

InodeSpec directory(std::uint64_t ino) { return {.ino = ino, .mode = 040755}; }

// A host on a kernel of the given variants. Mount namespace: / (ext4, id 21)
// with /etc/hosts and /etc/passwd, /proc (22), /sys (23), /tmp (24, with
// notes.txt) and /run (25): five mounts, so the 6.8+ mount tree has two
// levels below its root. Tasks: 1 systemd (sleeping, all caps, /init.scope,
// started 1 s after boot), 2 kthreadd, 77 a zombie, 4242 nginx in its own
// PID, network, UTS and IPC namespaces (pid 1 there, started at 90 s) with
// threads 4243 and 4244. Interfaces: lo and eth0.
struct Host {
  explicit Host(const KernelVariants& v) : k(SyntheticKernelOptions{.variants = v}) {}

  SyntheticKernel k;
  std::uint64_t net = k.ns_object(NsKind::net, kHostNamespaces.net);
  std::uint64_t lo = k.add_net_device(net, {.name = "lo", .ifindex = 1, .type = 772});
  std::uint64_t eth0 = k.add_net_device(net, {.name = "eth0", .ifindex = 2, .mac = "52:54:00:12:34:56"});
  std::uint64_t mnt_ns = k.ns_object(NsKind::mnt, kHostNamespaces.mnt);
  std::uint64_t root = k.add_mount(mnt_ns, {.id = 21, .devname = "/dev/vda1", .fstype = "ext4"});
  std::uint64_t etc = k.add_file("etc", k.mount_root(root), directory(30));
  std::uint64_t hosts = k.add_file("hosts", etc, kHostsInode);
  std::uint64_t passwd = k.add_file("passwd", etc, kPasswdInode);
  std::uint64_t proc = mount_on("proc", 40, {.id = 22, .devname = "proc", .fstype = "proc", .flags = 0x7});
  std::uint64_t sys = mount_on("sys", 41, {.id = 23, .devname = "sysfs", .fstype = "sysfs", .flags = 0x40});
  std::uint64_t tmp = mount_on("tmp", 42, {.id = 24, .devname = "tmpfs", .fstype = "tmpfs"});
  std::uint64_t notes = k.add_file("notes.txt", k.mount_root(tmp), {.ino = 100, .uid = 1000, .size = 12});
  std::uint64_t run = mount_on("run", 43, {.id = 25, .devname = "tmpfs", .fstype = "tmpfs"});
  std::uint64_t systemd = k.add_task({.pid = 1,
                                      .comm = "systemd",
                                      .cap_effective = kAllCaps,
                                      .cap_permitted = kAllCaps,
                                      .cgroup = "/init.scope",
                                      .root_mount = root,
                                      .state = kTaskInterruptible,
                                      .start_boottime = 1 * kSecond});
  std::uint64_t kthreadd =
      k.add_task({.pid = 2, .comm = "kthreadd", .kernel_thread = true, .state = kTaskInterruptible});
  std::uint64_t zombie = k.add_task({.pid = 77,
                                     .comm = "defunct",
                                     .parent = systemd,
                                     .state = kTaskDead,
                                     .exit_state = kExitZombie,
                                     .start_boottime = 60 * kSecond});
  std::uint64_t nginx = k.add_task({.pid = 4242,
                                    .comm = "nginx",
                                    .parent = systemd,
                                    .uid = 101,
                                    .gid = 101,
                                    .cap_effective = kNginxCaps,
                                    .ns = container_namespaces(),
                                    .ns_pid = 1,
                                    .cgroup = "/system.slice/docker-0123abcd.scope",
                                    .start_boottime = 90 * kSecond});
  std::uint64_t worker1 = k.add_task({.pid = 4243, .tgid = 4242, .comm = "nginx", .thread_of = nginx});
  std::uint64_t worker2 = k.add_task({.pid = 4244, .tgid = 4242, .comm = "nginx", .thread_of = nginx});

  // A directory `name` (inode `ino`) of the root filesystem with a new mount on it.
  std::uint64_t mount_on(std::string_view name, std::uint64_t ino, testing::MountSpec spec) {
    spec.parent = root;
    spec.mountpoint = k.add_file(name, k.mount_root(root), directory(ino));
    return k.add_mount(mnt_ns, spec);
  }
};

// The variant the layout names for a structure family ("" when none).
std::string variant_of(const KernelLayout& layout, std::string_view family) {
  for (const LayoutVariant& v : layout.variants) {
    if (v.family == family) return v.variant;
  }
  return "";
}

// The task of `pid` as walk_tasks gives it, for the mount and file walks.
Task walked_task(const LoadedKernel& loaded, std::int32_t pid) {
  return task_with_pid(walk_tasks(*loaded.kernel).tasks, pid);
}

// The mounts pid 1 sees, as walk_files wants them.
std::vector<Mount> host_mounts(const LoadedKernel& loaded) {
  const MountWalkResult result = mounts_seen_by(*loaded.kernel, walked_task(loaded, 1));
  INFO(issues_text(result.issues));
  CHECK(result.issues.empty());
  return result.mounts;
}

const std::vector<std::string> kHostFiles{"/",    "/etc", "/etc/hosts", "/etc/passwd",   "/proc",
                                          "/run", "/sys", "/tmp",       "/tmp/notes.txt"};

// Everything the well-formed host holds, as every walker reads it.
void check_host(const LoadedKernel& loaded) {
  const KernelMemory& kernel = *loaded.kernel;
  for (const MissingMember& m : kernel.layout().missing) UNSCOPED_INFO("missing " + m.type + "." + m.member);
  CHECK(kernel.layout().missing.empty());

  const TaskWalkResult tasks = walk_tasks(kernel);
  INFO(issues_text(tasks.issues));
  CHECK(tasks.issues.empty());
  CHECK(tasks.boot_time_unix_ns == kSyntheticBootTimeNs);
  REQUIRE(pids_of(tasks.tasks) == std::vector<std::int32_t>{1, 2, 77, 4242});
  const Task& systemd = task_with_pid(tasks.tasks, 1);
  CHECK(systemd.state == "sleeping");
  REQUIRE(systemd.caps);
  CHECK(systemd.caps->effective == kAllCaps);
  CHECK(systemd.caps->permitted == kAllCaps);
  CHECK(systemd.ns == kHostNamespaces);
  CHECK(systemd.ns_pid == 1);
  CHECK(systemd.cgroups == std::vector<std::string>{"/init.scope"});
  CHECK(systemd.start_time_unix_ns == kSyntheticBootTimeNs + 1 * kSecond);
  CHECK(task_with_pid(tasks.tasks, 2).kernel_thread == true);
  CHECK(task_with_pid(tasks.tasks, 2).state == "sleeping");
  CHECK(task_with_pid(tasks.tasks, 77).state == "zombie");
  const Task& nginx = task_with_pid(tasks.tasks, 4242);
  CHECK(nginx.state == "running");
  CHECK(nginx.uid == 101);
  REQUIRE(nginx.caps);
  CHECK(nginx.caps->effective == kNginxCaps);
  CHECK(nginx.caps->bounding == kAllCaps);
  CHECK(nginx.ns == container_namespaces());
  CHECK(nginx.ns_pid == 1);
  CHECK(nginx.cgroups == std::vector<std::string>{"/system.slice/docker-0123abcd.scope"});
  CHECK(nginx.start_boottime_ns == 90 * kSecond);
  CHECK(nginx.start_time_unix_ns == kSyntheticBootTimeNs + 90 * kSecond);
  const TaskWalkResult threads = walk_tasks(kernel, {.threads = true});
  CHECK(threads.issues.empty());
  CHECK(pids_of(threads.tasks) == std::vector<std::int32_t>{1, 2, 77, 4242, 4243, 4244});

  const MountWalkResult mounts = walk_mounts(kernel, tasks.tasks);
  INFO(issues_text(mounts.issues));
  CHECK(mounts.issues.empty());
  CHECK(mounts.initial_mnt_ns == kHostNamespaces.mnt);
  REQUIRE(mount_ids(mounts.mounts) == std::vector<std::int32_t>{21, 22, 23, 24, 25});
  const std::vector<std::string> paths{"/", "/proc", "/sys", "/tmp", "/run"};
  for (std::size_t i = 0; i < paths.size(); ++i) {
    CHECK(mounts.mounts[i].path == paths[i]);
    CHECK(mounts.mounts[i].mnt_ns == kHostNamespaces.mnt);
  }
  CHECK(mounts.mounts[1].fstype == "proc");
  CHECK(mounts.mounts[2].read_only == true);

  const FileWalkResult files = walk_files(kernel, host_mounts(loaded));
  INFO(issues_text(files.issues));
  CHECK(files.issues.empty());
  REQUIRE(paths_of(files.files) == kHostFiles);
  const CachedFile& hosts = file_at(files.files, "/etc/hosts");
  CHECK(hosts.inode == kHostsInode.ino);
  CHECK(hosts.mode_string == "-rw-r--r--");
  CHECK(hosts.size == kHostsInode.size);
  CHECK(hosts.atime_unix_ns == kHostsInode.atime_ns);
  CHECK(hosts.mtime_unix_ns == kHostsInode.mtime_ns);
  CHECK(hosts.ctime_unix_ns == kHostsInode.ctime_ns);
  CHECK(hosts.mnt_ns == kHostNamespaces.mnt);
  const CachedFile& passwd = file_at(files.files, "/etc/passwd");
  CHECK(passwd.gid == 42);
  CHECK(passwd.mtime_unix_ns == kPasswdInode.mtime_ns);
  CHECK(file_at(files.files, "/etc").mode_string == "drwxr-xr-x");
  CHECK(file_at(files.files, "/tmp/notes.txt").uid == 1000);

  const NetWalkResult net = walk_network(kernel);
  INFO(issues_text(net.issues));
  CHECK(net.issues.empty());
  REQUIRE(names_of(net.interfaces) == std::vector<std::string>{"lo", "eth0"});
  CHECK(net.interfaces[0].net_ns == kHostNamespaces.net);
  CHECK(net.interfaces[1].mac == "52:54:00:12:34:56");
}

}  // namespace

// --- whole kernels ---------------------------------------------------------------------------

TEST_CASE("kernels of every generation give back the same host, each variant named, nothing missing") {
  const std::map<std::string, std::string> before_5_5{{"task state", "state"},
                                                      {"caps", "u32[2]"},
                                                      {"task pid", "pids[PIDTYPE_PID].pid"},
                                                      {"task start time", "real_start_time"}};
  std::map<std::string, std::string> before_3_19 = before_5_5;
  before_3_19["namespaces"] = "proc_inum";
  const std::map<std::string, std::string> since_6_18{{"timekeeper", "timekeeper_data"},
                                                      {"namespaces", "ns_common with ns_type"},
                                                      {"kernfs parent", "__parent"},
                                                      {"mounts", "rbtree (mnt_namespace.mounts)"},
                                                      {"dentry children", "hlist (d_children/d_sib)"},
                                                      {"inode times", "i_*_sec/i_*_nsec"}};
  std::map<std::string, std::string> before_3_3 = before_3_19;
  before_3_3["timekeeper"] = "timekeeper";
  before_3_3["threads"] = "thread_group";
  before_3_3["mount struct"] = "vfsmount (before 3.3)";
  const Generation generation = GENERATE_COPY(values<Generation>({
      {"3.2", KernelVariants::linux_3_2(), before_3_3},
      {"3.18", KernelVariants::linux_3_18(), before_3_19},
      {"4.14", KernelVariants::linux_4_14(), before_5_5},
      {"6.1", KernelVariants{}},
      {"6.12",
       KernelVariants::linux_6_12(),
       {{"mounts", "rbtree (mnt_namespace.mounts)"},
        {"dentry children", "hlist (d_children/d_sib)"},
        {"inode times", "i_*_sec/i_*_nsec"}}},
      {"6.18", KernelVariants::linux_6_18(), since_6_18},
      {"7.0", KernelVariants::linux_7_0(), since_6_18},
  }));
  INFO("kernel " << generation.name);
  Host host(generation.variants);
  auto loaded = host.k.load();
  check_host(*loaded);
  for (const auto& [family, default_name] : kDefaultVariantNames) {
    const auto differs = generation.variant_names.find(family);
    INFO(family);
    CHECK(variant_of(loaded->kernel->layout(), family) ==
          (differs == generation.variant_names.end() ? default_name : differs->second));
  }
}

// --- one family at a time -------------------------------------------------------------------

namespace {

// One variant of one structure family: the kernel to build (the default
// layout but for that family) and the name its layout must give the variant.
struct Variant {
  std::string family;  // as KernelLayout::variants names it
  std::string name;
  KernelVariants variants;
  std::string note{};  // what else sets this kernel apart
};

const std::vector<Variant>& every_variant() {
  // rb_right and rb_left where no kernel has them; the slots at 8 and 16,
  // where real kernels keep them, hold unmapped pointers.
  constexpr testing::RbNodeLayout kOddRbNode{.size = 0x30, .rb_right = 0x18, .rb_left = 0x28};
  static const std::vector<Variant> table{
      {"task state", "state", {.task_state = TaskStateField::state_long}},
      {"task state", "__state", {.task_state = TaskStateField::state_u32}},
      {"caps", "u32[2]", {.caps = CapsField::u32_pair}},
      {"caps", "u64", {.caps = CapsField::u64}},
      {"caps", "u32[2]", {.caps = CapsField::u32_pair, .cap_ambient = false}, "no cap_ambient (before 4.3)"},
      {"task pid", "thread_pid", {.task_pid = TaskPid::thread_pid}},
      {"task pid", "pids[PIDTYPE_PID].pid", {.task_pid = TaskPid::pid_links}},
      {"task start time", "start_boottime", {.start_time = StartTime::start_boottime}},
      {"task start time", "real_start_time", {.start_time = StartTime::real_start_time}},
      {"timekeeper", "tk_core", {.timekeeper = TimekeeperHolder::tk_core}},
      {"timekeeper", "timekeeper_data", {.timekeeper = TimekeeperHolder::timekeeper_data}},
      {"timekeeper", "timekeeper", {.timekeeper = TimekeeperHolder::bare}},
      {"namespaces", "ns_common", {.ns_inum = NsInum::ns_common}},
      {"namespaces", "ns_common with ns_type", {.ns_inum = NsInum::ns_common_typed}},
      {"namespaces", "proc_inum", {.ns_inum = NsInum::proc_inum}},
      {"kernfs parent", "parent", {.kernfs_parent = KernfsParent::parent}},
      {"kernfs parent", "__parent", {.kernfs_parent = KernfsParent::underscored}},
      {"mounts", "list (mnt_namespace.list)", {.mounts = MountIndex::list}},
      {"mounts", "rbtree (mnt_namespace.mounts)", {.mounts = MountIndex::rbtree_in_union}, "mnt_node in a union (6.8)"},
      {"mounts", "rbtree (mnt_namespace.mounts)", {.mounts = MountIndex::rbtree}, "6.13"},
      {"mounts", "rbtree (mnt_namespace.mounts)", {.mounts = MountIndex::rbtree_ns_union}, "mounts in a union (7.x)"},
      {"mounts",
       "rbtree (mnt_namespace.mounts)",
       {.mounts = MountIndex::rbtree_in_union, .rb_node = kOddRbNode},
       "mnt_node in a union, odd rb_node"},
      {"mounts", "rbtree (mnt_namespace.mounts)", {.mounts = MountIndex::rbtree, .rb_node = kOddRbNode}, "odd rb_node"},
      {"mounts",
       "rbtree (mnt_namespace.mounts)",
       {.mounts = MountIndex::rbtree_ns_union, .rb_node = kOddRbNode},
       "mounts in a union, odd rb_node"},
      {"dentry children", "list (d_subdirs/d_child)", {.dentry_children = DentryChildren::list}},
      {"dentry children", "hlist (d_children/d_sib)", {.dentry_children = DentryChildren::hlist}},
      {"dentry children",
       "list (d_subdirs/d_child)",
       {.dentry_children = DentryChildren::list, .d_name_in_union = true},
       "d_name in a union (6.14)"},
      {"dentry children",
       "hlist (d_children/d_sib)",
       {.dentry_children = DentryChildren::hlist, .d_name_in_union = true},
       "d_name in a union (6.14)"},
      {"inode times", "i_* timespec64", {.inode_times = InodeTimes::timespec}},
      {"inode times", "__i_* timespec64", {.inode_times = InodeTimes::underscored}},
      {"inode times", "i_*_sec/i_*_nsec", {.inode_times = InodeTimes::split}},
      {"threads", "signal->thread_head", {.threads = ThreadList::thread_head}},
      {"threads", "thread_group", {.threads = ThreadList::thread_group}},
      {"net_device dev_addr", "pointer", {.dev_addr = DevAddr::pointer}},
      {"net_device dev_addr", "array", {.dev_addr = DevAddr::array}},
      {"mount struct", "mount", {.mount_struct = true}},
      {"mount struct", "vfsmount (before 3.3)", {.mount_struct = false}},
  };
  return table;
}

// Every variant of one family in every_variant(), for GENERATE.
std::vector<Variant> variants_of(std::string_view family) {
  std::vector<Variant> out;
  for (const Variant& v : every_variant()) {
    if (v.family == family) out.push_back(v);
  }
  return out;
}

std::string describe(const Variant& v) { return v.family + ": " + v.name + (v.note.empty() ? "" : ", " + v.note); }

}  // namespace

TEST_CASE("each layout variant gives back the same host and is named, nothing missing") {
  const Variant v = GENERATE(from_range(every_variant()));
  INFO(describe(v));
  Host host(v.variants);
  auto loaded = host.k.load();
  check_host(*loaded);
  CHECK(variant_of(loaded->kernel->layout(), v.family) == v.name);
}

// --- broken where each variant keeps its data ----------------------------------------------

namespace {

std::vector<std::string> host_files_but(std::string_view path) {
  std::vector<std::string> files = kHostFiles;
  std::erase(files, path);
  return files;
}

}  // namespace

TEST_CASE("a task state with bits no kernel sets is unknown, not running") {
  const Variant v = GENERATE(from_range(variants_of("task state")));
  INFO(describe(v));
  const bool is_long = v.name == "state";
  Host host(v.variants);
  const std::uint32_t state = host.k.member_offset("task_struct", v.name);
  host.k.write_u32(host.nginx + state, 0x00100000);  // above TASK_STATE_MAX
  host.k.write_u32(host.zombie + host.k.member_offset("task_struct", "exit_state"), 0x1234);
  // A long whose high half is not 0 is no state, whatever its low half says;
  // the same bytes in __state are an int and a neighbour.
  host.k.write_u64(host.systemd + state, 0xdead000000000001ULL);
  auto loaded = host.k.load();

  const TaskWalkResult result = walk_tasks(*loaded->kernel);
  REQUIRE(pids_of(result.tasks) == std::vector<std::int32_t>{1, 2, 77, 4242});
  CHECK_FALSE(task_with_pid(result.tasks, 4242).state.has_value());
  CHECK_FALSE(task_with_pid(result.tasks, 77).state.has_value());
  CHECK(task_with_pid(result.tasks, 1).state == (is_long ? std::nullopt : std::optional<std::string>("sleeping")));
  CHECK(task_with_pid(result.tasks, 2).state == "sleeping");
  CHECK_THAT(issues_text(result.issues), Catch::Contains("task 4242") && Catch::Contains("state 0x100000"));
}

TEST_CASE("a kernel_cap_t of another size leaves capabilities unknown and is listed missing") {
  Host host(KernelVariants{.caps = CapsField::u32_single});
  auto loaded = host.k.load();
  const KernelLayout& layout = loaded->kernel->layout();
  CHECK(layout.lacks("kernel_cap_t", "val (u64) or cap (u32[2])"));
  CHECK(layout.missing.size() == 1);
  CHECK(variant_of(layout, "caps").empty());

  const TaskWalkResult result = walk_tasks(*loaded->kernel);
  REQUIRE(pids_of(result.tasks) == std::vector<std::int32_t>{1, 2, 77, 4242});
  for (const Task& t : result.tasks) CHECK_FALSE(t.caps.has_value());
  CHECK(task_with_pid(result.tasks, 4242).uid == 101);  // the rest of the credentials still read
  CHECK_THAT(issues_text(result.issues), Catch::Contains("lacks kernel_cap_t") && Catch::Contains("task caps"));
}

TEST_CASE("a struct pid pointer into unmapped memory leaves the PID namespace unknown, with an issue") {
  const Variant v = GENERATE(from_range(variants_of("task pid")));
  INFO(describe(v));
  Host host(v.variants);
  host.k.write_u64(host.k.thread_pid_slot(host.nginx), kUnmappedAddress);
  auto loaded = host.k.load();

  const TaskWalkResult result = walk_tasks(*loaded->kernel);
  const Task& nginx = task_with_pid(result.tasks, 4242);
  CHECK_FALSE(nginx.ns_pid.has_value());
  CHECK_FALSE(nginx.ns.pid.has_value());
  CHECK(nginx.ns.net == container_namespaces().net);
  CHECK(task_with_pid(result.tasks, 1).ns_pid == 1);
  CHECK_THAT(issues_text(result.issues), Catch::Contains("task 4242: struct pid at"));
}

TEST_CASE("a start time past what a clock holds is unknown, not a wrapped date") {
  const Variant v = GENERATE(from_range(variants_of("task start time")));
  INFO(describe(v));
  Host host(v.variants);
  host.k.write_u64(host.nginx + host.k.member_offset("task_struct", v.name), 0x8000000000000005ULL);
  auto loaded = host.k.load();

  const TaskWalkResult result = walk_tasks(*loaded->kernel);
  CHECK_FALSE(task_with_pid(result.tasks, 4242).start_time_unix_ns.has_value());
  CHECK(task_with_pid(result.tasks, 1).start_time_unix_ns == kSyntheticBootTimeNs + 1 * kSecond);
}

TEST_CASE("a kernel with no timekeeper has null start times and says why") {
  Host host(KernelVariants{.timekeeper = TimekeeperHolder::none});
  auto loaded = host.k.load();
  CHECK(variant_of(loaded->kernel->layout(), "timekeeper") == "none");
  // The table lacks a global the walks need: listed, like a missing member.
  REQUIRE(loaded->kernel->layout().missing.size() == 1);
  CHECK(loaded->kernel->layout().lacks("symbol", "tk_core or timekeeper_data or timekeeper"));

  const TaskWalkResult result = walk_tasks(*loaded->kernel);
  CHECK_FALSE(result.boot_time_unix_ns.has_value());
  REQUIRE(pids_of(result.tasks) == std::vector<std::int32_t>{1, 2, 77, 4242});
  for (const Task& t : result.tasks) CHECK_FALSE(t.start_time_unix_ns.has_value());
  CHECK(task_with_pid(result.tasks, 4242).start_boottime_ns == 90 * kSecond);
  CHECK_THAT(issues_text(result.issues), Catch::Contains("boot time unknown"));
}

TEST_CASE("a timekeeper whose offsets overflow gives null start times, in every holder") {
  const Variant v = GENERATE(from_range(variants_of("timekeeper")));
  INFO(describe(v));
  Host host(v.variants);
  const std::uint64_t tk = host.k.timekeeper();
  host.k.write_u64(tk + host.k.member_offset("timekeeper", "offs_real"), 0x8000000000000000ULL);  // INT64_MIN
  host.k.write_u64(tk + host.k.member_offset("timekeeper", "offs_boot"), 1);
  auto loaded = host.k.load();

  const TaskWalkResult result = walk_tasks(*loaded->kernel);
  CHECK_FALSE(result.boot_time_unix_ns.has_value());
  for (const Task& t : result.tasks) CHECK_FALSE(t.start_time_unix_ns.has_value());
  CHECK_THAT(issues_text(result.issues), Catch::Contains("boot time unknown"));
}

TEST_CASE("a namespace whose inode number lies in a page the dump lacks is unknown, with an issue") {
  const Variant v = GENERATE(from_range(variants_of("namespaces")));
  INFO(describe(v));
  Host host(v.variants);
  // The UTS namespace's first bytes are saved, its inode number is not.
  const std::uint64_t uts = host.k.alloc_before_hole(host.k.ns_inum_offset("uts_namespace"));
  const std::uint64_t nsproxy = host.k.written_pointer(host.nginx + host.k.member_offset("task_struct", "nsproxy"));
  host.k.set(nsproxy, "nsproxy", "uts_ns", uts);
  auto loaded = host.k.load();

  const TaskWalkResult result = walk_tasks(*loaded->kernel);
  const Task& nginx = task_with_pid(result.tasks, 4242);
  CHECK_FALSE(nginx.ns.uts.has_value());
  CHECK(nginx.ns.net == container_namespaces().net);
  CHECK(task_with_pid(result.tasks, 1).ns == kHostNamespaces);
  CHECK_THAT(issues_text(result.issues), Catch::Contains("task 4242") && Catch::Contains("namespaces are unknown"));
}

TEST_CASE("kernfs parents that loop leave the cgroup out, in both parent layouts") {
  const Variant v = GENERATE(from_range(variants_of("kernfs parent")));
  INFO(describe(v));
  Host host(v.variants);
  const auto css = host.k.written_pointer(host.nginx + host.k.member_offset("task_struct", "cgroups"));
  const auto cgroup = host.k.written_pointer(css + host.k.member_offset("css_set", "dfl_cgrp"));
  const auto leaf = host.k.written_pointer(cgroup + host.k.member_offset("cgroup", "kn"));
  const auto slice = host.k.written_pointer(leaf + host.k.member_offset("kernfs_node", v.name));
  host.k.set(slice, "kernfs_node", v.name, leaf);  // docker-0123abcd.scope <-> system.slice
  auto loaded = host.k.load();

  const TaskWalkResult result = walk_tasks(*loaded->kernel);
  CHECK(task_with_pid(result.tasks, 4242).cgroups.empty());
  CHECK(task_with_pid(result.tasks, 1).cgroups == std::vector<std::string>{"/init.scope"});
}

namespace {

// The 6.8+ mount trees of every_variant().
std::vector<Variant> mount_trees() {
  std::vector<Variant> trees = variants_of("mounts");
  std::erase_if(trees, [](const Variant& v) { return v.variants.mounts == MountIndex::list; });
  return trees;
}

// The rb_node of a mount, and the tree's root node.
std::uint64_t mount_node(const Host& host, std::uint64_t mount) {
  return mount + host.k.member_offset("mount", "mnt_node");
}
std::uint64_t tree_root(const Host& host) {
  return host.k.written_pointer(host.mnt_ns + host.k.member_offset("mnt_namespace", "mounts"));
}

}  // namespace

TEST_CASE("a mount tree that loops back to its root lists each mount once, with an issue") {
  const Variant v = GENERATE(from_range(mount_trees()));
  INFO(describe(v));
  Host host(v.variants);
  // Mounts 21..25: 23 at the root, 22 and 25 below it, 21 and 24 the leaves.
  REQUIRE(tree_root(host) == mount_node(host, host.sys));
  host.k.write_u64(mount_node(host, host.root) + host.k.member_offset("rb_node", "rb_left"), tree_root(host));
  auto loaded = host.k.load();

  const MountWalkResult result = walk_mounts(*loaded->kernel, walk_tasks(*loaded->kernel).tasks);
  CHECK(mount_ids(result.mounts) == std::vector<std::int32_t>{21, 22, 23, 24, 25});
  CHECK_THAT(issues_text(result.issues), Catch::Contains("mnt_namespace") && Catch::Contains("loops"));
}

TEST_CASE("a mount tree child pointer into unmapped memory keeps the other mounts, with an issue") {
  const Variant v = GENERATE(from_range(mount_trees()));
  INFO(describe(v));
  Host host(v.variants);
  host.k.write_u64(mount_node(host, host.tmp) + host.k.member_offset("rb_node", "rb_right"), kUnmappedAddress);
  auto loaded = host.k.load();

  const MountWalkResult result = walk_mounts(*loaded->kernel, walk_tasks(*loaded->kernel).tasks);
  CHECK(mount_ids(result.mounts) == std::vector<std::int32_t>{21, 22, 23, 24, 25});
  CHECK_THAT(issues_text(result.issues), Catch::Contains("unreadable"));
}

TEST_CASE("a children list that loops lists each file once, with an issue") {
  const Variant v = GENERATE(from_range(variants_of("dentry children")));
  INFO(describe(v));
  const bool hlist = v.variants.dentry_children == DentryChildren::hlist;
  Host host(v.variants);
  const std::uint32_t link = host.k.member_offset("dentry", hlist ? "d_sib" : "d_child");
  // /etc's children: hosts then passwd in its list; passwd then hosts in its
  // hlist (added at the head). The last one's next leads back to the first.
  if (hlist) {
    host.k.write_u64(host.hosts + link, host.passwd + link);
  } else {
    host.k.write_u64(host.passwd + link, host.hosts + link);
  }
  auto loaded = host.k.load();

  const FileWalkResult result = walk_files(*loaded->kernel, host_mounts(*loaded));
  CHECK(paths_of(result.files) == kHostFiles);
  CHECK_THAT(issues_text(result.issues), Catch::Contains("children of /etc") && Catch::Contains("loops"));
}

TEST_CASE("a dentry name pointer into unmapped memory leaves that file out, with an issue") {
  const Variant v = GENERATE(from_range(variants_of("dentry children")));
  INFO(describe(v));
  Host host(v.variants);
  const std::uint64_t name = host.k.member_offset("dentry", "d_name") + host.k.member_offset("qstr", "name");
  host.k.write_u64(host.hosts + name, kUnmappedAddress);
  auto loaded = host.k.load();

  const FileWalkResult result = walk_files(*loaded->kernel, host_mounts(*loaded));
  CHECK(paths_of(result.files) == host_files_but("/etc/hosts"));
  CHECK_THAT(issues_text(result.issues), Catch::Contains("name of dentry") && Catch::Contains("unreadable"));
}

TEST_CASE("an inode whose times lie in a page the dump lacks is left out, not given times of 1970") {
  const Variant v = GENERATE(from_range(variants_of("inode times")));
  INFO(describe(v));
  Host host(v.variants);
  // Mode, inode number and size are saved; every time field is in the hole.
  const std::uint32_t saved = host.k.member_offset("inode", "i_size") + 8;
  const std::uint64_t inode = host.k.alloc_before_hole(saved);
  host.k.write_u16(inode + host.k.member_offset("inode", "i_mode"), 0100644);
  host.k.write_u64(inode + host.k.member_offset("inode", "i_ino"), 31);
  host.k.write_u64(inode + host.k.member_offset("inode", "i_size"), 220);
  host.k.set(host.hosts, "dentry", "d_inode", inode);
  auto loaded = host.k.load();

  const FileWalkResult result = walk_files(*loaded->kernel, host_mounts(*loaded));
  CHECK(paths_of(result.files) == host_files_but("/etc/hosts"));
  CHECK_THAT(issues_text(result.issues), Catch::Contains("of /etc/hosts unreadable"));
}

TEST_CASE("a thread list that loops lists each thread once, with an issue") {
  const Variant v = GENERATE(from_range(variants_of("threads")));
  INFO(describe(v));
  Host host(v.variants);
  const std::uint32_t link =
      host.k.member_offset("task_struct", v.name == "thread_group" ? "thread_group" : "thread_node");
  host.k.write_u64(host.worker2 + link, host.worker1 + link);  // 4243 -> 4244 -> 4243 ...
  auto loaded = host.k.load();

  const TaskWalkResult result = walk_tasks(*loaded->kernel, {.threads = true});
  CHECK(pids_of(result.tasks) == std::vector<std::int32_t>{1, 2, 77, 4242, 4243, 4244});
  CHECK_THAT(issues_text(result.issues), Catch::Contains("threads of task") && Catch::Contains("loops"));
}

TEST_CASE("a hardware address is bounded by MAX_ADDR_LEN, and empty when unreadable") {
  const Variant v = GENERATE(from_range(variants_of("net_device dev_addr")));
  INFO(describe(v));
  const bool pointer = v.name == "pointer";
  Host host(v.variants);
  host.k.write_u8(host.eth0 + host.k.member_offset("net_device", "addr_len"), 255);
  const std::uint64_t veth =
      host.k.add_net_device(host.net, {.name = "veth0", .ifindex = 3, .mac = "02:42:ac:11:00:02"});
  if (pointer) host.k.set(veth, "net_device", "dev_addr", kUnmappedAddress);
  auto loaded = host.k.load();

  const NetWalkResult result = walk_network(*loaded->kernel);
  REQUIRE(names_of(result.interfaces) == std::vector<std::string>{"lo", "eth0", "veth0"});
  REQUIRE(result.interfaces[1].mac);
  CHECK(result.interfaces[1].mac->size() == 32 * 3 - 1);  // 32 bytes as "xx:", but the last colon
  CHECK(result.interfaces[1].mac->starts_with("52:54:00:12:34:56"));
  if (pointer) {
    CHECK_FALSE(result.interfaces[2].mac.has_value());  // the address is unreadable: unknown, never ""
  } else {
    CHECK(result.interfaces[2].mac == "02:42:ac:11:00:02");
  }
}

TEST_CASE("a mount list that loops lists each mount once, in struct mount and in vfsmount") {
  const Variant v = GENERATE(from_range(variants_of("mount struct")));
  INFO(describe(v));
  Host host(v.variants);
  const std::uint32_t link = host.k.member_offset(host.k.mount_type(), "mnt_list");
  host.k.write_u64(host.run + link, host.proc + link);  // /, /proc, /sys, /tmp, /run, /proc ...
  auto loaded = host.k.load();

  const MountWalkResult result = walk_mounts(*loaded->kernel, walk_tasks(*loaded->kernel).tasks);
  CHECK(mount_ids(result.mounts) == std::vector<std::int32_t>{21, 22, 23, 24, 25});
  CHECK(mount_with_id(result.mounts, 24).path == "/tmp");
  CHECK_THAT(issues_text(result.issues), Catch::Contains("mnt_namespace") && Catch::Contains("loops"));
}
