#pragma once
// System.map text ("ffffffff81000000 T _text" per line) read into symbol
// addresses for table_from_btf. Pure function over the text.

#include <string_view>
#include <vector>

#include "engine/core/result.hpp"
#include "symbols/btf_table.hpp"

namespace drydock {

// Every symbol of the map, in file order (a name may repeat: static symbols
// of several files). Absolute and local symbols are kept, as dwarf2json does.
// The error names the line that is not "ADDRESS TYPE NAME".
Result<std::vector<KernelSymbolAddress>> parse_system_map(std::string_view text, std::string_view source);

}  // namespace drydock
