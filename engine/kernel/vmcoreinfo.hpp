#pragma once
// VMCOREINFO: the KEY=value text the kernel prepares for crash dump tools
// (kernel/vmcore_info.c, arch/x86/kernel/machine_kexec_64.c). It names the
// kernel's release, build id, KASLR offset, physical load base, page table
// root and, since 6.0, where the kallsyms tables lie, which is what finding
// a kernel without any symbol file needs.
//
// The kernel keeps two copies in memory: vmcoreinfo_data (a zeroed page, the
// text at its start) and vmcoreinfo_note (an ELF note in a page: the text at
// byte 24). An ELF core made by kdump or QEMU may also carry it as a note.
//
// Everything here is pure: parsers over text and byte spans, bounded.

#include <cstddef>
#include <cstdint>
#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/result.hpp"

namespace drydock {

// VMCOREINFO_BYTES is one page: no copy is longer.
inline constexpr std::size_t kMaxVmcoreinfoText = 4096;

struct VmcoreInfo {
  std::string text;                      // as found, trailing NULs removed
  std::string osrelease;                 // OSRELEASE
  std::optional<std::string> build_id;   // BUILD-ID (hex of the vmlinux GNU build id), since 5.9
  std::optional<std::uint64_t> kernel_offset;  // KERNELOFFSET: the KASLR virtual shift (x86-64)
  std::map<std::string, std::uint64_t, std::less<>> symbols;  // SYMBOL(name)=hex runtime address
  std::map<std::string, std::int64_t, std::less<>> numbers;   // NUMBER(name)=decimal or 0x-hex

  std::optional<std::uint64_t> symbol(std::string_view name) const;
  std::optional<std::int64_t> number(std::string_view name) const;
};

// Parses a VMCOREINFO text. Fails (saying why) unless it starts with a
// plausible OSRELEASE line (printable, no '%': the kernel's own format string
// "OSRELEASE=%s" lies in memory too). Unparsable values are left out.
Result<VmcoreInfo> parse_vmcoreinfo(std::string_view text);

// The text that starts at `at` in `bytes` (up to a NUL, the end of the span,
// or kMaxVmcoreinfoText bytes), if it parses as VMCOREINFO.
std::optional<VmcoreInfo> vmcoreinfo_at(std::span<const std::byte> bytes, std::size_t at);

// Every VMCOREINFO text in `bytes` (each occurrence of "OSRELEASE=" that
// parses), at most max_hits of them.
std::vector<VmcoreInfo> find_vmcoreinfo_texts(std::span<const std::byte> bytes, std::size_t max_hits = 16);

// Of several copies, the one to trust: the first whose OSRELEASE is the
// release in `banner_release` (when given), else the first. nullopt if empty.
std::optional<VmcoreInfo> choose_vmcoreinfo(std::vector<VmcoreInfo> copies, std::string_view banner_release);

}  // namespace drydock
