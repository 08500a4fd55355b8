#include "engine/scan/result_store.hpp"

#include <algorithm>
#include <fstream>
#include <sstream>
#include <system_error>

#include <sys/stat.h>

#include "engine/core/sha256.hpp"
#include "symbols/detail/atomic_file.hpp"

namespace drydock {
namespace {

nlohmann::json stamp_json(const ResultStamp& s) {
  return {{"path", s.path},
          {"size", s.size},
          {"mtime_ns", s.mtime_ns},
          {"version", s.version},
          {"rules_hash", s.rules_hash},
          {"symbols_hash", s.symbols_hash},
          {"max_memory", s.max_memory},
          {"order", s.order}};
}

std::optional<ResultStamp> stamp_from_json(const nlohmann::json& j) {
  if (!j.is_object()) return std::nullopt;
  try {
    ResultStamp s;
    s.path = j.at("path").get<std::string>();
    s.size = j.at("size").get<std::uint64_t>();
    s.mtime_ns = j.at("mtime_ns").get<std::int64_t>();
    s.version = j.at("version").get<std::string>();
    s.rules_hash = j.at("rules_hash").get<std::string>();
    s.order = j.at("order").get<std::uint64_t>();
    // Absent from results of earlier builds, which then are not current.
    s.symbols_hash = j.value("symbols_hash", std::string());
    s.max_memory = j.value("max_memory", std::uint64_t{0});
    return s;
  } catch (const nlohmann::json::exception&) {
    return std::nullopt;
  }
}

std::optional<nlohmann::json> read_json(const std::filesystem::path& file) {
  std::ifstream in(file, std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream buffer;
  buffer << in.rdbuf();
  auto j = nlohmann::json::parse(buffer.str(), nullptr, false);
  if (j.is_discarded()) return std::nullopt;
  return j;
}

}  // namespace

std::string result_file_name(std::string_view dump_path) { return sha256_hex(dump_path) + ".json"; }

std::optional<ResultStamp> stamp_file(const std::filesystem::path& file) {
  struct stat st {};
  if (::stat(file.c_str(), &st) != 0) return std::nullopt;
  ResultStamp s;
  s.size = static_cast<std::uint64_t>(st.st_size);
  s.mtime_ns = static_cast<std::int64_t>(st.st_mtim.tv_sec) * 1'000'000'000 + st.st_mtim.tv_nsec;
  return s;
}

bool scan_failed(const nlohmann::json& dump_json) {
  return !dump_json.contains("tasks") || !dump_json.contains("engine");
}

bool has_current_result(const std::filesystem::path& dir, const ResultStamp& stamp) {
  auto j = read_json(dir / result_file_name(stamp.path));
  // Results without the text and SARIF parts come from an older build: rescanned.
  if (!j || !j->is_object() || !j->contains("result") || !j->contains("dumps") || !j->contains("text") ||
      !j->contains("sarif")) {
    return false;
  }
  const nlohmann::json& dumps = (*j)["dumps"];
  if (!dumps.is_array() || dumps.size() != 1 || scan_failed(dumps[0])) return false;
  auto stored = stamp_from_json((*j)["result"]);
  if (!stored) return false;
  stored->order = stamp.order;
  return *stored == stamp;
}

nlohmann::json result_document(const ResultStamp& stamp, nlohmann::json dump_json, std::string text,
                               nlohmann::json sarif_part) {
  return {{"dumps", nlohmann::json::array({std::move(dump_json)})},
          {"result", stamp_json(stamp)},
          {"text", std::move(text)},
          {"sarif", std::move(sarif_part)}};
}

std::filesystem::path sarif_rules_file(const std::filesystem::path& dir, std::string_view rules_hash) {
  return dir / ("rules-" + std::string(rules_hash) + ".sarif");
}

Result<std::filesystem::path> write_sarif_rules(const std::filesystem::path& dir, std::string_view rules_hash,
                                                const nlohmann::json& descriptors) {
  const std::filesystem::path file = sarif_rules_file(dir, rules_hash);
  if (!detail::write_file_atomically(file, descriptors.dump() + "\n")) {
    return Error::of(file.string() + ": cannot write the rule descriptors (is --out-dir writable, with space left?)");
  }
  return file;
}

std::optional<nlohmann::json> read_sarif_rules(const std::filesystem::path& dir, std::string_view rules_hash) {
  auto j = read_json(sarif_rules_file(dir, rules_hash));
  if (!j || !j->is_array()) return std::nullopt;
  return j;
}

Result<std::filesystem::path> write_result(const std::filesystem::path& dir, const ResultStamp& stamp,
                                           std::string_view document_text) {
  const std::filesystem::path file = dir / result_file_name(stamp.path);
  if (!detail::write_file_atomically(file, document_text)) {
    return Error::of(file.string() + ": cannot write the result (is --out-dir writable, with space left?)");
  }
  return file;
}

std::vector<StoredResult> read_results(const std::filesystem::path& dir, std::vector<std::string>& errors) {
  std::vector<StoredResult> out;
  std::error_code ec;
  std::vector<std::filesystem::path> files;
  for (const auto& entry : std::filesystem::directory_iterator(dir, ec)) {
    if (entry.is_regular_file() && entry.path().extension() == ".json") files.push_back(entry.path());
  }
  if (ec) {
    errors.push_back(dir.string() + ": cannot list the results directory (" + ec.message() + ")");
    return out;
  }
  std::sort(files.begin(), files.end());
  for (const auto& file : files) {
    auto j = read_json(file);
    if (!j || !j->is_object() || !j->contains("result")) continue;  // not a result file
    auto stamp = stamp_from_json((*j)["result"]);
    const auto& dumps = (*j)["dumps"];
    if (!stamp || !dumps.is_array() || dumps.size() != 1) {
      errors.push_back(file.string() + ": a result file without a readable stamp or dump; rescan that dump");
      continue;
    }
    StoredResult r{*stamp, dumps[0], file, std::nullopt, nullptr};
    if (const auto text = j->find("text"); text != j->end() && text->is_string()) r.text = text->get<std::string>();
    if (const auto sarif = j->find("sarif"); sarif != j->end() && sarif->is_object()) r.sarif = *sarif;
    out.push_back(std::move(r));
  }
  return out;
}

}  // namespace drydock
