#pragma once
// `drydock mounts`: mounts per mount namespace, as mountinfo shows them.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/model/dump_model.hpp"

namespace drydock {

nlohmann::json mount_json(const Mount& mount);
nlohmann::json mounts_json(const DumpInfo& info, const std::vector<Mount>& mounts,
                           const std::vector<ExtractionIssue>& issues);
std::string mounts_text(const std::vector<Mount>& mounts, const std::vector<ExtractionIssue>& issues);

}  // namespace drydock
