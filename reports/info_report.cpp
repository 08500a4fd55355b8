#include "reports/info_report.hpp"

#include <fmt/format.h>

#include "reports/json_output.hpp"
#include "reports/text_escape.hpp"

namespace drydock {

nlohmann::json info_json(const DumpInfo& info) {
  nlohmann::json ranges = nlohmann::json::array();
  for (const MemoryRange& r : info.ranges) {
    ranges.push_back({{"start", hex_string(r.start)}, {"end", hex_string(r.end)}, {"size", r.end - r.start + 1}});
  }
  nlohmann::json layout = nlohmann::json::object();
  for (const auto& [family, variant] : info.layout_variants) layout[family] = variant;
  return {{"dump", dump_header_json(info)},
          {"ranges", ranges},
          {"dtb", hex_string(info.dtb)},
          {"virtual_shift", hex_string(info.virtual_shift)},
          {"physical_shift", hex_string(info.physical_shift)},
          {"paging", info.paging},
          {"shift_source", info.shift_source},
          {"init_task_comm", info.init_task_comm},
          {"layout", layout},
          {"layout_missing", info.layout_missing}};
}

std::string info_text(const DumpInfo& info) {
  std::string out;
  const auto line = [&](std::string_view key, const std::string& value) {
    out += fmt::format("{:<16}{}\n", key, escape_text(value));
  };
  line("dump", info.path);
  line("format", info.compression == "none" ? info.format : info.format + " (" + info.compression + ")");
  line("banner", info.banner);
  line("kernel release", info.kernel_release);
  line("symbols", info.symbols);
  line("paging", info.paging);
  line("DTB", hex_string(info.dtb));
  line("virtual shift", hex_string(info.virtual_shift) + " (from " + info.shift_source + ")");
  line("physical shift", hex_string(info.physical_shift));
  line("init_task.comm", info.init_task_comm);
  out += "layout\n";
  for (const auto& [family, variant] : info.layout_variants) out += fmt::format("  {:<19} {}\n", family, variant);
  if (!info.layout_missing.empty()) {
    out += fmt::format("missing members ({}): these fields are unknown\n", info.layout_missing.size());
    for (const std::string& m : info.layout_missing) out += "  " + escape_text(m) + "\n";
  }
  out += fmt::format("{:<16}{}\n", "ranges", info.ranges.size());
  for (const MemoryRange& r : info.ranges) {
    out += fmt::format("  {:#018x} - {:#018x}  {:>10} KiB\n", r.start, r.end, (r.end - r.start + 1) / 1024);
  }
  return out;
}

}  // namespace drydock
