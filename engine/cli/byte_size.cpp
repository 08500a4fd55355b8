#include "engine/cli/byte_size.hpp"

#include <unistd.h>

#include <cctype>
#include <cmath>
#include <string>

namespace drydock {

std::optional<std::uint64_t> parse_byte_size(std::string_view text) {
  std::size_t digits = 0;
  while (digits < text.size() && (std::isdigit(static_cast<unsigned char>(text[digits])) || text[digits] == '.')) {
    ++digits;
  }
  const std::string number(text.substr(0, digits));
  if (number.empty() || number.front() == '.' || number.find('.') != number.rfind('.')) return std::nullopt;
  std::string suffix;
  for (char c : text.substr(digits)) suffix += static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  int shift = 0;
  if (!suffix.empty() && suffix != "B") {
    const std::string_view units = "KMGT";
    const auto unit = units.find(suffix.front());
    const std::string_view rest = std::string_view(suffix).substr(1);
    if (unit == std::string_view::npos || !(rest.empty() || rest == "B" || rest == "IB")) return std::nullopt;
    shift = 10 * static_cast<int>(unit + 1);
  }
  const long double value = std::stold(number) * std::ldexp(1.0L, shift);
  if (!(value < 18446744073709551616.0L)) return std::nullopt;  // 2^64
  return static_cast<std::uint64_t>(value);
}

std::uint64_t default_max_memory() {
  const long pages = ::sysconf(_SC_PHYS_PAGES);
  const long page_size = ::sysconf(_SC_PAGESIZE);
  if (pages <= 0 || page_size <= 0) return std::uint64_t{4} << 30;  // unknown: 4 GiB
  return static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page_size) / 2;
}

}  // namespace drydock
