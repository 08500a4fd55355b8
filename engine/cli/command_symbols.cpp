#include "engine/cli/command_symbols.hpp"

#include <chrono>
#include <fstream>
#include <iostream>
#include <sstream>

#include <fmt/format.h>

#include "engine/cli/command_context.hpp"
#include "engine/core/compress.hpp"
#include "engine/core/mapped_file.hpp"
#include "symbols/btf_table.hpp"
#include "symbols/isf_writer.hpp"
#include "symbols/system_map.hpp"
#include "symbols/vmlinux_file.hpp"

namespace drydock {

int run_symbols_build(const SymbolsBuildOptions& options) {
  const auto started = std::chrono::steady_clock::now();
  auto file = MappedFile::open(options.vmlinux);
  if (!file) return fail(file.error().message);
  auto vmlinux = read_vmlinux(file.value().bytes(), options.vmlinux);
  if (!vmlinux) return fail(vmlinux.error().message);

  std::vector<KernelSymbolAddress> symbols = std::move(vmlinux.value().symbols);
  if (!options.system_map.empty()) {
    std::ifstream in(options.system_map, std::ios::binary);
    if (!in) return fail("cannot read " + options.system_map);
    std::ostringstream text;
    text << in.rdbuf();
    auto map = parse_system_map(text.str(), options.system_map);
    if (!map) return fail(map.error().message);
    symbols = std::move(map).value();
  }
  if (symbols.empty()) {
    return fail(options.vmlinux + ": no symbol table (a stripped vmlinux); give its System.map with --system-map");
  }

  // The banner's text, which Volatility 3 matches the ISF to a dump by.
  std::optional<std::string> banner;
  for (const KernelSymbolAddress& s : symbols) {
    if (s.name == "linux_banner") {
      banner = read_vmlinux_string(file.value().bytes(), s.address);
      break;
    }
  }
  if (!banner) std::cerr << "drydock: warning: " << options.vmlinux << " holds no linux_banner text; the ISF has no banner\n";

  auto table = table_from_btf(BtfBlob{"vmlinux", vmlinux.value().btf}, {}, symbols, banner, options.vmlinux);
  if (!table) return fail(table.error().message);
  std::string json = write_isf(*table.value());
  if (options.output.ends_with(".xz")) {
    auto packed = compress_xz(json);
    if (!packed) return fail(packed.error().message);
    json = std::move(packed).value();
  }
  CommonOptions out;
  out.output = options.output;
  if (!write_output(out, json)) return kExitInputError;
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  std::cerr << fmt::format("drydock: wrote {} ({} types, {} symbols, BTF {:.1f} MB) in {:.2f} s\n", options.output,
                           table.value()->user_type_count(), table.value()->symbol_count(),
                           static_cast<double>(vmlinux.value().btf.size()) / 1e6, seconds);
  return kExitOk;
}

int run_symbols_export(const CommonOptions& options, const std::string& dump) {
  if (options.output.empty() || options.output == "-") {
    return fail("symbols export: name the ISF to write with -o FILE (FILE.json, or FILE.json.xz compressed)");
  }
  CommonOptions from_dump = options;
  from_dump.symbols = {"dump"};
  auto session = open_session(from_dump, dump);
  if (!session) return fail(session.error().message);
  const SymbolTable& table = (*session)->kernel().symbols();
  std::string json = write_isf(table);
  if (options.output.ends_with(".xz")) {
    auto packed = compress_xz(json);
    if (!packed) return fail(packed.error().message);
    json = std::move(packed).value();
  }
  if (!write_output(options, json)) return kExitInputError;
  std::cerr << fmt::format("drydock: wrote {} ({} types, {} symbols; tables {})\n", options.output,
                           table.user_type_count(), table.symbol_count(), table.source());
  return kExitOk;
}

}  // namespace drydock
