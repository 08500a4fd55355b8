#pragma once
// Makes bytes from a dump safe to print on a terminal: control characters,
// DEL and invalid UTF-8 become \xNN escapes (and a backslash becomes \\), so
// a crafted process name cannot move the cursor, clear the screen or forge
// table rows.

#include <string>
#include <string_view>

namespace drydock {

std::string escape_text(std::string_view raw);

}  // namespace drydock
