#include "engine/cli/rule_loading.hpp"

#include <algorithm>
#include <filesystem>

#include "engine/scan/bundled_rules.hpp"
#include "parser/diagnostic.hpp"

namespace drydock {

Result<rules::CompiledRules> load_rules(const RuleOptions& options) {
  rules::RuleCompiler compiler;
  if (!options.no_default_rules) {
    for (const BundledRuleFile& file : bundled_rule_files()) compiler.add_source(std::string(file.text), std::string(file.name));
  }
  for (const std::string& path : options.paths) {
    std::error_code ec;
    if (std::filesystem::is_directory(path, ec)) {
      std::vector<std::filesystem::path> files;
      for (const auto& entry : std::filesystem::recursive_directory_iterator(path, ec)) {
        if (entry.is_regular_file() && entry.path().extension() == ".rules") files.push_back(entry.path());
      }
      std::sort(files.begin(), files.end());
      if (files.empty()) return Error::of(path + ": no *.rules files in this directory");
      for (const auto& f : files) compiler.add_file(f);
    } else {
      compiler.add_file(path);
    }
  }
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
  return compiled;
}

}  // namespace drydock
