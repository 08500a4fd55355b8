// Reads Volatility 3 ISF JSON (format 6.x, as dwarf2json writes it) into the
// compact tables of SymbolTable::Impl.
//
// simdjson On-Demand is used rather than its DOM: both parse the 38 MB Debian
// ISF in about 50 ms, but On-Demand builds no tape, which saves ~45 MB of peak
// memory. On-Demand checks the JSON grammar lazily, as values are read, so a
// grammar error surfaces as a simdjson error code mid-walk; the exact byte is
// then found by detail::find_json_syntax_error on that (rare) path.
//
// ISF is outside data: every value is type-checked, every error names the JSON
// path, nesting is bounded, and references between types are checked once all
// tables are read.

#include "symbols/detail/isf_parser.hpp"

#include <simdjson.h>

#include <algorithm>
#include <bit>
#include <limits>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "symbols/detail/isf_banner.hpp"
#include "symbols/detail/json_syntax.hpp"
#include "symbols/detail/symbol_table_impl.hpp"
#include "symbols/detail/type_desc_interner.hpp"

namespace drydock::detail {

std::size_t isf_padding() { return simdjson::SIMDJSON_PADDING; }

namespace {

namespace od = simdjson::ondemand;

constexpr std::uint32_t kNone = UINT32_MAX;
// Real descriptors nest a few levels (pointer to array of pointers...); far
// deeper nesting is hostile input.
constexpr int kMaxTypeDepth = 32;

// A user type or enum while building: its members/constants are a range of
// the shared vector, turned into a span once that vector stops growing.
struct PendingUserType {
  UserType type;
  std::size_t first = 0;
  std::size_t count = 0;
};
struct PendingEnum {
  EnumType type;
  std::size_t first = 0;
  std::size_t count = 0;
};

bool is_type_error(simdjson::error_code e) {
  return e == simdjson::INCORRECT_TYPE || e == simdjson::NUMBER_ERROR ||
         e == simdjson::NUMBER_OUT_OF_RANGE;
}

std::string quoted(std::string_view text) {
  // Built by appends: GCC 12 gives a false -Wrestrict for "'" + std::string(...).
  std::string out;
  out.reserve(text.size() + 2);
  out += '\'';
  out += text;
  out += '\'';
  return out;
}

class IsfBuilder {
 public:
  IsfBuilder(std::string_view text, std::string source) : text_(text) {
    impl_ = std::make_unique<SymbolTable::Impl>();
    impl_->source = std::move(source);
  }

  Result<std::shared_ptr<const SymbolTable>> build(od::parser& parser, std::size_t capacity) {
    simdjson::padded_string_view view(text_.data(), text_.size(), capacity);
    od::document doc;
    if (auto e = parser.iterate(view).get(doc)) return syntax_error(e);
    od::object top;
    if (auto e = doc.get_object().get(top)) {
      // Valid JSON that is not an object (an array, a number) is reported as
      // such; anything else is a grammar error located by the scanner.
      if (find_json_syntax_error(text_)) return syntax_error(e);
      return not_isf("the top level is not a JSON object");
    }
    if (!read_top(top)) return finish_error();
    // Past the top object's end the document must be exhausted; a location
    // inside it means trailing content.
    const char* trailing = nullptr;
    if (!doc.current_location().get(trailing)) return syntax_error(simdjson::TRAILING_CONTENT);

    for (std::string_view section : {"metadata", "base_types", "user_types", "enums", "symbols"}) {
      if (!seen_.contains(section)) return not_isf("no " + quoted(section) + " section");
    }
    if (!finish_tables() || !check_references() || !check_anonymous_cycles()) return finish_error();
    return std::make_shared<const SymbolTable>(std::move(impl_));
  }

 private:
  // ---- errors --------------------------------------------------------------

  Error not_isf(const std::string& why) const {
    return Error::of(impl_->source + ": not an ISF symbol table (" + why + ")");
  }

  Error syntax_error(simdjson::error_code e) const {
    if (auto located = find_json_syntax_error(text_)) {
      return not_isf("JSON parse error at byte " + std::to_string(located->offset) + ": " +
                     located->what);
    }
    return not_isf(std::string("JSON parse error: ") + simdjson::error_message(e));
  }

