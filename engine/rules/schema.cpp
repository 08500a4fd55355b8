#include "engine/rules/schema.hpp"

#include <algorithm>
#include <array>
#include <optional>

#include <fmt/format.h>

#include "engine/containers/record_drift.hpp"
#include "engine/containers/socket_creators.hpp"
#include "engine/core/time_format.hpp"
#include "engine/rules/capabilities.hpp"
#include "engine/rules/detail/eval_env.hpp"

namespace drydock::rules {

namespace {

using detail::EvalEnv;
using detail::Segment;
using K = ObjectKind;
using T = ValueType;

const Task& task_of(const Obj& o) { return *static_cast<const Task*>(o.ptr); }
const Container& container_of(const Obj& o) { return *static_cast<const Container*>(o.ptr); }
const Mount& mount_of(const Obj& o) { return *static_cast<const Mount*>(o.ptr); }
const NetInterface& interface_of(const Obj& o) { return *static_cast<const NetInterface*>(o.ptr); }
const Segment& segment_of(const Obj& o) { return *static_cast<const Segment*>(o.ptr); }
const ContainerMount& cmount_of(const Obj& o) { return *static_cast<const ContainerMount*>(o.ptr); }
const ContainerNetwork& cnet_of(const Obj& o) { return *static_cast<const ContainerNetwork*>(o.ptr); }
const Socket& socket_of(const Obj& o) { return *static_cast<const Socket*>(o.ptr); }
const FileChange& change_of(const Obj& o) { return *static_cast<const FileChange*>(o.ptr); }
const DumpModel& host_of(const Obj& o) { return *static_cast<const DumpModel*>(o.ptr); }

Value u64(std::uint64_t v) { return Value::integer(static_cast<std::int64_t>(v)); }
// Values drydock may not know are null when unknown: comparisons with them
// do not match, and defined() is false.
Value u64(const std::optional<std::uint64_t>& v) { return v ? u64(*v) : Value::null(); }
template <typename T>
Value opt_integer(const std::optional<T>& v) {
  return v ? Value::integer(static_cast<std::int64_t>(*v)) : Value::null();
}
Value opt_bool(const std::optional<bool>& v) { return v ? Value::boolean(*v) : Value::null(); }
Value opt_string(const std::optional<std::string>& v) { return v ? Value::view(*v) : Value::null(); }
Value opt_int(const std::optional<std::int64_t>& v) { return v ? Value::integer(*v) : Value::null(); }
// A field of the container's pod membership; null outside a pod.
Value pod_field(const Obj& o, std::optional<std::string> PodMembership::*field) {
  const auto& k = container_of(o).kubernetes;
  return k ? opt_string((*k).*field) : Value::null();
}
// "/etc/passwd: file, 150 bytes, sha256 75e4...": what an analyst needs to see in a finding.
std::string change_summary(const FileChange& c) {
  std::string out = c.path + ": " + c.kind;
  if (c.size && c.kind == "file") out += ", " + std::to_string(*c.size) + " bytes";
  if (c.kind != "file") return out;
  if (!c.bytes_in_memory) return out + ", content unreadable";
  out += c.sha256 ? ", sha256 " + *c.sha256 : ", " + std::to_string(*c.bytes_in_memory) + " bytes in memory";
  if (!c.first_line) return out;
  // Binary content (control bytes in its first line) shows only its first four bytes.
  const bool binary = std::any_of(c.first_line->begin(), c.first_line->end(), [](char ch) {
    return static_cast<unsigned char>(ch) < 0x20 && ch != '\t' && ch != '\r';
  });
  return out + (binary ? ", binary, starts \"" + c.first_line->substr(0, 4) + "\""
                       : ", first line \"" + c.first_line->substr(0, 80) + "\"");
}

Value cap_names(std::uint64_t mask) { return Value::list_owned(capability_names_of(mask)); }
Value cap_names(const std::optional<std::uint64_t>& mask) { return mask ? cap_names(*mask) : Value::null(); }
Value task_cap(const Task& t, std::uint64_t CapabilitySets::*set) { return t.caps ? u64((*t.caps).*set) : Value::null(); }
Value task_cap_names(const Task& t, std::uint64_t CapabilitySets::*set) {
  return t.caps ? cap_names((*t.caps).*set) : Value::null();
}
Value addresses(const std::vector<IpAddress>& list) {
  std::vector<std::string> out;
  out.reserve(list.size());
  for (const auto& a : list) out.push_back(a.address + "/" + std::to_string(a.prefix));
  return Value::ip_list_owned(std::move(out));
}
// An address field of the model: unknown when absent or not an address.
Value opt_ip(const std::optional<std::string>& v) { return v ? Value::ip_of(*v) : Value::null();
}

// The table. Order within a kind is the order of the reference documentation.
const FieldDef kFields[] = {
    // ---- host
    {K::host, "kernel_release", T::string, K::none, false, false, "Kernel release (`uname -r`)",
     [](const EvalEnv&, const Obj& o) { return Value::view(host_of(o).info.kernel_release); }},
    {K::host, "banner", T::string, K::none, false, false, "The kernel's `linux_banner`",
     [](const EvalEnv&, const Obj& o) { return Value::view(host_of(o).info.banner); }},
    {K::host, "engines", T::string_list, K::none, false, false,
     "Container engines seen on the host: \"docker\", \"podman\", \"containerd\"",
     [](const EvalEnv&, const Obj& o) { return Value::list_view(host_of(o).engine.engines); }},
    {K::host, "engine_bridge", T::boolean, K::none, false, false,
     "A `docker0`, `br-*` or `cni-podman*` bridge with veth ports exists",
     [](const EvalEnv&, const Obj& o) { return Value::boolean(host_of(o).engine.bridge); }},
    {K::host, "engine_overlay_mounts", T::boolean, K::none, false, false,
     "Overlay filesystems under `/var/lib/docker` or `/var/lib/containers` exist",
     [](const EvalEnv&, const Obj& o) { return Value::boolean(host_of(o).engine.overlay_mounts); }},
    {K::host, "engine_processes", T::boolean, K::none, false, false,
     "Container runtime processes run (dockerd, containerd, shims, runc, conmon, crun)",
     [](const EvalEnv&, const Obj& o) { return Value::boolean(host_of(o).engine.runtime_processes); }},
    {K::host, "engine_evidence", T::string_list, K::none, false, false,
     "Why the engines were recognised, one line each",
     [](const EvalEnv&, const Obj& o) { return Value::list_view(host_of(o).engine.evidence); }},
    {K::host, "ns_net", T::integer, K::none, true, false, "PID 1's network namespace inode",
     [](const EvalEnv&, const Obj& o) { return u64(host_of(o).host_ns.net); }},
    {K::host, "ns_pid", T::integer, K::none, true, false, "PID 1's PID namespace inode",
     [](const EvalEnv&, const Obj& o) { return u64(host_of(o).host_ns.pid); }},
    {K::host, "ns_mnt", T::integer, K::none, true, false, "PID 1's mount namespace inode",
     [](const EvalEnv&, const Obj& o) { return u64(host_of(o).host_ns.mnt); }},
    {K::host, "issue_count", T::integer, K::none, false, false, "Parts of the dump that could not be read",
     [](const EvalEnv&, const Obj& o) { return Value::integer(static_cast<std::int64_t>(host_of(o).issues.size())); }},
    {K::host, "containers", T::object_list, K::container, false, false, "Every container",
     [](const EvalEnv& env, const Obj&) { return Value::list_of(env.containers); }},
    {K::host, "tasks", T::object_list, K::task, false, false, "Every task",
     [](const EvalEnv& env, const Obj&) { return Value::list_of(env.tasks); }},
    {K::host, "mounts", T::object_list, K::mount, false, false, "Every mount of every mount namespace",
     [](const EvalEnv& env, const Obj&) { return Value::list_of(env.mounts); }},
    {K::host, "interfaces", T::object_list, K::interface, false, false, "Every network interface of every namespace",
     [](const EvalEnv& env, const Obj&) { return Value::list_of(env.interfaces); }},
    {K::host, "networks", T::object_list, K::network, false, false, "Every network segment with containers on it",
     [](const EvalEnv& env, const Obj&) { return Value::list_of(env.networks); }},
    {K::host, "sockets", T::object_list, K::socket, false, false, "Every socket open in a task's file table",
     [](const EvalEnv& env, const Obj&) { return Value::list_of(env.sockets); }},

    // ---- container
    {K::container, "id", T::string, K::none, false, false, "Container id (64 hex digits)",
     [](const EvalEnv&, const Obj& o) { return Value::view(container_of(o).id); }},
    {K::container, "short_id", T::string, K::none, false, false, "First 12 digits of the id",
     [](const EvalEnv&, const Obj& o) {
       std::string_view id = container_of(o).id;
       return Value::view(id.substr(0, std::min<std::size_t>(12, id.size())));
     }},
    {K::container, "name", T::string, K::none, true, false, "Container name, absent when memory does not hold it",
     [](const EvalEnv&, const Obj& o) { return opt_string(container_of(o).name); }},
    {K::container, "image", T::string, K::none, true, false,
     "Image as the engine's record names it, absent when no record in memory does",
     [](const EvalEnv&, const Obj& o) {
       const auto& r = container_of(o).record;
       return r ? opt_string(r->image) : Value::null();
     }},
    {K::container, "declared_privileged", T::boolean, K::none, true, false,
     "Privileged as the engine's record declares it (Docker's hostconfig.json)",
     [](const EvalEnv&, const Obj& o) {
       const auto& r = container_of(o).record;
       return r ? opt_bool(r->privileged) : Value::null();
     }},
    {K::container, "declared_read_only_rootfs", T::boolean, K::none, true, false,
     "Read-only root filesystem as the engine's record declares it",
     [](const EvalEnv&, const Obj& o) {
       const auto& r = container_of(o).record;
       return r ? opt_bool(r->read_only_rootfs) : Value::null();
     }},
    {K::container, "record_created", T::integer, K::none, true, false,
     "Creation time as the engine's record gives it (Docker's config.v2.json, runc's state.json), Unix time in "
     "nanoseconds",
     [](const EvalEnv&, const Obj& o) {
       const auto& r = container_of(o).record;
       return r && r->created ? opt_int(parse_rfc3339(*r->created)) : Value::null();
     }},
    {K::container, "declared_caps_bounding", T::integer, K::none, true, true,
     "Capability bounding set the engine's record declares (bit mask): every capability when declared privileged, "
     "else the OCI spec's bounding set, else Docker's default set less CapDrop plus CapAdd; absent when unknown",
     [](const EvalEnv&, const Obj& o) { return u64(declared_capability_set(container_of(o))); }},
    {K::container, "caps_beyond_record", T::string_list, K::none, true, false,
     "Capabilities init holds (effective or bounding) that `declared_caps_bounding` lacks, by name; absent when "
     "either side is unknown",
     [](const EvalEnv&, const Obj& o) { return cap_names(capabilities_beyond_record(container_of(o))); }},
    {K::container, "undeclared_mounts", T::string_list, K::none, true, false,
     "Its non-default mounts that the engine's record does not declare, as \"source on destination (rw)\"; absent "
     "when the record's mounts are unknown",
     [](const EvalEnv&, const Obj& o) {
       auto list = undeclared_mounts(container_of(o));
       return list ? Value::list_owned(std::move(*list)) : Value::null();
     }},
    {K::container, "possible_creators", T::string_list, K::none, true, false,
     "Containers that may have created it through an engine API socket mounted into them, one sentence each "
     "(creation time and record file, the creator, its socket mount, the client written into its upper layer and "
     "when); absent when its recorded creation time is unknown",
     [](const EvalEnv&, const Obj& o) {
       const auto& found = container_of(o).possible_creators;
       if (!found) return Value::null();
       std::vector<std::string> out;
       for (const CreatorCandidate& c : *found) out.push_back(describe(c));
       return Value::list_owned(std::move(out));
     }},
    {K::container, "record_sources", T::string_list, K::none, false, false,
     "The engine's record files read from memory (empty when none was found)",
     [](const EvalEnv&, const Obj& o) {
       const auto& r = container_of(o).record;
       return r ? Value::list_view(r->sources) : Value::list_view({});
     }},
    {K::container, "pod", T::string, K::none, true, false,
     "Kubernetes pod name (CRI annotations), absent when no record in memory names it",
     [](const EvalEnv&, const Obj& o) { return pod_field(o, &PodMembership::pod); }},
    {K::container, "pod_namespace", T::string, K::none, true, false,
     "Kubernetes namespace of its pod (CRI annotations), absent when no record in memory names it",
     [](const EvalEnv&, const Obj& o) { return pod_field(o, &PodMembership::namespace_); }},
    {K::container, "pod_uid", T::string, K::none, true, false,
     "Kubernetes pod uid, from the CRI annotations or the kubelet cgroup path",
     [](const EvalEnv&, const Obj& o) { return pod_field(o, &PodMembership::pod_uid); }},
    {K::container, "sandbox", T::boolean, K::none, true, false,
     "Is its pod's pause (sandbox) container; absent outside pods and when nothing in memory says",
     [](const EvalEnv&, const Obj& o) {
       return container_of(o).kubernetes ? opt_bool(container_of(o).kubernetes->sandbox) : Value::null();
     }},
    {K::container, "label", T::string, K::none, false, false, "The name, or the short id when the name is unknown",
     [](const EvalEnv& env, const Obj& o) { return Value::view(env.container_labels[o.index]); }},
    {K::container, "runtime", T::string, K::none, false, false, "\"docker\", \"podman\", \"containerd\" or \"unknown\"",
     [](const EvalEnv&, const Obj& o) { return Value::view(container_of(o).runtime); }},
    {K::container, "hostname", T::string, K::none, true, false, "UTS hostname",
     [](const EvalEnv&, const Obj& o) { return opt_string(container_of(o).hostname); }},
    {K::container, "init_pid", T::integer, K::none, false, false, "Host PID of the container's init process",
     [](const EvalEnv&, const Obj& o) { return Value::integer(container_of(o).init_pid); }},
    {K::container, "pids", T::integer_list, K::none, false, false, "Host PIDs of its processes",
     [](const EvalEnv&, const Obj& o) {
       const auto& pids = container_of(o).pids;
       return Value::int_list(std::vector<std::int64_t>(pids.begin(), pids.end()));
     }},
    {K::container, "command", T::string, K::none, false, false, "Command line of the init process",
     [](const EvalEnv&, const Obj& o) { return Value::view(container_of(o).command); }},
    {K::container, "created", T::integer, K::none, true, false, "Start of the init task, Unix time in nanoseconds",
     [](const EvalEnv&, const Obj& o) { return opt_int(container_of(o).created_unix_ns); }},
    {K::container, "euid", T::integer, K::none, true, false, "Effective uid of the init process",
     [](const EvalEnv&, const Obj& o) { return opt_integer(container_of(o).euid); }},
    {K::container, "privileged", T::boolean, K::none, true, false, "Runs privileged (`--privileged` or equivalent)",
     [](const EvalEnv&, const Obj& o) { return opt_bool(container_of(o).privileged); }},
    {K::container, "caps_effective", T::integer, K::none, true, true, "Effective capability set of init (bit mask)",
     [](const EvalEnv&, const Obj& o) { return u64(container_of(o).caps_effective); }},
    {K::container, "caps_bounding", T::integer, K::none, true, true, "Bounding capability set of init (bit mask)",
     [](const EvalEnv&, const Obj& o) { return u64(container_of(o).caps_bounding); }},
    {K::container, "caps_effective_names", T::string_list, K::none, false, false,
     "Effective capabilities by name (\"CAP_SYS_ADMIN\", ...)",
     [](const EvalEnv&, const Obj& o) { return cap_names(container_of(o).caps_effective); }},
    {K::container, "caps_bounding_names", T::string_list, K::none, true, false, "Bounding capabilities by name",
     [](const EvalEnv&, const Obj& o) { return cap_names(container_of(o).caps_bounding); }},
    {K::container, "seccomp_mode", T::integer, K::none, true, false, "0 disabled, 1 strict, 2 filter",
     [](const EvalEnv&, const Obj& o) { return opt_integer(container_of(o).seccomp_mode); }},
    {K::container, "no_new_privs", T::boolean, K::none, true, false, "The no_new_privs flag of init",
     [](const EvalEnv&, const Obj& o) { return opt_bool(container_of(o).no_new_privs); }},
    {K::container, "read_only_rootfs", T::boolean, K::none, true, false, "The root filesystem is mounted read-only",
     [](const EvalEnv&, const Obj& o) { return opt_bool(container_of(o).read_only_rootfs); }},
    {K::container, "host_namespaces", T::string_list, K::none, false, false,
     "Namespaces shared with PID 1: \"net\", \"pid\", \"ipc\", \"uts\", \"user\", \"cgroup\"",
     [](const EvalEnv&, const Obj& o) { return Value::list_view(container_of(o).host_namespaces); }},
    {K::container, "ns_net", T::integer, K::none, true, false, "Network namespace inode",
     [](const EvalEnv&, const Obj& o) { return u64(container_of(o).ns.net); }},
    {K::container, "ns_pid", T::integer, K::none, true, false, "PID namespace inode",
     [](const EvalEnv&, const Obj& o) { return u64(container_of(o).ns.pid); }},
    {K::container, "ns_mnt", T::integer, K::none, true, false, "Mount namespace inode",
     [](const EvalEnv&, const Obj& o) { return u64(container_of(o).ns.mnt); }},
    {K::container, "ns_user", T::integer, K::none, true, false, "User namespace inode",
     [](const EvalEnv&, const Obj& o) { return u64(container_of(o).ns.user); }},
    {K::container, "devices", T::string_list, K::none, true, false,
     "Host device nodes visible in /dev beyond the defaults (not read from dumps yet: always unknown)",
     [](const EvalEnv&, const Obj&) { return Value::null(); }},
    {K::container, "overlay_upperdir", T::string, K::none, true, false, "Overlay upper directory on the host",
     [](const EvalEnv&, const Obj& o) {
       const auto& ov = container_of(o).overlay;
       return ov ? Value::view(ov->upperdir) : Value::null();
     }},
    {K::container, "overlay_lowerdirs", T::string_list, K::none, false, false, "Overlay lower directories",
     [](const EvalEnv&, const Obj& o) {
       const auto& ov = container_of(o).overlay;
       return ov ? Value::list_view(ov->lowerdirs) : Value::list_view({});
     }},
    {K::container, "overlay_merged", T::string, K::none, true, false, "Where the host sees the container's root",
     [](const EvalEnv&, const Obj& o) {
       const auto& ov = container_of(o).overlay;
       return ov ? Value::view(ov->merged) : Value::null();
     }},
    {K::container, "tasks", T::object_list, K::task, false, false, "Its tasks",
     [](const EvalEnv& env, const Obj& o) { return Value::list_of(env.links[o.index].tasks); }},
    {K::container, "init_task", T::object, K::task, true, false, "Its init task, absent when not found",
     [](const EvalEnv& env, const Obj& o) {
       const auto t = env.links[o.index].init_task;
       return t < 0 ? Value::null() : Value::of(env.tasks[static_cast<std::size_t>(t)]);
     }},
    {K::container, "mounts", T::object_list, K::container_mount, false, false,
     "Its non-default mounts (volumes, bind mounts)",
     [](const EvalEnv& env, const Obj& o) { return Value::list_of(env.links[o.index].mounts); }},
    {K::container, "changes", T::object_list, K::container_change, true, false,
     "Entries of its overlay upper directory (what it created, modified, deleted); absent when unknown",
     [](const EvalEnv& env, const Obj& o) {
       return container_of(o).changes ? Value::list_of(env.links[o.index].changes) : Value::null();
     }},
    {K::container, "kernel_mounts", T::object_list, K::mount, false, false, "Every mount of its mount namespace",
     [](const EvalEnv& env, const Obj& o) { return Value::list_of(env.links[o.index].kernel_mounts); }},
    {K::container, "networks", T::object_list, K::container_network, false, false, "Its network attachments",
     [](const EvalEnv& env, const Obj& o) { return Value::list_of(env.links[o.index].networks); }},
    {K::container, "interfaces", T::object_list, K::interface, false, false,
     "Interfaces of its network namespace",
     [](const EvalEnv& env, const Obj& o) { return Value::list_of(env.links[o.index].interfaces); }},
    {K::container, "segments", T::object_list, K::network, false, false, "Network segments it is a member of",
     [](const EvalEnv& env, const Obj& o) { return Value::list_of(env.links[o.index].segments); }},
    {K::container, "sockets", T::object_list, K::socket, false, false, "Sockets open in its tasks",
     [](const EvalEnv& env, const Obj& o) { return Value::list_of(env.links[o.index].sockets); }},

    // ---- task
    {K::task, "pid", T::integer, K::none, false, false, "PID (host PID namespace)",
     [](const EvalEnv&, const Obj& o) { return Value::integer(task_of(o).pid); }},
    {K::task, "tgid", T::integer, K::none, false, false, "Thread group id",
     [](const EvalEnv&, const Obj& o) { return Value::integer(task_of(o).tgid); }},
    {K::task, "ppid", T::integer, K::none, true, false, "Parent's tgid",
     [](const EvalEnv&, const Obj& o) { return opt_integer(task_of(o).ppid); }},
    {K::task, "comm", T::string, K::none, false, false, "Command name (task_struct.comm)",
     [](const EvalEnv&, const Obj& o) { return Value::view(task_of(o).comm); }},
    {K::task, "state", T::string, K::none, true, false,
     "\"running\", \"sleeping\", \"stopped\", \"zombie\" or \"dead\"",
     [](const EvalEnv&, const Obj& o) { return opt_string(task_of(o).state); }},
    {K::task, "cmdline", T::string, K::none, true, false, "Arguments joined by spaces, absent when not resident",
     [](const EvalEnv&, const Obj& o) { return opt_string(task_of(o).cmdline); }},
    {K::task, "exe", T::string, K::none, true, false,
     "Path of its executable (mm->exe_file), absent for kernel threads or when unreadable",
     [](const EvalEnv&, const Obj& o) { return opt_string(task_of(o).exe); }},
    {K::task, "exe_layer", T::string, K::none, true, false,
     "\"upper\" when its executable lies in the container's overlay upper layer, \"lower\" in an image layer; "
     "absent off overlay",
     [](const EvalEnv&, const Obj& o) { return opt_string(task_of(o).exe_layer); }},
    {K::task, "kernel_thread", T::boolean, K::none, true, false, "A kernel thread; absent when its flags are unreadable",
     [](const EvalEnv&, const Obj& o) { return opt_bool(task_of(o).kernel_thread); }},
    {K::task, "is_thread", T::boolean, K::none, false, false, "Not a thread group leader (pid != tgid)",
     [](const EvalEnv&, const Obj& o) { return Value::boolean(task_of(o).is_thread); }},
    {K::task, "uid", T::integer, K::none, true, false, "Real uid",
     [](const EvalEnv&, const Obj& o) { return opt_integer(task_of(o).uid); }},
    {K::task, "gid", T::integer, K::none, true, false, "Real gid",
     [](const EvalEnv&, const Obj& o) { return opt_integer(task_of(o).gid); }},
    {K::task, "euid", T::integer, K::none, true, false, "Effective uid",
     [](const EvalEnv&, const Obj& o) { return opt_integer(task_of(o).euid); }},
    {K::task, "egid", T::integer, K::none, true, false, "Effective gid",
     [](const EvalEnv&, const Obj& o) { return opt_integer(task_of(o).egid); }},
    {K::task, "suid", T::integer, K::none, true, false, "Saved uid",
     [](const EvalEnv&, const Obj& o) { return opt_integer(task_of(o).suid); }},
    {K::task, "fsuid", T::integer, K::none, true, false, "Filesystem uid",
     [](const EvalEnv&, const Obj& o) { return opt_integer(task_of(o).fsuid); }},
    {K::task, "caps_effective", T::integer, K::none, true, true, "Effective capabilities (bit mask)",
     [](const EvalEnv&, const Obj& o) { return task_cap(task_of(o), &CapabilitySets::effective); }},
    {K::task, "caps_permitted", T::integer, K::none, true, true, "Permitted capabilities (bit mask)",
     [](const EvalEnv&, const Obj& o) { return task_cap(task_of(o), &CapabilitySets::permitted); }},
    {K::task, "caps_inheritable", T::integer, K::none, true, true, "Inheritable capabilities (bit mask)",
     [](const EvalEnv&, const Obj& o) { return task_cap(task_of(o), &CapabilitySets::inheritable); }},
    {K::task, "caps_bounding", T::integer, K::none, true, true, "Bounding set (bit mask)",
     [](const EvalEnv&, const Obj& o) { return task_cap(task_of(o), &CapabilitySets::bounding); }},
    {K::task, "caps_ambient", T::integer, K::none, true, true, "Ambient capabilities (bit mask)",
     [](const EvalEnv&, const Obj& o) { return task_cap(task_of(o), &CapabilitySets::ambient); }},
    {K::task, "caps_effective_names", T::string_list, K::none, true, false, "Effective capabilities by name",
     [](const EvalEnv&, const Obj& o) { return task_cap_names(task_of(o), &CapabilitySets::effective); }},
    {K::task, "seccomp_mode", T::integer, K::none, true, false, "0 disabled, 1 strict, 2 filter",
     [](const EvalEnv&, const Obj& o) { return opt_integer(task_of(o).seccomp_mode); }},
    {K::task, "no_new_privs", T::boolean, K::none, true, false, "The no_new_privs flag",
     [](const EvalEnv&, const Obj& o) { return opt_bool(task_of(o).no_new_privs); }},
    {K::task, "ns_pid_number", T::integer, K::none, true, false, "PID inside its own PID namespace",
     [](const EvalEnv&, const Obj& o) { return opt_integer(task_of(o).ns_pid); }},
    {K::task, "ns_net", T::integer, K::none, true, false, "Network namespace inode",
     [](const EvalEnv&, const Obj& o) { return u64(task_of(o).ns.net); }},
    {K::task, "ns_pid", T::integer, K::none, true, false, "PID namespace inode",
     [](const EvalEnv&, const Obj& o) { return u64(task_of(o).ns.pid); }},
    {K::task, "ns_mnt", T::integer, K::none, true, false, "Mount namespace inode",
     [](const EvalEnv&, const Obj& o) { return u64(task_of(o).ns.mnt); }},
    {K::task, "ns_user", T::integer, K::none, true, false, "User namespace inode",
     [](const EvalEnv&, const Obj& o) { return u64(task_of(o).ns.user); }},
    {K::task, "ns_uts", T::integer, K::none, true, false, "UTS namespace inode",
     [](const EvalEnv&, const Obj& o) { return u64(task_of(o).ns.uts); }},
    {K::task, "ns_ipc", T::integer, K::none, true, false, "IPC namespace inode",
     [](const EvalEnv&, const Obj& o) { return u64(task_of(o).ns.ipc); }},
    {K::task, "ns_cgroup", T::integer, K::none, true, false, "Cgroup namespace inode",
     [](const EvalEnv&, const Obj& o) { return u64(task_of(o).ns.cgroup); }},
    {K::task, "start_boottime_ns", T::integer, K::none, true, false, "Start time since boot, nanoseconds",
     [](const EvalEnv&, const Obj& o) { return u64(task_of(o).start_boottime_ns); }},
    {K::task, "cgroups", T::string_list, K::none, false, false, "Cgroup paths",
     [](const EvalEnv&, const Obj& o) { return Value::list_view(task_of(o).cgroups); }},
    {K::task, "container_id", T::string, K::none, true, false, "Id of its container, absent outside containers",
     [](const EvalEnv&, const Obj& o) { return opt_string(task_of(o).container_id); }},
    {K::task, "container", T::object, K::container, true, false, "Its container, absent outside containers",
     [](const EvalEnv& env, const Obj& o) { return env.container_value(env.task_container[o.index]); }},
    {K::task, "sockets", T::object_list, K::socket, false, false, "Sockets open in its file table",
     [](const EvalEnv& env, const Obj& o) { return Value::list_of(env.task_sockets[o.index]); }},

    // ---- mount
    {K::mount, "mnt_ns", T::integer, K::none, true, false, "Inode of its mount namespace",
     [](const EvalEnv&, const Obj& o) { return u64(mount_of(o).mnt_ns); }},
    {K::mount, "mount_id", T::integer, K::none, false, false, "Mount id",
     [](const EvalEnv&, const Obj& o) { return Value::integer(mount_of(o).mount_id); }},
    {K::mount, "parent_id", T::integer, K::none, true, false, "Parent mount id",
     [](const EvalEnv&, const Obj& o) { return opt_integer(mount_of(o).parent_id); }},
    {K::mount, "devname", T::string, K::none, false, false, "Device name (\"/dev/vda\", \"overlay\", ...)",
     [](const EvalEnv&, const Obj& o) { return Value::view(mount_of(o).devname); }},
    {K::mount, "fstype", T::string, K::none, false, false, "Filesystem type",
     [](const EvalEnv&, const Obj& o) { return Value::view(mount_of(o).fstype); }},
    {K::mount, "path", T::string, K::none, false, false, "Mount point inside its namespace",
     [](const EvalEnv&, const Obj& o) { return Value::view(mount_of(o).path); }},
    {K::mount, "root", T::string, K::none, false, false, "Path inside the mounted filesystem (mountinfo field 4)",
     [](const EvalEnv&, const Obj& o) { return Value::view(mount_of(o).root); }},
    {K::mount, "absolute_path", T::string, K::none, true, false, "Mount point as seen from the initial namespace",
     [](const EvalEnv&, const Obj& o) { return opt_string(mount_of(o).absolute_path); }},
    {K::mount, "read_only", T::boolean, K::none, true, false, "MNT_READONLY is set",
     [](const EvalEnv&, const Obj& o) { return opt_bool(mount_of(o).read_only); }},
    {K::mount, "flags", T::string_list, K::none, true, false, "Per-mount flags (\"nosuid\", \"nodev\", ...)",
     [](const EvalEnv&, const Obj& o) {
       const auto& flags = mount_of(o).flags;
       return flags ? Value::list_view(*flags) : Value::null();
     }},
    {K::mount, "options", T::string_list, K::none, false, false, "Superblock options as \"key=value\"",
     [](const EvalEnv&, const Obj& o) {
       std::vector<std::string> out;
       for (const auto& [key, value] : mount_of(o).options) out.push_back(value.empty() ? key : key + "=" + value);
       return Value::list_owned(std::move(out));
     }},
    {K::mount, "container", T::object, K::container, true, false,
     "The container whose mount namespace this is, absent otherwise",
     [](const EvalEnv& env, const Obj& o) { return env.container_value(env.mount_container[o.index]); }},

    // ---- interface
    {K::interface, "net_ns", T::integer, K::none, true, false, "Inode of its network namespace",
     [](const EvalEnv&, const Obj& o) { return u64(interface_of(o).net_ns); }},
    {K::interface, "name", T::string, K::none, false, false, "Interface name",
     [](const EvalEnv&, const Obj& o) { return Value::view(interface_of(o).name); }},
    {K::interface, "ifindex", T::integer, K::none, true, false, "Interface index",
     [](const EvalEnv&, const Obj& o) { return opt_integer(interface_of(o).ifindex); }},
    {K::interface, "mac", T::string, K::none, true, false, "MAC address, empty when none; absent when unreadable",
     [](const EvalEnv&, const Obj& o) { return opt_string(interface_of(o).mac); }},
    {K::interface, "up", T::boolean, K::none, true, false, "Administratively up",
     [](const EvalEnv&, const Obj& o) { return opt_bool(interface_of(o).up); }},
    {K::interface, "kind", T::string, K::none, true, false,
     "\"bridge\", \"veth\", \"loopback\", \"ether\", ...; absent when unreadable",
     [](const EvalEnv&, const Obj& o) { return opt_string(interface_of(o).kind); }},
    {K::interface, "master", T::string, K::none, true, false, "Bridge it is a port of",
     [](const EvalEnv&, const Obj& o) { return opt_string(interface_of(o).master); }},
    {K::interface, "ipv4", T::ip_list, K::none, false, false, "IPv4 addresses with their prefix, \"a.b.c.d/len\"",
     [](const EvalEnv&, const Obj& o) { return addresses(interface_of(o).ipv4); }},
    {K::interface, "ipv6", T::ip_list, K::none, false, false, "IPv6 addresses with their prefix, \"addr/len\"",
     [](const EvalEnv&, const Obj& o) { return addresses(interface_of(o).ipv6); }},
    {K::interface, "container", T::object, K::container, true, false,
     "The container owning its namespace (not host-network ones), absent otherwise",
     [](const EvalEnv& env, const Obj& o) { return env.container_value(env.interface_container[o.index]); }},

    // ---- network
    {K::network, "segment", T::ip, K::none, true, false, "The IPv4 segment, \"172.17.0.0/16\"",
     [](const EvalEnv&, const Obj& o) { return Value::ip_of(segment_of(o).name); }},
    {K::network, "members", T::string_list, K::none, false, false, "Names of the member containers (short id if unnamed)",
     [](const EvalEnv&, const Obj& o) { return Value::list_view(segment_of(o).member_names); }},
    {K::network, "member_ids", T::string_list, K::none, false, false, "Ids of the member containers",
     [](const EvalEnv&, const Obj& o) { return Value::list_view(segment_of(o).member_ids); }},
    {K::network, "member_count", T::integer, K::none, false, false, "Number of member containers",
     [](const EvalEnv&, const Obj& o) {
       return Value::integer(static_cast<std::int64_t>(segment_of(o).member_ids.size()));
     }},
    {K::network, "bridge", T::string, K::none, false, false,
     "Host interface with an address in the segment (the bridge), \"\" if unknown",
     [](const EvalEnv&, const Obj& o) { return Value::view(segment_of(o).bridge); }},
    {K::network, "containers", T::object_list, K::container, false, false, "The member containers",
     [](const EvalEnv&, const Obj& o) { return Value::list_of(segment_of(o).containers); }},

    // ---- container_mount
    {K::container_mount, "source", T::string, K::none, false, false, "Host-side path or device",
     [](const EvalEnv&, const Obj& o) { return Value::view(cmount_of(o).source); }},
    {K::container_mount, "destination", T::string, K::none, false, false, "Path inside the container",
     [](const EvalEnv&, const Obj& o) { return Value::view(cmount_of(o).destination); }},
    {K::container_mount, "fstype", T::string, K::none, false, false, "Filesystem type",
     [](const EvalEnv&, const Obj& o) { return Value::view(cmount_of(o).fstype); }},
    {K::container_mount, "read_only", T::boolean, K::none, true, false, "Mounted read-only",
     [](const EvalEnv&, const Obj& o) { return opt_bool(cmount_of(o).read_only); }},
    {K::container_mount, "declared", T::boolean, K::none, true, false,
     "The engine's record declares it (its destination or a parent of it, or its source); absent when the record's "
     "mounts are unknown",
     [](const EvalEnv& env, const Obj& o) {
       return opt_bool(mount_declared(env.model.containers[o.index], cmount_of(o)));
     }},

    // ---- container_change
    {K::container_change, "path", T::string, K::none, false, false, "Path inside the container (\"/etc/passwd\")",
     [](const EvalEnv&, const Obj& o) { return Value::view(change_of(o).path); }},
    {K::container_change, "kind", T::string, K::none, false, false,
     "\"file\", \"directory\", \"symlink\", \"whiteout\", \"char_device\", \"block_device\", \"fifo\", \"socket\"",
     [](const EvalEnv&, const Obj& o) { return Value::view(change_of(o).kind); }},
    {K::container_change, "change", T::string, K::none, false, false,
     "\"deleted\" (a whiteout), \"added_or_modified\", or \"unknown\" (a character device of unknown number)",
     [](const EvalEnv&, const Obj& o) { return Value::view(change_of(o).change); }},
    {K::container_change, "deleted", T::boolean, K::none, false, false, "A whiteout: deleted from a lower layer",
     [](const EvalEnv&, const Obj& o) { return Value::boolean(change_of(o).change == "deleted"); }},
    {K::container_change, "opaque", T::boolean, K::none, true, false,
     "An opaque directory (hides the lower layers' one); absent when unknown (its merged dentry not cached, or no overlay module types)",
     [](const EvalEnv&, const Obj& o) { return opt_bool(change_of(o).opaque); }},
    {K::container_change, "mode", T::integer, K::none, false, true, "i_mode: type and permission bits",
     [](const EvalEnv&, const Obj& o) { return Value::integer(change_of(o).mode); }},
    {K::container_change, "executable", T::boolean, K::none, false, false,
     "A regular file with an execute bit (for user, group or others)",
     [](const EvalEnv&, const Obj& o) {
       const FileChange& c = change_of(o);
       return Value::boolean(c.kind == "file" && (c.mode & 0111) != 0);
     }},
    {K::container_change, "uid", T::integer, K::none, true, false, "Owner uid",
     [](const EvalEnv&, const Obj& o) { return opt_integer(change_of(o).uid); }},
    {K::container_change, "gid", T::integer, K::none, true, false, "Owner gid",
     [](const EvalEnv&, const Obj& o) { return opt_integer(change_of(o).gid); }},
    {K::container_change, "size", T::integer, K::none, true, false, "Size in bytes (i_size)",
     [](const EvalEnv&, const Obj& o) { return opt_int(change_of(o).size); }},
    {K::container_change, "mtime", T::integer, K::none, true, false, "Modification time, Unix time in nanoseconds",
     [](const EvalEnv&, const Obj& o) { return opt_int(change_of(o).mtime_unix_ns); }},
    {K::container_change, "ctime", T::integer, K::none, true, false, "Inode change time, Unix time in nanoseconds",
     [](const EvalEnv&, const Obj& o) { return opt_int(change_of(o).ctime_unix_ns); }},
    {K::container_change, "bytes_in_memory", T::integer, K::none, true, false,
     "Regular files: bytes of the content the page cache held; absent when unreadable or not a file",
     [](const EvalEnv&, const Obj& o) { return opt_integer(change_of(o).bytes_in_memory); }},
    {K::container_change, "content_complete", T::boolean, K::none, true, false,
     "Regular files: every byte was in memory",
     [](const EvalEnv&, const Obj& o) { return opt_bool(change_of(o).content_complete); }},
    {K::container_change, "sha256", T::string, K::none, true, false,
     "Regular files: sha256 of the content, present only when every byte was in memory",
     [](const EvalEnv&, const Obj& o) { return opt_string(change_of(o).sha256); }},
    {K::container_change, "first_line", T::string, K::none, true, false,
     "Regular files: the content's first line (at most 256 bytes), present when its first page was in memory",
     [](const EvalEnv&, const Obj& o) { return opt_string(change_of(o).first_line); }},
    {K::container_change, "lines", T::string_list, K::none, true, false,
     "Regular text files wholly in memory, at most 64 KiB: their lines (each cut at 1 KiB); absent otherwise",
     [](const EvalEnv&, const Obj& o) {
       const auto& lines = change_of(o).lines;
       return lines ? Value::list_view(*lines) : Value::null();
     }},
    {K::container_change, "summary", T::string, K::none, false, false,
     "One line for evidence: path, kind, size, and the sha256 or first line when in memory",
     [](const EvalEnv&, const Obj& o) { return Value::owned(change_summary(change_of(o))); }},

    // ---- container_network
    {K::container_network, "interface", T::string, K::none, false, false, "Interface name inside the container",
     [](const EvalEnv&, const Obj& o) { return Value::view(cnet_of(o).interface); }},
    {K::container_network, "ipv4", T::ip, K::none, true, false, "\"172.17.0.2/16\" (the address with its prefix), absent if none",
     [](const EvalEnv&, const Obj& o) { return Value::ip_of(cnet_of(o).ipv4); }},
    {K::container_network, "segment", T::ip, K::none, true, false, "\"172.17.0.0/16\", absent if none",
     [](const EvalEnv&, const Obj& o) { return Value::ip_of(cnet_of(o).segment); }},
    {K::container_network, "ipv6", T::ip_list, K::none, false, false, "IPv6 addresses",
     [](const EvalEnv&, const Obj& o) {
       const auto& v6 = cnet_of(o).ipv6;
       return Value::ip_list_owned(std::vector<std::string>(v6.begin(), v6.end()));
     }},

    // ---- socket
    {K::socket, "pid", T::integer, K::none, false, false, "PID of the task whose file table holds it",
     [](const EvalEnv&, const Obj& o) { return Value::integer(socket_of(o).pid); }},
    {K::socket, "fd", T::integer, K::none, false, false, "File descriptor",
     [](const EvalEnv&, const Obj& o) { return Value::integer(socket_of(o).fd); }},
    {K::socket, "comm", T::string, K::none, false, false, "Command name of its task",
     [](const EvalEnv&, const Obj& o) { return Value::view(socket_of(o).comm); }},
    {K::socket, "net_ns", T::integer, K::none, true, false, "Inode of its network namespace",
     [](const EvalEnv&, const Obj& o) { return u64(socket_of(o).net_ns); }},
    {K::socket, "family", T::string, K::none, false, false, "\"ipv4\", \"ipv6\" or \"unix\"",
     [](const EvalEnv&, const Obj& o) { return Value::view(socket_of(o).family); }},
    {K::socket, "protocol", T::string, K::none, true, false,
     "\"tcp\", \"udp\", \"udplite\", \"raw\", \"icmp\", \"mptcp\", \"sctp\" or \"unix\"",
     [](const EvalEnv&, const Obj& o) { return opt_string(socket_of(o).protocol); }},
    {K::socket, "state", T::string, K::none, true, false, "As ss names it: \"LISTEN\", \"ESTAB\", \"UNCONN\", ...",
     [](const EvalEnv&, const Obj& o) { return opt_string(socket_of(o).state); }},
    {K::socket, "local", T::ip, K::none, true, false, "Local address (inet sockets; a unix socket's name is `path`)",
     [](const EvalEnv&, const Obj& o) { return socket_of(o).family == "unix" ? Value::null() : opt_ip(socket_of(o).local); }},
    {K::socket, "path", T::string, K::none, true, false,
     "Unix sockets: the bound path (\"@name\" when abstract, \"\" when unnamed); absent for inet sockets",
     [](const EvalEnv&, const Obj& o) { return socket_of(o).family == "unix" ? opt_string(socket_of(o).local) : Value::null(); }},
    {K::socket, "local_port", T::integer, K::none, true, false, "Local port (inet sockets)",
     [](const EvalEnv&, const Obj& o) { return opt_integer(socket_of(o).local_port); }},
    {K::socket, "remote", T::ip, K::none, true, false, "Remote address (inet sockets)",
     [](const EvalEnv&, const Obj& o) { return socket_of(o).family == "unix" ? Value::null() : opt_ip(socket_of(o).remote); }},
    {K::socket, "remote_port", T::integer, K::none, true, false, "Remote port (inet sockets)",
     [](const EvalEnv&, const Obj& o) { return opt_integer(socket_of(o).remote_port); }},
};

// ---- the kind table's columns: how each kind is enumerated and named

// The namespace part of a mount's or an interface's id (the one place that
// reads the namespace inodes for ids and titles): its inode, or its kernel
// address when the inode could not be read (never 0).
std::string namespace_text(const std::optional<std::uint64_t>& inode, std::uint64_t address) {
  return inode ? std::to_string(*inode) : fmt::format("{:#x}", address);
}
std::string mnt_ns_text(const Mount& m) { return namespace_text(m.mnt_ns, m.mnt_ns_address); }
std::string net_ns_text(const NetInterface& i) { return namespace_text(i.net_ns, i.net_ns_address); }
std::string mount_id(const Mount& m) { return mnt_ns_text(m) + ":" + std::to_string(m.mount_id); }
// The id of an element of a container's list (mounts, networks, changes): container id, then its own name.
std::string in_container(const EvalEnv& env, const Obj& o, std::string_view own) {
  return env.model.containers[o.index].id + ":" + std::string(own);
}
std::string plain_title(const EvalEnv& env, const Obj& o) {
  const KindDef& kind = kind_def(o.kind);
  const std::string label = kind.label(env, o);
  return std::string(kind.name) + " " + (label.empty() ? kind.id(env, o) : label);
}

const KindDef kKinds[] = {
    {K::host, "host", true, "The dumped machine; a rule on host is evaluated once per dump", "`host`", "module",
     [](const EvalEnv& env) -> const std::vector<Obj>& { return env.hosts; },
     [](const EvalEnv&, const Obj&) { return std::string("host"); },
     [](const EvalEnv& env, const Obj&) {
       return env.model.info.kernel_release.empty() ? std::string("host") : env.model.info.kernel_release;
     },
     nullptr, [](const EvalEnv&, const Obj&) { return std::string("host"); }},
    {K::container, "container", true, "One container", "the container id", "resource",
     [](const EvalEnv& env) -> const std::vector<Obj>& { return env.containers; },
     [](const EvalEnv&, const Obj& o) { return container_of(o).id; },
     [](const EvalEnv& env, const Obj& o) { return env.container_labels[o.index]; }, nullptr,
     [](const EvalEnv& env, const Obj& o) { return container_title(container_of(o).id, env.container_labels[o.index]); }},
    {K::task, "task", true, "One task (process or thread)", "the PID", "object",
     [](const EvalEnv& env) -> const std::vector<Obj>& { return env.tasks; },
     [](const EvalEnv&, const Obj& o) { return std::to_string(task_of(o).pid); },
     [](const EvalEnv&, const Obj& o) { return task_of(o).comm; },
     [](const EvalEnv&, const Obj& o) {
       const Task& t = task_of(o);
       return "pid " + std::to_string(t.pid) + " started " +
              (t.start_boottime_ns ? std::to_string(*t.start_boottime_ns) : std::string("?"));
     },
     [](const EvalEnv& env, const Obj& o) {
       return "task " + task_of(o).comm + " (pid " + std::to_string(task_of(o).pid) + ")" +
              (env.task_container[o.index] < 0 ? " on the host" : "");
     }},
    {K::mount, "mount", true, "One mount of one mount namespace", "`mnt_ns:mount_id`", "resource",
     [](const EvalEnv& env) -> const std::vector<Obj>& { return env.mounts; },
     [](const EvalEnv&, const Obj& o) { return mount_id(mount_of(o)); },
     [](const EvalEnv&, const Obj& o) { return mount_of(o).path; }, nullptr,
     [](const EvalEnv&, const Obj& o) {
       const Mount& m = mount_of(o);
       return "mount " + m.path + " (mnt_ns " + mnt_ns_text(m) + ", mount id " + std::to_string(m.mount_id) + ")";
     }},
    {K::interface, "interface", true, "One network interface of one network namespace", "`net_ns:name`", "resource",
     [](const EvalEnv& env) -> const std::vector<Obj>& { return env.interfaces; },
     [](const EvalEnv&, const Obj& o) { return net_ns_text(interface_of(o)) + ":" + interface_of(o).name; },
     [](const EvalEnv&, const Obj& o) { return interface_of(o).name; }, nullptr, plain_title},
    {K::network, "network", true,
     "One IPv4 segment with containers on it (containers on the host network are not members)", "the segment",
     "resource", [](const EvalEnv& env) -> const std::vector<Obj>& { return env.networks; },
     [](const EvalEnv&, const Obj& o) { return segment_of(o).name; },
     [](const EvalEnv&, const Obj& o) {
       const Segment& s = segment_of(o);
       return s.bridge.empty() ? s.name : s.bridge;
     },
     nullptr, plain_title},
    {K::container_mount, "container_mount", false, "A non-default mount of a container (element of `mounts`)", "",
     "resource", [](const EvalEnv& env) -> const std::vector<Obj>& { return env.container_mounts; },
     [](const EvalEnv& env, const Obj& o) { return in_container(env, o, cmount_of(o).destination); },
     [](const EvalEnv&, const Obj& o) { return cmount_of(o).destination; }, nullptr, plain_title},
    {K::container_network, "container_network", false, "A network attachment of a container (element of `networks`)",
     "", "resource", [](const EvalEnv& env) -> const std::vector<Obj>& { return env.container_networks; },
     [](const EvalEnv& env, const Obj& o) { return in_container(env, o, cnet_of(o).interface); },
     [](const EvalEnv&, const Obj& o) { return cnet_of(o).interface; }, nullptr, plain_title},
    {K::socket, "socket", false, "A socket open in a task's file table (element of `sockets`)", "", "resource",
     [](const EvalEnv& env) -> const std::vector<Obj>& { return env.sockets; },
     [](const EvalEnv&, const Obj& o) { return std::to_string(socket_of(o).pid) + ":" + std::to_string(socket_of(o).fd); },
     [](const EvalEnv&, const Obj& o) {
       const Socket& s = socket_of(o);
       return s.protocol.value_or("?") + " " + s.local.value_or("-") +
              (s.local_port ? ":" + std::to_string(*s.local_port) : std::string());
     },
     nullptr, plain_title},
    {K::container_change, "container_change", false,
     "An entry of a container's overlay upper directory (element of `changes`)", "", "resource",
     [](const EvalEnv& env) -> const std::vector<Obj>& { return env.container_changes; },
     [](const EvalEnv& env, const Obj& o) { return in_container(env, o, change_of(o).path); },
     [](const EvalEnv&, const Obj& o) { return change_of(o).path; }, nullptr, plain_title},
};

}  // namespace

std::span<const FieldDef> schema() { return kFields; }
std::span<const KindDef> object_kinds() { return kKinds; }

const KindDef& kind_def(ObjectKind kind) {
  for (const auto& k : kKinds) {
    if (k.kind == kind) return k;
  }
  return kKinds[0];  // unreachable for a kind of the model: every one has a row (tested)
}

const KindDef* kind_by_name(std::string_view name) {
  for (const auto& k : kKinds) {
    if (k.name == name) return &k;
  }
  return nullptr;
}

std::string_view to_string(ObjectKind kind) {
  for (const auto& k : kKinds) {
    if (k.kind == kind) return k.name;
  }
  return "none";
}

std::string type_name(ValueType type, ObjectKind object) {
  switch (type) {
    case T::null: return "absent";
    case T::integer: return "integer";
    case T::boolean: return "boolean";
    case T::string: return "string";
    case T::ip: return "ip";
    case T::string_list: return "list of string";
    case T::integer_list: return "list of integer";
    case T::ip_list: return "list of ip";
    case T::object: return object == K::none ? "object" : std::string(to_string(object));
    case T::object_list: return "list of " + (object == K::none ? std::string("object") : std::string(to_string(object)));
  }
  return "?";
}

std::string describe_type(const FieldDef& field) {
  std::string out = type_name(field.type, field.target);
  if (field.nullable) out += " (may be absent)";
  return out;
}

std::string scope_names() {
  std::vector<std::string_view> names;
  for (const auto& k : kKinds) {
    if (k.is_scope) names.push_back(k.name);
  }
  std::string out;
  for (std::size_t i = 0; i < names.size(); ++i) {
    out += (i == 0 ? "" : i + 1 == names.size() ? " or " : ", ") + std::string(names[i]);
  }
  return out;
}

std::string container_title(std::string_view id, std::string_view label) {
  const std::string short_id(id.substr(0, std::min<std::size_t>(12, id.size())));
  return label.empty() || label == short_id ? "container " + short_id
                                            : "container " + short_id + " (" + std::string(label) + ")";
}

std::optional<ObjectKind> scope_by_name(std::string_view name) {
  for (const auto& k : kKinds) {
    if (k.is_scope && k.name == name) return k.kind;
  }
  return std::nullopt;
}

const FieldDef* find_field(ObjectKind owner, std::string_view name) {
  for (const auto& f : kFields) {
    if (f.owner == owner && f.name == name) return &f;
  }
  return nullptr;
}

bool field_never_filled(const FieldDef& field) {
  // One row per field that the schema declares ahead of the engine.
  static constexpr std::pair<ObjectKind, std::string_view> kNeverFilled[] = {{ObjectKind::container, "devices"}};
  for (const auto& [owner, name] : kNeverFilled) {
    if (field.owner == owner && field.name == name) return true;
  }
  return false;
}

bool field_is_unix_time_ns(const FieldDef& field) {
  return field.owner == ObjectKind::container && (field.name == "created" || field.name == "record_created");
}

std::string render_field_reference_markdown() {
  std::string out = "### Fields\n\nGenerated from the schema in `engine/rules/schema.cpp`.\n";
  for (const auto& kind : kKinds) {
    out += "\n#### `" + std::string(kind.name) + "`\n\n" + std::string(kind.description) + ".";
    if (kind.is_scope) out += " Scope of rules `on " + std::string(kind.name) + "`; a finding's object is " +
                              std::string(kind.object_id) + ".";
    out += "\n\n| field | type | description |\n| --- | --- | --- |\n";
    for (const auto& f : kFields) {
      if (f.owner != kind.kind) continue;
      out += "| `" + std::string(f.name) + "` | " + describe_type(f) + " | " + std::string(f.description) + " |\n";
    }
  }
  return out;
}

std::string render_field_listing() {
  std::size_t width = 0;
  for (const auto& f : kFields) width = std::max(width, to_string(f.owner).size() + 1 + f.name.size());
  std::size_t type_width = 0;
  for (const auto& f : kFields) type_width = std::max(type_width, describe_type(f).size());
  std::string out;
  for (const auto& f : kFields) {
    std::string name = std::string(to_string(f.owner)) + "." + std::string(f.name);
    std::string type = describe_type(f);
    out += name + std::string(width - name.size() + 2, ' ') + type + std::string(type_width - type.size() + 2, ' ') +
           std::string(f.description) + "\n";
  }
  return out;
}

}  // namespace drydock::rules
