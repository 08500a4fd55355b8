// The globals table (see kernel_globals.hpp) and its resolution.

#include "symbols/kernel_globals.hpp"

#include <algorithm>
#include <array>

namespace drydock {
namespace {

// Grep engine/ for symbol() and symbol_address() when adding a walk that
// starts from a new global.
constexpr std::array kGlobals{
    KernelGlobal{"init_task", "struct task_struct"},
    KernelGlobal{"init_net", "struct net"},
    KernelGlobal{"net_namespace_list", "struct list_head"},
    KernelGlobal{"init_ipc_ns", "struct ipc_namespace"},
    KernelGlobal{"init_uts_ns", "struct uts_namespace"},
    KernelGlobal{"init_pid_ns", "struct pid_namespace"},
    KernelGlobal{"init_user_ns", "struct user_namespace"},
    KernelGlobal{"init_cgroup_ns", "struct cgroup_namespace"},
    KernelGlobal{"init_mm", "struct mm_struct"},
    KernelGlobal{"init_files", "struct files_struct"},
    KernelGlobal{"init_fs", "struct fs_struct"},
    KernelGlobal{"super_blocks", "struct list_head"},
    KernelGlobal{"modules", "struct list_head"},
    KernelGlobal{"btf_idr", "struct idr"},
    KernelGlobal{"mount_hashtable", "struct hlist_head *"},
    // Tells socket files from others (engine/kernel/socket_walker.cpp).
    KernelGlobal{"socket_file_ops", "struct file_operations"},
    // The timekeeper: tk_core (3.17 to 6.16), an anonymous struct;
    // timekeeper_data[] (6.17+); timekeeper alone before 3.17.
    KernelGlobal{"tk_core", "{seqcount_raw_spinlock_t seq; struct timekeeper timekeeper}"},
    KernelGlobal{"timekeeper_data", "struct tk_data[TIMEKEEPERS_MAX]"},
    KernelGlobal{"timekeeper", "struct timekeeper"},
    KernelGlobal{"jiffies", "long unsigned int"},
    KernelGlobal{"linux_banner", "char[]"},
    // A pointer to the note's page since 4.19.
    KernelGlobal{"vmcoreinfo_note", "unsigned int *"},
    KernelGlobal{"vmcoreinfo_data", "unsigned char *"},
    KernelGlobal{"init_top_pgt", "struct pgd_t[]"},
    KernelGlobal{"__pgtable_l5_enabled", "unsigned int"},
    KernelGlobal{"phys_base", "long unsigned int"},
    KernelGlobal{"page_offset_base", "long unsigned int"},
    KernelGlobal{"vmemmap_base", "long unsigned int"},
    KernelGlobal{"_stext", "char[]"},
    KernelGlobal{"_text", "char[]"},
    KernelGlobal{"__start_BTF", "char[]"},
    KernelGlobal{"__stop_BTF", "char[]"},
    KernelGlobal{"kallsyms_names", "unsigned char[]"},
    KernelGlobal{"kallsyms_num_syms", "unsigned int"},
    KernelGlobal{"kallsyms_token_table", "char[]"},
    KernelGlobal{"kallsyms_token_index", "short unsigned int[]"},
    KernelGlobal{"kallsyms_offsets", "int[]"},
    KernelGlobal{"kallsyms_relative_base", "long unsigned int"},
    KernelGlobal{"kallsyms_addresses", "long unsigned int[]"},
    KernelGlobal{"kallsyms_markers", "unsigned int[]"},
    KernelGlobal{"kallsyms_seqs_of_names", "unsigned char[]"},
};

constexpr int kMaxAlignDepth = 16;

std::string_view trim(std::string_view text) {
  while (!text.empty() && text.front() == ' ') text.remove_prefix(1);
  while (!text.empty() && text.back() == ' ') text.remove_suffix(1);
  return text;
}

class Resolver {
 public:
  explicit Resolver(const SymbolTable::Impl& types) : t_(types) {}