  Error finish_error() const {
    if (syntax_error_) return syntax_error(*syntax_error_);
    return *error_;
  }

  std::string path_text() const {
    std::string text;
    for (std::string_view part : path_) {
      if (!text.empty()) text += '.';
      text += part;
    }
    return text;
  }

  // A content error at the current JSON path. Always returns false.
  bool fail(const std::string& what) {
    std::string where = path_text();
    error_ = Error::of(impl_->source + ": " + (where.empty() ? "" : where + ": ") + what);
    return false;
  }

  // A simdjson error while reading value `key`: a wrong JSON type is a
  // content error, anything else a grammar error.
  bool fail_json(simdjson::error_code e, std::string_view key, std::string_view expected) {
    if (is_type_error(e)) return fail(quoted(key) + " is not " + std::string(expected));
    syntax_error_ = e;
    return false;
  }

  bool grammar_error(simdjson::error_code e) {
    syntax_error_ = e;
    return false;
  }

  struct PathScope {
    PathScope(std::vector<std::string_view>& path, std::string_view part) : path_(path) {
      path_.push_back(part);
    }
    ~PathScope() { path_.pop_back(); }
    PathScope(const PathScope&) = delete;
    PathScope& operator=(const PathScope&) = delete;
    std::vector<std::string_view>& path_;
  };

  // ---- JSON value readers (errors name `key` under the current path) -------

  // Calls fn(key, value) for each member of object value `v`, with the path
  // extended by `key`; stops at the first failure.
  template <typename Fn>
  bool for_each_field(od::value v, std::string_view key, Fn&& fn) {
    od::object object;
    if (auto e = v.get_object().get(object)) return fail_json(e, key, "an object");
    PathScope scope(path_, key);
    return for_each_field_of(object, fn);
  }

  template <typename Fn>
  bool for_each_field_of(od::object& object, Fn& fn) {
    for (auto field_result : object) {
      od::field field;
      if (auto e = std::move(field_result).get(field)) return grammar_error(e);
      std::string_view name;
      if (auto e = field.unescaped_key().get(name)) return grammar_error(e);
      if (!fn(name, field.value())) return false;
    }
    return true;
  }

  bool read_string(od::value v, std::string_view key, std::string_view& out) {
    if (auto e = v.get_string().get(out)) return fail_json(e, key, "a string");
    return true;
  }

  bool read_bool(od::value v, std::string_view key, bool& out) {
    if (auto e = v.get_bool().get(out)) return fail_json(e, key, "a boolean");
    return true;
  }

  bool read_int(od::value v, std::string_view key, od::number& out) {
    if (auto e = v.get_number().get(out)) return fail_json(e, key, "an integer");
    if (out.is_double()) return fail(quoted(key) + " is not an integer");
    return true;
  }

  bool read_unsigned(od::value v, std::string_view key, std::uint64_t max, std::uint64_t& out) {
    od::number number;
    if (!read_int(v, key, number)) return false;
    if (number.is_int64() && number.get_int64() < 0) {
      return fail(quoted(key) + " is negative (" + std::to_string(number.get_int64()) + ")");
    }
    out = number.is_int64() ? static_cast<std::uint64_t>(number.get_int64()) : number.get_uint64();
    if (out > max) {
      return fail(quoted(key) + " is out of range (" + std::to_string(out) + " > " +
                  std::to_string(max) + ")");
    }
    return true;
  }

  template <typename T>
  bool read_unsigned_as(od::value v, std::string_view key, T& out) {
    std::uint64_t value = 0;
    if (!read_unsigned(v, key, std::numeric_limits<T>::max(), value)) return false;
    out = static_cast<T>(value);
    return true;
  }

  std::string_view intern(std::string_view text) {
    if (text.empty()) return {};
    auto it = names_.find(text);
    if (it != names_.end()) return *it;
    std::string_view stored = impl_->strings.store(text);
    names_.insert(stored);
    return stored;
  }

  // ---- sections ------------------------------------------------------------

