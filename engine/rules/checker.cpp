#include "engine/rules/detail/checker.hpp"

#include <algorithm>
#include <fstream>
#include <map>
#include <set>
#include <optional>
#include <unordered_map>

#include "engine/rules/capabilities.hpp"
#include "engine/rules/functions.hpp"
#include "engine/rules/ip_address.hpp"

namespace drydock::rules::detail {

namespace {

namespace x3 = boost::spirit::x3;

using OptNode = std::optional<std::uint32_t>;

const char* op_text(ast::Op op) {
  switch (op) {
    case ast::Op::logical_or: return "or";
    case ast::Op::logical_and: return "and";
    case ast::Op::eq: return "==";
    case ast::Op::ne: return "!=";
    case ast::Op::lt: return "<";
    case ast::Op::le: return "<=";
    case ast::Op::gt: return ">";
    case ast::Op::ge: return ">=";
    case ast::Op::in: return "in";
    case ast::Op::contains: return "contains";
    case ast::Op::icontains: return "icontains";
    case ast::Op::startswith: return "startswith";
    case ast::Op::endswith: return "endswith";
    case ast::Op::iequals: return "iequals";
    case ast::Op::matches: return "matches";
    case ast::Op::bit_or: return "|";
    case ast::Op::bit_xor: return "^";
    case ast::Op::bit_and: return "&";
    case ast::Op::shl: return "<<";
    case ast::Op::shr: return ">>";
    case ast::Op::add: return "+";
    case ast::Op::sub: return "-";
    case ast::Op::mul: return "*";
    case ast::Op::div: return "/";
    case ast::Op::mod: return "%";
  }
  return "?";
}

bool is_relational(ast::Op op) { return op >= ast::Op::eq && op <= ast::Op::ge; }
bool is_string_op(ast::Op op) { return op >= ast::Op::contains && op <= ast::Op::iequals; }

MetaValue meta_of(const ast::MetaValue& v) {
  return boost::apply_visitor(
      [](const auto& lit) -> MetaValue {
        using L = std::decay_t<decltype(lit)>;
        if constexpr (std::is_same_v<L, ast::StringLit>) {
          return lit.value;
        } else if constexpr (std::is_same_v<L, ast::IntLit>) {
          return lit.value;
        } else {
          return lit.value;
        }
      },
      v);
}

const x3::position_tagged& tag_of(const ast::MetaValue& v) {
  return boost::apply_visitor([](const auto& lit) -> const x3::position_tagged& { return lit; }, v);
}

class Checker {
 public:
  Checker(const CheckInput& input, std::vector<Diagnostic>& diagnostics)
      : in_(input), diagnostics_(diagnostics), program_(std::make_shared<Program>()) {}

  std::shared_ptr<Program> run() {
    collect_externals();
    collect_rule_names();
    for (std::size_t order = 0; order < in_.items->size(); ++order) {
      auto [file, item] = (*in_.items)[order];
      file_ = (*in_.files)[file].get();
      const auto* rule = boost::get<ast::RuleDecl>(&file_->ast.items[item]);
      if (rule == nullptr) continue;
      if (is_override(*rule)) {
        check_override(*rule, order);
        continue;
      }
      // A replaced rule is checked in its place, so rules declared between
      // the two keep referring to it.
      if (auto it = overrides_.find(rule->name.name);
          it != overrides_.end() && it->second > order && rule_names_[rule->name.name].order == order) {
        std::tie(file, item) = (*in_.items)[it->second];
        file_ = (*in_.files)[file].get();
        rule = &boost::get<ast::RuleDecl>(file_->ast.items[item]);
      }
      check_rule(*rule, order);
    }
    check_disabled();
    warn_unused_defines();
    program_->infos.reserve(program_->rules.size());
    for (const auto& r : program_->rules) program_->infos.push_back(r.info);
    return program_;
  }

 private:
  struct External {
    MetaValue value;
    bool defined = false;
    std::optional<std::vector<std::string>> list;
  };
  struct RuleName {
    ObjectKind scope = ObjectKind::none;
    bool scope_known = false;
    std::size_t order = 0;
    std::optional<std::uint32_t> compiled;  // index in program_->rules
  };
  struct Var {
    std::string name;
    ValueType type;
    ObjectKind object;
    std::uint32_t slot;
  };

  // ---------------------------------------------------------------- reporting

  Diagnostic& error(std::string code, const x3::position_tagged& where, std::string message, std::string label = {}) {
    Diagnostic d;
    d.code = std::move(code);
    d.message = std::move(message);
    d.span = file_->span_of(where);
    d.label = std::move(label);
    diagnostics_.push_back(std::move(d));
    return diagnostics_.back();
  }

  std::size_t error_count() const {
    return static_cast<std::size_t>(std::count_if(diagnostics_.begin(), diagnostics_.end(), [](const Diagnostic& d) {
      return d.level == DiagnosticLevel::error;
    }));
  }

  static void hint_closest(Diagnostic& d, std::string_view name, const std::vector<std::string_view>& candidates) {
    auto best = closest_match(name, candidates);
    if (!best.empty()) d.hints.push_back("did you mean `" + best + "`?");
  }

  const x3::position_tagged& tag_of_operand(const ast::Operand& operand) {
    static const x3::position_tagged kNowhere;
    return boost::apply_visitor(
        [](const auto& v) -> const x3::position_tagged& {
          using V = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<V, ast::Nil>) {
            return kNowhere;
          } else if constexpr (std::is_base_of_v<x3::position_tagged, V>) {
            return v;
          } else {
            return v.get();
          }
        },
        operand.get());
  }

  // A node of an Expr with one element carries no own position; use its operand.
  const x3::position_tagged& tag_of_expr(const ast::Expr& e) {
    if (e.id_first >= 0) return e;
    return tag_of_operand(e.first);
  }

  // ------------------------------------------------------------- collection

