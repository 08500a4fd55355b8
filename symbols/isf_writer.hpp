#pragma once
// Writes a symbol table as Volatility 3 ISF JSON (format 6.2.0, as dwarf2json
// writes it; tests/data/isf-schema/ holds the schema it is checked against),
// so that a table built from BTF can be loaded by drydock (SymbolTable::parse)
// and by Volatility 3. linux_banner carries the banner as constant_data, which
// Volatility uses to match the ISF to a dump.
//
// Pure function of the table; the output is deterministic (names in order).

#include <string>

#include "symbols/symbol_table.hpp"

namespace drydock {

// The metadata names drydock (its version) as the producer.
std::string write_isf(const SymbolTable& table);

}  // namespace drydock
