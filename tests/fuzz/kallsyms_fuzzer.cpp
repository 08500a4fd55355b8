// libFuzzer target: the kallsyms decoder and the VMCOREINFO parsers
// (engine/kernel/kallsyms.hpp, engine/kernel/vmcoreinfo.hpp). An input is
// cut into kallsyms tables as kallsyms_input.hpp describes and decoded with
// every name-length and address format; a decoding that succeeds must hold
// the count asked for, bounded names, and the known address. Crashes,
// sanitizer reports, hangs and broken invariants (__builtin_trap) are bugs.

#include <cstddef>
#include <cstdint>
#include <span>

#include "fuzz/kallsyms_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  drydock::fuzz::run_kallsyms_input(std::span(reinterpret_cast<const std::byte*>(data), size));
  return 0;
}
