#include "engine/kernel/file_walker.hpp"

#include <algorithm>
#include <cstdint>
#include <map>
#include <set>
#include <tuple>
#include <unordered_set>
#include <utility>

#include <fmt/format.h>
#include <tbb/parallel_for.h>

#include "engine/kernel/dentry_path.hpp"
#include "engine/kernel/list_walk.hpp"
#include "engine/kernel/kernel_layout.hpp"

namespace drydock {
namespace {

constexpr std::size_t kMaxNameBytes = 255;  // NAME_MAX

// The members the walk reads, taken from the kernel layout.
// The members the file walk reads, borrowed from the kernel layout (which
// outlives every walk): dentries and mounts from its VfsLayout, inodes from
// its InodeLayout.
struct FileLayout {
  const VfsLayout& vfs;
  const InodeLayout& inode;

  explicit FileLayout(const KernelLayout& k) : vfs(k.vfs), inode(k.inode) {}

  bool usable() const {
    return vfs.d_inode && vfs.d_name_name && vfs.d_children && vfs.d_sibling && vfs.dentry_size && inode.i_mode &&
           vfs.mnt_root && vfs.mnt_parent && vfs.mnt_mountpoint;
  }
};

std::string join_path(const std::string& parent, const std::string& name) {
  return parent == "/" ? "/" + name : parent + "/" + name;
}

std::optional<std::int64_t> unix_ns(const StructBytes& inode, const TimeField& field) {
  constexpr std::int64_t kMaxSeconds = INT64_MAX / 1'000'000'000 - 1;
  const auto raw_sec = inode.get<std::int64_t>(field.sec);
  const auto raw_nsec = inode.get<std::uint32_t>(field.nsec);
  // A time no kernel writes (nanoseconds past a second, seconds past what
  // int64 nanoseconds hold) is unknown, not folded into a plausible one.
  if (!raw_sec || !raw_nsec || *raw_nsec >= 1'000'000'000 || *raw_sec > kMaxSeconds || *raw_sec < -kMaxSeconds) {
    return std::nullopt;
  }
  const std::int64_t sec = *raw_sec;
  const std::int64_t nsec = *raw_nsec;
  return sec * 1'000'000'000 + nsec;
}

// The (parent mount, mount point dentry) pairs of the namespace: those
// dentries are hidden by what is mounted on them.
using CoveredSet = std::set<std::pair<std::uint64_t, std::uint64_t>>;

// How the namespace's mounts sit on each other, to tell which are hidden.
class MountTopology {
 public:
  MountTopology(const KernelMemory& k, const FileLayout& l, const std::vector<Mount>& mounts,
                std::size_t max_depth)
      : k_(k), l_(l), max_depth_(max_depth) {
    for (const Mount& m : mounts) {
      Links links;
      links.parent = k.read_member<std::uint64_t>(m.address, l.vfs.mnt_parent).value_or(0);
      links.mountpoint = k.read_member<std::uint64_t>(m.address, l.vfs.mnt_mountpoint).value_or(0);
      links.root = k.read_member<std::uint64_t>(m.address, l.vfs.mnt_root).value_or(0);
      if (links.parent && links.mountpoint && links.parent != m.address) {
        covered_.emplace(links.parent, links.mountpoint);
      }
      links_.emplace(m.address, links);
    }
  }

  const CoveredSet& covered() const { return covered_; }

  // Whether nothing of the mount can be seen: another mount sits on its root,
  // on a directory above its mount point in the parent mount, or the parent
  // itself is hidden (`mountinfo` still lists such mounts; lookups never reach them).
  bool hidden(std::uint64_t mount) {
    std::vector<std::uint64_t> chain;  // mounts whose answer waits on their parent's
    bool result = false;
    for (std::size_t step = 0;; ++step) {
      if (auto known = hidden_.find(mount); known != hidden_.end()) {
        result = known->second;
        break;
      }
      auto it = links_.find(mount);
      if (it == links_.end() || step > links_.size()) break;  // outside the namespace, or parents loop
      const Links& m = it->second;
      if (covered_.contains({mount, m.root})) {
        result = true;
        hidden_[mount] = true;
        break;
      }
      chain.push_back(mount);
      if (m.parent == 0 || m.parent == mount) break;  // the namespace's root mount
      auto parent = links_.find(m.parent);
      if (parent == links_.end()) break;
      if (covered_above(m.parent, parent->second.root, m.mountpoint)) {
        result = true;
        break;
      }
      mount = m.parent;
    }
    for (std::uint64_t m : chain) hidden_[m] = result;
    return result;
  }

