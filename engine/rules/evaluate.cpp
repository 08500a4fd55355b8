#include "engine/rules/evaluate.hpp"

#include <algorithm>
#include <bit>
#include <cctype>

#include <oneapi/tbb/blocked_range.h>
#include <oneapi/tbb/enumerable_thread_specific.h>
#include <oneapi/tbb/parallel_for.h>
#include <oneapi/tbb/task_arena.h>

#include "engine/rules/detail/eval_env.hpp"
#include "engine/rules/detail/program.hpp"
#include "engine/core/time_format.hpp"
#include "engine/rules/ip_address.hpp"

namespace drydock::rules {

namespace {

using detail::EvalEnv;
using detail::kNoNode;
using detail::Node;
using detail::NodeOp;
using detail::Program;

constexpr std::size_t kMaxEvidenceString = 256;
constexpr std::size_t kMaxExplainedElements = 8;  // quantifier elements explained per quantifier
constexpr int kMaxExplainedRuleDepth = 4;          // nested rule references explained

// Linear-time substring search (Knuth-Morris-Pratt), so two long dump
// strings cannot make `contains` quadratic.
bool contains_linear(std::string_view hay, std::string_view needle) {
  if (needle.empty()) return true;
  if (needle.size() > hay.size()) return false;
  if (needle.size() <= 16) return hay.find(needle) != std::string_view::npos;  // bounded by 16 * |hay|
  std::vector<std::size_t> fail(needle.size(), 0);
  for (std::size_t i = 1, k = 0; i < needle.size(); ++i) {
    while (k > 0 && needle[i] != needle[k]) k = fail[k - 1];
    if (needle[i] == needle[k]) ++k;
    fail[i] = k;
  }
  for (std::size_t i = 0, k = 0; i < hay.size(); ++i) {
    while (k > 0 && hay[i] != needle[k]) k = fail[k - 1];
    if (hay[i] == needle[k]) ++k;
    if (k == needle.size()) return true;
  }
  return false;
}

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::int64_t wrap(std::uint64_t v) { return static_cast<std::int64_t>(v); }

// Integer arithmetic without undefined behaviour: wrapping add/sub/mul,
// division by zero and INT64_MIN / -1 give null (no match), shifts outside
// 0..63 give 0.
Value arith(ast::Op op, std::int64_t l, std::int64_t r) {
  const auto ul = static_cast<std::uint64_t>(l);
  const auto ur = static_cast<std::uint64_t>(r);
  switch (op) {
    case ast::Op::add: return Value::integer(wrap(ul + ur));
    case ast::Op::sub: return Value::integer(wrap(ul - ur));
    case ast::Op::mul: return Value::integer(wrap(ul * ur));
    case ast::Op::div:
      if (r == 0 || (l == INT64_MIN && r == -1)) return Value::null();
      return Value::integer(l / r);
    case ast::Op::mod:
      if (r == 0 || (l == INT64_MIN && r == -1)) return Value::null();
      return Value::integer(l % r);
    case ast::Op::bit_and: return Value::integer(l & r);
    case ast::Op::bit_or: return Value::integer(l | r);
    case ast::Op::bit_xor: return Value::integer(l ^ r);
    case ast::Op::shl: return Value::integer(r < 0 || r > 63 ? 0 : wrap(ul << r));
    case ast::Op::shr: return Value::integer(r < 0 || r > 63 ? 0 : wrap(ul >> r));
    default: return Value::null();
  }
}

EvidenceValue to_evidence(const Value& v, const EvalEnv& env) {
  auto cut = [](std::string_view s) {
    if (s.size() <= kMaxEvidenceString) return std::string(s);
    return std::string(s.substr(0, kMaxEvidenceString)) + "...";
  };
  switch (v.kind) {
    case ValueType::null: return std::monostate{};
    case ValueType::integer: return v.i;
    case ValueType::boolean: return v.b;
    case ValueType::string:
    case ValueType::ip: return cut(v.s);
    case ValueType::ip_list:
    case ValueType::string_list: {
      std::vector<std::string> out;
      for (std::size_t i = 0; i < v.strings.size() && i < 64; ++i) out.push_back(cut(v.strings[i]));
      return out;
    }
    case ValueType::integer_list: {
      std::vector<std::string> out;
      for (std::size_t i = 0; i < v.ints->size() && i < 64; ++i) out.push_back(std::to_string((*v.ints)[i]));
      return out;
    }
    case ValueType::object: return env.object_id(v.object);
    case ValueType::object_list: return static_cast<std::int64_t>(v.objects.size());
  }
  return std::monostate{};
}

class Evaluator {
 public:
  Evaluator(const Program& program, const EvalEnv& env, Obj self, const std::vector<std::int8_t>& results)
      : p_(program), env_(env), self_(self), results_(results), slots_(program.max_slots),
        paths_(program.max_slots) {}

