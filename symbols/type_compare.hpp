#pragma once
// Compares how two symbol tables describe a type or symbol: sizes, member
// offsets and type shapes. Anonymous structs, unions and enums (whose
// generated names differ between dwarf2json and BTF) are compared by content.
// For the tests that check tables from BTF and written ISFs against
// dwarf2json's, and for anyone checking a table against another.

#include <string>
#include <string_view>
#include <vector>

#include "symbols/symbol_table.hpp"

namespace drydock {

// The differences of user type `name` between `expected` and `actual`, one
// line each ("task_struct.comm: offset 2976 != 2984"); empty when they agree.
// A member `expected` has and `actual` lacks is a difference; extra members in
// `actual` are not.
std::vector<std::string> compare_user_types(const SymbolTable& expected, const SymbolTable& actual, std::string_view name);

// The same for symbol `name`: address and type (when `expected` gives one).
std::vector<std::string> compare_symbols(const SymbolTable& expected, const SymbolTable& actual, std::string_view name);

// Whether a name is one a tool generated for an anonymous type.
bool is_generated_type_name(std::string_view name);

}  // namespace drydock
