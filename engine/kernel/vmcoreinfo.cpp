#include "engine/kernel/vmcoreinfo.hpp"

#include <algorithm>
#include <charconv>
#include <cstring>
#include <fmt/format.h>

namespace drydock {
namespace {

constexpr std::string_view kOsrelease = "OSRELEASE=";
constexpr std::size_t kMaxReleaseLength = 64;  // __NEW_UTS_LEN

std::optional<std::uint64_t> parse_unsigned(std::string_view s, int base) {
  std::uint64_t v = 0;
  if (s.empty()) return std::nullopt;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v, base);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

// NUMBER() values are printed with %ld, a few (VMALLOC_START) with 0x%lx.
std::optional<std::int64_t> parse_number(std::string_view s) {
  if (s.starts_with("0x")) {
    auto v = parse_unsigned(s.substr(2), 16);
    if (!v) return std::nullopt;
    return static_cast<std::int64_t>(*v);
  }
  std::int64_t v = 0;
  if (s.empty()) return std::nullopt;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v, 10);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

// "PREFIX(name)=value" -> name and value.
std::optional<std::pair<std::string_view, std::string_view>> keyed(std::string_view line, std::string_view prefix) {
  if (!line.starts_with(prefix)) return std::nullopt;
  const auto close = line.find(")=");
  if (close == std::string_view::npos || close <= prefix.size()) return std::nullopt;
  return std::pair{line.substr(prefix.size(), close - prefix.size()), line.substr(close + 2)};
}

bool printable(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return c > ' ' && c < 0x7f; });
}

}  // namespace

std::optional<std::uint64_t> VmcoreInfo::symbol(std::string_view name) const {
  auto it = symbols.find(name);
  if (it == symbols.end()) return std::nullopt;
  return it->second;
}

std::optional<std::int64_t> VmcoreInfo::number(std::string_view name) const {
  auto it = numbers.find(name);
  if (it == numbers.end()) return std::nullopt;
  return it->second;
}

Result<VmcoreInfo> parse_vmcoreinfo(std::string_view text) {
  if (text.size() > kMaxVmcoreinfoText) text = text.substr(0, kMaxVmcoreinfoText);
  while (!text.empty() && text.back() == '\0') text.remove_suffix(1);
  if (!text.starts_with(kOsrelease)) return Error::of("VMCOREINFO text does not start with OSRELEASE=");
  VmcoreInfo info;
  info.text = std::string(text);
  std::size_t at = 0;
  while (at < text.size()) {
    std::size_t end = text.find('\n', at);
    if (end == std::string_view::npos) end = text.size();
    const std::string_view line = text.substr(at, end - at);
    at = end + 1;
    if (line.starts_with(kOsrelease)) {
      if (info.osrelease.empty()) info.osrelease = std::string(line.substr(kOsrelease.size()));
    } else if (line.starts_with("BUILD-ID=")) {
      info.build_id = std::string(line.substr(9));
    } else if (line.starts_with("KERNELOFFSET=")) {
      info.kernel_offset = parse_unsigned(line.substr(13), 16);
    } else if (auto sym = keyed(line, "SYMBOL(")) {
      if (auto v = parse_unsigned(sym->second, 16)) info.symbols.emplace(std::string(sym->first), *v);
    } else if (auto num = keyed(line, "NUMBER(")) {
      if (auto v = parse_number(num->second)) info.numbers.emplace(std::string(num->first), *v);
    }
  }
  if (info.osrelease.empty() || info.osrelease.size() > kMaxReleaseLength || !printable(info.osrelease) ||
      info.osrelease.find('%') != std::string::npos) {
    return Error::of(fmt::format("VMCOREINFO text has no plausible OSRELEASE (\"{}\")",
                                 info.osrelease.substr(0, kMaxReleaseLength)));
  }
  return info;
}

std::optional<VmcoreInfo> vmcoreinfo_at(std::span<const std::byte> bytes, std::size_t at) {
  if (at >= bytes.size()) return std::nullopt;
  const std::size_t room = std::min(bytes.size() - at, kMaxVmcoreinfoText);
  const char* begin = reinterpret_cast<const char*>(bytes.data() + at);
  const void* nul = std::memchr(begin, 0, room);
  const std::size_t length = nul ? static_cast<std::size_t>(static_cast<const char*>(nul) - begin) : room;
  auto parsed = parse_vmcoreinfo(std::string_view(begin, length));
  if (!parsed) return std::nullopt;
  return std::move(parsed).value();
}

std::vector<VmcoreInfo> find_vmcoreinfo_texts(std::span<const std::byte> bytes, std::size_t max_hits) {
  std::vector<VmcoreInfo> found;
  const char* base = reinterpret_cast<const char*>(bytes.data());
  std::size_t at = 0;
  while (found.size() < max_hits && at + kOsrelease.size() <= bytes.size()) {
    const void* hit = memmem(base + at, bytes.size() - at, kOsrelease.data(), kOsrelease.size());
    if (!hit) break;
    const std::size_t pos = static_cast<std::size_t>(static_cast<const char*>(hit) - base);
    if (auto info = vmcoreinfo_at(bytes, pos)) found.push_back(std::move(*info));
    at = pos + 1;
  }
  return found;
}

std::optional<VmcoreInfo> choose_vmcoreinfo(std::vector<VmcoreInfo> copies, std::string_view banner_release) {
  if (copies.empty()) return std::nullopt;
  if (!banner_release.empty()) {
    for (VmcoreInfo& copy : copies) {
      if (copy.osrelease == banner_release) return std::move(copy);
    }
  }
  return std::move(copies.front());
}

}  // namespace drydock
