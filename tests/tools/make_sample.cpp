// drydock_make_sample: cuts, out of a real dump and its ISF, a sample small
// enough to ship in the repository that `drydock scan` reads exactly as it
// reads the full dump.
//
//   drydock_make_sample --symbols ISF [--name NAME] [-o DIR] DUMP
//
// It runs `scan`'s pipeline (scan_one with the bundled rules) on DUMP with the
// recording hooks of PhysicalMemory and SymbolTable on, then writes:
//   DIR/NAME.lime.zst  LiME (version 1) holding every 4 KiB page with a byte
//                      that was read; the bytes that were not read are zeroed,
//                      adjacent pages share one range; zstd level 19.
//   DIR/NAME.json.xz   the ISF trimmed to what was looked up: the metadata and
//                      base types; the symbols looked up (and linux_banner);
//                      the user types looked up, closed over the types their
//                      members hold by value; the enums looked up or held.
// Every read that succeeded on the full dump reads the same bytes from the
// sample, and every read that failed still fails (a sample page is a page of
// the dump), so the scan takes the same path and finds the same things.

#include <lzma.h>
#include <zstd.h>

#include <CLI/CLI.hpp>
#include <nlohmann/json.hpp>

#include <algorithm>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <deque>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <iostream>
#include <set>
#include <string>
#include <vector>

#include "engine/cli/rule_loading.hpp"
#include "engine/core/decompress.hpp"
#include "engine/dump/access_recorder.hpp"
#include "engine/kernel/banner_scan.hpp"
#include "engine/scan/dump_scan.hpp"
#include "symbols/lookup_recorder.hpp"

namespace {

namespace fs = std::filesystem;
using drydock::AccessRecorder;
using json = nlohmann::json;

constexpr std::uint64_t kPage = 4096;
constexpr std::uint32_t kLimeMagic = 0x4C694D45;  // "EMiL" on disk
constexpr std::uint32_t kLimeVersion = 1;
constexpr int kZstdLevel = 19;
constexpr std::uint32_t kXzPreset = 9 | LZMA_PRESET_EXTREME;
constexpr std::size_t kMaxIsfBytes = std::size_t{1} << 30;

[[noreturn]] void die(const std::string& message) {
  std::cerr << "drydock_make_sample: " << message << "\n";
  std::exit(2);
}

void write_file(const fs::path& path, const std::string& bytes) {
  std::ofstream out(path, std::ios::binary | std::ios::trunc);
  out.write(bytes.data(), static_cast<std::streamsize>(bytes.size()));
  if (!out.flush()) die("cannot write " + path.string());
}

template <typename T>
void put_le(std::string& out, T value) {
  for (std::size_t i = 0; i < sizeof(T); ++i) out.push_back(static_cast<char>((value >> (8 * i)) & 0xff));
}

// The recorded bytes grown to whole pages, cut to what the dump saved, with
// touching pages merged.
std::vector<AccessRecorder::Range> sample_ranges(const std::vector<AccessRecorder::Range>& recorded,
                                                 const drydock::PhysicalMemory& memory) {
  std::vector<AccessRecorder::Range> pages;
  for (const AccessRecorder::Range& r : recorded) {
    const std::uint64_t start = r.start / kPage * kPage;
    const std::uint64_t end = (r.end + kPage - 1) / kPage * kPage;
    for (const drydock::PhysicalRange& saved : memory.ranges()) {
      const std::uint64_t a = std::max(start, saved.start);
      const std::uint64_t b = std::min(end, saved.end());
      if (a >= b) continue;
      if (!pages.empty() && a <= pages.back().end) {
        pages.back().end = std::max(pages.back().end, b);
      } else {
        pages.push_back({a, b});
      }
    }
  }
  return pages;
}

// The LiME image: each sample range, zero except where bytes were recorded.
std::string build_lime(const std::vector<AccessRecorder::Range>& ranges,
                       const std::vector<AccessRecorder::Range>& recorded, const drydock::PhysicalMemory& memory) {
  std::string out;
  auto next = recorded.begin();
  for (const AccessRecorder::Range& range : ranges) {
    put_le<std::uint32_t>(out, kLimeMagic);
    put_le<std::uint32_t>(out, kLimeVersion);
    put_le<std::uint64_t>(out, range.start);
    put_le<std::uint64_t>(out, range.end - 1);  // inclusive
    put_le<std::uint64_t>(out, 0);              // reserved
    const std::size_t base = out.size();
    out.resize(base + (range.end - range.start), '\0');
    // Both lists are sorted; a recorded range may span several sample ranges.
    while (next != recorded.begin() && std::prev(next)->end > range.start) --next;
    for (; next != recorded.end() && next->start < range.end; ++next) {
      const std::uint64_t a = std::max(next->start, range.start);
      const std::uint64_t b = std::min(next->end, range.end);
      if (a >= b) continue;
      auto* dest = reinterpret_cast<std::byte*>(out.data() + base + (a - range.start));
      if (!memory.read(a, std::span<std::byte>(dest, b - a))) {
        die("recorded bytes at " + std::to_string(a) + " cannot be read back");
      }
    }
  }
  return out;
}

std::string zstd_compress(const std::string& input) {
  ZSTD_CCtx* cctx = ZSTD_createCCtx();
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, kZstdLevel);
  ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, 1);
  std::string out(ZSTD_compressBound(input.size()), '\0');
  const std::size_t n = ZSTD_compress2(cctx, out.data(), out.size(), input.data(), input.size());
  ZSTD_freeCCtx(cctx);
  if (ZSTD_isError(n)) die(std::string("zstd: ") + ZSTD_getErrorName(n));
  out.resize(n);
  return out;
}