  void collect_externals() {
    std::map<std::string, const x3::position_tagged*> first_seen;
    std::map<std::string, const ParsedFile*> first_file;
    for (const auto& [file, item] : *in_.items) {
      file_ = (*in_.files)[file].get();
      const auto* decl = boost::get<ast::ExternalDecl>(&file_->ast.items[item]);
      if (decl == nullptr) continue;
      if (externals_.count(decl->name.name) != 0) {
        auto& d = error("E027", decl->name, "external variable `" + decl->name.name + "` is declared twice",
                        "declared again here");
        const auto first = first_file[decl->name.name]->span_of(*first_seen[decl->name.name]);
        d.hints.push_back("first declared at " + first.file + ":" + std::to_string(first.line) + ":" +
                          std::to_string(first.column));
        continue;
      }
      if (const auto* lit = boost::get<ast::IntLit>(&decl->value); lit != nullptr && lit->overflow) {
        error("E023", *lit, "integer literal out of range", "does not fit in 64 bits");
      }
      externals_[decl->name.name] = external_of(decl->value);
      first_seen[decl->name.name] = &decl->name;
      first_file[decl->name.name] = file_;
    }
    for (const auto& [name, text] : *in_.defines) {
      auto it = externals_.find(name);
      if (it == externals_.end()) {
        externals_[name] = External{infer(text), true, std::nullopt};
        undeclared_defines_.push_back(name);
        continue;
      }
      if (it->second.list) {
        auto values = list_of(text);
        if (!values) {
          command_line_error("E028", "-d " + name + "=" + text + ": " + values.error().message);
          continue;
        }
        it->second = External{std::string(), true, std::move(*values)};
        continue;
      }
      auto converted = convert(text, it->second.value);
      if (!converted) {
        command_line_error("E028", "-d " + name + "=" + text + ": `" + name + "` is declared as " +
                                       kind_name(it->second.value) + ", and `" + text + "` is not one");
        continue;
      }
      it->second = External{*converted, true, std::nullopt};
    }
    for (const auto& [name, ext] : externals_) {
      program_->externals.push_back(ExternalInfo{name, ext.value, ext.defined, ext.list});
    }
  }

  // A -d that names no declared external and that no rule uses is most
  // likely misspelt: its default stays in force.
  void warn_unused_defines() {
    std::vector<std::string_view> declared;
    for (const auto& [name, ext] : externals_) {
      if (!ext.defined || std::find(undeclared_defines_.begin(), undeclared_defines_.end(), name) == undeclared_defines_.end()) {
        declared.push_back(name);
      }
    }
    for (const auto& name : undeclared_defines_) {
      if (used_externals_.count(name) != 0) continue;
      command_line_error("W002", "-d " + name + ": no rule declares or uses an external `" + name + "`");
      auto& d = diagnostics_.back();
      d.level = DiagnosticLevel::warning;
      hint_closest(d, name, declared);
    }
  }

  void command_line_error(std::string code, std::string message) {
    Diagnostic d;
    d.code = std::move(code);
    d.message = std::move(message);
    d.span.file = "command line";
    diagnostics_.push_back(std::move(d));
  }

  static External external_of(const ast::ExternalValue& v) {
    if (const auto* list = boost::get<ast::StringListLit>(&v)) {
      std::vector<std::string> items;
      for (const auto& item : list->items) items.push_back(item.value);
      return External{std::string(), false, std::move(items)};
    }
    if (const auto* s = boost::get<ast::StringLit>(&v)) return External{s->value, false, std::nullopt};
    if (const auto* i = boost::get<ast::IntLit>(&v)) return External{i->value, false, std::nullopt};
    return External{boost::get<ast::BoolLit>(v).value, false, std::nullopt};
  }

  // A list from the command line: "a,b,c", or "@FILE" with one value a line
  // (blank lines and lines starting with `#` skipped).
  static Result<std::vector<std::string>> list_of(const std::string& text) {
    std::vector<std::string> out;
    if (!text.empty() && text[0] == '@') {
      std::ifstream in(text.substr(1));
      if (!in) return Error::of("cannot read `" + text.substr(1) + "`");
      std::string line;
      while (std::getline(in, line)) {
        while (!line.empty() && (line.back() == '\r' || line.back() == ' ' || line.back() == '\t')) line.pop_back();
        const auto start = line.find_first_not_of(" \t");
        if (start == std::string::npos || line[start] == '#') continue;
        out.push_back(line.substr(start));
      }
      return out;
    }
    std::size_t from = 0;
    while (!text.empty()) {
      const auto comma = text.find(',', from);
      out.push_back(text.substr(from, comma == std::string::npos ? std::string::npos : comma - from));
      if (comma == std::string::npos) break;
      from = comma + 1;
    }
    return out;
  }

  static std::string kind_name(const MetaValue& v) {
    if (std::holds_alternative<std::string>(v)) return "a string";
    if (std::holds_alternative<std::int64_t>(v)) return "an integer";
    return "a boolean";
  }

  static std::optional<std::int64_t> parse_int(std::string_view text) {
    bool negative = false;
    if (!text.empty() && (text[0] == '-' || text[0] == '+')) {
      negative = text[0] == '-';
      text.remove_prefix(1);
    }
    int base = 10;
    if (text.size() > 2 && text[0] == '0' && (text[1] == 'x' || text[1] == 'X')) {
      base = 16;
      text.remove_prefix(2);
    }
    if (text.empty() || text.size() > 19) return std::nullopt;
    std::int64_t value = 0;
    for (char c : text) {
      int digit = -1;
      if (c >= '0' && c <= '9') digit = c - '0';
      else if (base == 16 && c >= 'a' && c <= 'f') digit = c - 'a' + 10;
      else if (base == 16 && c >= 'A' && c <= 'F') digit = c - 'A' + 10;
      if (digit < 0 || digit >= base) return std::nullopt;
      if (value > (INT64_MAX - digit) / base) return std::nullopt;
      value = value * base + digit;
    }
    return negative ? -value : value;
  }

  static MetaValue infer(const std::string& text) {
    if (text == "true") return true;
    if (text == "false") return false;
    if (auto v = parse_int(text)) return *v;
    return text;
  }

  static std::optional<MetaValue> convert(const std::string& text, const MetaValue& like) {
    if (std::holds_alternative<std::string>(like)) return MetaValue{text};
    if (std::holds_alternative<bool>(like)) {
      if (text == "true") return MetaValue{true};
      if (text == "false") return MetaValue{false};
      return std::nullopt;
    }
    if (auto v = parse_int(text)) return MetaValue{*v};
    return std::nullopt;
  }

  static bool is_override(const ast::RuleDecl& rule) {
    return std::find(rule.modifiers.begin(), rule.modifiers.end(), ast::Modifier::override_) != rule.modifiers.end();
  }

  // `override rule NAME` must follow a rule NAME (a bundled one, typically).
  void check_override(const ast::RuleDecl& rule, std::size_t order) {
    auto it = overrides_.find(rule.name.name);
    if (it != overrides_.end() && it->second == order && rule_names_.count(rule.name.name) != 0 &&
        rule_names_[rule.name.name].order < order) {
      return;  // checked in the place of the rule it replaces
    }
    if (it != overrides_.end() && it->second != order) {
      error("E010", rule.name, "rule `" + rule.name.name + "` is overridden twice", "overridden again here");
      return;
    }
    auto& d = error("E033", rule.name, "`override rule " + rule.name.name + "` replaces no rule declared before it",
                    "nothing to override");
    d.hints.push_back("remove `override`, or load the file after the rules it replaces");
  }

