// Symbol tables from BTF (see btf_table.hpp): decoded BTF types mapped onto
// the ISF's compact tables, as dwarf2json would have described the kernel.

#include "symbols/btf_table.hpp"

#include <algorithm>
#include <cstdio>
#include <cstring>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "symbols/btf.hpp"
#include "symbols/detail/isf_banner.hpp"
#include "symbols/detail/symbol_table_impl.hpp"
#include "symbols/detail/type_desc_interner.hpp"
#include "symbols/kernel_globals.hpp"

namespace drydock {
namespace {

constexpr std::uint32_t kNone = UINT32_MAX;
// Chains of typedefs, qualifiers, pointers and arrays are a few links long in
// real kernels; a longer one is hostile (or a loop).
constexpr int kMaxChain = 64;

struct PendingUserType {
  std::string_view name;
  bool is_union = false;
  std::uint32_t size = 0;
  std::size_t first = 0;
  std::size_t count = 0;
};

std::string hex_number(std::uint32_t value) {
  char text[16];
  std::snprintf(text, sizeof text, "%x", value);
  return text;
}

class TableBuilder {
 public:
  explicit TableBuilder(std::string source) {
    impl_ = std::make_unique<SymbolTable::Impl>();
    impl_->source = std::move(source);
  }

  bool add_blob(const BtfTypes& btf) {
    btf_ = &btf;
    names_.reserve(names_.size() + btf.types.size());
    descs_.reserve(descs_.size() + btf.types.size());
    desc_of_.resize(btf.end_id(), kNone);
    in_progress_.resize(btf.end_id(), false);
    for (std::size_t i = 0; i < btf.types.size(); ++i) {
      const std::uint32_t id = btf.first_id + static_cast<std::uint32_t>(i);
      const BtfType& t = btf.types[i];
      switch (t.kind) {
        case BtfKind::int_:
        case BtfKind::float_:
          add_base(t);
          break;
        case BtfKind::struct_:
        case BtfKind::union_:
          if (!add_user_type(id, t, type_name(id, t))) return false;
          break;
        case BtfKind::typedef_:
          // dwarf2json describes `typedef struct {...} name_t` as a struct of
          // its own named name_t; other typedefs are looked through.
          if (const BtfType* target = btf.find(t.type);
              target && (target->kind == BtfKind::struct_ || target->kind == BtfKind::union_) && !t.name.empty()) {
            if (!add_user_type(t.type, *target, t.name)) return false;
          }
          break;
        case BtfKind::enum_:
        case BtfKind::enum64:
          add_enum(id, t);
          break;
        case BtfKind::var:
          if (!t.name.empty()) {
            std::uint32_t desc = kNone;
            if (!resolve(t.type, 0, desc)) return false;
            var_types_.try_emplace(t.name, desc);
          }
          break;
        default:
          break;
      }
    }
    return true;
  }

  const Error& error() const { return *error_; }

  bool finish(std::span<const KernelSymbolAddress> symbols, std::optional<std::string> banner) {
    SymbolTable::Impl& t = *impl_;
    // By name, the first of a repeated (static) name kept: a stable sort
    // rather than a hash set, which costs three times as much on 160,000 names.
    std::vector<std::uint32_t> order;
    order.reserve(symbols.size());
    for (std::uint32_t i = 0; i < symbols.size(); ++i) {
      if (!symbols[i].name.empty()) order.push_back(i);
    }
    std::stable_sort(order.begin(), order.end(),
                     [&](std::uint32_t a, std::uint32_t b) { return symbols[a].name < symbols[b].name; });
    order.erase(std::unique(order.begin(), order.end(),
                            [&](std::uint32_t a, std::uint32_t b) { return symbols[a].name == symbols[b].name; }),
                order.end());
    t.symbols.reserve(order.size());
    for (std::uint32_t i : order) {
      const KernelSymbolAddress& s = symbols[i];
      Symbol symbol;
      symbol.name = t.strings.store(s.name);
      symbol.address = s.address;
      if (auto var = var_types_.find(s.name); var != var_types_.end()) symbol.type = var->second;
      t.symbols.push_back(symbol);
    }
    if (banner) t.banner = t.strings.store(detail::trim_banner(*banner));
    add_base_named("void", 0, false);
    add_base_named("pointer", 8, false);
    sort_tables();
    build_spans();
    add_globals();
    return true;
  }

  std::unique_ptr<SymbolTable::Impl> take() { return std::move(impl_); }

