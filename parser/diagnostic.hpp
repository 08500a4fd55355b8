#pragma once
// Compile-time diagnostics of the rule language: a stable code, a one-line
// message, the place it points at (with a copy of the source line, so a
// diagnostic renders without the source at hand), a label under the caret and
// optional hints. Codes never change meaning; README.md ("The rule language") lists them.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace drydock::rules {

// A stretch of one line of a rule file. Lines and columns count from 1;
// columns count bytes. `length` is clamped to the end of the line (at least 1).
struct SourceSpan {
  std::string file;
  std::uint32_t line = 0;
  std::uint32_t column = 0;
  std::uint32_t length = 1;
  std::string line_text;  // the whole line (shortened around the column if huge)
  std::uint32_t text_column = 0;  // column of the span inside line_text (1-based)
};

enum class DiagnosticLevel : std::uint8_t { error, warning };

struct Diagnostic {
  std::string code;     // "E012"
  DiagnosticLevel level = DiagnosticLevel::error;
  std::string message;  // one line, no trailing period
  SourceSpan span;      // line 0: not tied to a place (e.g. a bad -d definition)
  std::string label;    // printed after the caret, may be empty
  std::vector<std::string> hints;  // each rendered as "= hint: ..."
};

// Renders one diagnostic, e.g.
//   a.rules:3:14: error[E012]: unknown field `eiud` of container
//      3 |   condition: eiud == 0
//        |              ^~~~ not a field of container
//        = hint: did you mean `euid`?
// Always ends with a newline.
std::string render_diagnostic(const Diagnostic& diagnostic);

// All of them, in order.
std::string render_diagnostics(const std::vector<Diagnostic>& diagnostics);

// Maps byte offsets of one source text to spans. Holds a view: the text must
// outlive it.
class SourceMap {
 public:
  SourceMap(std::string file, std::string_view text);
  SourceSpan span(std::size_t begin, std::size_t end) const;
  const std::string& file() const { return file_; }

 private:
  std::string file_;
  std::string_view text_;
  std::vector<std::size_t> line_starts_;
};

// Levenshtein distance, capped: returns `cap + 1` as soon as it is exceeded,
// so comparing against a long hostile name stays cheap.
std::size_t edit_distance(std::string_view a, std::string_view b, std::size_t cap);

// The candidate closest to `name` if it is close enough to be a likely typo.
std::string closest_match(std::string_view name, const std::vector<std::string_view>& candidates);

}  // namespace drydock::rules