  bool truth(std::uint32_t n) { return eval(n).is_true(); }

  Value eval(std::uint32_t index) {
    const Node& n = p_.nodes[index];
    switch (n.op) {
      case NodeOp::constant:
        if (n.type == ValueType::integer) return Value::integer(n.ival);
        if (n.type == ValueType::boolean) return Value::boolean(n.bval);
        if (n.type == ValueType::string_list) return Value::list_view(n.svals);
        if (n.type == ValueType::ip) return Value::ip_value(n.ipval, n.sval);
        if (n.type == ValueType::ip_list) return Value::ip_list_view(n.ipvals, n.svals);
        return Value::view(n.sval);
      case NodeOp::field: {
        if (n.a == kNoNode) return n.field->get(env_, self_);
        Value base = eval(n.a);
        if (base.kind != ValueType::object) return Value::null();
        return n.field->get(env_, base.object);
      }
      case NodeOp::variable: return slots_[n.slot];
      // A rule whose condition was unknown is unknown where it is referred to.
      case NodeOp::rule_ref: return results_[n.index] < 0 ? Value::null() : Value::boolean(results_[n.index] > 0);
      // Three-valued logic: an unknown (null) operand makes the result
      // unknown unless the known ones decide it, and only a true condition
      // matches, so no finding comes from a value drydock could not read.
      case NodeOp::logic_and: {
        bool unknown = false;
        for (auto k : n.kids) {
          const Value v = eval(k);
          if (v.is_null()) {
            unknown = true;
          } else if (!v.is_true()) {
            return Value::boolean(false);
          }
        }
        return unknown ? Value::null() : Value::boolean(true);
      }
      case NodeOp::logic_or: {
        bool unknown = false;
        for (auto k : n.kids) {
          const Value v = eval(k);
          if (v.is_true()) return Value::boolean(true);
          unknown = unknown || v.is_null();
        }
        return unknown ? Value::null() : Value::boolean(false);
      }
      case NodeOp::logic_not: {
        const Value v = eval(n.a);
        return v.is_null() ? Value::null() : Value::boolean(!v.is_true());
      }
      case NodeOp::arith: {
        Value acc = eval(n.kids[0]);
        for (std::size_t i = 1; i < n.kids.size() && acc.kind == ValueType::integer; ++i) {
          Value rhs = eval(n.kids[i]);
          if (rhs.kind != ValueType::integer) return Value::null();
          acc = arith(n.ops[i - 1], acc.i, rhs.i);
        }
        return acc.kind == ValueType::integer ? acc : Value::null();
      }
      case NodeOp::negate: {
        Value v = eval(n.a);
        return v.kind == ValueType::integer ? Value::integer(wrap(0 - static_cast<std::uint64_t>(v.i))) : Value::null();
      }
      case NodeOp::bit_not: {
        Value v = eval(n.a);
        return v.kind == ValueType::integer ? Value::integer(~v.i) : Value::null();
      }
      case NodeOp::compare: {
        Value l = eval(n.a), r = eval(n.b);
        if (l.is_null() || r.is_null()) return Value::null();
        return Value::boolean(compare(n, l, r));
      }
      case NodeOp::string_op: {
        Value l = eval(n.a), r = eval(n.b);
        if (l.is_null() || r.is_null()) return Value::null();
        return Value::boolean(string_op(n, l, r));
      }
      case NodeOp::matches: {
        Value v = eval(n.a);
        if (v.is_null()) return Value::null();
        if (v.kind != ValueType::string && v.kind != ValueType::ip) return Value::boolean(false);
        return Value::boolean(RE2::PartialMatch(re2::StringPiece(v.s.data(), v.s.size()), *p_.regexes[n.index]));
      }
      case NodeOp::in_list: {
        Value v = eval(n.a);
        if (v.is_null()) return Value::null();
        for (auto k : n.kids) {
          if (equal(v, eval(k))) return Value::boolean(true);
        }
        return Value::boolean(false);
      }
      case NodeOp::in_range: {
        Value v = eval(n.a), lo = eval(n.b), hi = eval(n.c);
        if (v.is_null() || lo.is_null() || hi.is_null()) return Value::null();
        if (v.kind != ValueType::integer || lo.kind != ValueType::integer || hi.kind != ValueType::integer) {
          return Value::boolean(false);
        }
        return Value::boolean(lo.i <= v.i && v.i <= hi.i);
      }
      case NodeOp::in_collection: {
        Value v = eval(n.a), list = eval(n.b);
        if (v.is_null() || list.is_null()) return Value::null();
        if (v.kind == ValueType::string && list.kind == ValueType::string_list) {
          return Value::boolean(std::find(list.strings.begin(), list.strings.end(), v.s) != list.strings.end());
        }
        if (v.kind == ValueType::integer && list.kind == ValueType::integer_list) {
          return Value::boolean(std::find(list.ints->begin(), list.ints->end(), v.i) != list.ints->end());
        }
        if (v.kind == ValueType::ip && list.kind == ValueType::ip_list) {
          // Not found among the known addresses: unknown if some are unknown.
          bool unknown = false;
          for (const auto& ip : list.ips) {
            if (ip && ip_equal(v.ip, *ip)) return Value::boolean(true);
            unknown = unknown || !ip;
          }
          return unknown ? Value::null() : Value::boolean(false);
        }
        return Value::boolean(false);
      }
      case NodeOp::length: {
        Value v = eval(n.a);
        switch (v.kind) {
          case ValueType::string: return Value::integer(static_cast<std::int64_t>(v.s.size()));
          case ValueType::string_list:
          case ValueType::integer_list:
          case ValueType::ip_list:
          case ValueType::object_list: return Value::integer(static_cast<std::int64_t>(v.size()));
          default: return Value::null();
        }
      }
      case NodeOp::call: return call(n);
      case NodeOp::quantifier: return quantify(n, nullptr, false, 0);
    }
    return Value::null();
  }

