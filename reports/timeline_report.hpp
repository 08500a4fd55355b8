#pragma once
// `drydock timeline`: the times the kernel recorded, one JSON object per
// event in the form Timesketch imports (JSONL): `message`, `datetime` (ISO
// 8601 UTC), `timestamp` (microseconds since the epoch), `timestamp_desc`,
// plus `event_type` ("boot", "process_start", "container_created",
// "file_modified", "file_changed"), `source` ("drydock") and the fields of
// what the event is about (pid, comm, container_id, container_name, path, ...).
//
// Events: the boot; each task's start (task_struct.start_boottime plus the
// boot time); each container's creation (its init task's start); each entry
// of a container's upper directory: its mtime ("Content Modification Time")
// and its ctime ("Metadata Modification Time"). Mounts are not events: the
// kernel keeps no time for them. An unknown time yields no event.
//
// Sorted by time, then event type, then message: the same for any -j.
// A pure function of the model.

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "engine/model/dump_model.hpp"

namespace drydock {

std::vector<nlohmann::json> timeline_events(const DumpModel& model);
// One compact JSON object a line.
std::string timeline_jsonl(const DumpModel& model);

}  // namespace drydock