 private:
  struct Links {
    std::uint64_t parent = 0, mountpoint = 0, root = 0;
  };

  // Whether a dentry strictly above `dentry`, up to the mount's root, has a mount on it.
  bool covered_above(std::uint64_t mount, std::uint64_t mount_root, std::uint64_t dentry) const {
    for (std::size_t depth = 0; depth < max_depth_ && dentry != mount_root; ++depth) {
      auto parent = k_.read_member<std::uint64_t>(dentry, l_.vfs.d_parent);
      if (!parent || *parent == 0 || *parent == dentry) return false;
      dentry = *parent;
      if (covered_.contains({mount, dentry})) return true;
    }
    return false;
  }

  const KernelMemory& k_;
  const FileLayout& l_;
  std::size_t max_depth_;
  CoveredSet covered_;
  std::map<std::uint64_t, Links> links_;
  std::map<std::uint64_t, bool> hidden_;
};

struct MountWalk {
  std::vector<CachedFile> files;
  std::vector<ExtractionIssue> issues;
  std::size_t suppressed_issues = 0;
};

class MountWalker {
 public:
  MountWalker(const KernelMemory& k, const FileLayout& l, const FileWalkOptions& o, const CoveredSet& covered,
              const std::string& prefix)
      : k_(k), l_(l), o_(o), covered_(covered), prefix_(prefix) {}

  MountWalk walk(const Mount& mount) {
    mount_ = &mount;
    auto root = k_.read_member<std::uint64_t>(mount.address, l_.vfs.mnt_root);
    if (!root || *root == 0) {
      issue(fmt::format("mount {} at {:#x}: unreadable mnt_root", mount.mount_id, mount.address));
      return std::move(out_);
    }
    struct Pending {
      std::uint64_t dentry;
      std::string parent_path;  // empty for the mount's root
      std::size_t depth;
    };
    std::vector<Pending> stack{{*root, "", 0}};
    std::unordered_set<std::uint64_t> visited;
    std::size_t queued = 1;  // the root
    while (!stack.empty()) {
      Pending p = std::move(stack.back());
      stack.pop_back();
      if (!visited.insert(p.dentry).second) {
        issue(fmt::format("mount {}: dentry {:#x} reached twice (dentry tree loops), not walked again",
                          mount.mount_id, p.dentry));
        continue;
      }
      std::vector<std::byte> raw(l_.vfs.dentry_size);
      if (!k_.read(p.dentry, raw)) {
        issue(fmt::format("mount {}: dentry {:#x} under {} unreadable", mount.mount_id, p.dentry,
                          p.parent_path.empty() ? mount.path : p.parent_path));
        continue;
      }
      const StructBytes dentry(p.dentry, std::move(raw));
      const std::uint64_t inode = dentry.get<std::uint64_t>(l_.vfs.d_inode).value_or(0);
      if (inode == 0) continue;  // negative dentry (or a readdir cursor): names nothing
      std::string path = mount.path;
      if (!p.parent_path.empty()) {
        // Not the mount's root: skip what is hidden under another mount.
        if (covered_.contains({mount.address, p.dentry})) continue;
        auto name = read_name(dentry);
        if (!name) {
          issue(fmt::format("mount {}: name of dentry {:#x} under {} unreadable", mount.mount_id, p.dentry,
                            p.parent_path));
          continue;
        }
        path = join_path(p.parent_path, *name);
      }
      if (!path_may_contain(path, prefix_)) continue;
      if (path_within(path, prefix_)) {
        // Unlinked while still in use: out of the hash table but still in its
        // parent's children, with its inode (d_path() shows "(deleted)").
        const bool deleted = !p.parent_path.empty() && l_.vfs.d_hash_pprev &&
                             dentry.get<std::uint64_t>(l_.vfs.d_hash_pprev).value_or(1) == 0;
        emit(dentry, inode, path, deleted);
        if (budget_refused_) break;
      }
      if (p.depth >= o_.max_depth) {
        issue(fmt::format("mount {}: {} is {} levels deep, not descended", mount.mount_id, path, p.depth));
        continue;
      }
      const std::uint64_t head = p.dentry + *l_.vfs.d_children;
      const std::uint32_t link = *l_.vfs.d_sibling;
      // Every dentry queued counts against the bound, so the stack stays bounded too.
      bool full = false;
      const auto push = [&](std::uint64_t node) {
        if (++queued > o_.max_dentries) {
          full = true;
          return false;
        }
        // Each queued dentry holds a copy of its parent's path.
        if (!k_.budget().charge(path.size())) {
          budget_refused_ = true;
          return false;
        }
        stack.push_back({node - link, path, p.depth + 1});
        return true;
      };
      const std::size_t room = o_.max_dentries;
      auto problem = l_.vfs.children_hlist ? walk_hlist(k_, head, room, push) : walk_list(k_, head, room, push);
      if (problem) issue(fmt::format("mount {}: children of {}: {}", mount.mount_id, path, *problem));
      if (budget_refused_ || k_.budget().exhausted()) break;
      if (full) {
        issue(fmt::format("mount {}: more than {} dentries, stopped at {}", mount.mount_id, o_.max_dentries, path));
        break;
      }
    }
    if (budget_refused_) issue(fmt::format("mount {}: {}", mount.mount_id, k_.budget().exhausted_issue()));
    return std::move(out_);
  }

