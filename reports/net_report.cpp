#include "reports/net_report.hpp"

#include <fmt/format.h>

#include "reports/json_output.hpp"
#include "reports/task_report.hpp"
#include "reports/text_escape.hpp"

namespace drydock {
namespace {

nlohmann::json addresses(const std::vector<IpAddress>& list) {
  nlohmann::json out = nlohmann::json::array();
  for (const IpAddress& a : list) out.push_back(fmt::format("{}/{}", a.address, a.prefix));
  return out;
}

std::string joined(const std::vector<IpAddress>& list) {
  std::string out;
  for (const IpAddress& a : list) out += fmt::format("{}{}/{}", out.empty() ? "" : ",", a.address, a.prefix);
  return out.empty() ? "-" : out;
}

}  // namespace

nlohmann::json interface_json(const NetInterface& d) {
  return {{"net_ns", optional_json(d.net_ns)},
          {"name", d.name},
          {"ifindex", optional_json(d.ifindex)},
          {"mac", optional_json(d.mac)},
          {"up", optional_json(d.up)},
          {"kind", optional_json(d.kind)},
          {"master", d.master ? nlohmann::json(*d.master) : nlohmann::json(nullptr)},
          {"ipv4", addresses(d.ipv4)},
          {"ipv6", addresses(d.ipv6)},
          {"address", hex_string(d.address)}};
}

nlohmann::json interfaces_json(const DumpModel& model) {
  nlohmann::json list = nlohmann::json::array();
  for (const NetInterface& d : model.interfaces) list.push_back(interface_json(d));
  return {{"dump", dump_header_json(model.info)}, {"interfaces", list}, {"errors", issues_json(model.issues)}};
}

std::string interfaces_text(const DumpModel& model) {
  std::string out = fmt::format("{:<11} {:>4} {:<16} {:<9} {:<17} {:<4} {:<16} {:<20} {}\n", "NET_NS", "IDX", "NAME",
                                "KIND", "MAC", "UP", "MASTER", "IPV4", "IPV6");
  for (const NetInterface& d : model.interfaces) {
    out += fmt::format("{:<11} {:>4} {:<16} {:<9} {:<17} {:<4} {:<16} {:<20} {}\n", optional_text(d.net_ns), optional_text(d.ifindex),
                       escape_text(d.name), d.kind ? escape_text(*d.kind) : "-", !d.mac || d.mac->empty() ? "-" : *d.mac, !d.up ? "-" : *d.up ? "up" : "down",
                       d.master ? escape_text(*d.master) : "-", joined(d.ipv4), joined(d.ipv6));
  }
  return out + issues_text(model.issues);
}

}  // namespace drydock
