#pragma once
// The mount options of an overlayfs superblock: lowerdir, upperdir, workdir.
//
// With the overlay module's types in the ISF they are read from
// ovl_fs.config by name. A vmlinux-only ISF has no ovl_fs; then the config is
// found by what it is: since overlayfs was merged (3.18) until its 6.5 rework,
// ovl_config starts with three char pointers (lowerdir, upperdir, workdir) to
// the absolute paths given at mount time, and lies within the first few
// hundred bytes of ovl_fs. The first run of pointers to absolute-path strings
// there is taken as that config (a read-only overlay has only lowerdir).

#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include "engine/kernel/kernel_memory.hpp"

namespace drydock {

// ("lowerdir", "..."), ("upperdir", "..."), ("workdir", "...") as far as known;
// empty when the superblock's private data cannot be read.
std::vector<std::pair<std::string, std::string>> overlay_options(const KernelMemory& kernel, std::uint64_t super_block);

}  // namespace drydock
