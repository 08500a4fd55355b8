#include "symbols/symbol_cache.hpp"

#include <algorithm>
#include <charconv>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <unordered_map>

#include <fmt/format.h>

#include "engine/core/sha256.hpp"
#include "symbols/detail/atomic_file.hpp"
#include "symbols/detail/symbol_table_impl.hpp"

namespace drydock {
namespace {

namespace fs = std::filesystem;

constexpr char kMagic[8] = {'D', 'D', 'S', 'Y', 'M', 'C', '\x01', '\0'};
constexpr std::uint32_t kVersion = 1;
constexpr std::size_t kHexHash = 64;
constexpr std::size_t kHeaderSize = 8 + 4 + 4 + kHexHash + kHexHash + 8;
// Far above a real table's image (~15 MB); a bigger entry is corrupt.
constexpr std::uint64_t kMaxImage = std::uint64_t{1} << 31;

// Appends little-endian values and string references.
class Writer {
 public:
  void u32(std::uint32_t v) { raw(&v, 4); }
  void u64(std::uint64_t v) { raw(&v, 8); }
  void i64(std::int64_t v) { raw(&v, 8); }
  void raw(const void* p, std::size_t n) { out_.append(static_cast<const char*>(p), n); }
  void str(std::string_view s) {
    // Strings go to a blob written before the tables; equal strings share bytes.
    auto [it, fresh] = offsets_.emplace(s, static_cast<std::uint32_t>(blob_.size()));
    if (fresh) blob_.append(s);
    u32(it->second);
    u32(static_cast<std::uint32_t>(s.size()));
  }
  std::string finish() {
    std::string payload;
    const std::uint64_t n = blob_.size();
    payload.append(reinterpret_cast<const char*>(&n), 8);
    payload += blob_;
    payload += out_;
    return payload;
  }

