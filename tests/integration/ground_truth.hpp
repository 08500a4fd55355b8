#pragma once
// Readers of a dataset's ground truth shared by the tests that compare
// drydock with it: /proc/PID/mountinfo as the guest recorded it
// (mountinfo/PID.txt), and the containers and networks as the container
// engines recorded them (<engine>-inspect.json and
// <engine>-network-inspect.json, for docker and, where present, podman).

#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "integration/real_dump.hpp"

namespace drydock::test {

// One line of a mountinfo file, unescaped.
struct MountinfoEntry {
  int id = 0;
  int parent = 0;
  std::string root;     // within the file system
  std::string point;    // mount point
  std::string options;  // per-mount options: "rw,relatime", ...
  std::string fstype;
  std::string source;
  std::map<std::string, std::string> super_options;  // key=value, or key="" for a flag
  bool read_only() const { return options == "ro" || options.rfind("ro,", 0) == 0; }
};

// mountinfo escapes space, tab, newline and backslash as \ooo.
inline std::string unescape_mountinfo(const std::string& s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '\\' && i + 3 < s.size()) {
      out += static_cast<char>(std::stoi(s.substr(i + 1, 3), nullptr, 8));
      i += 3;
    } else {
      out += s[i];
    }
  }
  return out;
}

inline std::vector<MountinfoEntry> read_mountinfo(const std::string& path) {
  std::vector<MountinfoEntry> entries;
  std::ifstream in(path);
  for (std::string line; std::getline(in, line);) {
    std::istringstream fields(line);
    MountinfoEntry e;
    std::string devno, field, super;
    fields >> e.id >> e.parent >> devno >> e.root >> e.point >> e.options;
    while (fields >> field && field != "-") {
    }
    fields >> e.fstype >> e.source >> super;
    e.root = unescape_mountinfo(e.root);
    e.point = unescape_mountinfo(e.point);
    std::istringstream options(super);
    for (std::string option; std::getline(options, option, ',');) {
      const auto eq = option.find('=');
      e.super_options[option.substr(0, eq)] = eq == std::string::npos ? "" : unescape_mountinfo(option.substr(eq + 1));
    }
    entries.push_back(e);
  }
  return entries;
}

struct InspectedContainer {
  std::string engine;     // "docker" or "podman"
  nlohmann::json record;  // its entry in <engine>-inspect.json
  std::string name() const {
    const std::string name = record["Name"];
    return name.rfind('/', 0) == 0 ? name.substr(1) : name;
  }
};

// The running containers of every engine dataset() has an inspect file of.
inline std::vector<InspectedContainer> running_containers() {
  std::vector<InspectedContainer> running;
  for (const std::string engine : {"docker", "podman"}) {
    if (!dataset().has_ground_truth(engine + "-inspect.json")) continue;
    for (const nlohmann::json& c : read_json_file(dataset().ground_truth(engine + "-inspect.json"))) {
      if (c["State"]["Running"].get<bool>()) running.push_back({engine, c});
    }
  }
  return running;
}

// A container's address on one of its networks, and that network's driver and
// IPv4 subnet from the engine's network records.
struct Attachment {
  std::string network;
  std::string driver;
  std::string ipv4;     // a.b.c.d/len
  std::string segment;  // the network's subnet
};

// The networks on which `c` has an IPv4 address (none for --network host).
inline std::vector<Attachment> attachments(const InspectedContainer& c) {
  const std::string file = c.engine + "-network-inspect.json";
  const nlohmann::json networks =
      dataset().has_ground_truth(file) ? read_json_file(dataset().ground_truth(file)) : nlohmann::json::array();
  std::vector<Attachment> out;
  for (const auto& [network, settings] : c.record["NetworkSettings"]["Networks"].items()) {
    if (settings.value("IPAddress", "").empty()) continue;
    Attachment a{network, "", settings["IPAddress"].get<std::string>() + "/" + std::to_string(settings["IPPrefixLen"].get<int>()),
                 ""};
    for (const nlohmann::json& n : networks) {
      if (c.engine == "docker" && n["Id"] == settings["NetworkID"]) {
        a.driver = n["Driver"];
        for (const nlohmann::json& config : n["IPAM"]["Config"]) {
          if (a.segment.empty() && config.value("Subnet", "").find('.') != std::string::npos) a.segment = config["Subnet"];
        }
      }
      if (c.engine == "podman" && n["name"] == network) {
        a.driver = n["driver"];
        for (const nlohmann::json& subnet : n["subnets"]) {
          if (a.segment.empty() && subnet.value("subnet", "").find('.') != std::string::npos) a.segment = subnet["subnet"];
        }
      }
    }
    out.push_back(a);
  }
  return out;
}

}  // namespace drydock::test
