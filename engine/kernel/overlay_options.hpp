#pragma once
// The mount options of an overlayfs superblock: lowerdir, upperdir, workdir.
//
// With the overlay module's types in the ISF they are read from
// ovl_fs.config by name: `lowerdir` (one colon-joined string, before 6.5) or
// `lowerdirs` (an array of layer paths, 6.5+), `upperdir`, `workdir`. A
// vmlinux-only ISF has no ovl_fs; then the config is found by its documented
// shapes within the first few hundred bytes of ovl_fs (see by_shape in the
// .cpp): three char pointers lowerdir, upperdir, workdir from 3.18 to 6.4;
// upperdir, workdir and a char ** of lower layers since 6.5.

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