 private:
  bool fail(std::uint32_t id, const std::string& what) {
    error_ = Error::of(impl_->source + ": BTF " + btf_->name + ": type id " + std::to_string(id) + ": " + what);
    return false;
  }

  // A name in a BTF blob's string section. BTF stores each string once: a
  // name seen at the same address before is interned without hashing its
  // text. (Only for names in the blobs, which stay put; generated names go
  // through intern().)
  std::string_view intern_btf(std::string_view text) {
    if (text.empty()) return {};
    if (auto seen = by_address_.find(text.data()); seen != by_address_.end() && seen->second.size() == text.size()) {
      return seen->second;
    }
    const std::string_view stored = intern(text);
    by_address_.insert_or_assign(text.data(), stored);
    return stored;
  }

  std::string_view intern(std::string_view text) {
    if (text.empty()) return {};
    auto it = names_.find(text);
    if (it != names_.end()) return *it;
    std::string_view stored = impl_->strings.store(text);
    names_.insert(stored);
    return stored;
  }

  std::uint32_t intern_desc(const DescKey& key) {
    return descs_.intern(*impl_, key);
  }

  // A struct's, union's or enum's name; anonymous ones get one from their id.
  std::string_view type_name(std::uint32_t id, const BtfType& t) {
    if (!t.name.empty()) return intern_btf(t.name);
    return intern("unnamed_btf_" + std::to_string(id));
  }

  void add_base_named(std::string_view name, std::uint32_t size, bool is_signed) {
    const std::string_view interned = intern(name);
    if (!base_seen_.insert(interned).second) return;
    impl_->base_types.push_back(BaseType{interned, size, is_signed});
  }

  void add_base(const BtfType& t) {
    // dwarf2json marks every base type signed but the unsigned ones (_Bool
    // and char included).
    add_base_named(t.name, t.size, t.name.find("unsigned") == std::string_view::npos);
  }

  bool add_user_type(std::uint32_t id, const BtfType& t, std::string_view name) {
    if (name.empty()) return true;
    name = intern_btf(name);
    if (!user_seen_.insert(name).second) return true;  // the first of a repeated name
    PendingUserType pending;
    pending.name = name;
    pending.is_union = t.kind == BtfKind::union_;
    pending.size = t.size;
    pending.first = impl_->members.size();
    std::uint32_t anonymous = 0;
    for (const BtfMember& m : btf_->members_of(t)) {
      Member member;
      member.offset = m.bit_offset / 8;
      if (m.name.empty()) {
        member.name = intern("unnamed_field_" + hex_number(anonymous++));
        member.anonymous = true;
      } else {
        member.name = intern_btf(m.name);
      }
      std::uint32_t type = kNone;
      if (!resolve(m.type, 0, type)) return false;
      std::uint8_t bits = m.bitfield_size;
      std::uint8_t extra_offset = 0;
      if (!t.kind_flag) {
        // Old-style bitfields: the INT's own bit width and offset say so.
        if (const BtfType* base = int_behind(m.type); base && (base->int_offset != 0 || base->int_bits != base->size * 8)) {
          bits = base->int_bits;
          extra_offset = base->int_offset;
        }
      }
      if (bits != 0) {
        const std::uint32_t bit = m.bit_offset + extra_offset;
        member.offset = bit / 8;
        type = intern_desc(DescKey{TypeKind::bitfield, {}, type, 0, static_cast<std::uint8_t>(bit % 8), bits});
      }
      member.type = type;
      impl_->members.push_back(member);
    }
    pending.count = impl_->members.size() - pending.first;
    auto begin = impl_->members.begin() + static_cast<std::ptrdiff_t>(pending.first);
    std::sort(begin, impl_->members.end(), [](const Member& a, const Member& b) { return a.name < b.name; });
    // Two members of one name (never in a real kernel): keep the first.
    auto last = std::unique(begin, impl_->members.end(), [](const Member& a, const Member& b) { return a.name == b.name; });
    impl_->members.erase(last, impl_->members.end());
    pending.count = impl_->members.size() - pending.first;
    pending_.push_back(pending);
    (void)id;
    return true;
  }