 private:
  std::string out_;
  std::string blob_;
  std::unordered_map<std::string_view, std::uint32_t> offsets_;
};

// Reads the same, checking every bound; any failure sets ok_ to false.
class Reader {
 public:
  explicit Reader(std::string_view data) : data_(data) {}
  bool ok() const { return ok_; }
  template <typename T>
  T get() {
    T v{};
    if (pos_ + sizeof(T) > data_.size()) {
      ok_ = false;
      return v;
    }
    std::memcpy(&v, data_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return v;
  }
  std::uint32_t u32() { return get<std::uint32_t>(); }
  std::uint64_t u64() { return get<std::uint64_t>(); }
  // A count of records of `record_size` bytes that must fit in what is left.
  std::size_t count(std::size_t record_size) {
    const std::uint64_t n = u64();
    if (!ok_ || n > (data_.size() - pos_) / record_size) {
      ok_ = false;
      return 0;
    }
    return static_cast<std::size_t>(n);
  }
  std::string_view take(std::size_t n) {
    if (pos_ + n > data_.size()) {
      ok_ = false;
      return {};
    }
    auto s = data_.substr(pos_, n);
    pos_ += n;
    return s;
  }
  std::string_view str(std::string_view blob) {
    const std::uint32_t off = u32(), len = u32();
    if (!ok_ || off > blob.size() || len > blob.size() - off) {
      ok_ = false;
      return {};
    }
    return blob.substr(off, len);
  }
  bool at_end() const { return pos_ == data_.size(); }

 private:
  std::string_view data_;
  std::size_t pos_ = 0;
  bool ok_ = true;
};

template <typename T>
bool sorted_unique(const std::vector<T>& items) {
  for (std::size_t i = 1; i < items.size(); ++i) {
    if (!(items[i - 1].name < items[i].name)) return false;
  }
  return true;
}

std::string read_whole(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

}  // namespace

std::string_view to_string(CacheOutcome outcome) {
  switch (outcome) {
    case CacheOutcome::disabled: return "disabled";
    case CacheOutcome::hit: return "hit";
    case CacheOutcome::miss: return "miss";
    case CacheOutcome::rebuilt: return "rebuilt";
  }
  return "?";
}

fs::path default_symbol_cache_dir() {
  if (const char* xdg = std::getenv("XDG_CACHE_HOME"); xdg && *xdg) return fs::path(xdg) / "drydock";
  if (const char* home = std::getenv("HOME"); home && *home) return fs::path(home) / ".cache" / "drydock";
  return {};
}

std::string serialize_symbol_table(const SymbolTable& table, std::string_view key) {
  const SymbolTable::Impl& t = table.impl();
  Writer w;
  w.u64(t.base_types.size());
  for (const BaseType& b : t.base_types) {
    w.str(b.name);
    w.u32(b.size);
    w.u32(b.is_signed);
  }
  w.u64(t.type_descs.size());
  for (const TypeDesc& d : t.type_descs) {
    w.u32(static_cast<std::uint32_t>(d.kind));
    w.str(d.name);
    w.u32(d.subtype);
    w.u32(d.count);
    w.u32(d.bit_position);
    w.u32(d.bit_length);
  }
  w.u64(t.members.size());
  for (const Member& m : t.members) {
    w.str(m.name);
    w.u32(m.offset);
    w.u32(m.type);
    w.u32(m.anonymous);
  }
  w.u64(t.user_types.size());
  for (const UserType& u : t.user_types) {
    w.str(u.name);
    w.u32(u.is_union);
    w.u32(u.size);
    w.u32(static_cast<std::uint32_t>(u.members.empty() ? 0 : u.members.data() - t.members.data()));
    w.u32(static_cast<std::uint32_t>(u.members.size()));
  }
  w.u64(t.enum_constants.size());
  for (const EnumConstant& c : t.enum_constants) {
    w.str(c.name);
    w.i64(c.value);
  }
  w.u64(t.enums.size());
  for (const EnumType& e : t.enums) {
    w.str(e.name);
    w.str(e.base);
    w.u32(e.size);
    w.u32(static_cast<std::uint32_t>(e.constants.empty() ? 0 : e.constants.data() - t.enum_constants.data()));
    w.u32(static_cast<std::uint32_t>(e.constants.size()));
  }
  w.u64(t.symbols.size());
  for (const Symbol& s : t.symbols) {
    w.str(s.name);
    w.u64(s.address);
    w.u32(s.type);
  }
  w.u32(t.banner.has_value());
  w.str(t.banner.value_or(std::string_view{}));
  const std::string payload = w.finish();

  std::string image(kMagic, sizeof kMagic);
  const std::uint32_t version = kVersion, reserved = 0;
  image.append(reinterpret_cast<const char*>(&version), 4);
  image.append(reinterpret_cast<const char*>(&reserved), 4);
  image.append(std::string(key).substr(0, kHexHash));
  image.resize(16 + kHexHash, '\0');
  image += sha256_hex(payload);
  const std::uint64_t size = payload.size();
  image.append(reinterpret_cast<const char*>(&size), 8);
  image += payload;
  return image;
}

Result<std::shared_ptr<const SymbolTable>> deserialize_symbol_table(std::string_view image, std::string_view key,
                                                                    std::string source) {
  const auto bad = [&](std::string_view why) { return Error::of(fmt::format("symbol cache entry: {}", why)); };
  if (image.size() < kHeaderSize || std::memcmp(image.data(), kMagic, sizeof kMagic) != 0) return bad("not a cache entry");
  Reader header(image.substr(8, kHeaderSize - 8));
  if (header.u32() != kVersion) return bad("other format version");
  header.u32();
  if (header.take(kHexHash) != key.substr(0, kHexHash)) return bad("made from another ISF");
  const std::string_view payload_hash = header.take(kHexHash);
  const std::uint64_t payload_size = header.u64();
  const std::string_view payload = image.substr(kHeaderSize);
  if (payload_size != payload.size() || payload_size > kMaxImage) return bad("truncated");
  if (sha256_hex(payload) != payload_hash) return bad("payload checksum mismatch");

  auto t = std::make_unique<SymbolTable::Impl>();
  t->source = std::move(source);
  Reader r(payload);
  const std::size_t blob_size = r.count(1);
  const std::string_view stored_blob = r.take(blob_size);
  const std::string_view blob = t->strings.store(stored_blob);  // one allocation; every name is a view into it
  if (!r.ok()) return bad("truncated string table");

  t->base_types.resize(r.count(16));
  for (BaseType& b : t->base_types) {
    b.name = r.str(blob);
    b.size = r.u32();
    b.is_signed = r.u32() != 0;
  }
  t->type_descs.resize(r.count(28));
  for (TypeDesc& d : t->type_descs) {
    const std::uint32_t kind = r.u32();
    if (kind > static_cast<std::uint32_t>(TypeKind::void_)) return bad("invalid type kind");
    d.kind = static_cast<TypeKind>(kind);
    d.name = r.str(blob);
    d.subtype = r.u32();
    d.count = r.u32();
    d.bit_position = static_cast<std::uint8_t>(r.u32());
    d.bit_length = static_cast<std::uint8_t>(r.u32());
  }
  const auto valid_type = [&](std::uint32_t index) { return index == UINT32_MAX || index < t->type_descs.size(); };
  for (const TypeDesc& d : t->type_descs) {
    if (!valid_type(d.subtype)) return bad("type reference out of range");
  }
  t->members.resize(r.count(20));
  for (Member& m : t->members) {
    m.name = r.str(blob);
    m.offset = r.u32();
    m.type = r.u32();
    m.anonymous = r.u32() != 0;
    if (!valid_type(m.type)) return bad("member type out of range");
  }
  t->user_types.resize(r.count(24));
  for (UserType& u : t->user_types) {
    u.name = r.str(blob);
    u.is_union = r.u32() != 0;
    u.size = r.u32();
    const std::uint32_t first = r.u32(), n = r.u32();
    if (first > t->members.size() || n > t->members.size() - first) return bad("member slice out of range");
    u.members = std::span<const Member>(t->members.data() + first, n);
  }
  t->enum_constants.resize(r.count(16));
  for (EnumConstant& c : t->enum_constants) {
    c.name = r.str(blob);
    c.value = r.get<std::int64_t>();
  }
  t->enums.resize(r.count(28));
  for (EnumType& e : t->enums) {
    e.name = r.str(blob);
    e.base = r.str(blob);
    e.size = r.u32();
    const std::uint32_t first = r.u32(), n = r.u32();
    if (first > t->enum_constants.size() || n > t->enum_constants.size() - first) return bad("enum slice out of range");
    e.constants = std::span<const EnumConstant>(t->enum_constants.data() + first, n);
  }
  t->symbols.resize(r.count(20));
  for (Symbol& s : t->symbols) {
    s.name = r.str(blob);
    s.address = r.u64();
    s.type = r.u32();
    if (!valid_type(s.type)) return bad("symbol type out of range");
  }
  const bool has_banner = r.u32() != 0;
  const std::string_view banner = r.str(blob);
  if (has_banner) t->banner = banner;
  if (!r.ok() || !r.at_end()) return bad("inconsistent tables");
  // Lookups are binary searches: the tables must be sorted by name.
  if (!sorted_unique(t->base_types) || !sorted_unique(t->user_types) || !sorted_unique(t->enums) ||
      !sorted_unique(t->symbols)) {
    return bad("tables not sorted");
  }
  for (const UserType& u : t->user_types) {
    for (std::size_t i = 1; i < u.members.size(); ++i) {
      if (!(u.members[i - 1].name < u.members[i].name)) return bad("members not sorted");
    }
  }
  return std::shared_ptr<const SymbolTable>(std::make_shared<SymbolTable>(std::move(t)));
}

Result<std::shared_ptr<const SymbolTable>> load_symbols(const fs::path& isf, const SymbolCacheOptions& options,
                                                        CacheOutcome* outcome) {
  const auto report = [&](CacheOutcome o) {
    if (outcome) *outcome = o;
  };
  if (options.dir.empty()) {
    report(CacheOutcome::disabled);
    return SymbolTable::load(isf);
  }
  auto key = sha256_file(isf);
  if (!key) return key.error();
  const fs::path entry = options.dir / (*key + ".ddsym");
  std::error_code ec;
  bool existed = fs::exists(entry, ec);
  if (existed) {
    auto cached = deserialize_symbol_table(read_whole(entry), *key, isf.string());
    if (cached) {
      report(CacheOutcome::hit);
      return cached;
    }
  }
  auto table = SymbolTable::load(isf);
  if (!table) return table;
  report(existed ? CacheOutcome::rebuilt : CacheOutcome::miss);
  // Best effort: a cache that cannot be written only costs speed.
  detail::write_file_atomically(entry, serialize_symbol_table(**table, *key));
  return table;
}

namespace {

// The entry for a table keyed by identity: "<sha256>.ddsym" and its source text beside it.
fs::path keyed_entry(const SymbolCacheOptions& options, std::string_view key) {
  return options.dir / (std::string(key) + ".ddsym");
}

}  // namespace

std::optional<std::shared_ptr<const SymbolTable>> load_cached_table(const SymbolCacheOptions& options,
                                                                    std::string_view identity) {
  if (options.dir.empty()) return std::nullopt;
  const std::string key = sha256_hex(identity);
  const fs::path entry = keyed_entry(options, key);
  std::error_code ec;
  if (!fs::exists(entry, ec)) return std::nullopt;
  fs::path source_file = entry;
  source_file.replace_extension(".source");
  if (!fs::exists(source_file, ec)) return std::nullopt;
  auto cached = deserialize_symbol_table(read_whole(entry), key, read_whole(source_file));
  if (!cached) return std::nullopt;
  return std::move(cached).value();
}

void store_cached_table(const SymbolCacheOptions& options, std::string_view identity, const SymbolTable& table) {
  if (options.dir.empty()) return;
  const std::string key = sha256_hex(identity);
  const fs::path entry = keyed_entry(options, key);
  fs::path source_file = entry;
  source_file.replace_extension(".source");
  // The source first: an entry is only read with its source beside it.
  if (detail::write_file_atomically(source_file, table.source()) &&
      detail::write_file_atomically(entry, serialize_symbol_table(table, key))) {
    const Symbol* link = table.symbol("linux_banner");
    const auto banner = table.banner();
    if (link && banner && banner->find('\n') == std::string_view::npos) {
      fs::path banner_file = entry;
      banner_file.replace_extension(".banner");
      detail::write_file_atomically(banner_file, fmt::format("{:x}\n{}\n{}", link->address, *banner, identity));
    }
  }
}

std::vector<CachedTableBanner> cached_table_banners(const SymbolCacheOptions& options) {
  constexpr std::size_t kMaxBanners = 256;
  std::vector<CachedTableBanner> found;
  if (options.dir.empty()) return found;
  std::error_code ec;
  for (fs::directory_iterator it(options.dir, ec), end; !ec && it != end && found.size() < kMaxBanners;
       it.increment(ec)) {
    if (it->path().extension() != ".banner") continue;
    const std::string text = read_whole(it->path());
    const auto first = text.find('\n');
    const auto second = first == std::string::npos ? std::string::npos : text.find('\n', first + 1);
    if (second == std::string::npos) continue;
    CachedTableBanner b;
    const std::string_view link(text.data(), first);
    auto [p, error] = std::from_chars(link.data(), link.data() + link.size(), b.link, 16);
    if (error != std::errc() || p != link.data() + link.size()) continue;
    b.banner = text.substr(first + 1, second - first - 1);
    b.identity = text.substr(second + 1);
    found.push_back(std::move(b));
  }
  // Directory order is arbitrary: probe in a fixed order.
  std::sort(found.begin(), found.end(), [](const auto& a, const auto& b) { return a.identity < b.identity; });
  return found;
}

}  // namespace drydock
