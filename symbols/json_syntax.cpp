#include "symbols/detail/json_syntax.hpp"

#include <cstdint>
#include <vector>

namespace drydock::detail {
namespace {

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }
bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_hex(char c) {
  return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
}

class Scanner {
 public:
  Scanner(std::string_view text, std::size_t max_depth) : text_(text), max_depth_(max_depth) {}

  std::optional<JsonSyntaxError> run() {
    skip_space();
    if (pos_ == text_.size()) return fail("no JSON value (the input is empty or only whitespace)");
    // The grammar is walked with an explicit stack of open containers, so
    // hostile nesting cannot exhaust the C++ stack.
    std::vector<char> open;
    bool want_value = true;
    while (true) {
      if (want_value) {
        skip_space();
        if (pos_ == text_.size()) return fail("expected a value, found the end of the input");
        char c = text_[pos_];
        if (c == '{' || c == '[') {
          if (open.size() >= max_depth_) return fail("nesting deeper than the limit");
          open.push_back(c);
          ++pos_;
          skip_space();
          if (pos_ < text_.size() && text_[pos_] == (c == '{' ? '}' : ']')) {
            ++pos_;
            open.pop_back();
            want_value = false;
          } else if (c == '{') {
            if (auto e = object_key()) return e;
          }
          continue;
        }
        if (auto e = scalar()) return e;
        want_value = false;
        continue;
      }
      // After a value: close containers or move to the next element.
      skip_space();
      if (open.empty()) break;
      if (pos_ == text_.size()) return fail(open.back() == '{' ? "unterminated object" : "unterminated array");
      char c = text_[pos_];
      if (c == ',') {
        ++pos_;
        if (open.back() == '{') {
          if (auto e = object_key()) return e;
        }
        want_value = true;
      } else if (c == (open.back() == '{' ? '}' : ']')) {
        ++pos_;
        open.pop_back();
      } else {
        return fail(open.back() == '{' ? "expected ',' or '}' after an object member"
                                       : "expected ',' or ']' after an array element");
      }
    }
    if (pos_ != text_.size()) return fail("unexpected content after the JSON value");
    return std::nullopt;
  }

 private:
  std::optional<JsonSyntaxError> fail(std::string what) const { return JsonSyntaxError{pos_, std::move(what)}; }

  void skip_space() {
    while (pos_ < text_.size() && is_space(text_[pos_])) ++pos_;
  }

  // Reads `"key" :` and leaves pos_ at the value.
  std::optional<JsonSyntaxError> object_key() {
    skip_space();
    if (pos_ == text_.size() || text_[pos_] != '"') return fail("expected a string key");
    if (auto e = string()) return e;
    skip_space();
    if (pos_ == text_.size() || text_[pos_] != ':') return fail("expected ':' after an object key");
    ++pos_;
    return std::nullopt;
  }

  std::optional<JsonSyntaxError> scalar() {
    char c = text_[pos_];
    if (c == '"') return string();
    if (c == '-' || is_digit(c)) return number();
    for (std::string_view word : {"true", "false", "null"}) {
      if (text_.substr(pos_, word.size()) == word) {
        pos_ += word.size();
        return std::nullopt;
      }
    }
    return fail("expected a value");
  }

  std::optional<JsonSyntaxError> string() {
    ++pos_;  // opening quote
    while (pos_ < text_.size()) {
      auto c = static_cast<unsigned char>(text_[pos_]);
      if (c == '"') {
        ++pos_;
        return std::nullopt;
      }
      if (c < 0x20) return fail("control character in a string");
      if (c == '\\') {
        if (pos_ + 1 >= text_.size()) break;
        char e = text_[pos_ + 1];
        if (e == 'u') {
          for (std::size_t i = 2; i < 6; ++i) {
            if (pos_ + i >= text_.size() || !is_hex(text_[pos_ + i])) {
              pos_ += 1;
              return fail("invalid \\u escape in a string");
            }
          }
          pos_ += 6;
        } else if (std::string_view("\"\\/bfnrt").find(e) != std::string_view::npos) {
          pos_ += 2;
        } else {
          return fail("invalid escape in a string");
        }
        continue;
      }
      if (c < 0x80) {
        ++pos_;
        continue;
      }
      if (auto e = utf8_sequence()) return e;
    }
    return fail("unterminated string");
  }

  // One multi-byte UTF-8 sequence; rejects overlong forms, surrogates and
  // code points above U+10FFFF.
  std::optional<JsonSyntaxError> utf8_sequence() {
    auto byte = [&](std::size_t i) { return static_cast<unsigned char>(text_[pos_ + i]); };
    unsigned char lead = byte(0);
    std::size_t length = 0;
    std::uint32_t code = 0;
    if (lead >= 0xC2 && lead <= 0xDF) {
      length = 2;
      code = lead & 0x1F;
    } else if (lead >= 0xE0 && lead <= 0xEF) {
      length = 3;
      code = lead & 0x0F;
    } else if (lead >= 0xF0 && lead <= 0xF4) {
      length = 4;
      code = lead & 0x07;
    } else {
      return fail("invalid UTF-8");
    }
    if (pos_ + length > text_.size()) return fail("invalid UTF-8");
    for (std::size_t i = 1; i < length; ++i) {
      if ((byte(i) & 0xC0) != 0x80) return fail("invalid UTF-8");
      code = (code << 6) | (byte(i) & 0x3F);
    }
    bool overlong = (length == 3 && code < 0x800) || (length == 4 && code < 0x10000);
    if (overlong || code > 0x10FFFF || (code >= 0xD800 && code <= 0xDFFF)) return fail("invalid UTF-8");
    pos_ += length;
    return std::nullopt;
  }

  std::optional<JsonSyntaxError> number() {
    std::size_t start = pos_;
    auto digits = [&] {
      std::size_t from = pos_;
      while (pos_ < text_.size() && is_digit(text_[pos_])) ++pos_;
      return pos_ > from;
    };
    if (text_[pos_] == '-') ++pos_;
    if (pos_ < text_.size() && text_[pos_] == '0') {
      ++pos_;
    } else if (!digits()) {
      pos_ = start;
      return fail("invalid number");
    }
    if (pos_ < text_.size() && text_[pos_] == '.') {
      ++pos_;
      if (!digits()) return fail("invalid number: no digits after '.'");
    }
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      ++pos_;
      if (pos_ < text_.size() && (text_[pos_] == '+' || text_[pos_] == '-')) ++pos_;
      if (!digits()) return fail("invalid number: no digits in the exponent");
    }
    return std::nullopt;
  }

  std::string_view text_;
  std::size_t max_depth_;
  std::size_t pos_ = 0;
};

}  // namespace

std::optional<JsonSyntaxError> find_json_syntax_error(std::string_view text, std::size_t max_depth) {
  return Scanner(text, max_depth).run();
}

}  // namespace drydock::detail
