#include "engine/containers/record_files.hpp"

#include <fmt/format.h>

#include "engine/kernel/file_walker.hpp"
#include "engine/kernel/mount_walker.hpp"
#include "engine/kernel/page_cache.hpp"

namespace drydock {
namespace {

constexpr std::uint16_t kFileTypeMask = 0170000, kRegularFile = 0100000;
constexpr std::uint64_t kMaxRecordBytes = 4u << 20;

RecordFile read_record(const KernelMemory& kernel, const CachedFile& f) {
  RecordFile out;
  out.path = f.path;
  if (!f.size || *f.size < 0) {
    out.problem = "size unknown";
    return out;
  }
  if (static_cast<std::uint64_t>(*f.size) > kMaxRecordBytes) {
    out.problem = fmt::format("{} bytes, more than the {} read of a record", *f.size, kMaxRecordBytes);
    return out;
  }
  PageCacheOptions options;
  options.max_bytes = kMaxRecordBytes;
  auto content = read_page_cache(kernel, f.inode_address, options);
  if (!content) {
    out.problem = "page cache unreadable: " + content.error().message;
    return out;
  }
  if (!content->complete()) {
    out.problem = fmt::format("only {} of its {} bytes are in memory (page cache)", content->bytes_in_memory,
                              content->file_size);
    return out;
  }
  std::string text;
  for (const PageCacheExtent& e : content->extents) {
    text.append(reinterpret_cast<const char*>(e.bytes.data()), e.bytes.size());
  }
  out.content = std::move(text);
  return out;
}

}  // namespace

RecordFilesResult find_record_files(const KernelMemory& kernel, const Task& host_init) {
  RecordFilesResult result;
  MountWalkResult mounts = mounts_seen_by(kernel, host_init);
  result.issues = std::move(mounts.issues);
  for (const std::string& dir : record_directories()) {
    FileWalkOptions options;
    options.path_prefix = dir;
    options.max_dentries = 1u << 16;
    FileWalkResult walked = walk_files(kernel, mounts.mounts, options);
    for (const CachedFile& f : walked.files) {
      if (f.deleted || (f.mode & kFileTypeMask) != kRegularFile || !classify_record_path(f.path)) continue;
      result.files.push_back(read_record(kernel, f));
    }
  }
  return result;
}

}  // namespace drydock