  // --disable-rule NAME: the rule stays (others may use its result) but is never reported.
  void check_disabled() {
    if (in_.disabled == nullptr) return;
    for (const auto& name : *in_.disabled) {
      auto it = rule_names_.find(name);
      if (it == rule_names_.end()) {
        std::vector<std::string_view> names;
        for (const auto& [n, entry] : rule_names_) names.push_back(n);
        std::sort(names.begin(), names.end());
        command_line_error("E034", "--disable-rule " + name + ": no rule is named `" + name + "`");
        hint_closest(diagnostics_.back(), name, names);
        continue;
      }
      if (it->second.compiled) program_->rules[*it->second.compiled].info.is_disabled = true;
    }
  }

  void collect_rule_names() {
    for (std::size_t order = 0; order < in_.items->size(); ++order) {
      const auto [file, item] = (*in_.items)[order];
      const auto* rule = boost::get<ast::RuleDecl>(&(*in_.files)[file]->ast.items[item]);
      if (rule == nullptr) continue;
      if (is_override(*rule)) {
        if (overrides_.count(rule->name.name) == 0) overrides_[rule->name.name] = order;
        continue;
      }
      if (rule_names_.count(rule->name.name) != 0) continue;
      RuleName entry;
      entry.order = order;
      if (auto scope = scope_by_name(rule->scope.name)) {
        entry.scope = *scope;
        entry.scope_known = true;
      }
      rule_names_[rule->name.name] = entry;
    }
  }

  // ------------------------------------------------------------------ rules

  void check_rule(const ast::RuleDecl& rule, std::size_t order) {
    const std::size_t errors_before = error_count();
    auto& entry = rule_names_[rule.name.name];
    if (entry.order != order) {
      const auto [first_file, first_item] = (*in_.items)[entry.order];
      const auto& first_rule = boost::get<ast::RuleDecl>((*in_.files)[first_file]->ast.items[first_item]);
      const auto first = (*in_.files)[first_file]->span_of(first_rule.name);
      auto& d = error("E010", rule.name, "duplicate rule name `" + rule.name.name + "`", "declared again here");
      d.hints.push_back("first declared at " + first.file + ":" + std::to_string(first.line) + ":" +
                        std::to_string(first.column));
      d.hints.push_back("to replace it, write `override rule " + rule.name.name +
                        "`; to turn it off, pass `--disable-rule " + rule.name.name + "`");
      return;
    }
    auto scope = scope_by_name(rule.scope.name);
    if (!scope) {
      auto& d = error("E011", rule.scope, "unknown scope `" + rule.scope.name + "`", "expected " + scope_names());
      std::vector<std::string_view> names;
      for (const auto& k : object_kinds()) {
        if (k.is_scope) names.push_back(k.name);
      }
      hint_closest(d, rule.scope.name, names);
      return;
    }

    CompiledRule compiled;
    compiled.scope = *scope;
    if (const FieldDef* c = find_field(*scope, "container"); c != nullptr && c->type == ValueType::object) {
      compiled.container_field = c;
    }
    scope_ = *scope;
    order_ = order;
    RuleInfo& info = compiled.info;
    info.name = rule.name.name;
    info.scope = std::string(to_string(*scope));
    for (auto m : rule.modifiers) {
      if (m == ast::Modifier::private_) info.is_private = true;
      if (m == ast::Modifier::global_) info.is_global = true;
      if (m == ast::Modifier::override_) info.is_override = true;
    }
    for (const auto& t : rule.tags) info.tags.push_back(t.name);
    const auto where = file_->span_of(rule.name);
    info.file = where.file;
    info.line = where.line;

    check_meta(rule, compiled);

    vars_.clear();
    max_slots_ = 0;
    auto root = check_expr(rule.condition);
    if (root && program_->nodes[*root].type != ValueType::boolean) {
      const auto& n = program_->nodes[*root];
      error("E013", tag_of_expr(rule.condition), "a condition must be boolean, found " + type_name(n.type, n.object),
            "this is " + type_name(n.type, n.object));
      root.reset();
    }
    if (!root || error_count() != errors_before) return;
    compiled.root = *root;
    compiled.slots = max_slots_;
    program_->max_slots = std::max(program_->max_slots, max_slots_);
    entry.compiled = static_cast<std::uint32_t>(program_->rules.size());
    program_->rules.push_back(std::move(compiled));
  }

  void check_meta(const ast::RuleDecl& rule, CompiledRule& compiled) {
    RuleInfo& info = compiled.info;
    std::map<std::string, const ast::MetaEntry*> seen;
    for (const auto& entry : rule.meta) {
      if (auto it = seen.find(entry.key.name); it != seen.end()) {
        const auto first = file_->span_of(it->second->key);
        auto& d = error("E021", entry.key, "duplicate meta key `" + entry.key.name + "`", "set again here");
        d.hints.push_back("first set on line " + std::to_string(first.line));
        continue;
      }
      seen[entry.key.name] = &entry;
      if (const auto* lit = boost::get<ast::IntLit>(&entry.value); lit != nullptr && lit->overflow) {
        error("E023", *lit, "integer literal out of range", "does not fit in 64 bits");
        continue;
      }
      info.meta.push_back(MetaEntry{entry.key.name, meta_of(entry.value)});
    }
    auto string_meta = [&](const char* key) -> const std::string* {
      auto it = seen.find(key);
      if (it == seen.end()) return nullptr;
      const auto* s = boost::get<ast::StringLit>(&it->second->value);
      if (s == nullptr) {
        error("E030", tag_of(it->second->value), std::string("meta `") + key + "` must be a string", "not a string");
        return nullptr;
      }
      return &s->value;
    };
    if (const auto* severity = string_meta("severity")) {
      if (auto parsed = parse_severity(*severity)) {
        info.severity = *parsed;
      } else {
        auto& d = error("E018", tag_of(seen["severity"]->value), "invalid severity \"" + *severity + "\"",
                        "expected info, low, medium, high or critical");
        hint_closest(d, *severity, {"info", "low", "medium", "high", "critical"});
      }
    } else if (!info.is_private && seen.count("severity") == 0) {
      auto& d = error("E017", rule.name, "rule `" + rule.name.name + "` has no `severity` meta",
                      "every reported rule needs `severity` and `description`");
      d.hints.push_back("add `severity = \"medium\"` under `meta:`, or make the rule `private`");
    }
    if (const auto* description = string_meta("description")) {
      info.description = *description;
    } else if (!info.is_private && seen.count("description") == 0) {
      auto& d = error("E017", rule.name, "rule `" + rule.name.name + "` has no `description` meta",
                      "every reported rule needs `severity` and `description`");
      d.hints.push_back("add `description = \"...\"` under `meta:`, or make the rule `private`");
    }
    const std::string* message = string_meta("message");
    compile_message(message ? *message : info.description, message ? &seen["message"]->value : nullptr, compiled);
  }

