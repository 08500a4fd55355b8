#include "engine/kernel/overlay_options.hpp"

#include <algorithm>
#include <array>
#include <cstring>

#include "engine/kernel/kernel_layout.hpp"

namespace drydock {
namespace {

constexpr std::size_t kMaxPathBytes = 4096 * 4;  // overlay option strings can be long (many lowerdirs)
constexpr std::size_t kScanBytes = 512;
constexpr std::uint32_t kMaxLayers = 500;        // OVL_MAX_STACK
constexpr std::uint64_t kKernelSpaceStart = 0xff00000000000000ULL;  // 4- and 5-level kernel halves lie above

using Options = std::vector<std::pair<std::string, std::string>>;

bool looks_like_path(const std::string& s) {
  if (s.size() < 2 || s.front() != '/') return false;
  return std::all_of(s.begin(), s.end(), [](char c) { return c >= 0x20 && c < 0x7f; });
}

std::optional<std::string> path_at(const KernelMemory& k, std::uint64_t pointer) {
  if (pointer < kKernelSpaceStart) return std::nullopt;
  auto text = k.read_string(pointer, kMaxPathBytes);
  if (!text || !looks_like_path(*text)) return std::nullopt;
  return text;
}

// The lower layers of the 6.5+ config: lowerdirs[0] holds the colon-joined
// `lowerdir=` option; when it is NULL the layers were given one by one
// (`lowerdir+`, `datadir+`) in lowerdirs[1..numlayer-1] (ovl_show_options).
std::optional<std::string> lowerdirs_of(const KernelMemory& k, std::uint64_t array, std::optional<std::uint32_t> numlayer) {
  auto first = k.read_pointer(array);
  if (!first) return std::nullopt;
  if (*first != 0) return path_at(k, *first);
  if (!numlayer || *numlayer < 2 || *numlayer > kMaxLayers) return std::nullopt;
  std::string joined;
  for (std::uint32_t i = 1; i < *numlayer; ++i) {
    auto pointer = k.read_pointer(array + 8ULL * i);
    if (!pointer) return std::nullopt;
    auto text = path_at(k, *pointer);
    if (!text) return std::nullopt;
    joined += (joined.empty() ? "" : ":") + *text;
  }
  return joined;
}

Options by_name(const KernelMemory& k, const OverlayLayout& l, std::uint64_t ovl_fs) {
  Options out;
  const auto string_member = [&](Offset offset) -> std::optional<std::string> {
    auto pointer = k.read_member<std::uint64_t>(ovl_fs, offset);
    if (!pointer || *pointer == 0) return std::nullopt;
    return k.read_string(*pointer, kMaxPathBytes);
  };
  if (l.lowerdir) {
    if (auto text = string_member(l.lowerdir)) out.emplace_back("lowerdir", *text);
  } else if (auto array = k.read_member<std::uint64_t>(ovl_fs, l.lowerdirs); array && *array) {
    if (auto text = lowerdirs_of(k, *array, k.read_member<std::uint32_t>(ovl_fs, l.numlayer))) {
      out.emplace_back("lowerdir", *text);
    }
  }
  if (auto text = string_member(l.upperdir)) out.emplace_back("upperdir", *text);
  if (auto text = string_member(l.workdir)) out.emplace_back("workdir", *text);
  return out;
}

// Without the module's types, ovl_config is found by its documented shapes:
//   3.18 to 6.4: { char *lowerdir; char *upperdir; char *workdir; ... }
//   6.5 on:      { char *upperdir; char *workdir; char **lowerdirs; ... },
//                after ovl_fs's leading `unsigned int numlayer`.
// The first run of pointers to absolute-path strings within the first few
// hundred bytes of ovl_fs is taken as the config: three paths are the old
// shape; two paths followed by a pointer to an array whose entries are paths
// (or NULL then paths) the new; a lone path is a read-only overlay's
// lowerdir (old shape), and a lone pointer to such an array a read-only
// overlay's lowerdirs (new shape).
Options by_shape(const KernelMemory& k, std::uint64_t ovl_fs) {
  std::array<std::byte, kScanBytes> raw{};
  // Read what can be read of the first kScanBytes (the struct may end a page early).
  std::size_t readable = kScanBytes;
  while (readable > 0 && !k.read(ovl_fs, std::span(raw.data(), readable))) readable -= 64;
  const auto word = [&](std::size_t off) {
    std::uint64_t value = 0;
    std::memcpy(&value, raw.data() + off, 8);
    return value;
  };
  const std::optional<std::uint32_t> numlayer =
      readable >= 4 ? std::optional<std::uint32_t>(static_cast<std::uint32_t>(word(0) & 0xffffffffu)) : std::nullopt;
  const auto array_of_paths = [&](std::uint64_t pointer) -> std::optional<std::string> {
    if (pointer < kKernelSpaceStart) return std::nullopt;
    return lowerdirs_of(k, pointer, numlayer);
  };
  std::vector<std::string> run;
  for (std::size_t off = 0; off + 8 <= readable; off += 8) {
    const std::uint64_t pointer = word(off);
    if (auto text = path_at(k, pointer)) {
      run.push_back(std::move(*text));
      if (run.size() == 3) break;
      continue;
    }
    if (run.size() == 2 || run.empty()) {
      if (auto lower = array_of_paths(pointer)) {
        Options out;
        out.emplace_back("lowerdir", *lower);
        if (run.size() == 2) {
          out.emplace_back("upperdir", run[0]);
          out.emplace_back("workdir", run[1]);
        }
        return out;
      }
    }
    if (!run.empty()) break;
  }
  static constexpr const char* kKeys[] = {"lowerdir", "upperdir", "workdir"};
  Options out;
  // A lone path is a read-only overlay's lowerdir; two are not a valid config.
  if (run.size() == 1 || run.size() == 3) {
    for (std::size_t i = 0; i < run.size(); ++i) out.emplace_back(kKeys[i], run[i]);
  }
  return out;
}

}  // namespace

std::vector<std::pair<std::string, std::string>> overlay_options(const KernelMemory& k, std::uint64_t super_block) {
  auto ovl_fs = k.read_member<std::uint64_t>(super_block, k.layout().vfs.sb_fs_info);
  if (!ovl_fs || *ovl_fs == 0) return {};
  const OverlayLayout& l = k.layout().overlay;
  if (l.known) return by_name(k, l, *ovl_fs);
  return by_shape(k, *ovl_fs);
}

}  // namespace drydock
