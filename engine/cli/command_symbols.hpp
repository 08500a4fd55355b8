#pragma once
// `drydock symbols build`: a Volatility 3 ISF made from a vmlinux's BTF.

#include <string>

namespace drydock {

struct SymbolsBuildOptions {
  std::string vmlinux;     // an ELF vmlinux with a .BTF section
  std::string system_map;  // optional: symbol addresses (else the ELF symtab)
  std::string output;      // FILE.json, or FILE.json.xz (xz-compressed)
};

int run_symbols_build(const SymbolsBuildOptions& options);

}  // namespace drydock
