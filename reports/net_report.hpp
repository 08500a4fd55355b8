#pragma once
// `drydock net`: network interfaces of every network namespace.

#include <string>

#include <nlohmann/json.hpp>

#include "engine/model/dump_model.hpp"

namespace drydock {

nlohmann::json interface_json(const NetInterface& dev);
nlohmann::json interfaces_json(const DumpModel& model);
std::string interfaces_text(const DumpModel& model);

}  // namespace drydock
