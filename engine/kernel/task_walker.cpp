#include "engine/kernel/task_walker.hpp"

#include <algorithm>
#include <mutex>

#include <fmt/format.h>
#include <tbb/parallel_for.h>

#include "engine/kernel/list_walk.hpp"
#include "engine/kernel/struct_layout.hpp"

namespace drydock {
namespace {

constexpr std::uint32_t kPfKthread = 0x00200000;   // PF_KTHREAD in task_struct.flags
constexpr std::uint32_t kPfWqWorker = 0x00000020;  // PF_WQ_WORKER: /proc names these from comm
constexpr std::size_t kMaxCgroupDepth = 128;
constexpr std::size_t kMaxNameBytes = 256;

using Offset = std::optional<std::uint32_t>;

// Every offset the walker needs, resolved once from the ISF.
struct TaskLayout {
  Offset tasks, pid, tgid, comm, flags, real_parent, real_cred, nsproxy, seccomp_mode, atomic_flags;
  Offset start_time;  // start_boottime, or real_start_time on older kernels
  Offset thread_pid;  // struct pid * of the task (thread_pid or pids[0].pid)
  Offset mm, cgroups, signal, thread_node, signal_thread_head, thread_group;
  Offset worker_private, kthread_full_name;  // 6.1+: long kernel thread names
  // cred
  Offset uid, gid, suid, sgid, euid, egid, fsuid, fsgid;
  Offset cap_inheritable, cap_permitted, cap_effective, cap_bset, cap_ambient, cred_user_ns;
  // nsproxy members and the inode offset inside each namespace struct
  Offset ns_uts, ns_ipc, ns_mnt, ns_net, ns_cgroup, uts_nodename;
  Offset inum_uts, inum_ipc, inum_mnt, inum_net, inum_pid, inum_user, inum_cgroup;
  // struct pid
  Offset pid_level, pid_numbers, upid_nr, upid_ns;
  std::uint32_t upid_size = 16;
  // mm_struct
  Offset arg_start, arg_end, mm_pgd;
  // cgroups
  Offset css_dfl_cgrp, cgroup_kn, kn_name, kn_parent;
};

Offset inum_offset(const SymbolTable& s, std::string_view type) {
  if (auto o = offset_of(s, type, "ns.inum")) return o;
  return offset_of(s, type, "proc_inum");
}

TaskLayout resolve_layout(const SymbolTable& s) {
  TaskLayout l;
  const auto t = [&](std::string_view m) { return offset_of(s, "task_struct", m); };
  l.tasks = t("tasks");
  l.pid = t("pid");
  l.tgid = t("tgid");
  l.comm = t("comm");
  l.flags = t("flags");
  l.real_parent = t("real_parent");
  l.real_cred = t("real_cred");
  l.nsproxy = t("nsproxy");
  l.seccomp_mode = t("seccomp.mode");
  l.atomic_flags = t("atomic_flags");
  l.start_time = t("start_boottime");
  if (!l.start_time) l.start_time = t("real_start_time");
  l.thread_pid = t("thread_pid");
  if (!l.thread_pid) {
    if (auto pids = t("pids"), link = offset_of(s, "pid_link", "pid"); pids && link) l.thread_pid = *pids + *link;
  }
  l.mm = t("mm");
  l.cgroups = t("cgroups");
  l.signal = t("signal");
  l.thread_node = t("thread_node");
  l.signal_thread_head = offset_of(s, "signal_struct", "thread_head");
  l.thread_group = t("thread_group");
  l.worker_private = t("worker_private");
  l.kthread_full_name = offset_of(s, "kthread", "full_name");

  const auto c = [&](std::string_view m) { return offset_of(s, "cred", m); };
  l.uid = c("uid"), l.gid = c("gid"), l.suid = c("suid"), l.sgid = c("sgid");
  l.euid = c("euid"), l.egid = c("egid"), l.fsuid = c("fsuid"), l.fsgid = c("fsgid");
  l.cap_inheritable = c("cap_inheritable"), l.cap_permitted = c("cap_permitted");
  l.cap_effective = c("cap_effective"), l.cap_bset = c("cap_bset"), l.cap_ambient = c("cap_ambient");
  l.cred_user_ns = c("user_ns");

  const auto n = [&](std::string_view m) { return offset_of(s, "nsproxy", m); };
  l.ns_uts = n("uts_ns"), l.ns_ipc = n("ipc_ns"), l.ns_mnt = n("mnt_ns"), l.ns_net = n("net_ns");
  l.ns_cgroup = n("cgroup_ns");
  l.uts_nodename = offset_of(s, "uts_namespace", "name.nodename");
  l.inum_uts = inum_offset(s, "uts_namespace");
  l.inum_ipc = inum_offset(s, "ipc_namespace");
  l.inum_mnt = inum_offset(s, "mnt_namespace");
  l.inum_net = inum_offset(s, "net");
  l.inum_pid = inum_offset(s, "pid_namespace");
  l.inum_user = inum_offset(s, "user_namespace");
  l.inum_cgroup = inum_offset(s, "cgroup_namespace");

  l.pid_level = offset_of(s, "pid", "level");
  l.pid_numbers = offset_of(s, "pid", "numbers");
  l.upid_nr = offset_of(s, "upid", "nr");
  l.upid_ns = offset_of(s, "upid", "ns");
  if (auto size = s.size_of("upid")) l.upid_size = static_cast<std::uint32_t>(*size);

  l.arg_start = offset_of(s, "mm_struct", "arg_start");
  l.arg_end = offset_of(s, "mm_struct", "arg_end");
  l.mm_pgd = offset_of(s, "mm_struct", "pgd");

  l.css_dfl_cgrp = offset_of(s, "css_set", "dfl_cgrp");
  l.cgroup_kn = offset_of(s, "cgroup", "kn");
  l.kn_name = offset_of(s, "kernfs_node", "name");
  l.kn_parent = offset_of(s, "kernfs_node", "parent");
  return l;
}

// Namespace inode through a pointer member: *(base + ptr_offset) + inum_offset.
std::uint64_t ns_inode(const KernelMemory& k, std::uint64_t base, Offset ptr_offset, Offset inum) {
  auto ns = k.read_member<std::uint64_t>(base, ptr_offset);
  if (!ns || *ns == 0) return 0;
  return k.read_member<std::uint32_t>(*ns, inum).value_or(0);
}

// The cgroup v2 path of a kernfs node: names up to the root, joined by '/'.
std::optional<std::string> kernfs_path(const KernelMemory& k, const TaskLayout& l, std::uint64_t node) {
  std::vector<std::string> names;
  for (std::size_t depth = 0; node != 0; ++depth) {
    if (depth > kMaxCgroupDepth) return std::nullopt;
    auto parent = k.read_member<std::uint64_t>(node, l.kn_parent);
    if (!parent) return std::nullopt;
    if (*parent == 0) break;  // the root's own name is not part of the path
    auto name_ptr = k.read_member<std::uint64_t>(node, l.kn_name);
    if (!name_ptr) return std::nullopt;
    names.push_back(k.read_string(*name_ptr, kMaxNameBytes).value_or("?"));
    node = *parent;
  }
  std::string path;
  for (auto it = names.rbegin(); it != names.rend(); ++it) path += "/" + *it;
  return path.empty() ? "/" : path;
}

std::optional<std::string> read_cmdline(const KernelMemory& k, const TaskLayout& l, std::uint64_t mm,
                                        std::size_t max_bytes) {
  auto start = k.read_member<std::uint64_t>(mm, l.arg_start);
  auto end = k.read_member<std::uint64_t>(mm, l.arg_end);
  auto pgd = k.read_member<std::uint64_t>(mm, l.mm_pgd);
  if (!start || !end || !pgd || *end < *start) return std::nullopt;
  // mm->pgd is a kernel virtual address; the task's page tables start at its physical address.
  auto pgd_physical = k.mmu().translate(*pgd);
  if (!pgd_physical) return std::nullopt;
  const X86Translator user(k.physical(), pgd_physical->physical, k.location().mode);
  const std::size_t length = static_cast<std::size_t>(std::min<std::uint64_t>(*end - *start, max_bytes));
  std::string raw(length, '\0');
  if (length > 0 && !user.read(*start, std::as_writable_bytes(std::span(raw.data(), raw.size())))) return std::nullopt;
  while (!raw.empty() && raw.back() == '\0') raw.pop_back();
  std::replace(raw.begin(), raw.end(), '\0', ' ');
  return raw;
}

struct Extracted {
  std::optional<Task> task;
  std::vector<std::string> problems;
};

Extracted read_task(const KernelMemory& k, const TaskLayout& l, std::uint64_t address, const TaskWalkOptions& options) {
  Extracted out;
  Task t;
  t.address = address;
  const auto pid = k.read_member<std::int32_t>(address, l.pid);
  const auto tgid = k.read_member<std::int32_t>(address, l.tgid);
  if (!pid || !tgid) {
    out.problems.push_back(fmt::format("task_struct at {:#x}: pid/tgid unreadable", address));
    return out;
  }
  t.pid = *pid;
  t.tgid = *tgid;
  t.is_thread = t.pid != t.tgid;
  if (l.comm) {
    std::array<std::byte, 16> comm{};
    if (k.read(address + *l.comm, comm)) {
      const auto* c = reinterpret_cast<const char*>(comm.data());
      t.comm.assign(c, std::find(c, c + comm.size(), '\0'));
    }
  }
  const std::uint32_t flags = k.read_member<std::uint32_t>(address, l.flags).value_or(0);
  t.kernel_thread = (flags & kPfKthread) != 0;
  // A kernel thread whose name did not fit in comm keeps it whole in its
  // struct kthread (6.1+), which is what /proc/PID/comm shows.
  if (t.kernel_thread && !(flags & kPfWqWorker) && t.comm.size() == 15) {
    if (auto kthread = k.read_member<std::uint64_t>(address, l.worker_private); kthread && *kthread) {
      if (auto full = k.read_member<std::uint64_t>(*kthread, l.kthread_full_name); full && *full) {
        if (auto name = k.read_string(*full, 64); name && name->starts_with(t.comm)) t.comm = *name;
      }
    }
  }
  if (auto parent = k.read_member<std::uint64_t>(address, l.real_parent); parent && *parent) {
    t.ppid = k.read_member<std::int32_t>(*parent, l.tgid).value_or(0);
  }
  t.seccomp_mode = k.read_member<std::int32_t>(address, l.seccomp_mode).value_or(0);
  t.no_new_privs = (k.read_member<std::uint64_t>(address, l.atomic_flags).value_or(0) & 1) != 0;  // PFA_NO_NEW_PRIVS
  t.start_boottime_ns = k.read_member<std::uint64_t>(address, l.start_time).value_or(0);

  // The credentials are read in one piece: a pointer into unreadable memory
  // must be reported, not read as uid 0 with no capabilities.
  auto cred = k.read_member<std::uint64_t>(address, l.real_cred);
  std::optional<std::vector<std::byte>> cred_bytes;
  if (cred && *cred) cred_bytes = k.read_struct(*cred, "cred");
  if (cred_bytes) {
    const StructBytes c(*cred, std::move(*cred_bytes));
    const auto id = [&](Offset o) { return c.get<std::uint32_t>(o).value_or(0); };
    t.uid = id(l.uid), t.gid = id(l.gid), t.suid = id(l.suid), t.sgid = id(l.sgid);
    t.euid = id(l.euid), t.egid = id(l.egid), t.fsuid = id(l.fsuid), t.fsgid = id(l.fsgid);
    // u32 cap[2] and u64 val have the same little-endian bytes.
    const auto cap = [&](Offset o) { return c.get<std::uint64_t>(o).value_or(0); };
    t.caps = {cap(l.cap_inheritable), cap(l.cap_permitted), cap(l.cap_effective), cap(l.cap_bset),
              cap(l.cap_ambient)};
    t.ns.user = ns_inode(k, *cred, l.cred_user_ns, l.inum_user);
  } else {
    out.problems.push_back(fmt::format("task {} ({:#x}): credentials unreadable (cred at {:#x})", t.pid, address,
                                       cred.value_or(0)));
  }

  if (auto nsproxy = k.read_member<std::uint64_t>(address, l.nsproxy); nsproxy && *nsproxy) {
    t.ns.uts = ns_inode(k, *nsproxy, l.ns_uts, l.inum_uts);
    t.ns.ipc = ns_inode(k, *nsproxy, l.ns_ipc, l.inum_ipc);
    t.ns.mnt = ns_inode(k, *nsproxy, l.ns_mnt, l.inum_mnt);
    t.ns.net = ns_inode(k, *nsproxy, l.ns_net, l.inum_net);
    t.ns.cgroup = ns_inode(k, *nsproxy, l.ns_cgroup, l.inum_cgroup);
    if (auto uts = k.read_member<std::uint64_t>(*nsproxy, l.ns_uts); uts && *uts && l.uts_nodename) {
      t.hostname = k.read_string(*uts + *l.uts_nodename, 64).value_or("");
    }
  }
  // The task's own PID namespace is that of its struct pid at its deepest level.
  if (auto pid_struct = k.read_member<std::uint64_t>(address, l.thread_pid); pid_struct && *pid_struct && l.pid_numbers) {
    const auto level = k.read_member<std::uint32_t>(*pid_struct, l.pid_level).value_or(0);
    if (level < 64) {
      const std::uint64_t upid = *pid_struct + *l.pid_numbers + std::uint64_t{level} * l.upid_size;
      t.ns_pid = k.read_member<std::int32_t>(upid, l.upid_nr).value_or(0);
      t.ns.pid = ns_inode(k, upid, l.upid_ns, l.inum_pid);
    }
  }

  if (auto mm = k.read_member<std::uint64_t>(address, l.mm); mm && *mm && !t.kernel_thread) {
    t.cmdline = read_cmdline(k, l, *mm, options.max_cmdline);
  }
  if (auto css = k.read_member<std::uint64_t>(address, l.cgroups); css && *css) {
    if (auto cgroup = k.read_member<std::uint64_t>(*css, l.css_dfl_cgrp); cgroup && *cgroup) {
      if (auto kn = k.read_member<std::uint64_t>(*cgroup, l.cgroup_kn); kn && *kn) {
        if (auto path = kernfs_path(k, l, *kn)) t.cgroups.push_back(*path);
      }
    }
  }
  out.task = std::move(t);
  return out;
}

}  // namespace

std::optional<std::int64_t> read_boot_time(const KernelMemory& k) {
  const SymbolTable& s = k.symbols();
  std::optional<std::uint64_t> timekeeper;
  if (const Symbol* core = s.symbol("tk_core"); core && core->type != UINT32_MAX) {
    const TypeDesc& type = s.type_desc(core->type);
    if (auto member = s.member(type.name, "timekeeper")) timekeeper = *k.symbol_address("tk_core") + member->offset;
  }
  if (!timekeeper) timekeeper = k.symbol_address("timekeeper");  // before 3.17
  if (!timekeeper) return std::nullopt;
  auto real = k.read_member<std::int64_t>(*timekeeper, offset_of(s, "timekeeper", "offs_real"));
  auto boot = k.read_member<std::int64_t>(*timekeeper, offset_of(s, "timekeeper", "offs_boot"));
  if (!real || !boot) return std::nullopt;
  // Corrupt offsets must not overflow (found by fuzzing); such a clock is unknown.
  std::int64_t boot_time = 0;
  if (__builtin_sub_overflow(*real, *boot, &boot_time)) return std::nullopt;
  return boot_time;
}

TaskWalkResult walk_tasks(const KernelMemory& kernel, const TaskWalkOptions& options) {
  TaskWalkResult result;
  const TaskLayout layout = resolve_layout(kernel.symbols());
  const auto init_task = kernel.symbol_address("init_task");
  if (!init_task || !layout.tasks || !layout.pid) {
    result.issues.push_back({"tasks", "symbol table lacks init_task or task_struct.tasks/pid; cannot list tasks"});
    return result;
  }

  // Collect the addresses first (a linked list is walked in order), then read
  // every task in parallel.
  std::vector<std::uint64_t> addresses;
  if (auto problem = walk_list(kernel, *init_task + *layout.tasks, options.max_tasks, [&](std::uint64_t node) {
        addresses.push_back(node - *layout.tasks);
        return true;
      })) {
    result.issues.push_back({"tasks", "init_task.tasks: " + *problem});
  }
  if (options.threads) {
    std::vector<std::uint64_t> threads;
    for (std::uint64_t leader : addresses) {
      // Since 3.14 the threads hang off signal->thread_head; before, off each other's thread_group.
      std::uint64_t head = 0;
      std::uint32_t node_offset = 0;
      if (layout.signal_thread_head && layout.thread_node) {
        auto signal = kernel.read_member<std::uint64_t>(leader, layout.signal);
        if (!signal || !*signal) continue;
        head = *signal + *layout.signal_thread_head;
        node_offset = *layout.thread_node;
      } else if (layout.thread_group) {
        head = leader + *layout.thread_group;
        node_offset = *layout.thread_group;
      } else {
        break;
      }
      if (auto problem = walk_list(kernel, head, options.max_tasks, [&](std::uint64_t node) {
            const std::uint64_t task = node - node_offset;
            if (task != leader) threads.push_back(task);
            return threads.size() < options.max_tasks;
          })) {
        result.issues.push_back({"tasks", fmt::format("threads of task at {:#x}: {}", leader, *problem)});
      }
    }
    addresses.insert(addresses.end(), threads.begin(), threads.end());
  }

  result.boot_time_unix_ns = read_boot_time(kernel);
  // Tasks are read in parallel a batch at a time and kept in list order while
  // the memory budget allows: the cut, if any, is the same for any -j, and
  // no more than one batch is held beyond the budget.
  constexpr std::size_t kBatch = 256;
  std::vector<Extracted> extracted;
  bool over_budget = false;
  for (std::size_t first = 0; first < addresses.size() && !over_budget; first += kBatch) {
    const std::size_t count = std::min(kBatch, addresses.size() - first);
    extracted.assign(count, Extracted{});
    tbb::parallel_for(std::size_t{0}, count, [&](std::size_t i) {
      extracted[i] = read_task(kernel, layout, addresses[first + i], options);
    });
    for (std::size_t i = 0; i < count; ++i) {
      Extracted& e = extracted[i];
      for (std::string& p : e.problems) result.issues.push_back({"tasks", std::move(p)});
      if (!e.task) continue;
      if (!kernel.budget().charge(footprint(*e.task))) {
        const std::size_t left = addresses.size() - (first + i) - 1;
        result.issues.push_back({"tasks", fmt::format("task {} and the {} after it in the task list: {}", e.task->pid,
                                                      left, kernel.budget().exhausted_issue())});
        over_budget = true;
        break;
      }
      // Unknown when a corrupt start time overflows (found by fuzzing).
      std::int64_t start = 0;
      if (result.boot_time_unix_ns &&
          !__builtin_add_overflow(*result.boot_time_unix_ns, e.task->start_boottime_ns, &start)) {
        e.task->start_time_unix_ns = start;
      }
      result.tasks.push_back(std::move(*e.task));
    }
  }
  std::stable_sort(result.tasks.begin(), result.tasks.end(),
                   [](const Task& a, const Task& b) { return std::tie(a.pid, a.address) < std::tie(b.pid, b.address); });
  return result;
}

}  // namespace drydock
