#include "symbols/banner_index.hpp"

#include <fstream>

#include <nlohmann/json.hpp>

#include "symbols/detail/atomic_file.hpp"

namespace drydock {
namespace {

namespace fs = std::filesystem;

constexpr const char* kFileName = "isf-banners.json";
constexpr int kVersion = 1;
constexpr std::uintmax_t kMaxIndexBytes = 16u << 20;  // far above any real directory of ISFs

std::string absolute_name(const fs::path& file) {
  std::error_code ec;
  const fs::path absolute = fs::absolute(file, ec);
  return (ec ? file : absolute).lexically_normal().string();
}

}  // namespace

std::optional<BannerIndex::Entry> BannerIndex::identify(const fs::path& file) {
  std::error_code ec;
  const auto size = fs::file_size(file, ec);
  if (ec) return std::nullopt;
  const auto time = fs::last_write_time(file, ec);
  if (ec) return std::nullopt;
  return Entry{size, std::chrono::duration_cast<std::chrono::nanoseconds>(time.time_since_epoch()).count(), {}};
}

BannerIndex BannerIndex::load(const fs::path& cache_dir) {
  BannerIndex index;
  index.dir_ = cache_dir;
  if (cache_dir.empty()) return index;
  const fs::path path = cache_dir / kFileName;
  std::error_code ec;
  const auto size = fs::file_size(path, ec);
  if (ec || size > kMaxIndexBytes) return index;
  std::ifstream in(path, std::ios::binary);
  const nlohmann::json json = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
  // Anything unexpected: start afresh (the index is only a hint).
  if (!json.is_object() || json.value("version", 0) != kVersion || !json.contains("files") ||
      !json["files"].is_object()) {
    return index;
  }
  for (const auto& [name, value] : json["files"].items()) {
    if (!value.is_object()) continue;
    const auto size_it = value.find("size");
    const auto mtime_it = value.find("mtime_ns");
    const auto banner_it = value.find("banner");
    if (size_it == value.end() || !size_it->is_number_unsigned() || mtime_it == value.end() ||
        !mtime_it->is_number_integer() || banner_it == value.end() || !banner_it->is_string()) {
      continue;
    }
    Entry entry{size_it->get<std::uintmax_t>(), mtime_it->get<std::int64_t>(), {banner_it->get<std::string>(), {}}};
    if (const auto link = value.find("link"); link != value.end() && link->is_number_unsigned()) {
      entry.known.link = link->get<std::uint64_t>();
    }
    index.entries_[name] = std::move(entry);
  }
  return index;
}

std::optional<KnownBanner> BannerIndex::lookup(const fs::path& file) const {
  const auto it = entries_.find(absolute_name(file));
  if (it == entries_.end()) return std::nullopt;
  const auto now = identify(file);
  if (!now || now->size != it->second.size || now->mtime_ns != it->second.mtime_ns) return std::nullopt;
  return it->second.known;
}

void BannerIndex::remember(const fs::path& file, KnownBanner known) {
  if (dir_.empty()) return;
  auto entry = identify(file);
  if (!entry) return;
  entry->known = std::move(known);
  const std::string name = absolute_name(file);
  const auto old = entries_.find(name);
  if (old != entries_.end() && old->second.size == entry->size && old->second.mtime_ns == entry->mtime_ns &&
      old->second.known.banner == entry->known.banner && old->second.known.link == entry->known.link) {
    return;  // nothing new
  }
  entries_[name] = std::move(*entry);
  dirty_ = true;
}

void BannerIndex::save() const {
  if (!dirty_ || dir_.empty()) return;
  nlohmann::json files = nlohmann::json::object();
  for (const auto& [name, e] : entries_) {
    files[name] = {{"size", e.size}, {"mtime_ns", e.mtime_ns}, {"banner", e.known.banner}};
    if (e.known.link) files[name]["link"] = *e.known.link;
  }
  const nlohmann::json json = {{"version", kVersion}, {"files", files}};
  // Banners are bytes from files: replace invalid UTF-8 rather than fail.
  detail::write_file_atomically(dir_ / kFileName, json.dump(1, ' ', false, nlohmann::json::error_handler_t::replace));
}

}  // namespace drydock
