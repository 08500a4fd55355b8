#pragma once
// Every diagnostic code of the rule language, declared once: its title and
// the golden case (tests/parser/golden/NAME.rules and NAME.out) that shows
// it. A code whose case cannot be a small golden file names the test that
// covers it instead (`test:` prefix). README.md ("Diagnostics") lists the
// same table; tests/parser/golden_test.cpp keeps the three in step.

#include <span>
#include <string_view>

namespace drydock::rules {

struct DiagnosticCode {
  std::string_view code;
  std::string_view title;
  std::string_view golden;
};

inline constexpr DiagnosticCode kDiagnosticCodes[] = {
    {"E001", "syntax error: expected X, found Y", "E001_expected_token"},
    {"E002", "unterminated string, regular expression or comment", "E002_unterminated"},
    {"E003", "invalid escape sequence in a string", "E003_bad_escape"},
    {"E004", "expression nested too deeply", "E004_too_deep"},
    {"E005", "rule file cannot be read (missing include, unreadable file)", "E005_missing_include"},
    {"E006", "include cycle (with the chain), or includes nested too deeply", "E006_include_cycle"},
    {"E007", "rule file too large", "test:parse_test.cpp (a 4 MiB file)"},
    {"E008", "too many syntax errors in one file (100); the rest is not read", "test:parse_test.cpp (101 errors)"},
    {"E010", "duplicate rule name", "E010_duplicate_rule"},
    {"E011", "unknown scope", "E011_unknown_scope"},
    {"E012", "unknown field (with a did-you-mean hint)", "E012_unknown_field"},
    {"E013", "type mismatch (operands, condition not boolean, field of a non-object, ...)", "E013_type_mismatch"},
    {"E015", "invalid rule reference (declared later, other scope, itself)", "E015_rule_reference"},
    {"E016", "invalid regular expression (RE2's message), literal or external", "E016_bad_regex"},
    {"E017", "missing `severity` or `description` meta on a reported rule", "E017_missing_meta"},
    {"E018", "invalid severity", "E018_bad_severity"},
    {"E019", "undefined external variable", "E019_undefined_external"},
    {"E020", "unknown capability name", "E020_unknown_capability"},
    {"E021", "duplicate meta key", "E021_duplicate_meta"},
    {"E022", "unknown regular expression flag", "E022_regex_flag"},
    {"E023", "integer literal out of range", "E023_integer_range"},
    {"E024", "unknown function or wrong number of arguments", "E024_unknown_function"},
    {"E025", "bad `message` template placeholder", "E025_message_placeholder"},
    {"E026", "quantifier variable already bound by an enclosing quantifier", "E026_variable_rebound"},
    {"E027", "external variable declared twice", "E027_duplicate_external"},
    {"E028", "`-d NAME=VALUE` does not fit the declared type", "E028_bad_define"},
    {"E030", "meta `severity`, `description` or `message` is not a string", "E030_meta_type"},
    {"E031", "`cidr()`: a constant network (or external) that is not an IP network", "E031_bad_network"},
    {"E033", "`override rule NAME` with no rule `NAME` before it", "E033_override_nothing"},
    {"E034", "`--disable-rule NAME`: no rule is named `NAME`", "E034_disable_unknown"},
    {"E035", "a string constant where an ip is expected is not an IP address", "E035_bad_address"},
    {"W001", "`--tag T`: no loaded rule has this tag", "test:integration/user_rules_test.cpp"},
    {"W002", "`-d NAME=...` names no declared external and no rule uses it", "W002_unused_define"},
    {"W003", "a file in a `--rules` directory was skipped (not `*.rules`)", "test:integration/user_rules_test.cpp"},
    {"W004", "a rule uses a field drydock never fills: it can never match on it", "W004_never_filled"},
};

inline std::span<const DiagnosticCode> diagnostic_codes() { return kDiagnosticCodes; }

}  // namespace drydock::rules