 private:
  std::optional<std::string> read_name(const StructBytes& dentry) const {
    auto name = dentry.get<std::uint64_t>(l_.vfs.d_name_name);
    if (!name || *name == 0) return std::nullopt;
    std::size_t limit = kMaxNameBytes;
    if (auto len = dentry.get<std::uint32_t>(l_.vfs.d_name_len)) limit = std::min<std::size_t>(*len, kMaxNameBytes);
    auto text = k_.read_string(*name, limit);
    if (!text || text->empty()) return std::nullopt;
    return text;
  }

  void emit(const StructBytes& dentry, std::uint64_t inode_address, const std::string& path, bool deleted) {
    std::vector<std::byte> raw(l_.inode.read_size);
    if (!k_.read(inode_address, raw)) {
      issue(fmt::format("mount {}: inode {:#x} of {} unreadable", mount_->mount_id, inode_address, path));
      return;
    }
    const StructBytes inode(inode_address, std::move(raw));
    CachedFile f;
    f.uid = inode.get<std::uint32_t>(l_.inode.i_uid);
    // An unknown owner matches no --uid filter.
    if (!o_.uids.empty() && (!f.uid || std::find(o_.uids.begin(), o_.uids.end(), *f.uid) == o_.uids.end())) return;
    f.mnt_ns = mount_->mnt_ns;
    f.mount_id = mount_->mount_id;
    f.path = path;
    f.deleted = deleted;
    f.dentry_address = dentry.address();
    f.inode_address = inode_address;
    f.inode = inode.get<std::uint64_t>(l_.inode.i_ino);
    f.mode = inode.get<std::uint16_t>(l_.inode.i_mode).value_or(0);
    f.mode_string = mode_string(f.mode);
    f.gid = inode.get<std::uint32_t>(l_.inode.i_gid);
    f.size = inode.get<std::int64_t>(l_.inode.i_size);
    f.rdev = inode.get<std::uint32_t>(l_.inode.i_rdev);
    f.atime_unix_ns = unix_ns(inode, l_.inode.atime);
    f.mtime_unix_ns = unix_ns(inode, l_.inode.mtime);
    f.ctime_unix_ns = unix_ns(inode, l_.inode.ctime);
    if (!k_.budget().charge(footprint(f))) {
      budget_refused_ = true;
      return;
    }
    out_.files.push_back(std::move(f));
  }

  void issue(std::string text) {
    if (out_.issues.size() < o_.max_issues_per_mount) {
      out_.issues.push_back({"files", std::move(text)});
    } else {
      ++out_.suppressed_issues;
    }
  }

