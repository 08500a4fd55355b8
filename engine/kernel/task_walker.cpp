#include "engine/kernel/task_walker.hpp"

#include <algorithm>
#include <bit>
#include <mutex>

#include <fmt/format.h>
#include <tbb/parallel_for.h>

#include "engine/kernel/list_walk.hpp"
#include "engine/kernel/kernel_layout.hpp"
#include "engine/kernel/task_exe.hpp"

namespace drydock {
namespace {

constexpr std::uint32_t kPfKthread = 0x00200000;   // PF_KTHREAD in task_struct.flags
constexpr std::uint32_t kPfWqWorker = 0x00000020;  // PF_WQ_WORKER: /proc names these from comm
constexpr std::size_t kMaxCgroupDepth = 128;
constexpr std::size_t kMaxNameBytes = 256;

// A namespace reached through a pointer member: its address and inode
// number. nullopt when the pointer or the inode is unreadable.
struct NsRef {
  std::uint64_t address = 0;
  std::optional<std::uint64_t> inum;
};

NsRef ns_ref(const KernelMemory& k, std::uint64_t base, Offset ptr_offset, Offset inum) {
  auto ns = k.read_member<std::uint64_t>(base, ptr_offset);
  if (!ns || *ns == 0) return {};
  return {*ns, k.read_member<std::uint32_t>(*ns, inum)};
}

// The state /proc shows, from __state (or state) and exit_state, folded the
// way task_state_index() does (TASK_REPORT bits, the highest wins), then
// named as CONTRACT.md fixes: R running; S, D, P and I (idle) sleeping; T and
// t stopped; Z zombie; X dead. nullopt for bits no kernel sets (a corrupt
// task), not the name the remaining bits would give.
std::optional<std::string> state_name(std::uint64_t state, std::uint32_t exit_state) {
  constexpr std::uint64_t kTaskStateMax = 0x10000;  // TASK_STATE_MAX since 6.1; lower before
  constexpr std::uint32_t kExitStates = 0x30;       // EXIT_ZOMBIE | EXIT_DEAD
  constexpr std::uint32_t kTaskReport = 0x7f;   // RUNNING..PARKED, EXIT_DEAD, EXIT_ZOMBIE
  constexpr std::uint32_t kTaskIdle = 0x402;    // TASK_UNINTERRUPTIBLE | TASK_NOLOAD
  constexpr std::uint32_t kRtlockWait = 0x1000;  // 5.15+: reported as uninterruptible
  static constexpr const char* kNames[] = {"running", "sleeping", "sleeping", "stopped",
                                           "stopped", "dead",     "zombie",   "sleeping"};
  if (state >= kTaskStateMax || (exit_state & ~kExitStates) != 0) return std::nullopt;
  if (state == kTaskIdle) return "sleeping";
  std::uint32_t report = (static_cast<std::uint32_t>(state) | exit_state) & kTaskReport;
  if (state == kRtlockWait) report = 0x2;
  return kNames[std::bit_width(report)];  // fls(): the highest reported bit wins
}

// The cgroup v2 path of a kernfs node: names up to the root, joined by '/'.
std::optional<std::string> kernfs_path(const KernelMemory& k, const CgroupLayout& l, std::uint64_t node) {
  std::vector<std::string> names;
  for (std::size_t depth = 0; node != 0; ++depth) {
    if (depth > kMaxCgroupDepth) return std::nullopt;
    auto parent = k.read_member<std::uint64_t>(node, l.kn_parent);
    if (!parent) return std::nullopt;
    if (*parent == 0) break;  // the root's own name is not part of the path
    auto name_ptr = k.read_member<std::uint64_t>(node, l.kn_name);
    if (!name_ptr) return std::nullopt;
    auto name = k.read_string(*name_ptr, kMaxNameBytes);
    if (!name) return std::nullopt;
    names.push_back(std::move(*name));
    node = *parent;
  }
  std::string path;
  for (auto it = names.rbegin(); it != names.rend(); ++it) path += "/" + *it;
  return path.empty() ? "/" : path;
}

// argv as the task's own page tables map it. A range of which only the
// start is readable gives the readable part and a problem; nothing readable
// gives nullopt (the pages were not in the dump).
std::optional<std::string> read_cmdline(const KernelMemory& k, const MmLayout& l, std::uint64_t mm,
                                        std::size_t max_bytes, std::vector<std::string>& problems, std::int32_t pid) {
  auto start = k.read_member<std::uint64_t>(mm, l.arg_start);
  auto end = k.read_member<std::uint64_t>(mm, l.arg_end);
  auto pgd = k.read_member<std::uint64_t>(mm, l.pgd);
  if (!start || !end || !pgd || *end < *start) return std::nullopt;
  // mm->pgd is a kernel virtual address; the task's page tables start at its physical address.
  auto pgd_physical = k.mmu().translate(*pgd);
  if (!pgd_physical) return std::nullopt;
  const X86Translator user(k.physical(), pgd_physical->physical, k.location().mode);
  const std::uint64_t wanted = std::min<std::uint64_t>(*end - *start, max_bytes);
  std::string raw;
  // Page by page, so that a readable start is kept when a later page is not.
  for (std::uint64_t done = 0; done < wanted;) {
    const std::uint64_t address = *start + done;
    const std::uint64_t chunk = std::min<std::uint64_t>(wanted - done, 4096 - (address & 4095));
    std::string part(static_cast<std::size_t>(chunk), '\0');
    if (!user.read(address, std::as_writable_bytes(std::span(part.data(), part.size())))) {
      if (done == 0) return std::nullopt;
      problems.push_back(fmt::format("task {}: command line unreadable from {:#x} (kept the first {} of {} bytes)",
                                     pid, address, done, wanted));
      break;
    }
    raw += part;
    done += chunk;
  }
  while (!raw.empty() && raw.back() == '\0') raw.pop_back();
  std::replace(raw.begin(), raw.end(), '\0', ' ');
  return raw;
}

// The path of a struct cgroup in its hierarchy.
std::optional<std::string> cgroup_path(const KernelMemory& k, const CgroupLayout& l, std::uint64_t cgroup) {
  auto kn = k.read_member<std::uint64_t>(cgroup, l.cgroup_kn);
  if (!kn || *kn == 0) return std::nullopt;
  return kernfs_path(k, l, *kn);
}

// The task's cgroup paths: its cgroup v2 path; when that is the root (a host
// on cgroup v1, where the v2 hierarchy holds nothing), also the distinct
// paths of its v1 hierarchies ("/docker/<id>", "/system.slice/docker-<id>.scope").
std::vector<std::string> read_cgroups(const KernelMemory& k, const CgroupLayout& l, std::uint64_t css_set) {
  std::vector<std::string> paths;
  if (auto cgroup = k.read_member<std::uint64_t>(css_set, l.css_dfl_cgrp); cgroup && *cgroup) {
    if (auto path = cgroup_path(k, l, *cgroup)) paths.push_back(*path);
  }
  if ((!paths.empty() && paths.front() != "/") || !l.css_subsys || !l.subsys_state_cgroup) return paths;
  for (std::uint32_t i = 0; i < l.subsys_count; ++i) {
    auto css = k.read_pointer(css_set + *l.css_subsys + 8ULL * i);
    if (!css || *css == 0) continue;
    auto cgroup = k.read_member<std::uint64_t>(*css, l.subsys_state_cgroup);
    if (!cgroup || *cgroup == 0) continue;
    auto path = cgroup_path(k, l, *cgroup);
    if (path && *path != "/" && std::find(paths.begin(), paths.end(), *path) == paths.end()) paths.push_back(*path);
  }
  return paths;
}

struct Extracted {
  std::optional<Task> task;
  std::vector<std::string> problems;
};

void read_credentials(const KernelMemory& k, const KernelLayout& l, std::uint64_t address, Task& t,
                      std::vector<std::string>& problems) {
  // The credentials are read in one piece: a pointer into unreadable memory
  // must be reported, not read as uid 0 with no capabilities.
  auto cred = k.read_member<std::uint64_t>(address, l.task.real_cred);
  std::optional<std::vector<std::byte>> cred_bytes;
  if (cred && *cred) cred_bytes = k.read_struct(*cred, "cred");
  if (!cred_bytes) {
    if (l.task.real_cred) {
      problems.push_back(fmt::format("task {} ({:#x}): credentials unreadable (cred at {:#x}); its uids, gids and "
                                     "capabilities are unknown",
                                     t.pid, address, cred.value_or(0)));
    }
    return;
  }
  const CredLayout& c = l.cred;
  const StructBytes bytes(*cred, std::move(*cred_bytes));
  const auto id = [&](Offset o) { return bytes.get<std::uint32_t>(o); };
  t.uid = id(c.uid), t.gid = id(c.gid), t.suid = id(c.suid), t.sgid = id(c.sgid);
  t.euid = id(c.euid), t.egid = id(c.egid), t.fsuid = id(c.fsuid), t.fsgid = id(c.fsgid);
  if (c.caps_readable) {
    // u32 cap[2] and u64 val have the same little-endian bytes.
    const auto cap = [&](Offset o) { return bytes.get<std::uint64_t>(o); };
    auto inheritable = cap(c.cap_inheritable), permitted = cap(c.cap_permitted), effective = cap(c.cap_effective),
         bounding = cap(c.cap_bset);
    // Ambient capabilities exist since 4.3; before, the set is empty.
    auto ambient = c.cap_ambient ? cap(c.cap_ambient) : std::optional<std::uint64_t>(0);
    if (inheritable && permitted && effective && bounding && ambient) {
      t.caps = CapabilitySets{*inheritable, *permitted, *effective, *bounding, *ambient};
    }
  }
  const NsRef user = ns_ref(k, *cred, c.user_ns, l.ns.inum_user);
  t.ns.user = user.inum;
}

void read_namespaces(const KernelMemory& k, const KernelLayout& l, std::uint64_t address, Task& t,
                     std::vector<std::string>& problems) {
  const NamespaceLayout& n = l.ns;
  auto nsproxy = k.read_member<std::uint64_t>(address, l.task.nsproxy);
  if (!nsproxy) {
    if (l.task.nsproxy) problems.push_back(fmt::format("task {} ({:#x}): nsproxy pointer unreadable", t.pid, address));
    return;
  }
  if (*nsproxy == 0) return;  // an exiting task has dropped its namespaces
  const NsRef uts = ns_ref(k, *nsproxy, n.uts, n.inum_uts);
  const NsRef mnt = ns_ref(k, *nsproxy, n.mnt, n.inum_mnt);
  const NsRef net = ns_ref(k, *nsproxy, n.net, n.inum_net);
  t.ns.uts = uts.inum;
  t.ns.ipc = ns_ref(k, *nsproxy, n.ipc, n.inum_ipc).inum;
  t.ns.mnt = mnt.inum;
  t.ns.mnt_address = mnt.address;
  t.ns.net = net.inum;
  t.ns.net_address = net.address;
  if (n.cgroup) t.ns.cgroup = ns_ref(k, *nsproxy, n.cgroup, n.inum_cgroup).inum;
  if (uts.address && n.uts_nodename) t.hostname = k.read_string(uts.address + *n.uts_nodename, 65);
  if (!uts.inum || !mnt.inum || !net.inum || (n.uts_nodename && uts.address && !t.hostname)) {
    problems.push_back(fmt::format("task {} ({:#x}): nsproxy at {:#x} or a namespace it points to is unreadable; "
                                   "those namespaces are unknown",
                                   t.pid, address, *nsproxy));
  }
}

Extracted read_task(const KernelMemory& k, const KernelLayout& layout, std::uint64_t address,
                    const TaskWalkOptions& options) {
  const TaskStructLayout& l = layout.task;
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
  const auto flags = k.read_member<std::uint32_t>(address, l.flags);
  if (flags) {
    t.kernel_thread = (*flags & kPfKthread) != 0;
  } else if (l.flags) {  // (a member the symbol table lacks is reported once, by the layout)
    out.problems.push_back(fmt::format("task {} ({:#x}): flags unreadable; whether it is a kernel thread is unknown",
                                       t.pid, address));
  }
  // A kernel thread whose name did not fit in comm keeps it whole in its
  // struct kthread (6.1+), which is what /proc/PID/comm shows.
  if (t.kernel_thread == true && !(*flags & kPfWqWorker) && t.comm.size() == 15) {
    if (auto kthread = k.read_member<std::uint64_t>(address, l.worker_private); kthread && *kthread) {
      if (auto full = k.read_member<std::uint64_t>(*kthread, l.kthread_full_name); full && *full) {
        if (auto name = k.read_string(*full, 64); name && name->starts_with(t.comm)) t.comm = *name;
      }
    }
  }
  // `long state` (before 5.14) is read whole: a corrupt high half must not pass.
  std::optional<std::uint64_t> state;
  if (l.state_size == 8) {
    state = k.read_member<std::uint64_t>(address, l.state);
  } else if (auto low = k.read_member<std::uint32_t>(address, l.state)) {
    state = *low;
  }
  if (auto exit_state = k.read_member<std::uint32_t>(address, l.exit_state); state && exit_state) {
    t.state = state_name(*state, *exit_state);
    if (!t.state) {
      out.problems.push_back(fmt::format("task {} ({:#x}): state {:#x} with exit_state {:#x} is no kernel's; its "
                                         "state is unknown",
                                         t.pid, address, *state, *exit_state));
    }
  }
  if (auto parent = k.read_member<std::uint64_t>(address, l.real_parent)) {
    // The idle task has no parent of its own: ppid 0, as /proc shows for 1 and 2.
    if (*parent == 0 || *parent == address) {
      t.ppid = 0;
    } else {
      t.ppid = k.read_member<std::int32_t>(*parent, l.tgid);
      if (!t.ppid) out.problems.push_back(fmt::format("task {}: parent at {:#x} unreadable", t.pid, *parent));
    }
  }
  t.seccomp_mode = k.read_member<std::int32_t>(address, l.seccomp_mode);
  if (auto atomic_flags = k.read_member<std::uint64_t>(address, l.atomic_flags)) {
    t.no_new_privs = (*atomic_flags & 1) != 0;  // PFA_NO_NEW_PRIVS
  }
  t.start_boottime_ns = k.read_member<std::uint64_t>(address, l.start_time);
  read_credentials(k, layout, address, t, out.problems);
  read_namespaces(k, layout, address, t, out.problems);

  // The task's own PID namespace is that of its struct pid at its deepest level.
  const PidLayout& p = layout.pid;
  if (auto pid_struct = k.read_member<std::uint64_t>(address, l.thread_pid); pid_struct && *pid_struct && p.numbers) {
    const auto level = k.read_member<std::uint32_t>(*pid_struct, p.level);
    if (level && *level < 64) {
      const std::uint64_t upid = *pid_struct + *p.numbers + std::uint64_t{*level} * p.upid_size;
      t.ns_pid = k.read_member<std::int32_t>(upid, p.upid_nr);
      t.ns.pid = ns_ref(k, upid, p.upid_ns, layout.ns.inum_pid).inum;
    }
    if (!t.ns_pid || !t.ns.pid) {
      out.problems.push_back(fmt::format("task {}: struct pid at {:#x} unreadable or corrupt; its PID namespace is "
                                         "unknown",
                                         t.pid, *pid_struct));
    }
  }

  if (auto mm = k.read_member<std::uint64_t>(address, l.mm); mm && *mm && t.kernel_thread != true) {
    t.cmdline = read_cmdline(k, layout.mm, *mm, options.max_cmdline, out.problems, t.pid);
    TaskExe exe = read_task_exe(k, address, *mm);
    t.exe = std::move(exe.path);
    t.exe_layer = std::move(exe.layer);
    if (exe.problem) out.problems.push_back(fmt::format("task {}: {}", t.pid, *exe.problem));
  }
  if (auto css = k.read_member<std::uint64_t>(address, l.cgroups); css && *css) {
    t.cgroups = read_cgroups(k, layout.cgroup, *css);
  }
  out.task = std::move(t);
  return out;
}

}  // namespace

std::optional<std::int64_t> read_boot_time(const KernelMemory& k) {
  const KernelLayout& l = k.layout();
  const auto holder = l.timekeeper_symbol.empty() ? std::nullopt : k.symbol_address(l.timekeeper_symbol);
  if (!holder) return std::nullopt;
  const std::uint64_t timekeeper = *holder + l.timekeeper_in_symbol;
  auto real = k.read_member<std::int64_t>(timekeeper, l.timekeeper_offs_real);
  auto boot = k.read_member<std::int64_t>(timekeeper, l.timekeeper_offs_boot);
  if (!real || !boot) return std::nullopt;
  // Corrupt offsets must not overflow (found by fuzzing); such a clock is unknown.
  std::int64_t boot_time = 0;
  if (__builtin_sub_overflow(*real, *boot, &boot_time)) return std::nullopt;
  return boot_time;
}

TaskWalkResult walk_tasks(const KernelMemory& kernel, const TaskWalkOptions& options) {
  TaskWalkResult result;
  const KernelLayout& full_layout = kernel.layout();
  const TaskStructLayout& layout = full_layout.task;
  for (std::string& issue : full_layout.missing_issues("tasks")) result.issues.push_back({"tasks", std::move(issue)});
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
  if (!result.boot_time_unix_ns) {
    result.issues.push_back({"tasks", fmt::format("boot time unknown (symbol table {} has no readable tk_core, "
                                                  "timekeeper_data or timekeeper): start times are null",
                                                  kernel.layout().symbol_table)});
  }
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
      extracted[i] = read_task(kernel, full_layout, addresses[first + i], options);
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
      if (result.boot_time_unix_ns && e.task->start_boottime_ns && *e.task->start_boottime_ns <= INT64_MAX &&
          !__builtin_add_overflow(*result.boot_time_unix_ns, static_cast<std::int64_t>(*e.task->start_boottime_ns),
                                  &start)) {
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
