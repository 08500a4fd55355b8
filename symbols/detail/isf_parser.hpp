#pragma once
// The ISF JSON parser behind SymbolTable::parse and SymbolTable::load.

#include <cstddef>
#include <memory>
#include <string>

#include "engine/core/result.hpp"
#include "symbols/symbol_table.hpp"

namespace drydock::detail {

// Bytes that must be readable (any value) after the JSON text for the SIMD
// parser; callers that own the buffer reserve them to avoid a copy.
std::size_t isf_padding();

// Parses ISF JSON at data[0, size). Precondition: data[size, capacity) is
// readable and capacity - size >= isf_padding(). `source` prefixes errors.
Result<std::shared_ptr<const SymbolTable>> parse_isf(const char* data, std::size_t size,
                                                      std::size_t capacity, std::string source);

}  // namespace drydock::detail