  // Evidence: the fields that made node `n` evaluate to `want`.
  void explain(std::uint32_t index, bool want, std::vector<Evidence>& out, int rule_depth) {
    const Node& n = p_.nodes[index];
    switch (n.op) {
      case NodeOp::logic_and:
      case NodeOp::logic_or: {
        // `and` true / `or` false: every child; otherwise the first child with the wanted value.
        const bool all = (n.op == NodeOp::logic_and) == want;
        for (auto k : n.kids) {
          if (all) {
            explain(k, want, out, rule_depth);
          } else if (truth(k) == want) {
            explain(k, want, out, rule_depth);
            return;
          }
        }
        return;
      }
      case NodeOp::logic_not: explain(n.a, !want, out, rule_depth); return;
      case NodeOp::quantifier: quantify(n, &out, want, rule_depth); return;
      case NodeOp::rule_ref: {
        if (rule_depth >= kMaxExplainedRuleDepth) {
          out.push_back(Evidence{"rule " + n.name, results_[n.index] > 0, false});
          return;
        }
        // A fresh evaluator: the referenced rule has its own variables.
        Evaluator inner(p_, env_, self_, results_);
        inner.explain(p_.rules[n.index].root, want, out, rule_depth + 1);
        return;
      }
      default:
        if (truth(index) == want) collect(index, out);
        return;
    }
  }

 private:
  // The fields read by a leaf, with their values and paths.
  void collect(std::uint32_t index, std::vector<Evidence>& out) {
    const Node& n = p_.nodes[index];
    switch (n.op) {
      case NodeOp::field:
      case NodeOp::variable:
        if (n.type == ValueType::object_list) return;
        out.push_back(Evidence{path_of(index), to_evidence(eval(index), env_), n.hex});
        return;
      case NodeOp::length:
        out.push_back(Evidence{"len(" + path_of(n.a) + ")", to_evidence(eval(index), env_), false});
        return;
      case NodeOp::quantifier:
        if (n.quant == ast::QuantKind::count) {
          out.push_back(Evidence{"count(" + n.name + " in " + path_of(n.a) + ")", to_evidence(eval(index), env_), false});
        }
        return;
      case NodeOp::rule_ref:
      case NodeOp::constant: return;
      default: break;
    }
    for (auto child : {n.a, n.b, n.c}) {
      if (child != kNoNode) collect(child, out);
    }
    for (auto k : n.kids) collect(k, out);
  }

