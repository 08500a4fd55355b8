#pragma once
// Linux capability names by bit number (include/uapi/linux/capability.h).

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace drydock {

inline constexpr std::array<std::string_view, 41> kCapabilityNames = {
    "CAP_CHOWN",            "CAP_DAC_OVERRIDE",  "CAP_DAC_READ_SEARCH", "CAP_FOWNER",
    "CAP_FSETID",           "CAP_KILL",          "CAP_SETGID",          "CAP_SETUID",
    "CAP_SETPCAP",          "CAP_LINUX_IMMUTABLE", "CAP_NET_BIND_SERVICE", "CAP_NET_BROADCAST",
    "CAP_NET_ADMIN",        "CAP_NET_RAW",       "CAP_IPC_LOCK",        "CAP_IPC_OWNER",
    "CAP_SYS_MODULE",       "CAP_SYS_RAWIO",     "CAP_SYS_CHROOT",      "CAP_SYS_PTRACE",
    "CAP_SYS_PACCT",        "CAP_SYS_ADMIN",     "CAP_SYS_BOOT",        "CAP_SYS_NICE",
    "CAP_SYS_RESOURCE",     "CAP_SYS_TIME",      "CAP_SYS_TTY_CONFIG",  "CAP_MKNOD",
    "CAP_LEASE",            "CAP_AUDIT_WRITE",   "CAP_AUDIT_CONTROL",   "CAP_SETFCAP",
    "CAP_MAC_OVERRIDE",     "CAP_MAC_ADMIN",     "CAP_SYSLOG",          "CAP_WAKE_ALARM",
    "CAP_BLOCK_SUSPEND",    "CAP_AUDIT_READ",    "CAP_PERFMON",         "CAP_BPF",
    "CAP_CHECKPOINT_RESTORE",
};

// Capabilities 0..37 (CAP_CHOWN..CAP_AUDIT_READ): every capability Linux had
// from 3.16 to 5.8, and what container runtimes of that era grant a
// --privileged container. A set holding all of them is a full set.
inline constexpr std::uint64_t kFullCapabilitySetSince316 = (std::uint64_t{1} << 38) - 1;

// "CAP_SYS_ADMIN" for bit 21; "CAP_63" past the known names.
inline std::string capability_name(unsigned bit) {
  if (bit < kCapabilityNames.size()) return std::string(kCapabilityNames[bit]);
  return "CAP_" + std::to_string(bit);
}

inline std::vector<std::string> capability_names(std::uint64_t set) {
  std::vector<std::string> names;
  for (unsigned bit = 0; bit < 64; ++bit) {
    if (set & (std::uint64_t{1} << bit)) names.push_back(capability_name(bit));
  }
  return names;
}

// Bit number of "CAP_SYS_ADMIN" or "SYS_ADMIN" (case-insensitive).
std::optional<unsigned> capability_bit(std::string_view name);

}  // namespace drydock
