// `drydock net` on each dataset against `ip -j addr` run inside every network
// namespace of the guest (ground-truth/netns/<inode>-addr.json).

#include <filesystem>
#include <map>
#include <set>

#include <catch2/catch.hpp>

#include "integration/real_dump.hpp"

using namespace drydock::test;
using nlohmann::json;

TEST_CASE("net gives every namespace's interfaces, MACs, addresses and up state", "[dataset]") {
  CommandResult raw;
  const json got = drydock_json("net --format json" + on_dataset(), &raw);
  INFO(raw.err);
  REQUIRE(raw.exit_code == 0);
  std::map<std::pair<std::uint64_t, std::string>, json> ours;
  std::set<std::uint64_t> our_namespaces;
  for (const json& i : got["interfaces"]) {
    ours[{i["net_ns"].get<std::uint64_t>(), i["name"].get<std::string>()}] = i;
    our_namespaces.insert(i["net_ns"].get<std::uint64_t>());
  }

  std::set<std::uint64_t> truth_namespaces;
  std::vector<std::string> mismatches;
  for (const auto& entry : std::filesystem::directory_iterator(dataset().ground_truth("netns"))) {
    const std::string name = entry.path().filename().string();
    if (name.size() < 10 || name.substr(name.size() - 10) != "-addr.json") continue;
    const std::uint64_t ns = std::stoull(name.substr(0, name.find('-')));
    truth_namespaces.insert(ns);
    std::size_t count = 0;
    for (const json& dev : read_json_file(entry.path().string())) {
      ++count;
      const std::string ifname = dev["ifname"];
      auto it = ours.find({ns, ifname});
      if (it == ours.end()) {
        mismatches.push_back("missing " + std::to_string(ns) + " " + ifname);
        continue;
      }
      const json& o = it->second;
      std::set<std::string> v4, v6;
      for (const json& a : dev["addr_info"]) {
        const std::string text = a["local"].get<std::string>() + "/" + std::to_string(a["prefixlen"].get<int>());
        (a["family"] == "inet" ? v4 : v6).insert(text);
      }
      const bool up = std::find(dev["flags"].begin(), dev["flags"].end(), "UP") != dev["flags"].end();
      if (o["mac"] != dev["address"]) mismatches.push_back(ifname + " mac " + o["mac"].dump());
      if (o["ifindex"] != dev["ifindex"]) mismatches.push_back(ifname + " ifindex " + o["ifindex"].dump());
      if (o["up"] != up) mismatches.push_back(ifname + " up " + o["up"].dump());
      if (std::set<std::string>(o["ipv4"].begin(), o["ipv4"].end()) != v4) mismatches.push_back(ifname + " ipv4 " + o["ipv4"].dump());
      if (std::set<std::string>(o["ipv6"].begin(), o["ipv6"].end()) != v6) mismatches.push_back(ifname + " ipv6 " + o["ipv6"].dump());
    }
    std::size_t our_count = 0;
    for (const auto& [key, value] : ours) our_count += key.first == ns;
    if (our_count != count) mismatches.push_back("namespace " + std::to_string(ns) + ": interface count differs");
  }
  for (const std::string& m : mismatches) UNSCOPED_INFO(m);
  CHECK(mismatches.empty());
  CHECK(our_namespaces == truth_namespaces);
}
