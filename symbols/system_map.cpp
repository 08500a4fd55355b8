#include "symbols/system_map.hpp"

#include <charconv>
#include <string>

namespace drydock {

Result<std::vector<KernelSymbolAddress>> parse_system_map(std::string_view text, std::string_view source) {
  std::vector<KernelSymbolAddress> symbols;
  std::size_t line_number = 0;
  while (!text.empty()) {
    ++line_number;
    const auto end = text.find('\n');
    std::string_view line = text.substr(0, end);
    text = end == std::string_view::npos ? std::string_view{} : text.substr(end + 1);
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    const auto first = line.find(' ');
    const auto second = first == std::string_view::npos ? first : line.find(' ', first + 1);
    std::uint64_t address = 0;
    const auto [ptr, ec] = std::from_chars(line.data(), line.data() + (first == std::string_view::npos ? 0 : first), address, 16);
    if (second == std::string_view::npos || ec != std::errc{} || ptr != line.data() + first || second != first + 2 ||
        second + 1 >= line.size()) {
      return Error::of(std::string(source) + ": line " + std::to_string(line_number) +
                       " is not 'ADDRESS TYPE NAME': '" + std::string(line.substr(0, 80)) + "'");
    }
    std::string_view name = line.substr(second + 1);
    // Module symbols carry "\t[module]"; vmlinux's map has none, keep the name only.
    name = name.substr(0, name.find_first_of(" \t"));
    symbols.push_back(KernelSymbolAddress{std::string(name), address});
  }
  return symbols;
}

}  // namespace drydock
