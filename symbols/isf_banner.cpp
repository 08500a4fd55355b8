#include "symbols/detail/isf_banner.hpp"

#include <simdjson.h>

#include <array>
#include <cstdint>

namespace drydock::detail {

std::optional<std::string> decode_base64(std::string_view text) {
  static constexpr std::array<std::int8_t, 256> kValue = [] {
    std::array<std::int8_t, 256> value{};
    value.fill(-1);
    constexpr std::string_view kAlphabet =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    for (std::size_t i = 0; i < kAlphabet.size(); ++i) {
      value[static_cast<unsigned char>(kAlphabet[i])] = static_cast<std::int8_t>(i);
    }
    return value;
  }();

  while (!text.empty() && text.back() == '=') text.remove_suffix(1);
  if (text.size() % 4 == 1) return std::nullopt;  // no encoder leaves a lone sextet
  std::string out;
  out.reserve(text.size() / 4 * 3 + 2);
  std::uint32_t bits = 0;
  int bit_count = 0;
  for (char c : text) {
    std::int8_t v = kValue[static_cast<unsigned char>(c)];
    if (v < 0) return std::nullopt;
    bits = (bits << 6) | static_cast<std::uint32_t>(v);
    bit_count += 6;
    if (bit_count >= 8) {
      bit_count -= 8;
      out.push_back(static_cast<char>((bits >> bit_count) & 0xFF));
    }
  }
  return out;
}

std::string_view trim_banner(std::string_view banner) {
  while (!banner.empty() && (banner.back() == '\n' || banner.back() == '\0' || banner.back() == '\r')) {
    banner.remove_suffix(1);
  }
  return banner;
}

namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// The end (one past '}') of the JSON object starting at `open`, skipping
// braces inside strings; npos when it is not closed within `limit` bytes.
std::size_t object_end(std::string_view json, std::size_t open, std::size_t limit) {
  int depth = 0;
  bool in_string = false;
  std::size_t stop = std::min(json.size(), open + limit);
  for (std::size_t i = open; i < stop; ++i) {
    char c = json[i];
    if (in_string) {
      if (c == '\\') {
        ++i;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '{') {
      ++depth;
    } else if (c == '}' && --depth == 0) {
      return i + 1;
    }
  }
  return std::string_view::npos;
}

}  // namespace

std::optional<std::string> probe_banner(std::string_view json) {
  // A banner is a few hundred bytes; its symbol object is far below this.
  constexpr std::size_t kMaxObjectBytes = 64 * 1024;
  constexpr std::string_view kKey = "\"linux_banner\"";
  simdjson::dom::parser parser;
  for (std::size_t at = json.find(kKey); at != std::string_view::npos; at = json.find(kKey, at + 1)) {
    // Only a key (followed by ':') whose value is an object can be the symbol;
    // a struct member of that name has no constant_data and is passed over.
    std::size_t i = at + kKey.size();
    while (i < json.size() && is_space(json[i])) ++i;
    if (i == json.size() || json[i] != ':') continue;
    ++i;
    while (i < json.size() && is_space(json[i])) ++i;
    if (i == json.size() || json[i] != '{') continue;
    std::size_t end = object_end(json, i, kMaxObjectBytes);
    if (end == std::string_view::npos) continue;

    simdjson::dom::element object;
    if (parser.parse(json.data() + i, end - i).get(object)) continue;  // copies into a padded buffer
    std::string_view data;
    if (object["constant_data"].get_string().get(data)) continue;
    auto decoded = decode_base64(data);
    if (!decoded) continue;
    return std::string(trim_banner(*decoded));
  }
  return std::nullopt;
}

}  // namespace drydock::detail
