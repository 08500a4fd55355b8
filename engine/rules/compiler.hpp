#pragma once
// The rule compiler and the compiled rule set.
//
// Call order: add_file()/add_source() and define() in any order, then
// compile() once. Syntax errors are recorded as they are found; compile()
// adds the checker's and returns an error when there is any; all of them are
// in diagnostics(), in source order. A RuleCompiler is single-threaded.
//
// CompiledRules is immutable and thread-safe: share one between any number
// of evaluate() calls. Copies are cheap (shared ownership of the program).

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <vector>

#include "engine/core/result.hpp"
#include "engine/rules/finding.hpp"
#include "parser/diagnostic.hpp"
#include "parser/parse_rule_file.hpp"

namespace drydock::rules {

namespace detail {
struct Program;
}

struct RuleInfo {
  std::string name;
  std::string scope;
  std::vector<std::string> tags;
  std::vector<MetaEntry> meta;
  Severity severity = Severity::info;
  std::string description;
  bool is_private = false;
  bool is_global = false;
  bool is_override = false;  // `override rule`: replaces an earlier rule of this name
  bool is_disabled = false;  // --disable-rule: evaluated (others may use it) but never reported
  std::string file;
  std::uint32_t line = 0;
};

struct ExternalInfo {
  std::string name;
  MetaValue value;     // after -d definitions (unused for a list)
  bool defined = false;  // set with define() rather than defaulted
  std::optional<std::vector<std::string>> list;  // a list external: its strings
};

class CompiledRules {
 public:
  const std::vector<RuleInfo>& rules() const;
  const std::vector<ExternalInfo>& externals() const;
  const detail::Program& program() const { return *program_; }

 private:
  friend class RuleCompiler;
  explicit CompiledRules(std::shared_ptr<const detail::Program> program) : program_(std::move(program)) {}
  std::shared_ptr<const detail::Program> program_;
};

// Include nesting deeper than this is an error (E006).
inline constexpr int kMaxIncludeDepth = 32;

class RuleCompiler {
 public:
  RuleCompiler();
  ~RuleCompiler();
  RuleCompiler(const RuleCompiler&) = delete;
  RuleCompiler& operator=(const RuleCompiler&) = delete;

  // Reads and parses a rule file and, recursively, what it includes
  // (relative to the including file). `display_name` is how diagnostics name
  // it (default: the path as given); included files are named relative to it.
  void add_file(const std::filesystem::path& path);
  void add_file(const std::filesystem::path& path, std::string display_name);
  // Parses rule text; its includes are resolved relative to name's directory.
  void add_source(std::string text, std::string name);
  // An external variable from the command line (-d NAME=VALUE). VALUE is an
  // integer (decimal or 0x), true/false, or else a string; when the rules
  // declare NAME with a default, VALUE is read as the default's type. For a
  // list, VALUE is comma-separated, or `@FILE` for one value a line.
  void define(std::string name, std::string value);
  // --disable-rule NAME: the rule is never reported. An unknown NAME is an error (E034).
  void disable(std::string name);

  [[nodiscard]] Result<CompiledRules> compile();
  const std::vector<Diagnostic>& diagnostics() const { return diagnostics_; }
  bool has_errors() const;

 private:
  void load(const std::filesystem::path& real, std::string display, const ParsedFile* includer,
            const ast::Include* include, int depth);
  void take(std::string text, const std::filesystem::path& real, std::string display, int depth);

  std::vector<std::unique_ptr<ParsedFile>> files_;
  std::vector<std::pair<std::size_t, std::size_t>> items_;  // (file, item) in include-expanded order
  std::vector<std::filesystem::path> loaded_;
  std::vector<std::filesystem::path> include_stack_;
  std::vector<std::string> include_names_;  // display names of include_stack_
  std::vector<std::pair<std::string, std::string>> defines_;
  std::vector<std::string> disabled_;
  std::vector<Diagnostic> diagnostics_;
  bool compiled_ = false;
};

}  // namespace drydock::rules
