#pragma once
// `drydock sockets`: every open TCP, UDP, UNIX and raw socket, like ss -tuanp.

#include <string>

#include <nlohmann/json.hpp>

#include "engine/model/dump_model.hpp"

namespace drydock {

nlohmann::json socket_json(const Socket& socket);
nlohmann::json sockets_json(const DumpModel& model);
std::string sockets_text(const DumpModel& model);

}  // namespace drydock
