#include "engine/scan/scan_inputs.hpp"

#include <archive.h>
#include <archive_entry.h>
#include <fcntl.h>
#include <unistd.h>

#include <algorithm>
#include <array>

#include <fmt/format.h>

namespace drydock {
namespace {

constexpr std::size_t kMaxArchiveEntries = 1u << 20;
constexpr std::size_t kMaxDirectoryEntries = 1u << 22;

struct ArchiveReader {
  archive* a = archive_read_new();
  ~ArchiveReader() { archive_read_free(a); }
  bool open(const std::filesystem::path& path) {
    archive_read_support_filter_all(a);
    archive_read_support_format_all(a);  // no raw format: a plain dump is not an archive
    return archive_read_open_filename(a, path.c_str(), 1 << 20) == ARCHIVE_OK;
  }
};

void expand_archive(const std::filesystem::path& path, InputExpansion& out) {
  ArchiveReader reader;
  if (!reader.open(path)) {
    out.errors.emplace_back(path.string(), fmt::format("cannot read archive: {}", archive_error_string(reader.a)));
    return;
  }
  archive_entry* entry = nullptr;
  std::size_t count = 0;
  int rc = ARCHIVE_OK;
  while ((rc = archive_read_next_header(reader.a, &entry)) == ARCHIVE_OK) {
    if (++count > kMaxArchiveEntries) {
      out.errors.emplace_back(path.string(), fmt::format("more than {} entries; the rest were not scanned", kMaxArchiveEntries));
      return;
    }
    if (archive_entry_filetype(entry) != AE_IFREG) continue;
    const char* name = archive_entry_pathname(entry);
    const std::string entry_name = name ? name : "?";
    out.inputs.push_back({path.string() + ":" + entry_name, path, entry_name,
                          static_cast<std::uint64_t>(std::max<la_int64_t>(archive_entry_size(entry), 0))});
  }
  if (rc != ARCHIVE_EOF) {
    out.errors.emplace_back(path.string(), fmt::format("archive damaged after {} entries: {}", count,
                                                       archive_error_string(reader.a)));
  }
}

void expand_one(const std::filesystem::path& path, InputExpansion& out) {
  std::error_code ec;
  const auto status = std::filesystem::status(path, ec);
  if (ec || !std::filesystem::exists(status)) {
    out.errors.emplace_back(path.string(), "no such file or directory");
    return;
  }
  if (std::filesystem::is_directory(status)) {
    std::vector<std::filesystem::path> files;
    std::filesystem::recursive_directory_iterator it(path, std::filesystem::directory_options::skip_permission_denied, ec);
    for (; !ec && it != std::filesystem::recursive_directory_iterator(); it.increment(ec)) {
      if (it->is_regular_file(ec) && !it->is_symlink(ec)) files.push_back(it->path());
      if (files.size() > kMaxDirectoryEntries) break;
    }
    if (ec) out.errors.emplace_back(path.string(), "cannot list directory: " + ec.message());
    std::sort(files.begin(), files.end());
    for (const auto& f : files) expand_one(f, out);
    return;
  }
  if (is_archive(path)) {
    expand_archive(path, out);
    return;
  }
  out.inputs.push_back({path.string(), path, "", static_cast<std::uint64_t>(std::filesystem::file_size(path, ec))});
}

}  // namespace

bool is_archive(const std::filesystem::path& path) {
  ArchiveReader reader;
  if (!reader.open(path)) return false;
  archive_entry* entry = nullptr;
  return archive_read_next_header(reader.a, &entry) == ARCHIVE_OK;
}

InputExpansion expand_scan_inputs(const std::vector<std::filesystem::path>& paths) {
  InputExpansion out;
  for (const auto& p : paths) expand_one(p, out);
  return out;
}

Result<std::unique_ptr<ExtractedEntry>> ExtractedEntry::extract(const ScanInput& input,
                                                                const std::filesystem::path& temp_dir) {
  ArchiveReader reader;
  if (!reader.open(input.path)) return Error::of(fmt::format("{}: cannot read archive", input.path.string()));
  archive_entry* entry = nullptr;
  while (archive_read_next_header(reader.a, &entry) == ARCHIVE_OK) {
    const char* name = archive_entry_pathname(entry);
    if (!name || input.archive_entry != name) continue;
    std::string pattern = (temp_dir / "drydock-entry-XXXXXX").string();
    const int fd = ::mkstemp(pattern.data());
    if (fd < 0) return Error::of(fmt::format("{}: cannot create a temporary file in {}", input.display, temp_dir.string()));
    std::unique_ptr<ExtractedEntry> extracted(new ExtractedEntry(pattern));
    const int rc = archive_read_data_into_fd(reader.a, fd);
    ::close(fd);
    if (rc != ARCHIVE_OK) {
      return Error::of(fmt::format("{}: cannot extract: {} (is there room in {}?)", input.display,
                                   archive_error_string(reader.a), temp_dir.string()));
    }
    return extracted;
  }
  return Error::of(fmt::format("{}: entry not found in the archive", input.display));
}

ExtractedEntry::~ExtractedEntry() {
  std::error_code ec;
  std::filesystem::remove(path_, ec);
}

}  // namespace drydock