  bool read_top(od::object& top) {
    auto section = [&](std::string_view key, od::value v) {
      if (key == "metadata") return mark_seen(key) && read_metadata(v);
      if (key == "base_types") return mark_seen(key) && for_each_field(v, key, [&](auto k, auto bv) { return read_base_type(k, bv); });
      if (key == "user_types") return mark_seen(key) && for_each_field(v, key, [&](auto k, auto uv) { return read_user_type(k, uv); });
      if (key == "enums") return mark_seen(key) && for_each_field(v, key, [&](auto k, auto ev) { return read_enum(k, ev); });
      if (key == "symbols") return mark_seen(key) && for_each_field(v, key, [&](auto k, auto sv) { return read_symbol(k, sv); });
      return true;  // unknown sections are skipped, as Volatility does
    };
    return for_each_field_of(top, section);
  }

  bool mark_seen(std::string_view key) {
    seen_.insert(key);
    return true;
  }

  bool read_metadata(od::value v) {
    std::string_view format;
    bool ok = for_each_field(v, "metadata", [&](std::string_view key, od::value field) {
      if (key == "format") return read_string(field, key, format);
      return true;
    });
    if (!ok) return false;
    PathScope scope(path_, "metadata");
    if (format.empty()) return fail("no 'format'");
    // The major version changes only with incompatible layouts (Volatility
    // refuses other majors too).
    if (!format.starts_with("6.")) {
      return fail("unsupported ISF format " + quoted(format) + " (drydock reads format 6.x)");
    }
    return true;
  }

  bool read_base_type(std::string_view name, od::value v) {
    BaseType base;
    base.name = intern(name);
    bool has_size = false;
    bool ok = for_each_field(v, name, [&](std::string_view key, od::value field) {
      if (key == "size") {
        has_size = true;
        return read_unsigned_as(field, key, base.size);
      }
      if (key == "signed") return read_bool(field, key, base.is_signed);
      return true;  // kind, endian: not needed for reading x86-64 memory
    });
    if (!ok) return false;
    PathScope scope(path_, name);
    if (!has_size) return fail("no 'size'");
    impl_->base_types.push_back(base);
    return true;
  }

  bool read_user_type(std::string_view name, od::value v) {
    PendingUserType pending;
    pending.type.name = intern(name);
    pending.first = impl_->members.size();
    std::string_view kind;
    bool has_size = false;
    bool has_fields = false;
    bool ok = for_each_field(v, name, [&](std::string_view key, od::value field) {
      if (key == "kind") return read_string(field, key, kind);
      if (key == "size") {
        has_size = true;
        return read_unsigned_as(field, key, pending.type.size);
      }
      if (key == "fields") {
        has_fields = true;
        return for_each_field(field, key, [&](std::string_view member, od::value mv) {
          return read_member(member, mv);
        });
      }
      return true;
    });
    if (!ok) return false;

    PathScope scope(path_, name);
    if (kind == "union") {
      pending.type.is_union = true;
    } else if (kind != "struct" && kind != "class") {
      if (kind.empty()) return fail("no 'kind'");
      return fail("'kind' is " + quoted(kind) + ", expected struct, union or class");
    }
    if (!has_size) return fail("no 'size'");
    if (!has_fields) return fail("no 'fields'");

    pending.count = impl_->members.size() - pending.first;
    auto begin = impl_->members.begin() + static_cast<std::ptrdiff_t>(pending.first);
    std::sort(begin, impl_->members.end(), [](const Member& a, const Member& b) { return a.name < b.name; });
    auto dup = std::adjacent_find(begin, impl_->members.end(),
                                  [](const Member& a, const Member& b) { return a.name == b.name; });
    if (dup != impl_->members.end()) return fail("member " + quoted(dup->name) + " appears twice");
    pending_types_.push_back(pending);
    return true;
  }

  bool read_member(std::string_view name, od::value v) {
    Member member;
    member.name = intern(name);
    bool has_offset = false;
    bool ok = for_each_field(v, name, [&](std::string_view key, od::value field) {
      if (key == "offset") {
        has_offset = true;
        return read_unsigned_as(field, key, member.offset);
      }
      if (key == "type") return read_type(field, key, 0, member.type);
      if (key == "anonymous") return read_bool(field, key, member.anonymous);
      return true;
    });
    if (!ok) return false;
    PathScope scope(path_, name);
    if (!has_offset) return fail("no 'offset'");
    if (member.type == kNone) return fail("no 'type'");
    impl_->members.push_back(member);
    return true;
  }

