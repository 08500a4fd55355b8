#pragma once
// Fusion adaptation of the syntax tree for Spirit X3 attribute propagation.
// Nothing else belongs here.

#include <boost/fusion/include/adapt_struct.hpp>

#include "parser/ast.hpp"

BOOST_FUSION_ADAPT_STRUCT(drydock::rules::ast::Path, head, rest)
BOOST_FUSION_ADAPT_STRUCT(drydock::rules::ast::ExternalRef, keyword, name)
BOOST_FUSION_ADAPT_STRUCT(drydock::rules::ast::Operation, op, operand)
BOOST_FUSION_ADAPT_STRUCT(drydock::rules::ast::Expr, first, rest)
BOOST_FUSION_ADAPT_STRUCT(drydock::rules::ast::Unary, op, operand)
BOOST_FUSION_ADAPT_STRUCT(drydock::rules::ast::Call, name, args)
BOOST_FUSION_ADAPT_STRUCT(drydock::rules::ast::Length, hash, path)
BOOST_FUSION_ADAPT_STRUCT(drydock::rules::ast::ListLit, first, rest)
BOOST_FUSION_ADAPT_STRUCT(drydock::rules::ast::RangeLit, low, high)
BOOST_FUSION_ADAPT_STRUCT(drydock::rules::ast::Quantifier, head, variable, collection, body)
BOOST_FUSION_ADAPT_STRUCT(drydock::rules::ast::MetaEntry, key, value)
BOOST_FUSION_ADAPT_STRUCT(drydock::rules::ast::RuleDecl, modifiers, name, tags, scope, meta, condition)
BOOST_FUSION_ADAPT_STRUCT(drydock::rules::ast::ExternalDecl, name, value)
BOOST_FUSION_ADAPT_STRUCT(drydock::rules::ast::QuantHead, kind, count, count_name)
BOOST_FUSION_ADAPT_STRUCT(drydock::rules::ast::Count, variable, collection, body)
BOOST_FUSION_ADAPT_STRUCT(drydock::rules::ast::StringListLit, bracket, items)
BOOST_FUSION_ADAPT_STRUCT(drydock::rules::ast::Include, keyword, path)
