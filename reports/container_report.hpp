#pragma once
// `drydock containers`: the `docker ps`-like inventory with privileges,
// capabilities, host namespaces, networks, non-default mounts and overlay
// layers, plus the engine signals.

#include <string>

#include <nlohmann/json.hpp>

#include "engine/model/dump_model.hpp"

namespace drydock {

nlohmann::json container_json(const Container& container);
nlohmann::json engine_json(const EngineSignals& engine);
nlohmann::json containers_json(const DumpModel& model);  // {"dump", "engine", "containers", "errors"}
std::string containers_text(const DumpModel& model);

}  // namespace drydock
