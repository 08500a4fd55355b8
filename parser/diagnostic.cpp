#include "parser/diagnostic.hpp"

#include <algorithm>

namespace drydock::rules {

namespace {

constexpr std::size_t kMaxShownLine = 160;  // bytes of a source line shown around the column

}  // namespace

SourceMap::SourceMap(std::string file, std::string_view text) : file_(std::move(file)), text_(text) {
  line_starts_.push_back(0);
  for (std::size_t i = 0; i < text_.size(); ++i) {
    if (text_[i] == '\n') line_starts_.push_back(i + 1);
  }
}

SourceSpan SourceMap::span(std::size_t begin, std::size_t end) const {
  begin = std::min(begin, text_.size());
  end = std::clamp(end, begin, text_.size());
  auto it = std::upper_bound(line_starts_.begin(), line_starts_.end(), begin);
  const std::size_t line_index = static_cast<std::size_t>(it - line_starts_.begin()) - 1;
  const std::size_t line_begin = line_starts_[line_index];
  std::size_t line_end = text_.find('\n', line_begin);
  if (line_end == std::string_view::npos) line_end = text_.size();
  std::size_t shown_end = line_end;
  if (shown_end > line_begin && text_[shown_end - 1] == '\r') --shown_end;

  SourceSpan span;
  span.file = file_;
  span.line = static_cast<std::uint32_t>(line_index + 1);
  span.column = static_cast<std::uint32_t>(begin - line_begin + 1);
  const std::size_t span_end = std::min(end, shown_end);
  span.length = static_cast<std::uint32_t>(std::max<std::size_t>(1, span_end > begin ? span_end - begin : 1));

  // Very long lines (minified or hostile files) are cut to a window around
  // the column so a diagnostic stays one screen wide.
  std::size_t window_begin = line_begin;
  std::size_t window_end = shown_end;
  if (window_end - window_begin > kMaxShownLine) {
    window_begin = begin > line_begin + kMaxShownLine / 2 ? begin - kMaxShownLine / 2 : line_begin;
    window_end = std::min(shown_end, window_begin + kMaxShownLine);
    if (begin > window_end) window_begin = window_end = begin;
  }
  span.line_text = std::string(text_.substr(window_begin, window_end - window_begin));
  span.text_column = static_cast<std::uint32_t>(begin - window_begin + 1);
  const std::size_t max_len = span.line_text.size() + 1 >= span.text_column
                                  ? span.line_text.size() + 1 - span.text_column
                                  : 1;
  span.length = static_cast<std::uint32_t>(std::clamp<std::size_t>(span.length, 1, std::max<std::size_t>(1, max_len)));
  return span;
}

std::string render_diagnostic(const Diagnostic& d) {
  std::string out;
  const char* level = d.level == DiagnosticLevel::error ? "error" : "warning";
  if (d.span.line > 0) {
    out += d.span.file + ":" + std::to_string(d.span.line) + ":" + std::to_string(d.span.column) + ": ";
  } else if (!d.span.file.empty()) {
    out += d.span.file + ": ";
  }
  out += std::string(level) + "[" + d.code + "]: " + d.message + "\n";
  if (d.span.line > 0) {
    const std::string number = std::to_string(d.span.line);
    const std::string gutter(number.size(), ' ');
    out += " " + number + " | " + d.span.line_text + "\n";
    out += " " + gutter + " | ";
    // Keep tabs so the caret lines up with the source line in a terminal.
    for (std::uint32_t i = 0; i + 1 < d.span.text_column && i < d.span.line_text.size(); ++i) {
      out += d.span.line_text[i] == '\t' ? '\t' : ' ';
    }
    out += '^';
    out += std::string(d.span.length > 0 ? d.span.length - 1 : 0, '~');
    if (!d.label.empty()) out += " " + d.label;
    out += "\n";
    for (const auto& hint : d.hints) out += " " + gutter + " = hint: " + hint + "\n";
  } else {
    for (const auto& hint : d.hints) out += "  = hint: " + hint + "\n";
  }
  return out;
}

std::string render_diagnostics(const std::vector<Diagnostic>& diagnostics) {
  std::string out;
  for (const auto& d : diagnostics) out += render_diagnostic(d);
  return out;
}

std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t cap) {
  // Optimal string alignment distance: Levenshtein plus adjacent
  // transpositions, since "eiud" for "euid" is the typo people make.
  const std::size_t diff = a.size() > b.size() ? a.size() - b.size() : b.size() - a.size();
  if (diff > cap) return cap + 1;
  std::vector<std::size_t> before(b.size() + 1), previous(b.size() + 1), row(b.size() + 1);
  for (std::size_t j = 0; j <= b.size(); ++j) previous[j] = j;
  for (std::size_t i = 1; i <= a.size(); ++i) {
    row[0] = i;
    std::size_t row_min = row[0];
    for (std::size_t j = 1; j <= b.size(); ++j) {
      const std::size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
      row[j] = std::min({previous[j] + 1, row[j - 1] + 1, previous[j - 1] + cost});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) row[j] = std::min(row[j], before[j - 2] + 1);
      row_min = std::min(row_min, row[j]);
    }
    if (row_min > cap) return cap + 1;
    before.swap(previous);
    previous.swap(row);
  }
  return previous[b.size()];
}

std::string closest_match(std::string_view name, const std::vector<std::string_view>& candidates) {
  // Up to a third of the name's length plus one edit (at most 3) counts as a typo.
  const std::size_t cap = std::clamp<std::size_t>(name.size() / 3 + 1, 1, 3);
  std::string best;
  std::size_t best_distance = cap + 1;
  for (auto candidate : candidates) {
    const std::size_t d = edit_distance(name, candidate, cap);
    if (d < best_distance || (d == best_distance && !best.empty() && candidate < best)) {
      if (d <= cap && candidate != name) {
        best_distance = d;
        best = std::string(candidate);
      }
    }
  }
  return best;
}

}  // namespace drydock::rules