  std::string path_of(std::uint32_t index) {
    const Node& n = p_.nodes[index];
    if (n.op == NodeOp::variable) return paths_[n.slot].empty() ? n.name : paths_[n.slot];
    if (n.op == NodeOp::field) return n.a == kNoNode ? n.name : path_of(n.a) + "." + n.name;
    return "(value)";
  }

  // Equality of two values of one type: an ip by address (or network).
  static bool equal(const Value& l, const Value& r) {
    if (l.kind != r.kind) return false;
    switch (l.kind) {
      case ValueType::integer: return l.i == r.i;
      case ValueType::boolean: return l.b == r.b;
      case ValueType::string: return l.s == r.s;
      case ValueType::ip: return ip_equal(l.ip, r.ip);
      default: return false;
    }
  }

  bool compare(const Node& n, const Value& l, const Value& r) {
    if (l.kind != r.kind) return false;
    if (n.bin == ast::Op::eq) return equal(l, r);
    if (n.bin == ast::Op::ne) return !equal(l, r);
    int c = 0;
    if (l.kind == ValueType::integer) {
      c = l.i < r.i ? -1 : l.i > r.i ? 1 : 0;
    } else if (l.kind == ValueType::string) {
      c = l.s.compare(r.s);
    } else {
      return false;
    }
    switch (n.bin) {
      case ast::Op::lt: return c < 0;
      case ast::Op::le: return c <= 0;
      case ast::Op::gt: return c > 0;
      case ast::Op::ge: return c >= 0;
      default: return false;
    }
  }

  bool string_op(const Node& n, const Value& l, const Value& r) {
    const auto text = [](const Value& v) { return v.kind == ValueType::string || v.kind == ValueType::ip; };
    if (!text(l) || !text(r)) return false;
    switch (n.bin) {
      case ast::Op::contains: return contains_linear(l.s, r.s);
      case ast::Op::icontains: return contains_linear(lower(l.s), lower(r.s));
      case ast::Op::startswith: return l.s.substr(0, r.s.size()) == r.s;
      case ast::Op::endswith: return l.s.size() >= r.s.size() && l.s.substr(l.s.size() - r.s.size()) == r.s;
      case ast::Op::iequals:
        return l.s.size() == r.s.size() && std::equal(l.s.begin(), l.s.end(), r.s.begin(), [](char a, char b) {
                 return std::tolower(static_cast<unsigned char>(a)) == std::tolower(static_cast<unsigned char>(b));
               });
      default: return false;
    }
  }

  // A function row's implementation over the evaluated arguments. `args_`
  // is a stack: nested calls push above and pop back before this one reads.
  Value call(const Node& n) {
    const std::size_t base = args_.size();
    for (auto k : n.kids) {
      Value v = eval(k);
      args_.push_back(std::move(v));
    }
    Value result = n.func->eval(std::span<const Value>(args_).subspan(base));
    args_.resize(base);
    return result;
  }