std::string xz_compress(const std::string& input) {
  std::string out(lzma_stream_buffer_bound(input.size()), '\0');
  std::size_t pos = 0;
  const lzma_ret ret = lzma_easy_buffer_encode(kXzPreset, LZMA_CHECK_CRC64, nullptr,
                                               reinterpret_cast<const std::uint8_t*>(input.data()), input.size(),
                                               reinterpret_cast<std::uint8_t*>(out.data()), &pos, out.size());
  if (ret != LZMA_OK) die("xz: lzma_easy_buffer_encode failed (" + std::to_string(ret) + ")");
  out.resize(pos);
  return out;
}

// Walks an ISF type descriptor through arrays and bitfields to what is held
// by value, and notes the user type or enum it needs. Behind a pointer
// nothing is needed: the loader accepts pointers to missing types.
void note_held_type(const json& desc, std::deque<std::string>& user_types, std::set<std::string>& enums) {
  const json* d = &desc;
  for (int depth = 0; depth < 64 && d->is_object(); ++depth) {
    const std::string kind = d->value("kind", "");
    if (kind == "array" && d->contains("subtype")) {
      d = &(*d)["subtype"];
    } else if (kind == "bitfield" && d->contains("type")) {
      d = &(*d)["type"];
    } else {
      if (kind == "struct" || kind == "union" || kind == "class") user_types.push_back(d->value("name", ""));
      if (kind == "enum") enums.insert(d->value("name", ""));
      return;
    }
  }
}

struct TrimCounts {
  std::size_t symbols = 0, user_types = 0, enums = 0;
};