  Result<GlobalShape> resolve(std::string_view spec, std::string_view symbol) {
    spec = trim(spec);
    if (!spec.empty() && spec.front() == '{') return anonymous_struct(spec, symbol);
    if (spec.ends_with("*")) {
      auto inner = resolve(spec.substr(0, spec.size() - 1), symbol);
      if (!inner) return inner;
      GlobalShape shape;
      shape.kind = TypeKind::pointer;
      shape.subtype.push_back(std::move(inner).value());
      return shape;
    }
    if (spec.ends_with("]")) {
      const auto open = spec.rfind('[');
      if (open == std::string_view::npos) return Error::of("malformed type '" + std::string(spec) + "'");
      const std::string_view bound = trim(spec.substr(open + 1, spec.size() - open - 2));
      auto inner = resolve(spec.substr(0, open), symbol);
      if (!inner) return inner;
      GlobalShape shape;
      shape.kind = TypeKind::array;
      if (!bound.empty()) {
        auto count = array_bound(bound);
        if (!count) return Error::of("no enum constant " + std::string(bound));
        shape.count = *count;
      }
      shape.subtype.push_back(std::move(inner).value());
      return shape;
    }
    return named(spec);
  }

 private:
  std::optional<std::uint32_t> array_bound(std::string_view bound) const {
    if (std::all_of(bound.begin(), bound.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return static_cast<std::uint32_t>(std::stoul(std::string(bound)));
    }
    for (const EnumType& e : t_.enums) {
      if (const EnumConstant* c = find_by_name(e.constants, bound); c && c->value >= 0 && c->value < (1 << 20)) {
        return static_cast<std::uint32_t>(c->value);
      }
    }
    return std::nullopt;
  }

  Result<GlobalShape> named(std::string_view spec) {
    GlobalShape shape;
    auto keyword = [&](std::string_view word, TypeKind kind) {
      if (!spec.starts_with(word)) return false;
      shape.kind = kind;
      shape.name = std::string(trim(spec.substr(word.size())));
      return true;
    };
    if (keyword("struct ", TypeKind::struct_) || keyword("union ", TypeKind::union_)) {
      const UserType* type = find_by_name(t_.user_types, shape.name);
      if (!type) return Error::of("no user type " + shape.name);
      shape.kind = type->is_union ? TypeKind::union_ : TypeKind::struct_;
      return shape;
    }
    if (keyword("enum ", TypeKind::enum_)) {
      if (!find_by_name(t_.enums, shape.name)) return Error::of("no enum " + shape.name);
      return shape;
    }
    shape.name = std::string(spec);
    if (spec == "void") {
      shape.kind = TypeKind::void_;
      return shape;
    }
    if (find_by_name(t_.base_types, spec)) {
      shape.kind = TypeKind::base;
      return shape;
    }
    if (const UserType* type = find_by_name(t_.user_types, spec)) {
      shape.kind = type->is_union ? TypeKind::union_ : TypeKind::struct_;
      return shape;
    }
    return Error::of("no type " + std::string(spec));
  }

  Result<GlobalShape> anonymous_struct(std::string_view spec, std::string_view symbol) {
    if (!spec.ends_with("}")) return Error::of("malformed struct '" + std::string(spec) + "'");
    std::string_view body = spec.substr(1, spec.size() - 2);
    GlobalShape shape;
    shape.kind = TypeKind::struct_;
    shape.name = "unnamed_global_" + std::string(symbol);
    std::uint64_t end = 0;
    std::uint32_t max_align = 1;
    while (!trim(body).empty()) {
      const auto semi = body.find(';');
      const std::string_view decl = trim(body.substr(0, semi));
      body = semi == std::string_view::npos ? std::string_view{} : body.substr(semi + 1);
      const auto space = decl.rfind(' ');
      if (space == std::string_view::npos) return Error::of("malformed member '" + std::string(decl) + "'");
      auto type = resolve(decl.substr(0, space), symbol);
      if (!type) return type.error();
      auto layout = size_align(type.value(), 0);
      if (!layout) return Error::of("no size for member " + std::string(decl));
      const std::uint32_t align = std::max<std::uint32_t>(1, layout->second);
      end = (end + align - 1) / align * align;
      shape.fields.push_back(GlobalShape::Field{std::string(decl.substr(space + 1)), static_cast<std::uint32_t>(end),
                                                std::move(type).value()});
      end += layout->first;
      max_align = std::max(max_align, align);
    }
    shape.size = static_cast<std::uint32_t>((end + max_align - 1) / max_align * max_align);
    return shape;
  }

  // Size and alignment of a named type as the C compiler lays it out for
  // x86-64 (natural alignment; a struct aligns as its most aligned member).
  std::optional<std::pair<std::uint64_t, std::uint32_t>> size_align(const GlobalShape& shape, int depth) const {
    switch (shape.kind) {
      case TypeKind::pointer:
        return std::pair<std::uint64_t, std::uint32_t>{8, 8};
      case TypeKind::array: {
        auto element = size_align(shape.subtype.front(), depth);
        if (!element) return std::nullopt;
        return std::pair<std::uint64_t, std::uint32_t>{element->first * shape.count, element->second};
      }
      case TypeKind::base: {
        const BaseType* base = find_by_name(t_.base_types, shape.name);
        if (!base) return std::nullopt;
        return std::pair<std::uint64_t, std::uint32_t>{base->size, std::clamp<std::uint32_t>(base->size, 1, 16)};
      }
      case TypeKind::enum_: {
        const EnumType* e = find_by_name(t_.enums, shape.name);
        if (!e) return std::nullopt;
        return std::pair<std::uint64_t, std::uint32_t>{e->size, std::clamp<std::uint32_t>(e->size, 1, 8)};
      }
      case TypeKind::struct_:
      case TypeKind::union_: {
        const UserType* type = find_by_name(t_.user_types, shape.name);
        if (!type) return std::nullopt;
        return std::pair<std::uint64_t, std::uint32_t>{type->size, user_type_align(*type, depth)};
      }
      default:
        return std::nullopt;
    }
  }

  std::uint32_t user_type_align(const UserType& type, int depth) const {
    if (depth >= kMaxAlignDepth) return 1;
    std::uint32_t align = 1;
    for (const Member& m : type.members) {
      align = std::max(align, desc_align(m.type, depth + 1, 0));
    }
    return align;
  }

  std::uint32_t desc_align(std::uint32_t index, int depth, int chain) const {
    if (index >= t_.type_descs.size() || chain > 64 || depth >= kMaxAlignDepth) return 1;
    const TypeDesc& d = t_.type_descs[index];
    switch (d.kind) {
      case TypeKind::pointer: return 8;
      case TypeKind::array: case TypeKind::bitfield: return desc_align(d.subtype, depth, chain + 1);
      case TypeKind::base:
        if (const BaseType* base = find_by_name(t_.base_types, d.name)) return std::clamp<std::uint32_t>(base->size, 1, 16);
        return 1;
      case TypeKind::enum_:
        if (const EnumType* e = find_by_name(t_.enums, d.name)) return std::clamp<std::uint32_t>(e->size, 1, 8);
        return 1;
      case TypeKind::struct_: case TypeKind::union_:
        if (const UserType* u = find_by_name(t_.user_types, d.name)) return user_type_align(*u, depth + 1);
        return 1;
      default: return 1;
    }
  }

  const SymbolTable::Impl& t_;
};

}  // namespace

std::span<const KernelGlobal> kernel_globals() { return kGlobals; }

Result<GlobalShape> resolve_global_type(const KernelGlobal& global, const SymbolTable::Impl& types) {
  auto shape = Resolver(types).resolve(global.type, global.name);
  if (!shape) return Error::of("global " + std::string(global.name) + " (" + std::string(global.type) + "): " + shape.error().message);
  return shape;
}

}  // namespace drydock
