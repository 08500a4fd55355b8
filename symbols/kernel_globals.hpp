#pragma once
// The global variables drydock starts its walks from, with their types.
// BTF describes no global variable but the per-CPU ones, so a table built from
// BTF (symbols/btf_table.hpp) gives these their types from here. The types are
// written as C-like declarations over the names an ISF would use:
//   "struct task_struct", "unsigned int", "char[]" (an array of unknown size,
//   count 0 as dwarf2json writes it), "struct tk_data[TIMEKEEPERS_MAX]" (count
//   from an enum constant), "unsigned int *", and an anonymous struct as
//   "{seqcount_raw_spinlock_t seq; struct timekeeper timekeeper}" (a struct or
//   union named without a keyword is looked up as a user type too).
// A test checks every row against every ISF in shared/ that has the symbol.
//
// Pure data and pure functions; no state.

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/result.hpp"
#include "symbols/detail/symbol_table_impl.hpp"

namespace drydock {

struct KernelGlobal {
  std::string_view name;
  std::string_view type;
};

// Every row, in a fixed order.
std::span<const KernelGlobal> kernel_globals();

// A global's type, resolved against a table's types: the shape of an ISF type
// descriptor, plus the layout of a synthesized anonymous struct.
struct GlobalShape {
  struct Field;
  TypeKind kind = TypeKind::void_;
  std::string name;             // base/struct/union/enum name; for a synthesized struct, its generated name
  std::uint32_t count = 0;      // array element count
  std::vector<GlobalShape> subtype;  // pointer/array: one element
  std::vector<Field> fields;    // synthesized anonymous struct: its members in order
  std::uint32_t size = 0;       // synthesized anonymous struct: its size
};
struct GlobalShape::Field {
  std::string name;
  std::uint32_t offset = 0;
  GlobalShape type;
};

// Resolves `global`'s type over `types`. The error says which name was
// missing. A synthesized struct is named "unnamed_global_<symbol>".
Result<GlobalShape> resolve_global_type(const KernelGlobal& global, const SymbolTable::Impl& types);

}  // namespace drydock
