#include "engine/cli/rule_loading.hpp"

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <set>
#include <sstream>

#include "engine/core/sha256.hpp"
#include "engine/scan/bundled_rules.hpp"
#include "parser/diagnostic.hpp"

namespace drydock {

namespace {

// The rule files of --rules, in load order: a directory gives its *.rules
// files (recursive, sorted); the other files found there go to `skipped`.
// The error names a directory without any.
Result<std::vector<std::filesystem::path>> rule_files(const RuleOptions& options,
                                                      std::vector<std::filesystem::path>* skipped = nullptr) {
  std::vector<std::filesystem::path> out;
  for (const std::string& path : options.paths) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
      std::vector<std::filesystem::path> files;
      for (const auto& entry : std::filesystem::recursive_directory_iterator(path, ec)) {
        if (!entry.is_regular_file()) continue;
        if (entry.path().extension() == ".rules") {
          files.push_back(entry.path());
        } else if (skipped != nullptr) {
          skipped->push_back(entry.path());
        }
      }
      std::sort(files.begin(), files.end());
      if (files.empty()) return Error::of(path + ": no *.rules files in this directory");
      out.insert(out.end(), files.begin(), files.end());
    } else {
      out.emplace_back(path);
    }
  }
  return out;
}

}  // namespace

std::string rules_identity(const RuleOptions& options) {
  std::string all = options.no_default_rules ? "no-default-rules\n" : "";
  if (!options.no_default_rules) {
    for (const BundledRuleFile& file : bundled_rule_files()) all += sha256_hex(file.text) + "\n";
  }
  if (auto files = rule_files(options)) {
    for (const auto& f : *files) {
      std::ifstream in(f, std::ios::binary);
      std::stringstream text;
      text << in.rdbuf();
      all += sha256_hex(text.str()) + "\n";
    }
  }
  for (const std::string& define : options.defines) all += "-d " + define + "\n";
  for (const std::string& name : options.disabled) all += "--disable-rule " + name + "\n";
  return sha256_hex(all);
}

Result<rules::CompiledRules> load_rules(const RuleOptions& options) {
  rules::RuleCompiler compiler;
  if (!options.no_default_rules) {
    for (const BundledRuleFile& file : bundled_rule_files()) compiler.add_source(std::string(file.text), std::string(file.name));
  }
  std::vector<std::filesystem::path> skipped;
  auto files = rule_files(options, &skipped);
  if (!files) return files.error();
  for (const auto& f : *files) compiler.add_file(f);
  for (const std::string& name : options.disabled) compiler.disable(name);
  for (const std::string& define : options.defines) {
    const auto eq = define.find('=');
    if (eq == std::string::npos || eq == 0) {
      return Error::of("-d " + define + ": expected NAME=VALUE");
    }
    compiler.define(define.substr(0, eq), define.substr(eq + 1));
  }
  auto compiled = compiler.compile();
  if (!compiled) {
    std::string text = render_diagnostics(compiler.diagnostics());
    if (text.empty()) text = compiled.error().message;
    return Error::of(text);
  }
  std::vector<rules::Diagnostic> warnings;
  for (const auto& d : compiler.diagnostics()) {
    if (d.level == rules::DiagnosticLevel::warning) warnings.push_back(d);
  }
  auto warn = [&](std::string code, std::string file, std::string message, std::string hint = {}) {
    rules::Diagnostic d;
    d.code = std::move(code);
    d.level = rules::DiagnosticLevel::warning;
    d.span.file = std::move(file);
    d.message = std::move(message);
    if (!hint.empty()) d.hints.push_back(std::move(hint));
    warnings.push_back(std::move(d));
  };
  for (const auto& path : skipped) {
    warn("W003", path.string(), "skipped: not a rule file (rule files end in .rules)");
  }
  std::set<std::string> tags;
  for (const rules::RuleInfo& r : compiled->rules()) tags.insert(r.tags.begin(), r.tags.end());
  for (const std::string& tag : options.tags) {
    if (tags.count(tag) != 0) continue;
    const std::vector<std::string_view> known(tags.begin(), tags.end());
    const std::string best = rules::closest_match(tag, known);
    warn("W001", "command line", "--tag " + tag + ": no loaded rule has this tag, so nothing can be reported",
         best.empty() ? std::string() : "did you mean `" + best + "`?");
  }
  const std::string text = render_diagnostics(warnings);
  if (options.strict && !warnings.empty()) {
    return Error::of(text + std::to_string(warnings.size()) + " warning(s), which --strict makes errors\n");
  }
  if (!options.quiet) std::cerr << text;
  return compiled;
}

}  // namespace drydock
