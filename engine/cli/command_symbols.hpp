#pragma once
// `drydock symbols build`: a Volatility 3 ISF made from a vmlinux's BTF.
// `drydock symbols export`: one made from a dump's BTF and kallsyms.

#include <string>

namespace drydock {

struct SymbolsBuildOptions {
  std::string vmlinux;     // an ELF vmlinux with a .BTF section
  std::string system_map;  // optional: symbol addresses (else the ELF symtab)
  std::string output;      // FILE.json, or FILE.json.xz (xz-compressed)
};

int run_symbols_build(const SymbolsBuildOptions& options);

struct CommonOptions;  // engine/cli/command_context.hpp

// `drydock symbols export DUMP -o FILE`: the tables built from the dump's own
// BTF and kallsyms (engine/kernel/dump_symbols.hpp), written as an ISF.
int run_symbols_export(const CommonOptions& options, const std::string& dump);

}  // namespace drydock