  // `{field}`, `{object.field}` and `{external.NAME}` placeholders, `{{`
  // and `}}` for literal braces. Every bad placeholder is reported, each with
  // the caret on itself.
  void compile_message(const std::string& text, const ast::MetaValue* where, CompiledRule& compiled) {
    auto& parts = compiled.message;
    std::string literal;
    for (std::size_t i = 0; i < text.size(); ++i) {
      const char c = text[i];
      if (where != nullptr && c == '{' && i + 1 < text.size() && text[i + 1] == '{') {
        literal += '{';
        ++i;
      } else if (where != nullptr && c == '}' && i + 1 < text.size() && text[i + 1] == '}') {
        literal += '}';
        ++i;
      } else if (where != nullptr && c == '{') {
        const auto close = text.find('}', i);
        if (close == std::string::npos) {
          placeholder_error(*where, i, text.size() - i, "unclosed `{` in message template", "write `{{` for a literal brace");
          return;
        }
        const std::string name = text.substr(i + 1, close - i - 1);
        if (name.rfind("external.", 0) == 0) {
          auto it = externals_.find(name.substr(9));
          if (it == externals_.end()) {
            placeholder_error(*where, i, close - i + 1, "message placeholder `{" + name + "}` names no external variable",
                              "not declared");
          } else {
            used_externals_.insert(it->first);
            literal += external_text(it->second);
          }
          i = close;
          continue;
        }
        auto path = message_path(compiled.scope, name, *where, i, close - i + 1);
        if (!path.empty()) {
          if (!literal.empty()) parts.push_back(MessagePart{std::move(literal), {}});
          literal.clear();
          parts.push_back(MessagePart{"", std::move(path)});
        }
        i = close;
      } else {
        literal += c;
      }
    }
    if (!literal.empty()) parts.push_back(MessagePart{std::move(literal), {}});
  }

  static std::string external_text(const External& ext) {
    if (ext.list) {
      std::string out;
      for (const auto& v : *ext.list) out += (out.empty() ? "" : ", ") + v;
      return out;
    }
    return std::visit(
        [](const auto& v) -> std::string {
          using V = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<V, std::string>) {
            return v;
          } else if constexpr (std::is_same_v<V, bool>) {
            return v ? "true" : "false";
          } else {
            return std::to_string(v);
          }
        },
        ext.value);
  }

  // The fields `a.b.c` names from `scope`, or empty after an E025.
  std::vector<const FieldDef*> message_path(ObjectKind scope, const std::string& name, const ast::MetaValue& where,
                                            std::size_t at, std::size_t length) {
    std::vector<const FieldDef*> path;
    ObjectKind kind = scope;
    std::size_t from = 0;
    for (;;) {
      const auto dot = name.find('.', from);
      const std::string part = name.substr(from, dot == std::string::npos ? std::string::npos : dot - from);
      const FieldDef* field = find_field(kind, part);
      const bool last = dot == std::string::npos;
      const bool object = field != nullptr && (field->type == ValueType::object || field->type == ValueType::object_list);
      if (field == nullptr || (last && object) || (!last && field->type != ValueType::object)) {
        auto& d = placeholder_error(where, at, length,
                                    "message placeholder `{" + name + "}` is not a " + std::string(to_string(kind)) +
                                        " field that can be shown",
                                    "in this template");
        hint_closest(d, part, field_names(kind, last));
        if (field != nullptr && last && object) d.hints.push_back("name one of its fields: `{" + name + ".label}`");
        return {};
      }
      path.push_back(field);
      if (last) return path;
      kind = field->target;
      from = dot + 1;
    }
  }

  // An E025 with the caret on the placeholder at byte `at` of the template
  // (exact unless the template has escapes before it).
  Diagnostic& placeholder_error(const ast::MetaValue& where, std::size_t at, std::size_t length, std::string message,
                                std::string label) {
    auto& d = error("E025", tag_of(where), std::move(message), std::move(label));
    const auto offset = static_cast<std::uint32_t>(at + 1);  // past the opening quote
    if (d.span.length > offset + length) {
      d.span.column += offset;
      d.span.text_column += offset;
      d.span.length = static_cast<std::uint32_t>(length);
    }
    return d;
  }

  std::vector<std::string_view> field_names(ObjectKind kind, bool scalar_only = false) {
    std::vector<std::string_view> names;
    for (const auto& f : schema()) {
      if (f.owner != kind) continue;
      if (scalar_only && (f.type == ValueType::object || f.type == ValueType::object_list)) continue;
      names.push_back(f.name);
    }
    return names;
  }

  // ----------------------------------------------------------- expressions

  std::uint32_t add(Node node) {
    program_->nodes.push_back(std::move(node));
    return static_cast<std::uint32_t>(program_->nodes.size() - 1);
  }

  const Node& node(std::uint32_t index) const { return program_->nodes[index]; }

  bool expect(std::uint32_t n, ValueType want, const x3::position_tagged& where, const std::string& context) {
    if (node(n).type == want) return true;
    error("E013", where, context + " needs " + type_name(want, ObjectKind::none) + ", found " +
                             type_name(node(n).type, node(n).object),
          "this is " + type_name(node(n).type, node(n).object));
    return false;
  }

  // String operators and `matches` also take an ip: they see the text it was read from.
  bool expect_text(std::uint32_t n, const x3::position_tagged& where, const std::string& context) {
    return node(n).type == ValueType::ip || expect(n, ValueType::string, where, context);
  }

  OptNode check_expr(const ast::Expr& expr) {
    if (expr.rest.empty()) return check_operand(expr.first);
    const ast::Op first_op = expr.rest.front().op;
    if (first_op == ast::Op::logical_and || first_op == ast::Op::logical_or) return check_logic(expr);
    if (is_relational(first_op)) return check_compare(expr);
    if (first_op == ast::Op::in) return check_in(expr);
    if (is_string_op(first_op)) return check_string_op(expr);
    if (first_op == ast::Op::matches) return check_matches(expr);
    return check_arith(expr);
  }

  OptNode check_logic(const ast::Expr& expr) {
    Node n;
    n.op = expr.rest.front().op == ast::Op::logical_and ? NodeOp::logic_and : NodeOp::logic_or;
    const char* word = n.op == NodeOp::logic_and ? "`and`" : "`or`";
    bool ok = true;
    auto one = [&](const ast::Operand& operand) {
      auto k = check_operand(operand);
      if (!k) {
        ok = false;
        return;
      }
      if (!expect(*k, ValueType::boolean, tag_of_operand(operand), word)) ok = false;
      n.kids.push_back(*k);
    };
    one(expr.first);
    for (const auto& operation : expr.rest) one(operation.operand);
    if (!ok) return std::nullopt;
    return add(std::move(n));
  }

