// Queries over the tables an ISF was parsed into (see detail/isf_parser.hpp).

#include "symbols/symbol_table.hpp"

#include <set>
#include <utility>

#include <simdjson.h>

#include "symbols/detail/isf_parser.hpp"
#include "symbols/detail/symbol_table_impl.hpp"
#include "symbols/lookup_recorder.hpp"

namespace drydock {
namespace {

// Anonymous members nest a few levels in real kernels; the ISF parser already
// rejects cycles, this bound is a second guard.
constexpr int kMaxAnonymousDepth = 8;
// TypeDesc chains only point to earlier descriptors, so they end; the bound
// keeps even a corrupted table from recursing far.
constexpr int kMaxSizeDepth = 64;

}  // namespace

SymbolTable::SymbolTable(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
SymbolTable::SymbolTable(std::shared_ptr<const Impl> impl, std::shared_ptr<LookupRecorder> recorder)
    : impl_(std::move(impl)), recorder_(std::move(recorder)) {}
SymbolTable::~SymbolTable() = default;

std::shared_ptr<const SymbolTable> SymbolTable::with_recorder(std::shared_ptr<const SymbolTable> table,
                                                              std::shared_ptr<LookupRecorder> recorder) {
  if (!recorder) return table;
  // The constructor is private: make_shared cannot reach it.
  return std::shared_ptr<const SymbolTable>(new SymbolTable(table->impl_, std::move(recorder)));
}

Result<std::shared_ptr<const SymbolTable>> SymbolTable::load(const std::filesystem::path& path,
                                                             std::shared_ptr<LookupRecorder> recorder) {
  auto table = load(path);
  if (!table) return table;
  return with_recorder(std::move(table).value(), std::move(recorder));
}

Result<std::shared_ptr<const SymbolTable>> SymbolTable::parse(std::string_view json, std::string source) {
  // The SIMD parser reads a little past the end of the text: copy it into a
  // padded buffer. load() avoids this copy by padding the buffer it owns.
  simdjson::padded_string padded(json);
  return detail::parse_isf(padded.data(), padded.size(), padded.size() + detail::isf_padding(),
                           std::move(source));
}

const std::string& SymbolTable::source() const { return impl_->source; }

std::optional<std::string_view> SymbolTable::banner() const { return impl_->banner; }

const Symbol* SymbolTable::symbol(std::string_view name) const {
  if (recorder_) recorder_->add_symbol(name);
  return find_by_name(impl_->symbols, name);
}

// member() and size_of() go through here too, so their types are recorded.
const UserType* SymbolTable::user_type(std::string_view name) const {
  if (recorder_) recorder_->add_user_type(name);
  return find_by_name(impl_->user_types, name);
}

const BaseType* SymbolTable::base_type(std::string_view name) const {
  return find_by_name(impl_->base_types, name);
}

const TypeDesc& SymbolTable::type_desc(std::uint32_t index) const {
  // An invalid index (UINT32_MAX for "no type") reads as void rather than
  // out of bounds.
  static const TypeDesc kVoid{};
  if (index >= impl_->type_descs.size()) return kVoid;
  return impl_->type_descs[index];
}

std::optional<std::int64_t> SymbolTable::enum_value(std::string_view enum_name,
                                                    std::string_view constant) const {
  if (recorder_) recorder_->add_enum(enum_name);
  const EnumType* type = find_by_name(impl_->enums, enum_name);
  if (!type) return std::nullopt;
  const EnumConstant* value = find_by_name(type->constants, constant);
  if (!value) return std::nullopt;
  return value->value;
}

namespace {

// The result for (type, depth) does not depend on the path that reached it,
// so a failed (type, depth) is not searched again: without this, types that
// hold several anonymous members of the same type, level after level, make the
// search exponential (k members over 8 levels: k^8 visits; tests/fuzz/regressions/isf).
using FailedSearches = std::set<std::pair<const UserType*, int>>;

std::optional<MemberLocation> find_member(const SymbolTable& table, const UserType& type,
                                          std::string_view name, int depth, FailedSearches& failed) {
  if (const Member* direct = find_by_name(type.members, name)) {
    return MemberLocation{direct->offset, direct->type};
  }
  if (depth >= kMaxAnonymousDepth) return std::nullopt;
  for (const Member& m : type.members) {
    if (!m.anonymous) continue;
    const TypeDesc& desc = table.type_desc(m.type);
    if (desc.kind != TypeKind::struct_ && desc.kind != TypeKind::union_) continue;
    const UserType* inner = table.user_type(desc.name);
    if (!inner) continue;
    const std::pair<const UserType*, int> key{inner, depth + 1};
    if (failed.count(key) != 0) continue;
    if (auto found = find_member(table, *inner, name, depth + 1, failed)) {
      std::uint64_t offset = std::uint64_t{m.offset} + found->offset;
      if (offset > UINT32_MAX) return std::nullopt;
      return MemberLocation{static_cast<std::uint32_t>(offset), found->type};
    }
    failed.insert(key);
  }
  return std::nullopt;
}

}  // namespace

std::optional<MemberLocation> SymbolTable::member(std::string_view type, std::string_view member) const {
  const UserType* outer = user_type(type);
  if (!outer) return std::nullopt;
  FailedSearches failed;
  return find_member(*this, *outer, member, 0, failed);
}

std::optional<std::uint64_t> SymbolTable::size_of(std::uint32_t type_desc_index) const {
  std::uint64_t multiplier = 1;
  std::uint32_t index = type_desc_index;
  // Arrays and bitfields are followed iteratively (multiplying element
  // counts), so there is no recursion at all.
  for (int depth = 0; depth < kMaxSizeDepth; ++depth) {
    const TypeDesc& desc = type_desc(index);
    std::optional<std::uint64_t> size;
    switch (desc.kind) {
      case TypeKind::array:
        // Overflow of count * element size means a corrupt table: unsized.
        if (desc.count != 0 && multiplier > UINT64_MAX / desc.count) return std::nullopt;
        multiplier *= desc.count;
        index = desc.subtype;
        continue;
      case TypeKind::bitfield:
        index = desc.subtype;
        continue;
      case TypeKind::pointer:
        size = 8;
        break;
      case TypeKind::base:
        if (const BaseType* base = base_type(desc.name)) size = base->size;
        break;
      case TypeKind::struct_:
      case TypeKind::union_:
        if (const UserType* type = user_type(desc.name)) size = type->size;
        break;
      case TypeKind::enum_:
        if (recorder_) recorder_->add_enum(desc.name);
        if (const EnumType* type = find_by_name(impl_->enums, desc.name)) size = type->size;
        break;
      case TypeKind::function:
      case TypeKind::void_:
        break;
    }
    if (!size) return std::nullopt;
    if (*size != 0 && multiplier > UINT64_MAX / *size) return std::nullopt;
    return multiplier * *size;
  }
  return std::nullopt;
}

std::optional<std::uint64_t> SymbolTable::size_of(std::string_view user_type_name) const {
  const UserType* type = user_type(user_type_name);
  if (!type) return std::nullopt;
  return type->size;
}

std::size_t SymbolTable::symbol_count() const { return impl_->symbols.size(); }
std::size_t SymbolTable::user_type_count() const { return impl_->user_types.size(); }

std::size_t SymbolTable::memory_bytes() const {
  const Impl& t = *impl_;
  auto bytes = [](const auto& v) { return v.capacity() * sizeof(v[0]); };
  return sizeof(Impl) + t.source.capacity() + t.strings.memory_bytes() + bytes(t.base_types) +
         bytes(t.user_types) + bytes(t.members) + bytes(t.enums) + bytes(t.enum_constants) +
         bytes(t.symbols) + bytes(t.type_descs);
}

}  // namespace drydock