  // Evaluates a quantifier; with `out`, also explains it as `want`.
  // True, false, or null when elements whose body is unknown could decide it.
  Value quantify(const Node& n, std::vector<Evidence>* out, bool want, int rule_depth) {
    Value collection = eval(n.a);
    const std::size_t size = collection.size();
    const std::string base = out != nullptr ? path_of(n.a) : std::string();
    auto bind = [&](std::size_t i) {
      slots_[n.slot] = collection.at(i);
      if (out != nullptr) paths_[n.slot] = base + "[" + std::to_string(i) + "]";
    };
    const auto needed = static_cast<std::uint64_t>(n.ival);
    std::uint64_t matched = 0, unknown = 0;
    std::size_t explained = 0;
    Value result;
    // Which elements to explain: for a true any/N-of/all, the elements whose
    // body is true; for a false all/none, the first element that broke it.
    for (std::size_t i = 0; i < size; ++i) {
      bind(i);
      const Value value = eval(n.b);
      const bool body = value.is_true();
      matched += body ? 1 : 0;
      unknown += value.is_null() ? 1 : 0;
      if (out != nullptr && explained < kMaxExplainedElements) {
        const bool wanted_element = (n.quant == ast::QuantKind::none) ? (!want && body)
                                    : (n.quant == ast::QuantKind::all) ? (want ? body : !body)
                                                                        : (want && body);
        if (wanted_element) {
          explain(n.b, body, *out, rule_depth);
          ++explained;
        }
      }
      if (out == nullptr && n.quant != ast::QuantKind::count) {
        if (n.quant == ast::QuantKind::any && body) return Value::boolean(true);
        if (n.quant == ast::QuantKind::all && !body && !value.is_null()) return Value::boolean(false);
        if (n.quant == ast::QuantKind::none && body) return Value::boolean(false);
        if (n.quant == ast::QuantKind::at_least && matched >= needed) return Value::boolean(true);
      }
    }
    const auto decided = [&](bool yes, bool no) { return yes ? Value::boolean(true) : no ? Value::boolean(false) : Value::null(); };
    switch (n.quant) {
      case ast::QuantKind::any: result = decided(matched > 0, unknown == 0); break;
      case ast::QuantKind::all: result = decided(matched == size, matched + unknown < size); break;
      case ast::QuantKind::none: result = decided(matched == 0 && unknown == 0, matched > 0); break;
      case ast::QuantKind::at_least: result = decided(matched >= needed, matched + unknown < needed); break;
      // A count with unknown elements is itself unknown: it could be higher.
      case ast::QuantKind::count:
        result = unknown == 0 ? Value::integer(static_cast<std::int64_t>(matched)) : Value::null();
        break;
    }
    // A `none` (or an `all` over nothing) holds without any element to show:
    // the evidence is how many elements were looked at.
    if (out != nullptr && want && explained == 0 &&
        (n.quant == ast::QuantKind::none || (n.quant == ast::QuantKind::all && size == 0))) {
      out->push_back(Evidence{"len(" + base + ")", static_cast<std::int64_t>(size), false});
    }
    slots_[n.slot] = Value::null();
    if (out != nullptr) paths_[n.slot].clear();
    return result;
  }