json trim_isf(const json& isf, const drydock::LookupRecorder& lookups, TrimCounts& counts) {
  json out = json::object();
  out["metadata"] = isf.at("metadata");
  out["base_types"] = isf.at("base_types");

  json symbols = json::object();
  std::set<std::string> wanted_symbols = lookups.symbols();
  // The banner is what matches the ISF to a dump.
  wanted_symbols.insert("linux_banner");
  for (const std::string& name : wanted_symbols) {
    if (auto it = isf.at("symbols").find(name); it != isf.at("symbols").end()) symbols[name] = *it;
  }
  out["symbols"] = std::move(symbols);

  const json& all_types = isf.at("user_types");
  const json& all_enums = isf.at("enums");
  std::set<std::string> enums = lookups.enums();
  const std::set<std::string> looked_up = lookups.user_types();
  std::deque<std::string> pending(looked_up.begin(), looked_up.end());
  json user_types = json::object();
  while (!pending.empty()) {
    const std::string name = std::move(pending.front());
    pending.pop_front();
    if (user_types.contains(name)) continue;
    auto it = all_types.find(name);
    if (it == all_types.end()) continue;  // looked up but absent: absent in the sample too
    user_types[name] = *it;
    for (const auto& [member, field] : it->at("fields").items()) {
      if (field.contains("type")) note_held_type(field["type"], pending, enums);
    }
  }
  json kept_enums = json::object();
  for (const std::string& name : enums) {
    if (auto it = all_enums.find(name); it != all_enums.end()) kept_enums[name] = *it;
  }
  counts = {out["symbols"].size(), user_types.size(), kept_enums.size()};
  out["user_types"] = std::move(user_types);
  out["enums"] = std::move(kept_enums);
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  CLI::App app{"Cuts a small sample out of a memory dump: only what `drydock scan` reads"};
  std::string dump;
  std::string isf_path;
  std::string out_dir = ".";
  std::string name = "sample";
  std::string temp_dir;
  app.add_option("dump", dump, "The memory dump")->required();
  app.add_option("--symbols", isf_path, "The dump's ISF file")->required();
  app.add_option("-o,--out-dir", out_dir, "Where to write NAME.lime.zst and NAME.json.xz");
  app.add_option("--name", name, "Base name of the output files");
  app.add_option("--temp-dir", temp_dir, "Where compressed dumps are unpacked");
  CLI11_PARSE(app, argc, argv);

  auto access = std::make_shared<AccessRecorder>();
  auto lookups = std::make_shared<drydock::LookupRecorder>();
  drydock::ScanOptions options;
  options.session.symbol_paths = {isf_path};
  options.session.open.recorder = access;
  options.session.symbol_recorder = lookups;
  if (!temp_dir.empty()) options.session.open.temp_dir = temp_dir;

  auto rules = drydock::load_rules({});
  if (!rules) die(rules.error().message);
  drydock::ScanInput input{dump, dump, "", 0};
  const drydock::DumpScanResult scanned = drydock::scan_one(input, *rules, options);
  if (scanned.error) die(*scanned.error);

  // A second, unrecorded view of the dump: the source of the sample's bytes.
  drydock::OpenOptions plain;
  if (!temp_dir.empty()) plain.temp_dir = temp_dir;
  auto memory = drydock::PhysicalMemory::open(dump, plain);
  if (!memory) die(memory.error().message);
  // `--symbols DIR` finds the ISF by the dump's banners, scanned in the raw
  // file (not through read()): keep each banner with its newline so that the
  // sample answers that scan the same way.
  for (const drydock::BannerHit& hit : drydock::scan_banners(*memory)) {
    access->record(hit.physical, hit.text.size() + 1);
  }

  const std::vector<AccessRecorder::Range> recorded = access->ranges();
  const std::vector<AccessRecorder::Range> ranges = sample_ranges(recorded, *memory);
  const std::string lime = build_lime(ranges, recorded, *memory);
  const std::string lime_zst = zstd_compress(lime);

  auto isf_text = drydock::read_decompressed(isf_path, kMaxIsfBytes);
  if (!isf_text) die(isf_text.error().message);
  const json isf = json::parse(*isf_text, nullptr, false);
  if (isf.is_discarded()) die(isf_path + ": not JSON");
  TrimCounts counts;
  const std::string trimmed = trim_isf(isf, *lookups, counts).dump();
  const std::string trimmed_xz = xz_compress(trimmed);

  const fs::path dir(out_dir);
  std::error_code ec;
  fs::create_directories(dir, ec);
  write_file(dir / (name + ".lime.zst"), lime_zst);
  write_file(dir / (name + ".json.xz"), trimmed_xz);

  std::uint64_t recorded_bytes = 0;
  for (const auto& r : recorded) recorded_bytes += r.end - r.start;
  std::cout << "scan: " << scanned.findings.size() << " findings\n"
            << "read: " << recorded_bytes << " bytes in " << recorded.size() << " runs\n"
            << name << ".lime.zst: " << ranges.size() << " ranges, " << lime.size() << " bytes, "
            << lime_zst.size() << " compressed\n"
            << name << ".json.xz: " << counts.symbols << " symbols, " << counts.user_types << " user types, "
            << counts.enums << " enums, " << trimmed.size() << " bytes, " << trimmed_xz.size() << " compressed\n";
  return 0;
}