  OptNode check_arith(const ast::Expr& expr) {
    Node n;
    n.op = NodeOp::arith;
    n.type = ValueType::integer;
    bool ok = true;
    auto one = [&](const ast::Operand& operand, ast::Op op) {
      auto k = check_operand(operand);
      if (!k) {
        ok = false;
        return;
      }
      if (!expect(*k, ValueType::integer, tag_of_operand(operand), std::string("`") + op_text(op) + "`")) ok = false;
      n.kids.push_back(*k);
    };
    one(expr.first, expr.rest.front().op);
    for (const auto& operation : expr.rest) {
      one(operation.operand, operation.op);
      n.ops.push_back(operation.op);
    }
    if (!ok) return std::nullopt;
    return add(std::move(n));
  }

  OptNode check_compare(const ast::Expr& expr) {
    const auto& operation = expr.rest.front();
    auto left = check_operand(expr.first);
    auto right = check_operand(operation.operand);
    if (!left || !right) return std::nullopt;
    // An ip compares with an address written as a string: read it now.
    if (node(*left).type == ValueType::ip && !as_ip(*right, IpLiteral::address, tag_of_operand(operation.operand))) {
      return std::nullopt;
    }
    if (node(*right).type == ValueType::ip && !as_ip(*left, IpLiteral::address, tag_of_operand(expr.first))) {
      return std::nullopt;
    }
    const Node& l = node(*left);
    const Node& r = node(*right);
    const bool ordering = operation.op != ast::Op::eq && operation.op != ast::Op::ne;
    const bool comparable = l.type == r.type && (l.type == ValueType::integer || l.type == ValueType::string ||
                                                 l.type == ValueType::boolean || l.type == ValueType::ip);
    if (!comparable || (ordering && l.type != ValueType::integer)) {
      auto& d = error("E013", operation,
                      std::string("cannot compare ") + type_name(l.type, l.object) + " with " +
                          type_name(r.type, r.object) + " using `" + op_text(operation.op) + "`",
                      "left side is " + type_name(l.type, l.object) + ", right side is " + type_name(r.type, r.object));
      if (l.type == ValueType::string_list || r.type == ValueType::string_list) d.hints.push_back("test membership with `\"x\" in list`");
      if ((l.type == ValueType::ip) != (r.type == ValueType::ip) && !ordering) {
        d.hints.push_back("an ip compares with another ip or with a string constant such as \"10.0.0.1\"");
      }
      if (ordering && comparable) d.hints.push_back("only integers are ordered");
      return std::nullopt;
    }
    Node n;
    n.op = NodeOp::compare;
    n.bin = operation.op;
    n.a = *left;
    n.b = *right;
    return add(std::move(n));
  }

  OptNode check_string_op(const ast::Expr& expr) {
    const auto& operation = expr.rest.front();
    auto left = check_operand(expr.first);
    auto right = check_operand(operation.operand);
    if (!left || !right) return std::nullopt;
    const std::string what = std::string("`") + op_text(operation.op) + "`";
    if (node(*left).type == ValueType::string_list && operation.op == ast::Op::contains) {
      auto& d = error("E013", operation, "`contains` searches a string; the left side is a list of string",
                      "this is a list");
      d.hints.push_back("test membership with `\"x\" in list`");
      return std::nullopt;
    }
    bool ok = expect_text(*left, tag_of_operand(expr.first), what);
    ok = expect_text(*right, tag_of_operand(operation.operand), what) && ok;
    if (!ok) return std::nullopt;
    Node n;
    n.op = NodeOp::string_op;
    n.bin = operation.op;
    n.a = *left;
    n.b = *right;
    return add(std::move(n));
  }

  OptNode check_matches(const ast::Expr& expr) {
    const auto& operation = expr.rest.front();
    auto left = check_operand(expr.first);
    if (!left) return std::nullopt;
    if (const auto* ref = boost::get<ast::ExternalRef>(&operation.operand.get())) {
      const External* ext = find_external(ref->name, *ref);
      if (ext == nullptr || !expect_text(*left, tag_of_operand(expr.first), "`matches`")) return std::nullopt;
      const auto* pattern = std::get_if<std::string>(&ext->value);
      if (ext->list || pattern == nullptr) {
        error("E013", *ref, "`matches external." + ref->name.name + "` needs a string external",
              "this is " + (ext->list ? std::string("a list of string") : kind_name(ext->value)));
        return std::nullopt;
      }
      auto re = std::make_unique<const RE2>(*pattern, regex_options());
      if (!re->ok()) {
        error("E016", *ref, "external `" + ref->name.name + "` = \"" + *pattern + "\" is not a valid regular expression: " +
                                re->error(),
              "RE2 cannot compile this");
        return std::nullopt;
      }
      return add_matches(*left, std::move(re));
    }
    const auto* regex = boost::get<ast::RegexLit>(&operation.operand.get());
    if (regex == nullptr) return std::nullopt;
    if (!expect_text(*left, tag_of_operand(expr.first), "`matches`")) return std::nullopt;
    RE2::Options options = regex_options();
    for (char flag : regex->flags) {
      if (flag == 'i') {
        options.set_case_sensitive(false);
      } else if (flag == 's') {
        options.set_dot_nl(true);
      } else {
        error("E022", *regex, std::string("unknown regular expression flag `") + flag + "`",
              "only `i` (ignore case) and `s` (dot matches newline) exist");
        return std::nullopt;
      }
    }
    auto re = std::make_unique<const RE2>(regex->pattern, options);
    if (!re->ok()) {
      error("E016", *regex, "invalid regular expression: " + re->error(), "RE2 cannot compile this");
      return std::nullopt;
    }
    return add_matches(*left, std::move(re));
  }

  static RE2::Options regex_options() {
    RE2::Options options;
    options.set_log_errors(false);
    options.set_encoding(RE2::Options::EncodingLatin1);  // match bytes: dump strings need not be UTF-8
    options.set_max_mem(8 << 20);
    return options;
  }

  std::uint32_t add_matches(std::uint32_t left, std::unique_ptr<const RE2> re) {
    Node n;
    n.op = NodeOp::matches;
    n.a = left;
    n.index = static_cast<std::uint32_t>(program_->regexes.size());
    program_->regexes.push_back(std::move(re));
    return add(std::move(n));
  }