  const KernelMemory& k_;
  const FileLayout& l_;
  const FileWalkOptions& o_;
  const CoveredSet& covered_;
  const std::string& prefix_;
  const Mount* mount_ = nullptr;
  MountWalk out_;
  bool budget_refused_ = false;  // the dump's memory budget refused a charge: stop
};

}  // namespace

std::string mode_string(std::uint16_t mode) {
  char type = '?';
  switch (mode & 0170000) {
    case 0140000: type = 's'; break;
    case 0120000: type = 'l'; break;
    case 0100000: type = '-'; break;
    case 0060000: type = 'b'; break;
    case 0040000: type = 'd'; break;
    case 0020000: type = 'c'; break;
    case 0010000: type = 'p'; break;
    default: break;
  }
  std::string s(10, '-');
  s[0] = type;
  const char* rwx = "rwxrwxrwx";
  for (int i = 0; i < 9; ++i) {
    if (mode & (0400 >> i)) s[1 + i] = rwx[i];
  }
  // setuid, setgid, sticky replace the x of their class (upper case without x).
  const auto special = [&](std::uint16_t bit, std::size_t pos, char with_x, char without_x) {
    if (mode & bit) s[pos] = s[pos] == '-' ? without_x : with_x;
  };
  special(04000, 3, 's', 'S');
  special(02000, 6, 's', 'S');
  special(01000, 9, 't', 'T');
  return s;
}

std::string normalize_path_prefix(std::string_view prefix) {
  while (!prefix.empty() && prefix.back() == '/') prefix.remove_suffix(1);
  return std::string(prefix);
}

bool path_within(std::string_view path, std::string_view prefix) {
  if (prefix.empty()) return true;
  if (!path.starts_with(prefix)) return false;
  return path.size() == prefix.size() || path[prefix.size()] == '/';
}

bool path_may_contain(std::string_view path, std::string_view prefix) {
  return path_within(path, prefix) || path_within(prefix, normalize_path_prefix(path));
}

FileWalkResult walk_files(const KernelMemory& k, const std::vector<Mount>& mounts, const FileWalkOptions& options) {
  FileWalkResult result;
  const FileLayout l(k.layout());
  for (std::string& issue : k.layout().missing_issues("files")) result.issues.push_back({"files", std::move(issue)});
  if (!l.usable()) {
    result.issues.push_back({"files", "symbol table lacks the dentry, inode or mount members the file walk needs"});
    return result;
  }
  const std::string prefix = normalize_path_prefix(options.path_prefix);
  MountTopology topology(k, l, mounts, options.max_depth);
  std::vector<const Mount*> selected;
  for (const Mount& m : mounts) {
    if (!options.mount_ids.empty() &&
        std::find(options.mount_ids.begin(), options.mount_ids.end(), m.mount_id) == options.mount_ids.end()) {
      continue;
    }
    if (!path_may_contain(m.path, prefix)) continue;
    if (topology.hidden(m.address)) continue;
    selected.push_back(&m);
  }
  const CoveredSet& covered = topology.covered();

  std::vector<MountWalk> walks(selected.size());
  tbb::parallel_for(std::size_t{0}, selected.size(), [&](std::size_t i) {
    walks[i] = MountWalker(k, l, options, covered, prefix).walk(*selected[i]);
  });

  // Merged in mount order, so the cut (if any) is the same for any -j.
  for (std::size_t i = 0; i < walks.size(); ++i) {
    MountWalk& w = walks[i];
    for (CachedFile& f : w.files) {
      if (result.files.size() >= options.max_dentries) {
        result.issues.push_back(
            {"files", fmt::format("more than {} files, the rest of mount {} and later mounts left out",
                                  options.max_dentries, selected[i]->mount_id)});
        break;
      }
      result.files.push_back(std::move(f));
    }
    result.issues.insert(result.issues.end(), w.issues.begin(), w.issues.end());
    if (w.suppressed_issues) {
      result.issues.push_back({"files", fmt::format("mount {}: {} more issues not listed", selected[i]->mount_id,
                                                    w.suppressed_issues)});
    }
    if (result.files.size() >= options.max_dentries) break;
  }
  std::sort(result.files.begin(), result.files.end(), [](const CachedFile& a, const CachedFile& b) {
    return std::tie(a.mnt_ns, a.path, a.mount_id, a.dentry_address) <
           std::tie(b.mnt_ns, b.path, b.mount_id, b.dentry_address);
  });
  return result;
}

}  // namespace drydock
