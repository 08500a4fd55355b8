#include "reports/socket_report.hpp"

#include <fmt/format.h>

#include "reports/json_output.hpp"
#include "reports/task_report.hpp"
#include "reports/text_escape.hpp"

namespace drydock {
namespace {

// "addr:port" as ss prints it: IPv6 addresses in brackets, a unix name alone.
std::string endpoint_text(const Socket& s, const std::optional<std::string>& address,
                          const std::optional<std::uint16_t>& port) {
  if (s.family == "unix") return address ? (address->empty() ? "*" : escape_text(*address)) : "-";
  const std::string a = !address ? "-" : s.family == "ipv6" ? "[" + *address + "]" : *address;
  const std::string p = !port ? "-" : *port == 0 ? "*" : std::to_string(*port);
  return a + ":" + p;
}

}  // namespace

nlohmann::json socket_json(const Socket& s) {
  return {{"net_ns", optional_json(s.net_ns)},
          {"protocol", optional_json(s.protocol)},
          {"family", s.family},
          {"type", optional_json(s.type)},
          {"state", optional_json(s.state)},
          {"local", optional_json(s.local)},
          {"local_port", optional_json(s.local_port)},
          {"remote", optional_json(s.remote)},
          {"remote_port", optional_json(s.remote_port)},
          {"pid", s.pid},
          {"fd", s.fd},
          {"comm", s.comm},
          {"container_id", optional_json(s.container_id)},
          {"address", hex_string(s.address)}};
}

nlohmann::json sockets_json(const DumpModel& model) {
  nlohmann::json list = nlohmann::json::array();
  for (const Socket& s : model.sockets) list.push_back(socket_json(s));
  return {{"dump", dump_header_json(model.info)}, {"sockets", list}, {"errors", issues_json(model.issues)}};
}

std::string sockets_text(const DumpModel& model) {
  std::string out = fmt::format("{:<11} {:<6} {:<10} {:<45} {:<45} {:<12} {}\n", "NET_NS", "NETID", "STATE",
                                "LOCAL ADDRESS:PORT", "PEER ADDRESS:PORT", "CONTAINER", "PROCESS");
  for (const Socket& s : model.sockets) {
    std::string netid = s.protocol.value_or("-");
    if (s.family == "unix") netid = s.type == "stream" ? "u_str" : s.type == "dgram" ? "u_dgr" : s.type == "seqpacket" ? "u_seq" : "unix";
    const std::string remote =
        s.family == "unix" ? std::string("*") : endpoint_text(s, s.remote, s.remote_port);
    out += fmt::format("{:<11} {:<6} {:<10} {:<45} {:<45} {:<12} users:((\"{}\",pid={},fd={}))\n",
                       optional_text(s.net_ns), netid, s.state.value_or("-"), endpoint_text(s, s.local, s.local_port),
                       remote, s.container_id ? s.container_id->substr(0, 12) : "-", escape_text(s.comm), s.pid, s.fd);
  }
  return out + issues_text(model.issues);
}

}  // namespace drydock
