#include "engine/cli/command_changes.hpp"

#include <algorithm>

#include <fmt/format.h>

#include "engine/cli/file_extraction.hpp"
#include "engine/pipeline/pipeline.hpp"
#include "reports/change_report.hpp"
#include "reports/json_output.hpp"

namespace drydock {
namespace {

bool selected(const Container& c, const std::vector<std::string>& wanted) {
  if (wanted.empty()) return true;
  return std::any_of(wanted.begin(), wanted.end(), [&](const std::string& w) {
    return (!w.empty() && c.id.starts_with(w)) || (c.name && *c.name == w);
  });
}

nlohmann::json change_inode_json(const FileChange& c) {
  nlohmann::json j = file_change_json(c);
  for (const char* drop : {"path", "kind", "change", "opaque", "bytes_in_memory", "content_complete", "sha256", "first_line"}) {
    j.erase(drop);
  }
  return j;
}

}  // namespace

int run_changes(const CommonOptions& options, const std::string& dump, const ChangesOptions& changes) {
  auto session = open_session(options, dump);
  if (!session) return fail(session.error().message);
  // The engines' records name the containers (--container NAME, the text report).
  const ExtractionContext context = extract(**session, {Product::changes, Product::records});
  print_pass_timings(options, context.timings);
  const DumpModel& model = context.model;
  std::vector<Container> chosen;
  for (const Container& c : model.containers) {
    if (selected(c, changes.containers)) chosen.push_back(c);
  }
  for (const std::string& w : changes.containers) {
    const bool found = std::any_of(chosen.begin(), chosen.end(), [&](const Container& c) {
      return (!w.empty() && c.id.starts_with(w)) || (c.name && *c.name == w);
    });
    if (!found) return fail(fmt::format("{}: no container {} in this dump", dump, w));
  }
  if (!changes.extract_dir.empty()) {
    std::vector<ExtractItem> items;
    for (const Container& c : chosen) {
      if (!c.changes) continue;
      for (const FileChange& f : *c.changes) {
        items.push_back({f.path, c.id.substr(0, 12), f.kind, f.inode_address, f.size, change_inode_json(f), c.id});
      }
    }
    auto summary = extract_files((*session)->kernel(), items, changes.extract_dir);
    if (!summary) return fail(summary.error().message);
    if (!options.quiet) {
      fmt::print(stderr, "drydock: {} entries, {} files written ({} complete, {} bytes recovered) under {}\n",
                 summary->entries, summary->written, summary->complete, summary->bytes_recovered,
                 changes.extract_dir);
    }
  }
  const std::string text = options.format == "json"
                               ? to_json_text(changes_json(model.info, chosen, model.issues)) + "\n"
                               : changes_text(chosen, model.issues);
  return write_output(options, text) ? kExitOk : kExitInputError;
}

}  // namespace drydock