  // Reads a type descriptor object and interns it; `out` gets its index.
  bool read_type(od::value v, std::string_view key, int depth, std::uint32_t& out) {
    if (depth > kMaxTypeDepth) {
      return fail(quoted(key) + " nests types deeper than " + std::to_string(kMaxTypeDepth) + " levels");
    }
    std::string_view kind;
    std::string_view name;
    std::uint32_t subtype = kNone;
    std::uint32_t count = 0;
    std::uint8_t bit_position = 0;
    std::uint8_t bit_length = 0;
    bool has_count = false;
    bool has_bits = false;
    bool ok = for_each_field(v, key, [&](std::string_view k, od::value field) {
      if (k == "kind") return read_string(field, k, kind);
      if (k == "name") return read_string(field, k, name);
      if (k == "subtype" || k == "type") return read_type(field, k, depth + 1, subtype);
      if (k == "count") {
        has_count = true;
        return read_unsigned_as(field, k, count);
      }
      if (k == "bit_position") {
        has_bits = true;
        return read_unsigned_as(field, k, bit_position);
      }
      if (k == "bit_length") return read_unsigned_as(field, k, bit_length);
      return true;
    });
    if (!ok) return false;

    PathScope scope(path_, key);
    DescKey desc{TypeKind::void_, {}, kNone, 0, 0, 0};
    auto need_name = [&] {
      if (name.empty()) return fail("no 'name' for kind " + quoted(kind));
      desc.name = intern(name);
      return true;
    };
    auto need_subtype = [&](std::string_view field) {
      if (subtype == kNone) return fail("no " + quoted(field) + " for kind " + quoted(kind));
      desc.subtype = subtype;
      return true;
    };
    if (kind == "base") {
      if (!need_name()) return false;
      desc.kind = name == "void" ? TypeKind::void_ : TypeKind::base;
    } else if (kind == "struct" || kind == "class") {
      desc.kind = TypeKind::struct_;
      if (!need_name()) return false;
    } else if (kind == "union") {
      desc.kind = TypeKind::union_;
      if (!need_name()) return false;
    } else if (kind == "enum") {
      desc.kind = TypeKind::enum_;
      if (!need_name()) return false;
    } else if (kind == "pointer") {
      desc.kind = TypeKind::pointer;
      if (!need_subtype("subtype")) return false;
    } else if (kind == "array") {
      desc.kind = TypeKind::array;
      if (!need_subtype("subtype")) return false;
      if (!has_count) return fail("no 'count' for kind 'array'");
      desc.count = count;
    } else if (kind == "bitfield") {
      desc.kind = TypeKind::bitfield;
      if (!need_subtype("type")) return false;
      if (!has_bits) return fail("no 'bit_position' for kind 'bitfield'");
      desc.bit_position = bit_position;
      desc.bit_length = bit_length;
    } else if (kind == "function") {
      desc.kind = TypeKind::function;
    } else if (kind.empty()) {
      return fail("no 'kind'");
    } else {
      return fail("unknown type kind " + quoted(kind));
    }
    out = intern_desc(desc);
    return true;
  }

  std::uint32_t intern_desc(const DescKey& key) {
    return descs_.intern(*impl_, key);
  }

  bool read_enum(std::string_view name, od::value v) {
    PendingEnum pending;
    pending.type.name = intern(name);
    pending.first = impl_->enum_constants.size();
    bool has_size = false;
    bool has_constants = false;
    bool ok = for_each_field(v, name, [&](std::string_view key, od::value field) {
      if (key == "size") {
        has_size = true;
        return read_unsigned_as(field, key, pending.type.size);
      }
      if (key == "base") {
        std::string_view base;
        if (!read_string(field, key, base)) return false;
        pending.type.base = intern(base);
        return true;
      }
      if (key == "constants") {
        has_constants = true;
        return for_each_field(field, key, [&](std::string_view constant, od::value cv) {
          od::number number;
          if (!read_int(cv, constant, number)) return false;
          // An enum with a constant above INT64_MAX is unsigned 64-bit; keep
          // the bit pattern.
          std::int64_t value = number.is_int64() ? number.get_int64()
                                                 : std::bit_cast<std::int64_t>(number.get_uint64());
          impl_->enum_constants.push_back(EnumConstant{intern(constant), value});
          return true;
        });
      }
      return true;
    });
    if (!ok) return false;
    PathScope scope(path_, name);
    if (!has_size) return fail("no 'size'");
    if (!has_constants) return fail("no 'constants'");
    pending.count = impl_->enum_constants.size() - pending.first;
    auto begin = impl_->enum_constants.begin() + static_cast<std::ptrdiff_t>(pending.first);
    std::sort(begin, impl_->enum_constants.end(),
              [](const EnumConstant& a, const EnumConstant& b) { return a.name < b.name; });
    pending_enums_.push_back(pending);
    return true;
  }

