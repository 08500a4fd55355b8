#pragma once
// drydock's version: --version, SARIF's driver, and the stamp of sharded
// results (a result made by another version is scanned again).

#include <string_view>

namespace drydock {

inline constexpr std::string_view kDrydockVersion = "0.1.0";

}  // namespace drydock