  OptNode check_in(const ast::Expr& expr) {
    const auto& operation = expr.rest.front();
    auto left = check_operand(expr.first);
    if (!left) return std::nullopt;
    ValueType lt = node(*left).type;
    if (lt != ValueType::integer && lt != ValueType::string && lt != ValueType::ip) {
      error("E013", tag_of_operand(expr.first), "`in` tests an integer, a string or an ip, found " + type_name(lt, node(*left).object),
            "this is " + type_name(lt, node(*left).object));
      return std::nullopt;
    }
    Node n;
    n.a = *left;
    if (const auto* list = boost::get<x3::forward_ast<ast::ListLit>>(&operation.operand.get())) {
      n.op = NodeOp::in_list;
      bool ok = true;
      auto one = [&](const ast::Expr& e) {
        auto k = check_expr(e);
        if (!k) {
          ok = false;
          return;
        }
        if (lt == ValueType::ip && !as_ip(*k, IpLiteral::address, tag_of_expr(e))) {
          ok = false;
          return;
        }
        if (!expect(*k, lt, tag_of_expr(e), "a list element compared with " + type_name(lt, ObjectKind::none))) ok = false;
        n.kids.push_back(*k);
      };
      one(list->get().first);
      for (const auto& e : list->get().rest) one(e);
      if (!ok) return std::nullopt;
      return add(std::move(n));
    }
    if (const auto* range = boost::get<x3::forward_ast<ast::RangeLit>>(&operation.operand.get())) {
      n.op = NodeOp::in_range;
      auto low = check_expr(range->get().low);
      auto high = check_expr(range->get().high);
      if (!low || !high) return std::nullopt;
      bool ok = expect(*left, ValueType::integer, tag_of_operand(expr.first), "a range");
      ok = expect(*low, ValueType::integer, tag_of_expr(range->get().low), "a range") && ok;
      ok = expect(*high, ValueType::integer, tag_of_expr(range->get().high), "a range") && ok;
      if (!ok) return std::nullopt;
      n.b = *low;
      n.c = *high;
      return add(std::move(n));
    }
    auto right = check_operand(operation.operand);
    if (!right) return std::nullopt;
    // An ip in a list of ip; a string constant or a list external on the other side is read as addresses.
    if (node(*right).type == ValueType::ip_list && !as_ip(*left, IpLiteral::address, tag_of_operand(expr.first))) {
      return std::nullopt;
    }
    if (node(*left).type == ValueType::ip && !as_ip(*right, IpLiteral::address, tag_of_operand(operation.operand))) {
      return std::nullopt;
    }
    lt = node(*left).type;
    const ValueType want = lt == ValueType::integer ? ValueType::integer_list
                           : lt == ValueType::ip   ? ValueType::ip_list
                                                   : ValueType::string_list;
    if (node(*right).type != want) {
      error("E013", tag_of_operand(operation.operand),
            "`" + type_name(lt, ObjectKind::none) + " in ...` needs a " + type_name(want, ObjectKind::none) + ", found " +
                type_name(node(*right).type, node(*right).object),
            "this is " + type_name(node(*right).type, node(*right).object));
      return std::nullopt;
    }
    n.op = NodeOp::in_collection;
    n.b = *right;
    return add(std::move(n));
  }

  OptNode check_operand(const ast::Operand& operand) {
    return boost::apply_visitor([this](const auto& v) { return check_alternative(v); }, operand.get());
  }

  OptNode check_alternative(const ast::Nil&) { return std::nullopt; }

  OptNode check_alternative(const ast::IntLit& lit) {
    if (lit.overflow) {
      error("E023", lit, "integer literal out of range", "does not fit in 64 bits");
      return std::nullopt;
    }
    Node n;
    n.type = ValueType::integer;
    n.ival = lit.value;
    return add(std::move(n));
  }

  OptNode check_alternative(const ast::StringLit& lit) {
    Node n;
    n.type = ValueType::string;
    n.sval = lit.value;
    return add(std::move(n));
  }

  OptNode check_alternative(const ast::BoolLit& lit) {
    Node n;
    n.type = ValueType::boolean;
    n.bval = lit.value;
    return add(std::move(n));
  }

  OptNode check_alternative(const ast::RegexLit& lit) {
    error("E013", lit, "a regular expression can only follow `matches`");
    return std::nullopt;
  }

  OptNode check_alternative(const ast::ExternalRef& ref) {
    const External* ext = find_external(ref.name, ref);
    if (ext == nullptr) return std::nullopt;
    Node n;
    if (ext->list) {
      n.type = ValueType::string_list;
      n.svals = *ext->list;
      return add(std::move(n));
    }
    std::visit(
        [&](const auto& v) {
          using V = std::decay_t<decltype(v)>;
          if constexpr (std::is_same_v<V, std::string>) {
            n.type = ValueType::string;
            n.sval = v;
          } else if constexpr (std::is_same_v<V, std::int64_t>) {
            n.type = ValueType::integer;
            n.ival = v;
          } else {
            n.type = ValueType::boolean;
            n.bval = v;
          }
        },
        ext->value);
    return add(std::move(n));
  }

  // The external `name` refers to, or nullptr after an E019.
  const External* find_external(const ast::Identifier& ref, const x3::position_tagged& where) {
    used_externals_.insert(ref.name);
    auto it = externals_.find(ref.name);
    if (it == externals_.end()) {
      auto& d = error("E019", where, "undefined external variable `" + ref.name + "`",
                      "neither declared nor defined with -d");
      std::vector<std::string_view> names;
      for (const auto& [name, ext] : externals_) names.push_back(name);
      hint_closest(d, ref.name, names);
      d.hints.push_back("declare it with `external " + ref.name + " = <default>` or pass `-d " + ref.name + "=VALUE`");
      return nullptr;
    }
    return &it->second;
  }

  OptNode check_alternative(const x3::forward_ast<ast::Expr>& e) { return check_expr(e.get()); }
  OptNode check_alternative(const x3::forward_ast<ast::ListLit>& l) {
    error("E013", l.get(), "a list can only follow `in`");
    return std::nullopt;
  }
  OptNode check_alternative(const x3::forward_ast<ast::RangeLit>& r) {
    error("E013", r.get(), "a range can only follow `in`");
    return std::nullopt;
  }

  OptNode check_alternative(const x3::forward_ast<ast::Unary>& u) {
    const ast::Unary& unary = u.get();
    auto k = check_operand(unary.operand);
    if (!k) return std::nullopt;
    Node n;
    n.a = *k;
    if (unary.op == ast::UnaryOp::logical_not) {
      if (!expect(*k, ValueType::boolean, tag_of_operand(unary.operand), "`not`")) return std::nullopt;
      n.op = NodeOp::logic_not;
      n.type = ValueType::boolean;
    } else {
      const char* what = unary.op == ast::UnaryOp::negate ? "unary `-`" : "`~`";
      if (!expect(*k, ValueType::integer, tag_of_operand(unary.operand), what)) return std::nullopt;
      n.op = unary.op == ast::UnaryOp::negate ? NodeOp::negate : NodeOp::bit_not;
      n.type = ValueType::integer;
    }
    return add(std::move(n));
  }

