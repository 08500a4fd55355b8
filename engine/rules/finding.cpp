#include "engine/rules/finding.hpp"

#include <cstdio>

namespace drydock::rules {

std::string_view to_string(Severity severity) {
  switch (severity) {
    case Severity::info: return "info";
    case Severity::low: return "low";
    case Severity::medium: return "medium";
    case Severity::high: return "high";
    case Severity::critical: return "critical";
  }
  return "info";
}

std::optional<Severity> parse_severity(std::string_view text) {
  for (auto s : {Severity::info, Severity::low, Severity::medium, Severity::high, Severity::critical}) {
    if (to_string(s) == text) return s;
  }
  return std::nullopt;
}

std::string to_display_string(const EvidenceValue& value, bool hex) {
  struct Visitor {
    bool hex;
    std::string operator()(std::monostate) const { return "(absent)"; }
    std::string operator()(std::int64_t v) const {
      if (!hex) return std::to_string(v);
      char buffer[32];
      std::snprintf(buffer, sizeof buffer, "0x%llx", static_cast<unsigned long long>(v));
      return buffer;
    }
    std::string operator()(bool v) const { return v ? "true" : "false"; }
    std::string operator()(const std::string& v) const { return "\"" + v + "\""; }
    std::string operator()(const std::vector<std::string>& v) const {
      std::string out = "[";
      for (std::size_t i = 0; i < v.size(); ++i) out += (i ? ", \"" : "\"") + v[i] + "\"";
      return out + "]";
    }
  };
  return std::visit(Visitor{hex}, value);
}

}  // namespace drydock::rules