  // The INT a member's type is, looking through typedefs and qualifiers.
  const BtfType* int_behind(std::uint32_t id) const {
    for (int i = 0; i < kMaxChain; ++i) {
      const BtfType* t = btf_->find(id);
      if (!t) return nullptr;
      if (t->kind == BtfKind::int_) return t;
      if (t->kind != BtfKind::typedef_ && t->kind != BtfKind::const_ && t->kind != BtfKind::volatile_ &&
          t->kind != BtfKind::restrict_ && t->kind != BtfKind::type_tag) {
        return nullptr;
      }
      id = t->type;
    }
    return nullptr;
  }

  void add_enum(std::uint32_t id, const BtfType& t) {
    std::string_view name = type_name(id, t);
    if (!enum_seen_.insert(name).second) return;
    PendingEnum pending;
    pending.type.name = name;
    pending.type.size = t.size;
    pending.first = impl_->enum_constants.size();
    bool negative = false;
    for (const BtfEnumValue& v : btf_->values_of(t)) {
      impl_->enum_constants.push_back(EnumConstant{intern_btf(v.name), v.value});
      negative = negative || (v.value < 0 && !(t.kind == BtfKind::enum64 && !t.kind_flag));
    }
    pending.signed_values = negative;
    pending.count = impl_->enum_constants.size() - pending.first;
    auto begin = impl_->enum_constants.begin() + static_cast<std::ptrdiff_t>(pending.first);
    std::sort(begin, impl_->enum_constants.end(), [](const EnumConstant& a, const EnumConstant& b) { return a.name < b.name; });
    pending_enums_.push_back(pending);
  }

  // The TypeDesc of BTF type `id`, as dwarf2json's typeName would describe it.
  bool resolve(std::uint32_t id, int depth, std::uint32_t& out) {
    if (id < desc_of_.size() && desc_of_[id] != kNone) {
      out = desc_of_[id];
      return true;
    }
    if (depth > kMaxChain) return fail(id, "type chain longer than " + std::to_string(kMaxChain) + " links");
    if (id == 0) {
      out = intern_desc(DescKey{TypeKind::void_, intern("void"), kNone, 0, 0, 0});
      return true;
    }
    const BtfType* t = btf_->find(id);
    if (!t) return fail(id, "no such type");
    if (in_progress_[id]) return fail(id, "type refers to itself without a struct in between");
    in_progress_[id] = true;
    DescKey key{TypeKind::void_, {}, kNone, 0, 0, 0};
    bool ok = true;
    switch (t->kind) {
      case BtfKind::int_:
      case BtfKind::float_:
        key.kind = TypeKind::base;
        key.name = intern_btf(t->name);
        break;
      case BtfKind::ptr:
        key.kind = TypeKind::pointer;
        ok = resolve(t->type, depth + 1, key.subtype);
        break;
      case BtfKind::array:
        key.kind = TypeKind::array;
        key.count = t->count;
        ok = resolve(t->type, depth + 1, key.subtype);
        break;
      case BtfKind::struct_:
      case BtfKind::union_:
        key.kind = t->kind == BtfKind::union_ ? TypeKind::union_ : TypeKind::struct_;
        key.name = type_name(id, *t);
        break;
      case BtfKind::fwd:
        key.kind = t->kind_flag ? TypeKind::union_ : TypeKind::struct_;
        key.name = intern_btf(t->name);
        break;
      case BtfKind::enum_:
      case BtfKind::enum64:
        key.kind = TypeKind::enum_;
        key.name = type_name(id, *t);
        break;
      case BtfKind::typedef_:
        if (const BtfType* target = btf_->find(t->type);
            target && (target->kind == BtfKind::struct_ || target->kind == BtfKind::union_) && !t->name.empty()) {
          key.kind = target->kind == BtfKind::union_ ? TypeKind::union_ : TypeKind::struct_;
          key.name = intern_btf(t->name);
          break;
        }
        [[fallthrough]];
      case BtfKind::const_:
      case BtfKind::volatile_:
      case BtfKind::restrict_:
      case BtfKind::type_tag:
      case BtfKind::var: {
        std::uint32_t inner = kNone;
        ok = resolve(t->type, depth + 1, inner);
        in_progress_[id] = false;
        if (!ok) return false;
        desc_of_[id] = inner;
        out = inner;
        return true;
      }
      case BtfKind::func:
      case BtfKind::func_proto:
        key.kind = TypeKind::function;
        break;
      default:  // DATASEC, DECL_TAG: not types of values
        key.kind = TypeKind::void_;
        key.name = intern("void");
        break;
    }
    in_progress_[id] = false;
    if (!ok) return false;
    out = intern_desc(key);
    desc_of_[id] = out;
    return true;
  }

