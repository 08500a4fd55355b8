#include "engine/kernel/overlay_options.hpp"

#include <algorithm>
#include <array>
#include <cstring>

#include "engine/kernel/kernel_layout.hpp"

namespace drydock {
namespace {

constexpr std::size_t kMaxPathBytes = 4096 * 4;  // overlay option strings can be long (many lowerdirs)
constexpr std::size_t kScanBytes = 512;

bool looks_like_path(const std::string& s) {
  if (s.size() < 2 || s.front() != '/') return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
}

std::vector<std::pair<std::string, std::string>> by_name(const KernelMemory& k, std::uint64_t ovl_fs) {
  std::vector<std::pair<std::string, std::string>> out;
  for (const char* key : {"lowerdir", "upperdir", "workdir"}) {
    auto offset = offset_of(k.symbols(), "ovl_fs", std::string("config.") + key);
    if (!offset) continue;
    auto pointer = k.read_pointer(ovl_fs + *offset);
    if (!pointer || *pointer == 0) continue;
    if (auto text = k.read_string(*pointer, kMaxPathBytes)) out.emplace_back(key, *text);
  }
  return out;
}

std::vector<std::pair<std::string, std::string>> by_shape(const KernelMemory& k, std::uint64_t ovl_fs) {
  std::array<std::byte, kScanBytes> raw{};
  // Read what can be read of the first kScanBytes (the struct may end a page early).
  std::size_t readable = kScanBytes;
  while (readable > 0 && !k.read(ovl_fs, std::span(raw.data(), readable))) readable -= 64;
  std::vector<std::string> run;
  for (std::size_t off = 0; off + 8 <= readable; off += 8) {
    std::uint64_t pointer = 0;
    std::memcpy(&pointer, raw.data() + off, 8);
    std::optional<std::string> text;
    if (pointer >= 0xffff800000000000ULL) text = k.read_string(pointer, kMaxPathBytes);
    if (text && looks_like_path(*text)) {
      run.push_back(std::move(*text));
      if (run.size() == 3) break;
    } else if (!run.empty()) {
      break;
    }
  }
  static constexpr const char* kKeys[] = {"lowerdir", "upperdir", "workdir"};
  std::vector<std::pair<std::string, std::string>> out;
  // A lone path is a read-only overlay's lowerdir; two are not a valid config.
  if (run.size() == 1 || run.size() == 3) {
    for (std::size_t i = 0; i < run.size(); ++i) out.emplace_back(kKeys[i], run[i]);
  }
  return out;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> overlay_options(const KernelMemory& k, std::uint64_t super_block) {
  auto fs_info_offset = offset_of(k.symbols(), "super_block", "s_fs_info");
  if (!fs_info_offset) return {};
  auto ovl_fs = k.read_pointer(super_block + *fs_info_offset);
  if (!ovl_fs || *ovl_fs == 0) return {};
  if (k.symbols().user_type("ovl_fs")) return by_name(k, *ovl_fs);
  return by_shape(k, *ovl_fs);
}

}  // namespace drydock
