#include "engine/cli/file_extraction.hpp"

#include <fmt/format.h>

#include "engine/core/extract_dir.hpp"
#include "engine/core/sha256.hpp"
#include "engine/kernel/page_cache.hpp"
#include "reports/json_output.hpp"

namespace drydock {
namespace {

std::string full_encoding(std::string_view path) {
  std::string out;
  std::string_view rest = path;
  while (!rest.empty()) {
    const auto slash = rest.find('/');
    const std::string_view part = rest.substr(0, slash);
    if (!part.empty()) out += "/" + encode_path_component(part);
    if (slash == std::string_view::npos) break;
    rest.remove_prefix(slash + 1);
  }
  return out.empty() ? "/" : out;
}

nlohmann::json extract_one(const KernelMemory& kernel, const ExtractDir& dir, const ExtractItem& item,
                           ExtractSummary& summary) {
  nlohmann::json entry = {{"path", item.path},
                          {"path_encoded", full_encoding(item.path)},
                          {"written_as", nullptr},
                          {"kind", item.kind},
                          {"size", optional_json(item.size)},
                          {"bytes_recovered", nullptr},
                          {"complete", nullptr},
                          {"sha256", nullptr},
                          {"ranges", nlohmann::json::array()},
                          {"inode", item.inode},
                          {"container", optional_json(item.container)},
                          {"error", nullptr}};
  std::vector<std::string> components = encoded_components(item.path);
  components.insert(components.begin(), file_system_name(item.under));
  if (item.kind == "directory") {
    auto made = dir.make_directory(components);
    if (made) entry["written_as"] = *made;
    else entry["error"] = made.error().message;
    return entry;
  }
  if (item.kind != "file") {
    entry["error"] = fmt::format("a {} is listed, never created", item.kind);
    return entry;
  }
  PageCacheOptions options;
  options.charge_budget = false;  // one file at a time, written and dropped; max_bytes bounds it
  auto content = read_page_cache(kernel, item.inode_address, options);
  if (!content) {
    entry["error"] = content.error().message;
    return entry;
  }
  entry["bytes_recovered"] = content->bytes_in_memory;
  entry["complete"] = content->complete();
  nlohmann::json ranges = nlohmann::json::array();
  std::vector<ByteExtent> extents;
  for (const PageCacheExtent& e : content->extents) {
    ranges.push_back({e.offset, e.end()});
    extents.push_back({e.offset, e.bytes});
  }
  entry["ranges"] = ranges;
  if (content->complete()) {
    std::string_view all;
    if (!content->extents.empty()) {
      all = {reinterpret_cast<const char*>(content->extents.front().bytes.data()), content->extents.front().bytes.size()};
    }
    entry["sha256"] = sha256_hex(all);
    ++summary.complete;
  }
  if (!content->issues.empty()) entry["issues"] = content->issues;
  summary.bytes_recovered += content->bytes_in_memory;
  auto written = dir.write_file(components, static_cast<std::uint64_t>(content->file_size), extents);
  if (written) {
    entry["written_as"] = *written;
    ++summary.written;
  } else {
    entry["error"] = written.error().message;
  }
  return entry;
}

}  // namespace

Result<ExtractSummary> extract_files(const KernelMemory& kernel, const std::vector<ExtractItem>& items,
                                     const std::filesystem::path& root) {
  std::error_code ec;
  if (std::filesystem::exists(root, ec) && !std::filesystem::is_empty(root, ec)) {
    return Error::of(fmt::format("--extract {}: the directory is not empty (choose a new one)", root.string()));
  }
  auto dir = ExtractDir::open(root);
  if (!dir) return dir.error();
  ExtractSummary summary;
  nlohmann::json files = nlohmann::json::array();
  for (const ExtractItem& item : items) {
    files.push_back(extract_one(kernel, *dir, item, summary));
    ++summary.entries;
  }
  const nlohmann::json manifest = {{"files", files},
                                   {"summary",
                                    {{"entries", summary.entries},
                                     {"written", summary.written},
                                     {"complete", summary.complete},
                                     {"bytes_recovered", summary.bytes_recovered}}}};
  const std::string text = to_json_text(manifest) + "\n";
  const std::vector<ByteExtent> one{{0, std::as_bytes(std::span(text.data(), text.size()))}};
  auto written = dir->write_file({"manifest.json"}, text.size(), one);
  if (!written) return written.error();
  return summary;
}

}  // namespace drydock