  void sort_tables() {
    SymbolTable::Impl& t = *impl_;
    auto by_name = [](const auto& a, const auto& b) { return a.name < b.name; };
    std::sort(pending_.begin(), pending_.end(), by_name);
    std::sort(pending_enums_.begin(), pending_enums_.end(),
              [](const PendingEnum& a, const PendingEnum& b) { return a.type.name < b.type.name; });
    std::sort(t.base_types.begin(), t.base_types.end(), by_name);
    // An enum's storage type: dwarf2json picks the first base type (by name)
    // of kind int with the enum's size and signedness.
    for (PendingEnum& e : pending_enums_) {
      e.type.base = intern("void");
      for (const BaseType& base : t.base_types) {
        const bool int_kind = base.name.find("char") == std::string_view::npos && base.name != "_Bool" &&
                              base.name != "float" && base.name != "double" && base.name != "long double" &&
                              base.name != "void";
        if (int_kind && base.size == e.type.size && base.is_signed == e.signed_values) {
          e.type.base = base.name;
          break;
        }
      }
    }
  }

  void build_spans() {
    SymbolTable::Impl& t = *impl_;
    t.user_types.clear();
    t.user_types.reserve(pending_.size() + kGlobalSlack);
    for (const PendingUserType& p : pending_) {
      t.user_types.push_back(UserType{p.name, p.is_union, p.size,
                                      std::span<const Member>(t.members.data() + p.first, p.count)});
    }
    t.enums.clear();
    for (const PendingEnum& p : pending_enums_) {
      EnumType type = p.type;
      type.constants = std::span<const EnumConstant>(t.enum_constants.data() + p.first, p.count);
      t.enums.push_back(type);
    }
  }

  // Gives the globals drydock starts from their types (symbols/kernel_globals.hpp).
  void add_globals() {
    SymbolTable::Impl& t = *impl_;
    std::vector<std::pair<std::string_view, GlobalShape>> resolved;
    for (const KernelGlobal& global : kernel_globals()) {
      const Symbol* symbol = find_by_name(t.symbols, global.name);
      if (!symbol) continue;
      auto shape = resolve_global_type(global, t);
      if (!shape) continue;  // the kernel lacks the type: the symbol stays untyped
      resolved.emplace_back(symbol->name, std::move(shape).value());
    }
    // Synthesized structs add members: the vector may move, so every span is
    // rebased afterwards.
    const Member* old_data = t.members.data();
    std::vector<std::pair<std::string_view, std::uint32_t>> types;
    std::vector<PendingUserType> synthesized;
    for (auto& [name, shape] : resolved) types.emplace_back(name, desc_of_shape(shape, synthesized));
    for (UserType& u : t.user_types) {
      u.members = std::span<const Member>(t.members.data() + (u.members.data() - old_data), u.members.size());
    }
    for (const PendingUserType& p : synthesized) {
      if (find_by_name(t.user_types, p.name)) continue;
      UserType type{p.name, false, p.size, std::span<const Member>(t.members.data() + p.first, p.count)};
      t.user_types.insert(std::lower_bound(t.user_types.begin(), t.user_types.end(), type,
                                           [](const UserType& a, const UserType& b) { return a.name < b.name; }),
                          type);
    }
    for (const auto& [name, type] : types) {
      const auto at = std::lower_bound(t.symbols.begin(), t.symbols.end(), name,
                                       [](const Symbol& s, std::string_view key) { return s.name < key; });
      at->type = type;  // found above
    }
  }

  std::uint32_t desc_of_shape(const GlobalShape& shape, std::vector<PendingUserType>& synthesized) {
    DescKey key{shape.kind, {}, kNone, shape.count, 0, 0};
    if (!shape.subtype.empty()) key.subtype = desc_of_shape(shape.subtype.front(), synthesized);
    key.name = intern(shape.name);
    if (!shape.fields.empty()) {
      PendingUserType p;
      p.name = key.name;
      p.size = shape.size;
      p.first = impl_->members.size();
      for (const GlobalShape::Field& f : shape.fields) {
        Member m;
        m.name = intern(f.name);
        m.offset = f.offset;
        m.type = desc_of_shape(f.type, synthesized);
        impl_->members.push_back(m);
      }
      p.count = shape.fields.size();
      auto begin = impl_->members.begin() + static_cast<std::ptrdiff_t>(p.first);
      std::sort(begin, impl_->members.end(), [](const Member& a, const Member& b) { return a.name < b.name; });
      synthesized.push_back(p);
    }
    return intern_desc(key);
  }

