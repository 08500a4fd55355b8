#pragma once
// `drydock info`: what the dump is and where its kernel lies.

#include <string>

#include <nlohmann/json.hpp>

#include "engine/model/dump_model.hpp"

namespace drydock {

nlohmann::json info_json(const DumpInfo& info);
std::string info_text(const DumpInfo& info);

}  // namespace drydock
