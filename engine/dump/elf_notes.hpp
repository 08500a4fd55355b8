#pragma once
// Notes carried by an ELF core dump's PT_NOTE segments. QEMU's
// dump-guest-memory (with a vmcoreinfo device) and kdump's /proc/vmcore put
// the kernel's VMCOREINFO text there: "OSRELEASE=...\nPAGESIZE=4096\n
// SYMBOL(init_uts_ns)=ffffffff...\nKERNELOFFSET=...\n".

#include <cstddef>
#include <optional>
#include <span>
#include <string>

namespace drydock {

// Pure. The text of the first note named "VMCOREINFO" in the PT_NOTE segments
// of an ELF core (trailing NULs removed), or nullopt when the file is not an
// ELF64 x86-64 core, has no such note, or its notes are malformed (a note is
// never read outside its segment or the file).
std::optional<std::string> find_vmcoreinfo_note(std::span<const std::byte> file);

}  // namespace drydock
