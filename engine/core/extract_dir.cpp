#include "engine/core/extract_dir.hpp"

#include <cerrno>
#include <cstring>

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <fmt/format.h>

#include "engine/core/sha256.hpp"

namespace drydock {
namespace {

constexpr std::size_t kMaxComponent = 240;
constexpr std::size_t kKeptPrefix = 200;

bool plain(unsigned char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         std::strchr("-_.+,=@~", c) != nullptr;
}

std::string joined(const std::vector<std::string>& components, std::size_t count) {
  std::string out;
  for (std::size_t i = 0; i < count; ++i) out += (i ? "/" : "") + components[i];
  return out;
}

std::string errno_text(int error) { return std::strerror(error); }

}  // namespace

std::string encode_path_component(std::string_view raw) {
  if (raw.empty()) return "%";
  if (raw == ".") return "%2E";
  if (raw == "..") return "%2E%2E";
  std::string out;
  out.reserve(raw.size());
  for (char ch : raw) {
    const auto c = static_cast<unsigned char>(ch);
    if (plain(c) && c != 0) {
      out.push_back(ch);
    } else {
      out += fmt::format("%{:02X}", c);
    }
  }
  return out;
}

Result<std::string> decode_path_component(std::string_view encoded) {
  if (encoded == "%") return std::string();
  std::string out;
  for (std::size_t i = 0; i < encoded.size(); ++i) {
    if (encoded[i] != '%') {
      out.push_back(encoded[i]);
      continue;
    }
    if (i + 2 >= encoded.size()) {
      return Error::of(fmt::format("encoded name {}: '%' at {} without two hex digits", encoded, i));
    }
    unsigned value = 0;
    for (std::size_t k = 1; k <= 2; ++k) {
      const char h = encoded[i + k];
      value <<= 4;
      if (h >= '0' && h <= '9') value |= static_cast<unsigned>(h - '0');
      else if (h >= 'A' && h <= 'F') value |= static_cast<unsigned>(h - 'A' + 10);
      else return Error::of(fmt::format("encoded name {}: bad hex digit at {}", encoded, i + k));
    }
    out.push_back(static_cast<char>(value));
    i += 2;
  }
  return out;
}

std::string file_system_name(std::string_view raw) {
  std::string encoded = encode_path_component(raw);
  if (encoded.size() <= kMaxComponent) return encoded;
  std::size_t cut = kKeptPrefix;
  // Never cut inside a %XX escape.
  if (encoded[cut - 1] == '%') cut -= 1;
  else if (encoded[cut - 2] == '%') cut -= 2;
  return encoded.substr(0, cut) + "%~" + sha256_hex(raw).substr(0, 16);
}

std::vector<std::string> encoded_components(std::string_view path) {
  std::vector<std::string> out;
  while (!path.empty()) {
    const auto slash = path.find('/');
    const std::string_view part = path.substr(0, slash);
    if (!part.empty()) out.push_back(file_system_name(part));
    if (slash == std::string_view::npos) break;
    path.remove_prefix(slash + 1);
  }
  return out;
}

Result<ExtractDir> ExtractDir::open(const std::filesystem::path& root) {
  std::error_code ec;
  std::filesystem::create_directories(root, ec);
  if (ec) return Error::of(fmt::format("{}: cannot create: {}", root.string(), ec.message()));
  const int fd = ::open(root.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  if (fd < 0) return Error::of(fmt::format("{}: cannot open: {}", root.string(), errno_text(errno)));
  return ExtractDir(root, fd);
}

ExtractDir::ExtractDir(ExtractDir&& other) noexcept : root_(std::move(other.root_)), fd_(other.fd_) { other.fd_ = -1; }

ExtractDir::~ExtractDir() {
  if (fd_ >= 0) ::close(fd_);
}

Result<int> ExtractDir::open_levels(const std::vector<std::string>& components, std::size_t count) const {
  int current = ::dup(fd_);
  if (current < 0) return Error::of(fmt::format("{}: {}", root_.string(), errno_text(errno)));
  for (std::size_t i = 0; i < count; ++i) {
    const std::string& name = components[i];
    if (name.empty() || name == "." || name == ".." || name.find('/') != std::string::npos) {
      ::close(current);
      return Error::of(fmt::format("{}: refused component {}", root_.string(), name));
    }
    if (::mkdirat(current, name.c_str(), 0755) != 0 && errno != EEXIST) {
      const int error = errno;
      ::close(current);
      return Error::of(fmt::format("{}/{}: cannot create: {}", root_.string(), joined(components, i + 1), errno_text(error)));
    }
    const int next = ::openat(current, name.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
    const int error = errno;
    ::close(current);
    if (next < 0) {
      return Error::of(fmt::format("{}/{}: not a directory that can be entered: {}", root_.string(),
                                   joined(components, i + 1), errno_text(error)));
    }
    current = next;
  }
  return current;
}

Result<std::string> ExtractDir::make_directory(const std::vector<std::string>& components) const {
  auto fd = open_levels(components, components.size());
  if (!fd) return fd.error();
  ::close(*fd);
  return joined(components, components.size());
}

Result<std::string> ExtractDir::write_file(const std::vector<std::string>& components, std::uint64_t size,
                                           std::span<const ByteExtent> extents) const {
  if (components.empty()) return Error::of(fmt::format("{}: a file needs a name", root_.string()));
  const std::string relative = joined(components, components.size());
  const std::string& name = components.back();
  if (name.empty() || name == "." || name == ".." || name.find('/') != std::string::npos) {
    return Error::of(fmt::format("{}: refused file name {}", root_.string(), name));
  }
  auto dir = open_levels(components, components.size() - 1);
  if (!dir) return dir.error();
  const int fd = ::openat(*dir, name.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0644);
  const int open_error = errno;
  ::close(*dir);
  if (fd < 0) return Error::of(fmt::format("{}/{}: cannot create: {}", root_.string(), relative, errno_text(open_error)));
  const auto fail = [&](std::string what) {
    const int error = errno;
    ::close(fd);
    return Error::of(fmt::format("{}/{}: {}: {}", root_.string(), relative, what, errno_text(error)));
  };
  if (::ftruncate(fd, static_cast<off_t>(size)) != 0) return fail("cannot size");
  for (const ByteExtent& e : extents) {
    std::size_t done = 0;
    while (done < e.bytes.size()) {
      const ssize_t n = ::pwrite(fd, e.bytes.data() + done, e.bytes.size() - done, static_cast<off_t>(e.offset + done));
      if (n <= 0) return fail("cannot write");
      done += static_cast<std::size_t>(n);
    }
  }
  if (::close(fd) != 0) return Error::of(fmt::format("{}/{}: cannot close: {}", root_.string(), relative, errno_text(errno)));
  return relative;
}

}  // namespace drydock
