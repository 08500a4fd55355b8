#include "engine/rules/compiler.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <system_error>

#include "engine/rules/detail/checker.hpp"
#include "engine/rules/detail/program.hpp"

namespace drydock::rules {

namespace {

// Reads at most kMaxRuleFileBytes + 1 bytes, so the parser can refuse a
// larger file without reading all of it.
Result<std::string> read_text(const std::filesystem::path& path) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec)) return Error::of("is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in) return Error::of("cannot open it");
  std::string text(kMaxRuleFileBytes + 1, '\0');
  in.read(text.data(), static_cast<std::streamsize>(text.size()));
  if (in.bad()) return Error::of("read error");
  text.resize(static_cast<std::size_t>(in.gcount()));
  return text;
}

std::filesystem::path identity_of(const std::filesystem::path& path) {
  std::error_code ec;
  auto canonical = std::filesystem::weakly_canonical(path, ec);
  return ec ? path.lexically_normal() : canonical;
}

std::string display_join(const std::string& including, const std::string& included) {
  const std::filesystem::path inc(included);
  if (inc.is_absolute()) return included;
  return (std::filesystem::path(including).parent_path() / inc).lexically_normal().string();
}

}  // namespace

const std::vector<RuleInfo>& CompiledRules::rules() const { return program_->infos; }
const std::vector<ExternalInfo>& CompiledRules::externals() const { return program_->externals; }

RuleCompiler::RuleCompiler() = default;
RuleCompiler::~RuleCompiler() = default;

bool RuleCompiler::has_errors() const {
  return std::any_of(diagnostics_.begin(), diagnostics_.end(),
                     [](const Diagnostic& d) { return d.level == DiagnosticLevel::error; });
}

void RuleCompiler::add_file(const std::filesystem::path& path) { add_file(path, path.string()); }

void RuleCompiler::add_file(const std::filesystem::path& path, std::string display_name) {
  load(path, std::move(display_name), nullptr, nullptr, 0);
}

void RuleCompiler::add_source(std::string text, std::string name) {
  const std::filesystem::path real(name);
  take(std::move(text), real, std::move(name), 0);
}

void RuleCompiler::define(std::string name, std::string value) { defines_.emplace_back(std::move(name), std::move(value)); }

void RuleCompiler::disable(std::string name) { disabled_.push_back(std::move(name)); }

void RuleCompiler::load(const std::filesystem::path& real, std::string display, const ParsedFile* includer,
                        const ast::Include* include, int depth) {
  auto report = [&](std::string code, std::string message, std::string hint = {}) {
    Diagnostic d;
    d.code = std::move(code);
    d.message = std::move(message);
    if (includer != nullptr && include != nullptr) {
      d.span = includer->span_of(*include);
      d.label = "included here";
    } else {
      d.span.file = display;
    }
    if (!hint.empty()) d.hints.push_back(std::move(hint));
    diagnostics_.push_back(std::move(d));
  };
  const auto identity = identity_of(real);
  if (auto at = std::find(include_stack_.begin(), include_stack_.end(), identity); at != include_stack_.end()) {
    std::string chain;
    for (auto i = static_cast<std::size_t>(at - include_stack_.begin()); i < include_names_.size(); ++i) {
      chain += "`" + include_names_[i] + "` includes ";
    }
    report("E006", "include cycle: `" + display + "` is already being included",
           "the chain: " + chain + "`" + display + "`");
    return;
  }
  if (depth > kMaxIncludeDepth) {
    report("E006", "includes nested too deeply (the limit is " + std::to_string(kMaxIncludeDepth) + ")");
    return;
  }
  // A file included twice (not in a cycle) is read once, like an include guard.
  if (std::find(loaded_.begin(), loaded_.end(), identity) != loaded_.end()) return;
  auto text = read_text(real);
  if (!text) {
    report("E005", "cannot read rule file `" + display + "`: " + text.error().message);
    return;
  }
  loaded_.push_back(identity);
  include_stack_.push_back(identity);
  include_names_.push_back(display);
  take(std::move(text.value()), real, std::move(display), depth);
  include_stack_.pop_back();
  include_names_.pop_back();
}

void RuleCompiler::take(std::string text, const std::filesystem::path& real, std::string display, int depth) {
  files_.push_back(std::make_unique<ParsedFile>(parse_rule_file(std::move(text), display)));
  const std::size_t index = files_.size() - 1;
  for (auto& d : files_[index]->diagnostics) diagnostics_.push_back(d);
  const ParsedFile* file = files_[index].get();
  for (std::size_t i = 0; i < file->ast.items.size(); ++i) {
    if (const auto* include = boost::get<ast::Include>(&file->ast.items[i])) {
      const std::filesystem::path target(include->path.value);
      const auto real_target = target.is_absolute() ? target : real.parent_path() / target;
      load(real_target, display_join(display, include->path.value), file, include, depth + 1);
      continue;
    }
    items_.emplace_back(index, i);
  }
}

Result<CompiledRules> RuleCompiler::compile() {
  if (compiled_) return Error::of("RuleCompiler::compile() called twice");
  compiled_ = true;
  detail::CheckInput input{&files_, &items_, &defines_, &disabled_};
  std::vector<Diagnostic> semantic;
  auto program = detail::check(input, semantic);
  diagnostics_.insert(diagnostics_.end(), semantic.begin(), semantic.end());
  // Source order: by file (in load order), then line and column; diagnostics
  // without a place (command line) last.
  std::vector<std::string> order;
  for (const auto& f : files_) order.push_back(f->file_name);
  auto rank = [&](const Diagnostic& d) {
    auto it = std::find(order.begin(), order.end(), d.span.file);
    const std::size_t file = it == order.end() ? order.size() : static_cast<std::size_t>(it - order.begin());
    return std::make_tuple(file, d.span.line, d.span.column);
  };
  std::stable_sort(diagnostics_.begin(), diagnostics_.end(),
                   [&](const Diagnostic& a, const Diagnostic& b) { return rank(a) < rank(b); });
  if (has_errors()) {
    std::size_t errors = 0;
    for (const auto& d : diagnostics_) errors += d.level == DiagnosticLevel::error ? 1 : 0;
    return Error::of(std::to_string(errors) + (errors == 1 ? " error" : " errors") + " in the rules");
  }
  return CompiledRules(std::move(program));
}

}  // namespace drydock::rules