  const Program& p_;
  const EvalEnv& env_;
  Obj self_;
  const std::vector<std::int8_t>& results_;
  std::vector<Value> slots_;
  std::vector<std::string> paths_;
  std::vector<Value> args_;  // arguments of the calls being evaluated
};

std::string render_value(const Value& v, bool hex, const EvalEnv& env) {
  auto ev = to_evidence(v, env);
  if (const auto* s = std::get_if<std::string>(&ev)) return *s;
  if (const auto* list = std::get_if<std::vector<std::string>>(&ev)) {
    std::string out;
    for (std::size_t i = 0; i < list->size(); ++i) out += (i ? ", " : "") + (*list)[i];
    return out;
  }
  if (std::holds_alternative<std::monostate>(ev)) return "(unknown)";
  return to_display_string(ev, hex);
}

struct Keyed {
  std::size_t scope_rank;
  std::size_t object;
  std::size_t rule;
  Finding finding;
};

bool reportable(const detail::CompiledRule& rule, const EvalOptions& options) {
  if (rule.info.is_private || rule.info.is_disabled) return false;
  if (options.min_severity && rule.info.severity < *options.min_severity) return false;
  if (options.tags.empty()) return true;
  for (const auto& tag : rule.info.tags) {
    if (std::find(options.tags.begin(), options.tags.end(), tag) != options.tags.end()) return true;
  }
  return false;
}

void evaluate_object(const Program& p, const EvalEnv& env, const EvalOptions& options, ObjectKind scope,
                     std::size_t scope_rank, const std::vector<std::size_t>& rule_ids, const Obj& object,
                     std::size_t object_index, std::vector<std::int8_t>& results, std::vector<Keyed>& out) {
  std::fill(results.begin(), results.end(), std::int8_t{0});
  Evaluator ev(p, env, object, results);
  bool globals_hold = true;
  for (auto r : rule_ids) {
    // 1 matched, 0 did not, -1 unknown (an unknown value decided it): a
    // rule that refers to an unknown one is unknown too, never its negation.
    const Value v = ev.eval(p.rules[r].root);
    results[r] = v.is_true() ? 1 : v.is_null() ? -1 : 0;
    if (p.rules[r].info.is_global && results[r] != 1) globals_hold = false;
  }
  if (!globals_hold) return;
  for (auto r : rule_ids) {
    const auto& rule = p.rules[r];
    if (results[r] != 1 || !reportable(rule, options)) continue;
    Finding f;
    f.rule = rule.info.name;
    f.severity = rule.info.severity;
    f.tags = rule.info.tags;
    f.meta = rule.info.meta;
    for (const auto& part : rule.message) {
      if (part.path.empty()) {
        f.message += part.text;
        continue;
      }
      Value v = Value::of(object);
      for (const FieldDef* field : part.path) {
        v = v.kind == ValueType::object ? field->get(env, v.object) : Value::null();
      }
      const FieldDef& last = *part.path.back();
      if (v.kind == ValueType::integer && field_is_unix_time_ns(last)) {
        f.message += iso8601_utc(v.i);
      } else {
        f.message += render_value(v, last.hex, env);
      }
    }
    f.scope = std::string(to_string(scope));
    f.object = env.object_id(object);
    f.object_label = env.object_label(object);
    f.identity = env.object_identity(object);
    f.title = env.object_title(object);
    if (rule.container_field != nullptr) {
      const Value c = rule.container_field->get(env, object);
      if (c.kind == ValueType::object) {
        f.container_id = env.object_id(c.object);
        f.container_label = env.object_label(c.object);
      }
    }
    if (f.object_label.size() > kMaxEvidenceString) f.object_label = f.object_label.substr(0, kMaxEvidenceString) + "...";
    std::vector<Evidence> evidence;
    ev.explain(rule.root, true, evidence, 0);
    for (auto& e : evidence) {
      if (f.evidence.size() >= options.max_evidence) break;
      const bool seen = std::any_of(f.evidence.begin(), f.evidence.end(),
                                    [&](const Evidence& x) { return x.path == e.path; });
      if (!seen) f.evidence.push_back(std::move(e));
    }
    out.push_back(Keyed{scope_rank, object_index, r, std::move(f)});
  }
}

}  // namespace

std::vector<Finding> evaluate(const CompiledRules& rules, const DumpModel& model, const EvalOptions& options) {
  const Program& p = rules.program();
  const EvalEnv env(model);
  tbb::enumerable_thread_specific<std::vector<Keyed>> per_thread;
  tbb::enumerable_thread_specific<std::vector<std::int8_t>> results(p.rules.size(), std::int8_t{0});

  // The scopes in the order of the kind table (host first), each over its objects.
  const auto kinds = object_kinds();
  auto run = [&] {
    for (std::size_t rank = 0; rank < kinds.size(); ++rank) {
      if (!kinds[rank].is_scope) continue;
      const ObjectKind scope = kinds[rank].kind;
      std::vector<std::size_t> rule_ids;
      for (std::size_t r = 0; r < p.rules.size(); ++r) {
        if (p.rules[r].scope == scope) rule_ids.push_back(r);
      }
      if (rule_ids.empty()) continue;
      const auto& objects = env.objects_of(scope);
      tbb::parallel_for(tbb::blocked_range<std::size_t>(0, objects.size(), 64),
                        [&](const tbb::blocked_range<std::size_t>& range) {
                          auto& out = per_thread.local();
                          auto& scratch = results.local();
                          for (std::size_t i = range.begin(); i != range.end(); ++i) {
                            evaluate_object(p, env, options, scope, rank, rule_ids, objects[i], i, scratch, out);
                          }
                        });
    }
  };
  if (options.threads > 0) {
    tbb::task_arena arena(static_cast<int>(options.threads));
    arena.execute(run);
  } else {
    run();
  }

  // Sort light references, then move each finding once. Keys are unique
  // (one finding per scope, object and rule), so the order is total.
  struct Ref {
    std::size_t scope_rank, object, rule;
    Finding* finding;
  };
  std::vector<Ref> refs;
  for (auto& local : per_thread) {
    for (auto& k : local) refs.push_back(Ref{k.scope_rank, k.object, k.rule, &k.finding});
  }
  std::sort(refs.begin(), refs.end(), [](const Ref& a, const Ref& b) {
    return std::tie(a.scope_rank, a.object, a.rule) < std::tie(b.scope_rank, b.object, b.rule);
  });
  std::vector<Finding> findings;
  findings.reserve(refs.size());
  for (const auto& r : refs) findings.push_back(std::move(*r.finding));
  return findings;
}

}  // namespace drydock::rules
