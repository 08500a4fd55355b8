#include "engine/kernel/mount_walker.hpp"

#include <algorithm>
#include <map>
#include <set>

#include <fmt/format.h>

#include "engine/kernel/dentry_path.hpp"
#include "engine/kernel/list_walk.hpp"
#include "engine/kernel/overlay_options.hpp"
#include "engine/kernel/kernel_layout.hpp"

namespace drydock {
namespace {

// mnt_flags bits (include/linux/mount.h), in mountinfo's order.
constexpr std::pair<std::uint32_t, const char*> kMountFlags[] = {
    {0x01, "nosuid"}, {0x02, "nodev"}, {0x04, "noexec"}, {0x08, "noatime"}, {0x10, "nodiratime"}, {0x20, "relatime"},
};
constexpr std::uint32_t kMntReadonly = 0x40;
constexpr std::uint64_t kSbRdonly = 1;  // SB_RDONLY in super_block.s_flags
constexpr std::size_t kMaxStringBytes = 4096;

// The mounts of one namespace, as addresses of struct mount.
std::vector<std::uint64_t> namespace_mounts(const KernelMemory& k, const VfsLayout& l, std::uint64_t ns,
                                            std::size_t max, std::vector<ExtractionIssue>& issues) {
  std::vector<std::uint64_t> mounts;
  if (l.ns_list && l.mnt_list) {
    if (auto problem = walk_list(k, ns + *l.ns_list, max, [&](std::uint64_t node) {
          mounts.push_back(node - *l.mnt_list);
          return true;
        })) {
      issues.push_back({"mounts", fmt::format("mnt_namespace at {:#x}: {}", ns, *problem)});
    }
  } else if (l.ns_mounts_tree && l.mnt_node && l.rb_left && l.rb_right) {
    // 6.8+: an rb-tree ordered by mount id. In-order walk with an explicit,
    // bounded stack; the children's offsets come from the symbol table. A
    // child pointer back into the tree is not followed (its node is walked
    // once), so the walk keeps every mount it can reach.
    std::vector<std::uint64_t> stack;
    std::set<std::uint64_t> seen;
    bool loops = false;
    auto node = k.read_pointer(ns + *l.ns_mounts_tree);
    while ((node && *node) || !stack.empty()) {
      while (node && *node) {
        if (!seen.insert(*node).second) {
          loops = true;
          break;
        }
        if (seen.size() > max) {
          issues.push_back({"mounts", fmt::format("mnt_namespace at {:#x}: more than {} mounts in its tree, stopped",
                                                  ns, max)});
          return mounts;
        }
        if (!k.budget().charge(kWalkNodeFootprint)) {
          issues.push_back({"mounts", fmt::format("mnt_namespace at {:#x}: {}", ns, k.budget().exhausted_issue())});
          return mounts;
        }
        stack.push_back(*node);
        node = k.read_pointer(*node + *l.rb_left);
      }
      if (stack.empty()) break;
      const std::uint64_t current = stack.back();
      stack.pop_back();
      mounts.push_back(current - *l.mnt_node);
      node = k.read_pointer(current + *l.rb_right);
    }
    if (loops) {
      issues.push_back({"mounts", fmt::format("mnt_namespace at {:#x}: mount tree loops (a node is reached twice); "
                                              "each mount is listed once",
                                              ns)});
    }
  } else {
    issues.push_back({"mounts", "symbol table has neither mnt_namespace.list nor its mount tree"});
  }
  return mounts;
}

std::vector<std::string> flag_names(std::uint32_t flags) {
  std::vector<std::string> names;
  for (const auto& [bit, name] : kMountFlags) {
    if (flags & bit) names.emplace_back(name);
  }
  return names;
}

// The "net:[4026532206]" that nsfs's show_path prints for a namespace file's
// dentry: the namespace type comes from ns_common.ops->name, reached through
// the inode's i_private.
std::optional<std::string> nsfs_root_name(const KernelMemory& k, const VfsLayout& l, std::uint64_t dentry) {
  const SymbolTable& s = k.symbols();
  auto inode = k.read_member<std::uint64_t>(dentry, l.d_inode);
  if (!inode || !*inode) return std::nullopt;
  auto ino = k.read_member<std::uint64_t>(*inode, offset_of(s, "inode", "i_ino"));
  auto ns = k.read_member<std::uint64_t>(*inode, offset_of(s, "inode", "i_private"));
  if (!ino || !ns || !*ns) return std::nullopt;
  auto ops = k.read_member<std::uint64_t>(*ns, offset_of(s, "ns_common", "ops"));
  if (!ops || !*ops) return std::nullopt;
  auto name = k.read_member<std::uint64_t>(*ops, offset_of(s, "proc_ns_operations", "name"));
  if (!name || !*name) return std::nullopt;
  auto text = k.read_string(*name, 32);
  if (!text) return std::nullopt;
  return fmt::format("{}:[{}]", *text, *ino);
}

// The layout is resolved once by the caller: walk_mounts reads many namespaces.
MountWalkResult mounts_seen_by(const KernelMemory& k, const VfsLayout& l, const Task& task,
                               const MountWalkOptions& options) {
  MountWalkResult result;
  const auto issue = [&](std::string text) { result.issues.push_back({"mounts", std::move(text)}); };
  if (!l.mnt_in_mount || !l.mnt_id || !l.task_fs || !l.fs_root_mnt) {
    issue("symbol table lacks the mount (or its mnt_id), fs_struct or task_struct.fs layout");
    return result;
  }
  auto nsproxy = k.read_member<std::uint64_t>(task.address, l.task_nsproxy);
  auto fs = k.read_member<std::uint64_t>(task.address, l.task_fs);
  if (!nsproxy || !*nsproxy || !fs || !*fs) {
    issue(fmt::format("task {}: no readable nsproxy or fs (exiting task?)", task.pid));
    return result;
  }
  auto ns = k.read_member<std::uint64_t>(*nsproxy, l.nsproxy_mnt_ns);
  auto root_vfsmount = k.read_member<std::uint64_t>(*fs, l.fs_root_mnt);
  auto root_dentry = k.read_member<std::uint64_t>(*fs, l.fs_root_dentry);
  if (!ns || !*ns || !root_vfsmount || !root_dentry) {
    issue(fmt::format("task {}: mount namespace or root unreadable", task.pid));
    return result;
  }
  const std::uint64_t root_mount = *root_vfsmount - *l.mnt_in_mount;  // container_of(vfsmount, struct mount, mnt)
  std::optional<std::uint64_t> ns_inode;
  if (auto ns_inum = k.read_member<std::uint32_t>(*ns, l.ns_inum)) {
    ns_inode = *ns_inum;
  } else if (l.ns_inum) {  // (a member the symbol table lacks is reported once, by the layout)
    issue(fmt::format("mnt_namespace at {:#x} (task {}): inode number unreadable; its mounts' mnt_ns is unknown", *ns,
                      task.pid));
  }
  // How the namespace is named in issues: its inode, or its address when that is unknown.
  const std::string ns_name = ns_inode ? std::to_string(*ns_inode) : fmt::format("at {:#x}", *ns);

  for (std::uint64_t m : namespace_mounts(k, l, *ns, options.max_mounts_per_ns, result.issues)) {
    Mount mount;
    mount.address = m;
    mount.mnt_ns = ns_inode;
    mount.mnt_ns_address = *ns;
    // The mount id is what names a mount (as the pid names a task): a mount
    // without one is left out, never listed as mount 0.
    const auto mount_id = k.read_member<std::int32_t>(m, l.mnt_id);
    auto mountpoint = k.read_member<std::uint64_t>(m, l.mnt_mountpoint);
    auto parent = k.read_member<std::uint64_t>(m, l.mnt_parent);
    auto mnt_root = k.read_member<std::uint64_t>(m, l.mnt_root);
    if (!mount_id || !mountpoint || !parent || !mnt_root) {
      issue(fmt::format("mount at {:#x}: unreadable", m));
      continue;
    }
    mount.mount_id = *mount_id;
    if (*parent) mount.parent_id = k.read_member<std::int32_t>(*parent, l.mnt_id);
    if (!mount.parent_id) {
      issue(fmt::format("mount {} at {:#x}: parent at {:#x} unreadable; its parent_id is unknown", mount.mount_id, m,
                        *parent));
    }
    // Like show_mountinfo(): the path of (mount, its root dentry) from the
    // task's root, which climbs through the parents' mount points.
    const PathResult where = mount_path(k, l, m, *mnt_root, root_mount, *root_dentry, options.max_path_depth);
    if (where.status == PathStatus::unreachable) continue;  // outside the task's root: mountinfo skips it
    if (where.status == PathStatus::unreadable) {
      issue(fmt::format("mount {} at {:#x}: mount point path unreadable (partial: {})", mount.mount_id, m, where.path));
    }
    mount.path = where.path;
    mount.root = dentry_path(k, l, *mnt_root, options.max_path_depth).path;
    if (auto devname = k.read_member<std::uint64_t>(m, l.mnt_devname); devname && *devname) {
      mount.devname = k.read_string(*devname, kMaxStringBytes).value_or("");
    }
    if (auto flags = k.read_member<std::uint32_t>(m, l.mnt_flags)) {
      mount.read_only = (*flags & kMntReadonly) != 0;
      mount.flags = flag_names(*flags);
    } else if (l.mnt_flags) {  // (a member the symbol table lacks is reported once, by the layout)
      issue(fmt::format("mount {} at {:#x}: mnt_flags unreadable; its access and flags are unknown", mount.mount_id, m));
    }
    if (auto sb = k.read_member<std::uint64_t>(m, l.mnt_sb); sb && *sb) {
      mount.super_block = *sb;
      if (auto type = k.read_member<std::uint64_t>(*sb, l.sb_type); type && *type) {
        if (auto name = k.read_member<std::uint64_t>(*type, l.fstype_name); name && *name) {
          mount.fstype = k.read_string(*name, 64).value_or("");
        }
      }
      if (auto subtype = k.read_member<std::uint64_t>(*sb, l.sb_subtype); subtype && *subtype) {
        if (auto sub = k.read_string(*subtype, 64); sub && !sub->empty()) mount.fstype += "." + *sub;
      }
      // The superblock's access is listed only when its flags could be read.
      if (auto sb_flags = k.read_member<std::uint64_t>(*sb, l.sb_flags)) {
        mount.options.emplace_back((*sb_flags & kSbRdonly) ? "ro" : "rw", "");
      }
      if (mount.fstype == "nsfs") {
        // nsfs shows its root through show_path as "<type>:[<inode>]".
        if (auto name = nsfs_root_name(k, l, *mnt_root)) mount.root = *name;
      }
      if (mount.fstype == "overlay") {
        for (auto& option : overlay_options(k, *sb)) mount.options.push_back(std::move(option));
      }
    }
    if (!k.budget().charge(footprint(mount))) {
      issue(fmt::format("mount namespace {}: {}", ns_name, k.budget().exhausted_issue()));
      break;
    }
    result.mounts.push_back(std::move(mount));
  }
  std::sort(result.mounts.begin(), result.mounts.end(),
            [](const Mount& a, const Mount& b) {
              return std::tie(a.mnt_ns, a.mnt_ns_address, a.mount_id) < std::tie(b.mnt_ns, b.mnt_ns_address, b.mount_id);
            });
  return result;
}

}  // namespace

MountWalkResult mounts_seen_by(const KernelMemory& k, const Task& task, const MountWalkOptions& options) {
  return mounts_seen_by(k, k.layout().vfs, task, options);
}

MountWalkResult walk_mounts(const KernelMemory& k, const std::vector<Task>& tasks, const MountWalkOptions& options) {
  MountWalkResult result;
  for (std::string& issue : k.layout().missing_issues("mounts")) result.issues.push_back({"mounts", std::move(issue)});
  // One reader per namespace (identified by its address, not its inode
  // number): the lowest-pid user task in it (tasks are sorted by pid).
  std::map<std::uint64_t, const Task*> readers;
  for (const Task& t : tasks) {
    if (t.ns.mnt_address == 0 || t.is_thread) continue;
    auto [it, inserted] = readers.emplace(t.ns.mnt_address, &t);
    if (!inserted && it->second->kernel_thread != false && t.kernel_thread == false) it->second = &t;
  }
  const VfsLayout& l = k.layout().vfs;
  if (auto init_task = k.symbol_address("init_task")) {
    if (auto nsproxy = k.read_member<std::uint64_t>(*init_task, l.task_nsproxy); nsproxy && *nsproxy) {
      if (auto ns = k.read_member<std::uint64_t>(*nsproxy, l.nsproxy_mnt_ns); ns && *ns) {
        result.initial_mnt_ns = k.read_member<std::uint32_t>(*ns, l.ns_inum);
        result.initial_mnt_ns_address = *ns;
      }
    }
  }
  for (const auto& [ns, task] : readers) {
    MountWalkResult one = mounts_seen_by(k, l, *task, options);
    for (Mount& m : one.mounts) {
      if (m.mnt_ns_address == result.initial_mnt_ns_address) m.absolute_path = m.path;
      result.mounts.push_back(std::move(m));
    }
    result.issues.insert(result.issues.end(), one.issues.begin(), one.issues.end());
  }
  return result;
}

}  // namespace drydock
