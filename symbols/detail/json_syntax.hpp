#pragma once
// Finds where a text stops being valid JSON (RFC 8259), for error messages.
// simdjson says that a document is malformed but not where; this slower,
// simple scanner runs only on that failure path. Pure function, no allocation
// beyond a nesting stack bounded by max_depth.

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace drydock::detail {

struct JsonSyntaxError {
  std::size_t offset = 0;  // byte offset of the first offending byte
  std::string what;        // "expected ':' after an object key"
};

// nullopt when `text` is one valid JSON value surrounded by whitespace.
std::optional<JsonSyntaxError> find_json_syntax_error(std::string_view text,
                                                      std::size_t max_depth = 1024);

}  // namespace drydock::detail
