#pragma once
// The checked, typed form of a rule set that evaluate() runs. Nodes live in
// one flat vector and refer to each other by index; chains of one operator
// level are n-ary nodes, so evaluation recursion is bounded by the source's
// nesting depth (parser::kMaxNestingDepth), never by the length of a chain.

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include <re2/re2.h>

#include "engine/rules/compiler.hpp"
#include "engine/rules/functions.hpp"
#include "engine/rules/schema.hpp"
#include "parser/ast.hpp"

namespace drydock::rules::detail {

inline constexpr std::uint32_t kNoNode = UINT32_MAX;

enum class NodeOp : std::uint8_t {
  constant,       // value in ival/bval/sval/svals/ipval/ipvals according to type
  field,          // field of node a (kNoNode: of the rule's object)
  variable,       // quantifier variable in slot
  rule_ref,       // result of an earlier rule (index)
  logic_and,      // kids
  logic_or,       // kids
  logic_not,      // a
  arith,          // kids[0] ops[0] kids[1] ops[1] kids[2] ...
  negate,         // a
  bit_not,        // a
  compare,        // a bin b
  string_op,      // a bin b
  matches,        // a, regex index
  in_list,        // a in kids
  in_range,       // a in (b..c)
  in_collection,  // a in b (string or integer list)
  length,         // a
  call,           // function row `func` over kids
  quantifier,     // quant over a, body b, variable slot (QuantKind::count: how many)
};

struct Node {
  NodeOp op = NodeOp::constant;
  ValueType type = ValueType::boolean;
  ObjectKind object = ObjectKind::none;  // for object / object_list types
  ast::Op bin = ast::Op::eq;
  ast::QuantKind quant = ast::QuantKind::any;
  const FunctionDef* func = nullptr;
  bool hex = false;
  std::uint32_t a = kNoNode, b = kNoNode, c = kNoNode;
  std::uint32_t slot = 0;
  std::uint32_t index = 0;  // rule index, regex index
  std::vector<std::uint32_t> kids;
  std::vector<ast::Op> ops;
  std::int64_t ival = 0;
  bool bval = false;
  std::string sval;      // constant string
  std::vector<std::string> svals;  // constant list of strings (a list external), or the texts of ipvals
  IpPrefix ipval;                  // constant IP (sval: its text)
  std::vector<std::optional<IpPrefix>> ipvals;  // constant list of IPs
  std::string name;      // field or variable name, for evidence paths
  const FieldDef* field = nullptr;
};

// Either literal text or a field reached from the rule's object
// (`{comm}`, `{container.label}`: every field but the last is an object).
struct MessagePart {
  std::string text;
  std::vector<const FieldDef*> path;
};

struct CompiledRule {
  RuleInfo info;
  ObjectKind scope = ObjectKind::host;
  std::uint32_t root = kNoNode;
  std::uint32_t slots = 0;
  std::vector<MessagePart> message;
  const FieldDef* container_field = nullptr;  // the scope's `container` field, when it has one
};

struct Program {
  std::vector<Node> nodes;
  std::vector<std::unique_ptr<const RE2>> regexes;
  std::vector<CompiledRule> rules;
  std::vector<RuleInfo> infos;
  std::vector<ExternalInfo> externals;
  std::uint32_t max_slots = 0;  // quantifier variables of the deepest rule
};

}  // namespace drydock::rules::detail
