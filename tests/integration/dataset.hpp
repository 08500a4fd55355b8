#pragma once
// One dataset of shared/dumps: a directory holding a compressed memory image
// (memory.<format>.zst), the ISF of its kernel (the one *.json.xz at the
// top), optionally the same ISF with module types
// (symbols-with-modules/*.json.xz), and ground-truth/, what the guest
// recorded itself before the image was taken (see its SCENARIO.md).
//
// The CTest fixture of a dataset (prepare_dumps.cmake) decompresses the image
// to <work dir>/<dataset name>/memory.<format>; `dump` names that file.

#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

namespace drydock::test {

struct Dataset {
  std::string dir;               // shared/dumps/<name>
  std::string name;              // the directory's name
  std::string work_dir;          // <work dir>/<name>: the decompressed dump and scratch files
  std::string compressed_dump;   // dir/memory.<format>.zst
  std::string dump;              // work_dir/memory.<format>
  std::string format;            // <format>: "lime", "elf", ...
  std::string isf;               // the ISF at the top of dir
  std::string isf_with_modules;  // symbols-with-modules/*.json.xz, or empty

  std::string ground_truth(const std::string& file) const { return dir + "/ground-truth/" + file; }
  bool has_ground_truth(const std::string& file) const { return std::filesystem::exists(ground_truth(file)); }
};

namespace detail {

// The regular files directly in `dir` whose names start with `prefix` and end with `suffix`.
inline std::vector<std::string> files_named(const std::string& dir, const std::string& prefix, const std::string& suffix) {
  std::vector<std::string> found;
  std::error_code error;
  for (const auto& entry : std::filesystem::directory_iterator(dir, error)) {
    const std::string name = entry.path().filename().string();
    if (entry.is_regular_file() && name.size() >= prefix.size() + suffix.size() && name.rfind(prefix, 0) == 0 &&
        name.compare(name.size() - suffix.size(), suffix.size(), suffix) == 0) {
      found.push_back(entry.path().string());
    }
  }
  return found;
}

// The one file of files_named(dir, prefix, suffix), or "" when there is none
// and `optional`; anything else is an error naming the directory.
inline std::string one_file_named(const std::string& dir, const std::string& prefix, const std::string& suffix,
                                  bool optional = false) {
  const auto found = files_named(dir, prefix, suffix);
  if (found.size() == 1) return found.front();
  if (found.empty() && optional) return "";
  throw std::runtime_error("dataset " + dir + ": expected one file " + prefix + "*" + suffix + ", found " +
                           std::to_string(found.size()));
}

}  // namespace detail

// Finds the files of the dataset in `dir`, whose dump the fixture
// decompresses below `work_root`. Throws std::runtime_error naming what is
// missing or ambiguous.
inline Dataset open_dataset(const std::string& dir, const std::string& work_root) {
  Dataset d;
  d.dir = std::filesystem::path(dir).lexically_normal().string();
  if (!d.dir.empty() && d.dir.back() == '/') d.dir.pop_back();
  d.name = std::filesystem::path(d.dir).filename().string();
  d.work_dir = work_root + "/" + d.name;
  d.compressed_dump = detail::one_file_named(d.dir, "memory.", ".zst");
  const std::string file = std::filesystem::path(d.compressed_dump).stem().string();  // memory.<format>
  d.dump = d.work_dir + "/" + file;
  d.format = file.substr(file.find('.') + 1);
  d.isf = detail::one_file_named(d.dir, "", ".json.xz");
  if (std::filesystem::is_directory(d.dir + "/symbols-with-modules")) {
    d.isf_with_modules = detail::one_file_named(d.dir + "/symbols-with-modules", "", ".json.xz", true);
  }
  if (!std::filesystem::is_directory(d.dir + "/ground-truth")) {
    throw std::runtime_error("dataset " + d.dir + ": no ground-truth/ directory");
  }
  return d;
}

}  // namespace drydock::test
