#pragma once
// The kernel banner as an ISF carries it: linux_banner's base64 constant_data.
// Pure functions over text, used by the parser and by the cheap banner probe
// that find_symbols_for_banner runs on every candidate file.

#include <optional>
#include <string>
#include <string_view>

namespace drydock::detail {

// Standard base64 (RFC 4648 alphabet, '=' padding optional); nullopt when the
// text holds anything else.
std::optional<std::string> decode_base64(std::string_view text);

// The banner without the trailing newline(s) and NULs the kernel stores.
std::string_view trim_banner(std::string_view banner);

// Looks for the `"linux_banner": {...}` object in ISF JSON text without
// parsing the whole document, and returns its decoded, trimmed constant_data.
// nullopt when no such object with a valid constant_data is found.
std::optional<std::string> probe_banner(std::string_view json);

}  // namespace drydock::detail