  OptNode check_alternative(const x3::forward_ast<ast::Length>& l) {
    auto k = check_path(l.get().path);
    if (!k) return std::nullopt;
    const ValueType t = node(*k).type;
    if (t != ValueType::string && element_type(t) == ValueType::null) {
      error("E013", l.get().path, "`#` needs a list or a string, found " + type_name(t, node(*k).object),
            "this is " + type_name(t, node(*k).object));
      return std::nullopt;
    }
    Node n;
    n.op = NodeOp::length;
    n.type = ValueType::integer;
    n.a = *k;
    return add(std::move(n));
  }

  // A call, typed against its row of the function table (functions.hpp).
  OptNode check_alternative(const x3::forward_ast<ast::Call>& c) {
    const ast::Call& call = c.get();
    const std::string& name = call.name.name;
    std::vector<std::uint32_t> args;
    bool ok = true;
    for (const auto& arg : call.args) {
      auto k = check_expr(arg);
      if (!k) {
        ok = false;
        continue;
      }
      args.push_back(*k);
    }
    const FunctionDef* function = find_function(name);
    if (function == nullptr) {
      auto& d = error("E024", call.name, "unknown function `" + name + "`", "not a function");
      std::vector<std::string_view> names{"count"};
      for (const auto& f : functions()) names.push_back(f.name);
      hint_closest(d, name, names);
      return std::nullopt;
    }
    const std::size_t low = function->min_args, high = function->max_args == kVariadic ? SIZE_MAX : function->max_args;
    if (call.args.size() < low || call.args.size() > high) {
      const std::string want = low == high       ? std::to_string(low)
                               : high == SIZE_MAX ? "at least " + std::to_string(low)
                                                  : std::to_string(low) + " to " + std::to_string(high);
      error("E024", call.name, "`" + name + "` takes " + want + " argument" + (high == 1 && low == 1 ? "" : "s") + ", " +
                                   std::to_string(call.args.size()) + " given");
      return std::nullopt;
    }
    if (!ok) return std::nullopt;
    for (std::size_t i = 0; i < args.size(); ++i) {
      std::size_t at = std::min<std::size_t>(i, function->params.size() - 1);
      while (at > 0 && function->params[at].accepts == 0) --at;  // the last parameter repeats
      const ParamDef& param = function->params[at];
      const auto& where = tag_of_expr(call.args[i]);
      if (param.literal != IpLiteral::none && !as_ip(args[i], param.literal, where)) {
        ok = false;
        continue;
      }
      const Node& arg = node(args[i]);
      if ((param.accepts & type_bit(arg.type)) == 0) {
        error("E013", where, "`" + name + "` needs " + std::string(param.what) + ", found " + type_name(arg.type, arg.object),
              "this is " + type_name(arg.type, arg.object));
        ok = false;
      }
    }
    if (!ok) return std::nullopt;
    Node n;
    n.type = function->result;
    n.hex = function->hex;
    if (function->eval == nullptr) {  // len(x) is #x
      n.op = NodeOp::length;
      n.a = args[0];
      return add(std::move(n));
    }
    n.op = NodeOp::call;
    n.func = function;
    n.kids = std::move(args);
    return add(std::move(n));
  }

  // A constant string (or list of strings) where an IP is expected becomes
  // a constant IP (list), checked now: a bad network is E031, a bad address
  // E035. Anything else is left to the type check.
  bool as_ip(std::uint32_t index, IpLiteral literal, const x3::position_tagged& where) {
    Node& n = program_->nodes[index];
    if (n.op != NodeOp::constant || (n.type != ValueType::string && n.type != ValueType::string_list)) return true;
    const bool list = n.type == ValueType::string_list;
    const std::vector<std::string> texts = list ? n.svals : std::vector<std::string>{n.sval};
    std::vector<std::optional<IpPrefix>> parsed;
    bool ok = true;
    for (const auto& text : texts) {
      parsed.push_back(literal == IpLiteral::network ? parse_network(text) : parse_ip(text));
      if (parsed.back()) continue;
      ok = false;
      if (literal == IpLiteral::network) {
        auto& d = error("E031", where, "`" + text + "` is not an IP network", "expected \"a.b.c.d/len\" or an IPv6 \"addr/len\"");
        d.hints.push_back("for example `cidr(ipv4, \"10.0.0.0/8\")`");
      } else {
        auto& d = error("E035", where, "`" + text + "` is not an IP address",
                        "expected \"a.b.c.d\", \"a.b.c.d/len\" or an IPv6 address");
        d.hints.push_back("an ip compares with an address or network written as a string, e.g. `segment == \"172.17.0.0/16\"`");
      }
    }
    if (!ok) return false;
    n.type = list ? ValueType::ip_list : ValueType::ip;
    if (list) {
      n.ipvals = std::move(parsed);
    } else {
      n.ipval = *parsed.front();
    }
    return true;
  }

  OptNode check_alternative(const x3::forward_ast<ast::Quantifier>& q) {
    const ast::Quantifier& quant = q.get();
    if (quant.head.count.overflow) {
      error("E023", quant.head.count, "integer literal out of range", "does not fit in 64 bits");
      return std::nullopt;
    }
    std::int64_t count = quant.head.count.value;
    if (!quant.head.count_name.name.empty()) {
      const External* ext = find_external(quant.head.count_name, quant.head.count_name);
      if (ext == nullptr) return std::nullopt;
      const auto* value = std::get_if<std::int64_t>(&ext->value);
      if (ext->list || value == nullptr) {
        error("E013", quant.head.count_name, "`external." + quant.head.count_name.name + " of` needs an integer external",
              "this is " + (ext->list ? std::string("a list of string") : kind_name(ext->value)));
        return std::nullopt;
      }
      count = *value;
    }
    return check_quantified(quant.head.kind, count, quant.variable, quant.collection, quant.body);
  }

  OptNode check_alternative(const x3::forward_ast<ast::Count>& c) {
    return check_quantified(ast::QuantKind::count, 0, c.get().variable, c.get().collection, c.get().body);
  }

