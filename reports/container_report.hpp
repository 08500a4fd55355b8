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
// [{uid, namespace, name, qos_class, sandbox_id, containers, sources}]
nlohmann::json pods_json(const std::vector<Pod>& pods);
// "namespace/name" of the container's pod, "uid <uid>" when only that is known, "-" otherwise.
std::string pod_label(const PodMembership& membership);
nlohmann::json containers_json(const DumpModel& model);  // {"dump", "engine", "containers", "pods", "errors"}
std::string containers_text(const DumpModel& model);

}  // namespace drydock
