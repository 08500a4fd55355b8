#include "engine/kernel/container_changes.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "engine/core/sha256.hpp"
#include "engine/kernel/file_walker.hpp"
#include "engine/kernel/page_cache.hpp"

namespace drydock {
namespace {

constexpr std::size_t kMaxFirstLine = 256;
constexpr std::size_t kMaxLinesFile = 64 * 1024;
constexpr std::size_t kMaxLine = 1024;

// The lines of a text file (none when it holds a NUL: binary).
std::optional<std::vector<std::string>> text_lines(std::string_view text) {
  if (text.size() > kMaxLinesFile || text.find('\0') != std::string_view::npos) return std::nullopt;
  std::vector<std::string> lines;
  while (!text.empty()) {
    const auto end = text.find('\n');
    lines.emplace_back(text.substr(0, std::min(end, kMaxLine)));
    if (end == std::string_view::npos) break;
    text.remove_prefix(end + 1);
  }
  return lines;
}

void read_content(const KernelMemory& kernel, FileChange& change, const ChangeWalkOptions& options,
                  std::vector<ExtractionIssue>& issues) {
  PageCacheOptions o;
  o.want_bytes = change.size && *change.size <= static_cast<std::int64_t>(options.max_content_bytes);
  o.max_bytes = options.max_content_bytes;
  o.charge_budget = false;  // one file at a time, hashed and dropped; max_bytes bounds it
  auto content = read_page_cache(kernel, change.inode_address, o);
  if (!content) {
    issues.push_back({"changes", fmt::format("{}: {}", change.path, content.error().message)});
    return;
  }
  for (const std::string& issue : content->issues) issues.push_back({"changes", fmt::format("{}: {}", change.path, issue)});
  change.bytes_in_memory = content->bytes_in_memory;
  change.content_complete = content->complete();
  if (!o.want_bytes) return;
  if (!content->extents.empty() && content->extents.front().offset == 0) {
    change.first_line = first_line_of(content->extents.front().bytes);
  }
  if (content->complete()) {
    std::string_view all;
    if (!content->extents.empty()) {
      const auto& bytes = content->extents.front().bytes;
      all = std::string_view(reinterpret_cast<const char*>(bytes.data()), bytes.size());
    }
    change.sha256 = sha256_hex(all);
    change.lines = text_lines(all);
  }
}

}  // namespace

std::string file_kind(std::uint16_t mode, std::optional<std::uint32_t> rdev) {
  switch (mode & 0170000) {
    case 0100000: return "file";
    case 0040000: return "directory";
    case 0120000: return "symlink";
    case 0020000: return rdev && *rdev == 0 ? "whiteout" : "char_device";
    case 0060000: return "block_device";
    case 0010000: return "fifo";
    case 0140000: return "socket";
    default: return "unknown";
  }
}

std::string first_line_of(std::span<const std::byte> bytes) {
  const std::size_t limit = std::min(bytes.size(), kMaxFirstLine);
  std::string line;
  for (std::size_t i = 0; i < limit; ++i) {
    const char c = static_cast<char>(bytes[i]);
    if (c == '\n') break;
    line.push_back(c);
  }
  return line;
}

FileChange file_change_from(const CachedFile& f, const std::string& upperdir) {
  FileChange c;
  c.path = f.path.size() > upperdir.size() ? f.path.substr(upperdir.size()) : "/";
  c.kind = file_kind(f.mode, f.rdev);
  if (c.kind == "whiteout") {
    c.change = "deleted";
  } else if ((f.mode & 0170000) == 0020000 && !f.rdev) {
    c.change = "unknown";  // a character device whose number is unknown may be a whiteout
  } else {
    c.change = "added_or_modified";
  }
  c.inode_address = f.inode_address;
  c.inode = f.inode;
  c.mode = f.mode;
  c.mode_string = f.mode_string;
  c.uid = f.uid;
  c.gid = f.gid;
  c.size = f.size;
  c.mtime_unix_ns = f.mtime_unix_ns;
  c.ctime_unix_ns = f.ctime_unix_ns;
  if (f.rdev && ((f.mode & 0170000) == 0020000 || (f.mode & 0170000) == 0060000)) {
    c.rdev_major = *f.rdev >> 20;
    c.rdev_minor = *f.rdev & 0xfffff;
  }
  return c;
}

namespace {

// The opaque flag of each cached directory of the container's merged
// overlay (the overlay mount at overlay->merged in the initial namespace),
// by path inside the container.
std::map<std::string, bool> merged_opaque_flags(const KernelMemory& kernel, const std::vector<Mount>& host_mounts,
                                                const std::string& merged) {
  std::map<std::string, bool> out;
  const OverlayLayout& o = kernel.layout().overlay;
  FileWalkOptions walk;
  walk.path_prefix = merged;
  for (const CachedFile& f : walk_files(kernel, host_mounts, walk).files) {
    if ((f.mode & 0170000) != 0040000 || f.path.size() <= merged.size()) continue;
    auto fsdata = kernel.read_member<std::uint64_t>(f.dentry_address, o.d_fsdata);
    if (!fsdata) continue;
    std::optional<std::uint64_t> flags = fsdata;
    if (!o.flags_in_dentry) flags = *fsdata ? kernel.read_member<std::uint64_t>(*fsdata, o.entry_flags) : std::nullopt;
    if (flags) out[f.path.substr(merged.size())] = (*flags >> *o.opaque_bit) & 1;
  }
  return out;
}

}  // namespace

ChangeWalkResult walk_container_changes(const KernelMemory& kernel, const std::vector<Mount>& host_mounts,
                                        const std::vector<Container>& containers, const ChangeWalkOptions& options) {
  ChangeWalkResult result;
  for (const Container& container : containers) {
    if (!container.overlay || container.overlay->upperdir.empty()) continue;
    const std::string upperdir = normalize_path_prefix(container.overlay->upperdir);
    if (upperdir.empty() || upperdir.front() != '/') {
      result.issues.push_back({"changes", fmt::format("container {}: upperdir \"{}\" is not an absolute path",
                                                      container.id, container.overlay->upperdir)});
      continue;
    }
    FileWalkOptions walk;
    walk.path_prefix = upperdir;
    FileWalkResult files = walk_files(kernel, host_mounts, walk);
    for (ExtractionIssue& i : files.issues) {
      i.stage = "changes";
      i.message = fmt::format("container {}: {}", container.id, i.message);
      result.issues.push_back(std::move(i));
    }
    std::vector<FileChange>& changes = result.changes[container.id];
    bool found_root = false;
    for (const CachedFile& f : files.files) {
      if (f.path == upperdir) {
        found_root = true;
        continue;
      }
      FileChange change = file_change_from(f, upperdir);
      if (options.content && change.kind == "file") read_content(kernel, change, options, result.issues);
      changes.push_back(std::move(change));
    }
    std::sort(changes.begin(), changes.end(), [](const FileChange& a, const FileChange& b) { return a.path < b.path; });
    // Opaque directories, where the merged overlay's dentry is cached and the flag's layout known.
    if (kernel.layout().overlay.opaque_readable() && !container.overlay->merged.empty()) {
      const auto flags = merged_opaque_flags(kernel, host_mounts, normalize_path_prefix(container.overlay->merged));
      for (FileChange& c : changes) {
        if (c.kind != "directory") continue;
        if (auto it = flags.find(c.path); it != flags.end()) c.opaque = it->second;
      }
    }
    // One upper filesystem seen through two mounts lists an entry twice.
    changes.erase(std::unique(changes.begin(), changes.end(),
                              [](const FileChange& a, const FileChange& b) { return a.path == b.path; }),
                  changes.end());
    if (!found_root) {
      result.issues.push_back({"changes", fmt::format("container {}: upper directory {} not in the dentry cache of "
                                                      "the initial mount namespace: its changes are unknown",
                                                      container.id, upperdir)});
      result.changes.erase(container.id);
      continue;
    }
  }
  return result;
}

}  // namespace drydock