  bool read_symbol(std::string_view name, od::value v) {
    Symbol symbol;
    bool has_address = false;
    std::string_view constant_data;
    bool ok = for_each_field(v, name, [&](std::string_view key, od::value field) {
      if (key == "address") {
        has_address = true;
        return read_unsigned(field, key, UINT64_MAX, symbol.address);
      }
      if (key == "type") return read_type(field, key, 0, symbol.type);
      // Only the banner's constant data is used; others are not even decoded.
      if (key == "constant_data" && name == "linux_banner") return read_string(field, key, constant_data);
      return true;
    });
    if (!ok) return false;
    PathScope scope(path_, name);
    if (!has_address) return fail("no 'address'");
    if (name == "linux_banner" && !constant_data.empty()) {
      auto banner = decode_base64(constant_data);
      if (!banner) return fail("'constant_data' is not valid base64");
      impl_->banner = impl_->strings.store(trim_banner(*banner));
    }
    // Symbol names are nearly all distinct: stored, not interned.
    symbol.name = impl_->strings.store(name);
    impl_->symbols.push_back(symbol);
    return true;
  }

  // ---- after reading -------------------------------------------------------

  template <typename T>
  bool sort_unique(std::vector<T>& items, std::string_view section) {
    std::sort(items.begin(), items.end(), [](const T& a, const T& b) { return a.type.name < b.type.name; });
    auto dup = std::adjacent_find(items.begin(), items.end(),
                                  [](const T& a, const T& b) { return a.type.name == b.type.name; });
    if (dup == items.end()) return true;
    PathScope scope(path_, section);
    return fail(quoted(dup->type.name) + " is defined twice");
  }

  bool finish_tables() {
    Impl& t = *impl_;
    if (!sort_unique(pending_types_, "user_types") || !sort_unique(pending_enums_, "enums")) return false;
    t.members.shrink_to_fit();
    t.enum_constants.shrink_to_fit();
    t.user_types.reserve(pending_types_.size());
    for (const PendingUserType& p : pending_types_) {
      UserType type = p.type;
      type.members = std::span<const Member>(t.members.data() + p.first, p.count);
      t.user_types.push_back(type);
    }
    t.enums.reserve(pending_enums_.size());
    for (const PendingEnum& p : pending_enums_) {
      EnumType type = p.type;
      type.constants = std::span<const EnumConstant>(t.enum_constants.data() + p.first, p.count);
      t.enums.push_back(type);
    }

    auto by_name = [](const auto& a, const auto& b) { return a.name < b.name; };
    auto same_name = [](const auto& a, const auto& b) { return a.name == b.name; };
    std::sort(t.base_types.begin(), t.base_types.end(), by_name);
    if (auto dup = std::adjacent_find(t.base_types.begin(), t.base_types.end(), same_name);
        dup != t.base_types.end()) {
      PathScope scope(path_, "base_types");
      return fail(quoted(dup->name) + " is defined twice");
    }
    std::sort(t.symbols.begin(), t.symbols.end(), by_name);
    if (auto dup = std::adjacent_find(t.symbols.begin(), t.symbols.end(), same_name); dup != t.symbols.end()) {
      PathScope scope(path_, "symbols");
      return fail(quoted(dup->name) + " is defined twice");
    }
    t.base_types.shrink_to_fit();
    t.symbols.shrink_to_fit();
    t.type_descs.shrink_to_fit();
    return true;
  }