  OptNode check_quantified(ast::QuantKind kind, std::int64_t count, const ast::Identifier& variable,
                           const ast::Path& collection_path, const ast::Expr& body_expr) {
    auto collection = check_path(collection_path);
    if (!collection) return std::nullopt;
    const Node& c = node(*collection);
    const ValueType element = element_type(c.type);
    if (element == ValueType::null) {
      error("E013", collection_path, "a quantifier needs a list, found " + type_name(c.type, c.object),
            "this is " + type_name(c.type, c.object));
      return std::nullopt;
    }
    for (const auto& v : vars_) {
      if (v.name == variable.name) {
        error("E026", variable, "variable `" + v.name + "` is already bound by an enclosing quantifier",
              "choose another name");
        return std::nullopt;
      }
    }
    const ObjectKind element_kind = c.object;
    const auto slot = static_cast<std::uint32_t>(vars_.size());
    vars_.push_back(Var{variable.name, element, element_kind, slot});
    max_slots_ = std::max(max_slots_, slot + 1);
    auto body = check_expr(body_expr);
    vars_.pop_back();
    if (!body) return std::nullopt;
    if (!expect(*body, ValueType::boolean, tag_of_expr(body_expr), "a quantifier body")) return std::nullopt;
    Node n;
    n.op = NodeOp::quantifier;
    n.type = kind == ast::QuantKind::count ? ValueType::integer : ValueType::boolean;
    n.quant = kind;
    n.ival = count;
    n.a = *collection;
    n.b = *body;
    n.slot = slot;
    n.name = variable.name;
    return add(std::move(n));
  }

  OptNode check_alternative(const ast::Path& path) { return check_path(path); }

  OptNode check_path(const ast::Path& path) {
    const std::string& head = path.head.name;
    std::uint32_t current;
    if (auto var = std::find_if(vars_.rbegin(), vars_.rend(), [&](const Var& v) { return v.name == head; });
        var != vars_.rend()) {
      Node n;
      n.op = NodeOp::variable;
      n.type = var->type;
      n.object = var->object;
      n.slot = var->slot;
      n.name = head;
      current = add(std::move(n));
    } else if (const FieldDef* field = find_field(scope_, head)) {
      current = add(field_node(*field, kNoNode, path.head));
    } else if (auto rule = rule_names_.find(head); rule != rule_names_.end()) {
      return check_rule_ref(path, rule->second);
    } else if (head.rfind("CAP_", 0) == 0) {
      auto bit = capability_bit(head);
      if (!bit) {
        auto& d = error("E020", path.head, "unknown capability `" + head + "`", "not a Linux capability");
        std::vector<std::string_view> names(capability_names().begin(), capability_names().end());
        hint_closest(d, head, names);
        return std::nullopt;
      }
      if (!path.rest.empty()) {
        error("E013", path.rest.front(), "a capability constant has no fields");
        return std::nullopt;
      }
      Node n;
      n.type = ValueType::integer;
      n.ival = *bit;
      return add(std::move(n));
    } else {
      auto& d = error("E012", path.head, "unknown field `" + head + "` of " + std::string(to_string(scope_)),
                      "not a field of " + std::string(to_string(scope_)) + ", a variable or a rule");
      if (scope_ != ObjectKind::task && find_field(ObjectKind::task, head) != nullptr &&
          find_field(scope_, "tasks") != nullptr) {
        d.hints.push_back("`" + head + "` is a task field: use a quantifier, `any t in tasks : (t." + head + " ...)`");
      }
      auto candidates = field_names(scope_);
      for (const auto& v : vars_) candidates.push_back(v.name);
      for (const auto& [name, entry] : rule_names_) {
        if (entry.order < order_ && entry.scope == scope_) candidates.push_back(name);
      }
      hint_closest(d, head, candidates);
      return std::nullopt;
    }
    for (const auto& member : path.rest) {
      const Node& base = node(current);
      if (base.type != ValueType::object) {
        auto& d = error("E013", member, "`" + member.name + "`: " + type_name(base.type, base.object) + " has no fields",
                        "cannot access a field here");
        if (base.type == ValueType::object_list) {
          d.hints.push_back("use a quantifier: `any x in ... : (x." + member.name + " ...)`");
        }
        return std::nullopt;
      }
      const FieldDef* field = find_field(base.object, member.name);
      if (field == nullptr) {
        auto& d = error("E012", member, "unknown field `" + member.name + "` of " + std::string(to_string(base.object)),
                        "not a field of " + std::string(to_string(base.object)));
        hint_closest(d, member.name, field_names(base.object));
        return std::nullopt;
      }
      current = add(field_node(*field, current, member));
    }
    return current;
  }

  Node field_node(const FieldDef& field, std::uint32_t base, const x3::position_tagged& where) {
    if (field_never_filled(field)) {
      auto& d = error("W004", where,
                      "`" + std::string(field.name) + "` is never filled by this version of drydock: it is always unknown",
                      "a condition on it never matches");
      d.level = DiagnosticLevel::warning;
    }
    Node n;
    n.op = NodeOp::field;
    n.type = field.type;
    n.object = field.target;
    n.field = &field;
    n.hex = field.hex;
    n.name = std::string(field.name);
    n.a = base;
    return n;
  }

  OptNode check_rule_ref(const ast::Path& path, const RuleName& rule) {
    const std::string& name = path.head.name;
    if (rule.order == order_) {
      error("E015", path.head, "rule `" + name + "` refers to itself", "a rule cannot use its own result");
      return std::nullopt;
    }
    if (rule.order > order_) {
      error("E015", path.head, "rule `" + name + "` is declared later", "a rule can only use rules declared above it");
      return std::nullopt;
    }
    if (rule.scope_known && rule.scope != scope_) {
      error("E015", path.head,
            "rule `" + name + "` is on " + std::string(to_string(rule.scope)) + ", this rule is on " +
                std::string(to_string(scope_)),
            "only rules of the same scope can be used");
      return std::nullopt;
    }
    if (!path.rest.empty()) {
      error("E013", path.rest.front(), "a rule's result is a boolean and has no fields");
      return std::nullopt;
    }
    if (!rule.compiled) return std::nullopt;  // its own errors were reported
    Node n;
    n.op = NodeOp::rule_ref;
    n.type = ValueType::boolean;
    n.index = *rule.compiled;
    n.name = name;
    return add(std::move(n));
  }

  const CheckInput& in_;
  std::vector<Diagnostic>& diagnostics_;
  std::shared_ptr<Program> program_;
  const ParsedFile* file_ = nullptr;
  std::map<std::string, External> externals_;
  std::set<std::string> used_externals_;
  std::vector<std::string> undeclared_defines_;
  std::unordered_map<std::string, RuleName> rule_names_;
  std::map<std::string, std::size_t> overrides_;  // name -> order of its (first) `override rule`
  ObjectKind scope_ = ObjectKind::host;
  std::size_t order_ = 0;
  std::vector<Var> vars_;
  std::uint32_t max_slots_ = 0;
};

}  // namespace

std::shared_ptr<Program> check(const CheckInput& input, std::vector<Diagnostic>& diagnostics) {
  return Checker(input, diagnostics).run();
}

}  // namespace drydock::rules::detail
