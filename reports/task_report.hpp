#pragma once
// `drydock ps` and `drydock pstree`: every task with ids, credentials,
// capabilities, namespaces, start time and container.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/model/dump_model.hpp"

namespace drydock {

nlohmann::json task_json(const Task& task);
nlohmann::json tasks_json(const DumpModel& model);  // {"dump", "tasks", "errors"}
std::string tasks_text(const DumpModel& model);
std::string pstree_text(const DumpModel& model);

// The model's extraction issues as JSON strings "stage: message".
nlohmann::json issues_json(const std::vector<ExtractionIssue>& issues);
// ... and as text lines for the end of a text report ("" when there are none).
std::string issues_text(const std::vector<ExtractionIssue>& issues);

}  // namespace drydock