  // A member's layout must be known: a struct, union, enum or base type it
  // holds by value (directly, as array elements or as bitfield storage) must
  // exist. Behind a pointer a missing type is fine: C allows pointers to
  // incomplete types, and dwarf2json output has ~100 such references.
  // Symbols are not checked: a symbol of an unknown type only lacks a size.
  bool check_references() {
    const Impl& t = *impl_;
    for (const UserType& type : t.user_types) {
      for (const Member& member : type.members) {
        std::uint32_t index = member.type;
        while (true) {
          const TypeDesc& desc = t.type_descs[index];
          std::string_view missing_in;
          if (desc.kind == TypeKind::array || desc.kind == TypeKind::bitfield) {
            index = desc.subtype;
            continue;
          }
          if ((desc.kind == TypeKind::struct_ || desc.kind == TypeKind::union_) &&
              !find_by_name(t.user_types, desc.name)) {
            missing_in = "user_types";
          } else if (desc.kind == TypeKind::enum_ && !find_by_name(t.enums, desc.name)) {
            missing_in = "enums";
          } else if (desc.kind == TypeKind::base && !find_by_name(t.base_types, desc.name)) {
            missing_in = "base_types";
          }
          if (!missing_in.empty()) {
            PathScope s1(path_, "user_types");
            PathScope s2(path_, type.name);
            PathScope s3(path_, "fields");
            PathScope s4(path_, member.name);
            return fail("type refers to " + quoted(desc.name) + ", which is not in " + std::string(missing_in));
          }
          break;
        }
      }
    }
    return true;
  }

  // A struct cannot contain itself; through anonymous members it would send
  // member() round in circles, so such a loop is rejected. Iterative DFS.
  bool check_anonymous_cycles() {
    const Impl& t = *impl_;
    enum : std::uint8_t { kUnseen, kOnStack, kDone };
    std::vector<std::uint8_t> state(t.user_types.size(), kUnseen);
    auto anonymous_target = [&](const Member& m) -> std::size_t {
      if (!m.anonymous) return SIZE_MAX;
      const TypeDesc& desc = t.type_descs[m.type];
      if (desc.kind != TypeKind::struct_ && desc.kind != TypeKind::union_) return SIZE_MAX;
      const UserType* target = find_by_name(t.user_types, desc.name);
      return target ? static_cast<std::size_t>(target - t.user_types.data()) : SIZE_MAX;
    };
    struct Frame {
      std::size_t type;
      std::size_t next_member;
    };
    std::vector<Frame> stack;
    for (std::size_t root = 0; root < t.user_types.size(); ++root) {
      if (state[root] != kUnseen) continue;
      stack.push_back({root, 0});
      state[root] = kOnStack;
      while (!stack.empty()) {
        Frame& frame = stack.back();
        std::span<const Member> members = t.user_types[frame.type].members;
        if (frame.next_member == members.size()) {
          state[frame.type] = kDone;
          stack.pop_back();
          continue;
        }
        const Member& member = members[frame.next_member++];
        std::size_t target = anonymous_target(member);
        if (target == SIZE_MAX || state[target] == kDone) continue;
        if (state[target] == kOnStack) {
          std::string cycle;
          auto first = std::find_if(stack.begin(), stack.end(), [&](const Frame& f) { return f.type == target; });
          for (auto it = first; it != stack.end(); ++it) cycle += std::string(t.user_types[it->type].name) + " -> ";
          cycle += t.user_types[target].name;
          PathScope s1(path_, "user_types");
          PathScope s2(path_, t.user_types[frame.type].name);
          PathScope s3(path_, "fields");
          PathScope s4(path_, member.name);
          return fail("anonymous members contain each other in a cycle (" + cycle + ")");
        }
        state[target] = kOnStack;
        stack.push_back({target, 0});
      }
    }
    return true;
  }

  using Impl = SymbolTable::Impl;

  std::string_view text_;
  std::unique_ptr<Impl> impl_;
  std::vector<std::string_view> path_;
  std::optional<Error> error_;
  std::optional<simdjson::error_code> syntax_error_;
  std::unordered_set<std::string_view> seen_;
  std::unordered_set<std::string_view> names_;
  TypeDescInterner descs_;
  std::vector<PendingUserType> pending_types_;
  std::vector<PendingEnum> pending_enums_;
};

}  // namespace

Result<std::shared_ptr<const SymbolTable>> parse_isf(const char* data, std::size_t size,
                                                      std::size_t capacity, std::string source) {
  od::parser parser;
  IsfBuilder builder(std::string_view(data, size), std::move(source));
  return builder.build(parser, capacity);
}

}  // namespace drydock::detail