  struct PendingEnum {
    EnumType type;
    std::size_t first = 0;
    std::size_t count = 0;
    bool signed_values = false;
  };
  static constexpr std::size_t kGlobalSlack = 16;

  std::unique_ptr<SymbolTable::Impl> impl_;
  const BtfTypes* btf_ = nullptr;
  std::optional<Error> error_;
  std::vector<std::uint32_t> desc_of_;
  std::vector<bool> in_progress_;
  std::unordered_set<std::string_view> names_;
  std::unordered_map<const char*, std::string_view> by_address_;
  TypeDescInterner descs_;
  // Interned names (they live in the table's arena).
  std::unordered_set<std::string_view> base_seen_;
  std::unordered_set<std::string_view> user_seen_;
  std::unordered_set<std::string_view> enum_seen_;
  std::vector<PendingUserType> pending_;
  std::vector<PendingEnum> pending_enums_;
  std::unordered_map<std::string_view, std::uint32_t> var_types_;  // names in the blobs, which outlive the builder
};

// The header's fields, if they describe sections inside `size` bytes.
bool plausible_header(std::span<const std::byte> bytes) {
  if (bytes.size() < 24) return false;
  std::uint32_t f[5];
  std::memcpy(f, bytes.data() + 4, sizeof f);
  const std::uint32_t hdr_len = f[0], type_off = f[1], type_len = f[2], str_off = f[3], str_len = f[4];
  if (hdr_len != 24 || type_len == 0 || str_len == 0) return false;
  const std::uint64_t avail = bytes.size() - hdr_len;
  return std::uint64_t{type_off} + type_len <= avail && std::uint64_t{str_off} + str_len <= avail;
}

}  // namespace

Result<std::shared_ptr<const SymbolTable>> table_from_btf(const BtfBlob& vmlinux, std::span<const BtfBlob> modules,
                                                          std::span<const KernelSymbolAddress> symbols,
                                                          std::optional<std::string> banner, std::string source) {
  auto base = decode_btf(vmlinux.bytes, vmlinux.name);
  if (!base) return Error::of(source + ": " + base.error().message);
  TableBuilder builder(source);
  if (!builder.add_blob(base.value())) return builder.error();
  for (const BtfBlob& module : modules) {
    auto split = decode_btf(module.bytes, module.name, &base.value());
    if (!split) return Error::of(source + ": " + split.error().message);
    if (!builder.add_blob(split.value())) return builder.error();
  }
  builder.finish(symbols, std::move(banner));
  return std::make_shared<const SymbolTable>(builder.take());
}

std::optional<std::span<const std::byte>> find_btf_blob(std::span<const std::byte> bytes) {
  // The header starts 9f eb 01 00 (magic, version 1, flags 0), hdr_len 24.
  // BPF programs' own (small) BTF blobs lie in memory too: of the headers
  // that hold together, the largest that decodes is vmlinux's.
  static constexpr unsigned char kNeedle[] = {0x9f, 0xeb, 0x01, 0x00, 0x18, 0x00, 0x00, 0x00};
  const auto* data = reinterpret_cast<const unsigned char*>(bytes.data());
  std::vector<std::span<const std::byte>> candidates;
  std::size_t from = 0;
  while (from + sizeof kNeedle <= bytes.size()) {
    const void* hit = memmem(data + from, bytes.size() - from, kNeedle, sizeof kNeedle);
    if (!hit) break;
    const std::size_t at = static_cast<std::size_t>(static_cast<const unsigned char*>(hit) - data);
    from = at + 1;
    const std::span<const std::byte> rest = bytes.subspan(at);
    if (!plausible_header(rest)) continue;
    std::uint32_t f[5];
    std::memcpy(f, rest.data() + 4, sizeof f);
    const std::size_t total = 24 + std::max<std::uint64_t>(std::uint64_t{f[1]} + f[2], std::uint64_t{f[3]} + f[4]);
    candidates.push_back(rest.first(total));
  }
  std::stable_sort(candidates.begin(), candidates.end(),
                   [](const auto& a, const auto& b) { return a.size() > b.size(); });
  for (const auto& blob : candidates) {
    if (decode_btf(blob, "candidate")) return blob;
  }
  return std::nullopt;
}

}  // namespace drydock
