#pragma once
// Offsets of kernel struct members, looked up in the ISF by name. Walkers
// resolve the offsets they need once per symbol table, choosing between
// kernel versions by which members exist, never by version number.

#include <cstdint>
#include <optional>
#include <string_view>

#include "symbols/symbol_table.hpp"

namespace drydock {

// Offset of a dotted member path ("ns.inum", "seccomp.mode") inside `type`,
// following named struct members (anonymous ones are looked through).
// nullopt when any step is missing.
std::optional<std::uint32_t> offset_of(const SymbolTable& symbols, std::string_view type, std::string_view path);

// The struct/union name of a member's type ("task_struct" for a member of
// type `struct task_struct` or `struct task_struct *`); empty if it is not one.
std::string_view member_struct_name(const SymbolTable& symbols, std::string_view type, std::string_view member);

}  // namespace drydock
