// libFuzzer target: the kernel walkers over a real kernel whose pages the
// fuzzer corrupts.
//
// At start-up the repository's docker-basic sample (tests/data/sample: a LiME
// of the ~1,700 real kernel pages that `drydock scan` reads, and its ISF) is
// loaded once, from $DRYDOCK_ROOT (default: the working directory). Each
// input is a list of 12-byte mutations of the image's saved bytes (never its
// LiME headers):
//
//   u32 selector (little-endian): mode = selector >> 30, index = the low 30 bits
//   u64 value
//   mode 0: XOR `value` into the 8 bytes at saved byte (index mod saved bytes),
//           cut at the end of its range: any byte, pointers or not;
//   mode 1: XOR `value` into non-zero word (index mod words);
//   mode 2: replace non-zero word (index mod words) with `value`;
//   mode 3: replace non-zero word (index mod words) with the original value of
//           non-zero word (low 32 bits of value mod words) plus the signed
//           16-bit delta in bits 32..47: a pointer redirected to another
//           object, or near it (list cross-links, cycles, aliases).
//
// "Non-zero words" are the 8-byte-aligned words of the saved bytes that are
// non-zero in the sample: as the sample zeroes every byte drydock did not
// read, they are the pointers, counts and strings the walkers follow.
//
// Then, as build_model does: the layout is decoded, the kernel located, and
// the tasks, mounts, network devices and containers extracted. The mutations
// are undone afterwards, so the 7 MB image is copied once, not per input.
// Crashes, sanitizer reports, leaks and hangs are bugs; issues recorded in the
// model, or a kernel that cannot be located, are the expected outcome.

#include <oneapi/tbb/global_control.h>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <memory>
#include <span>
#include <string>
#include <utility>
#include <vector>

#include "engine/containers/container_detector.hpp"
#include "engine/core/decompress.hpp"
#include "engine/dump/physical_memory.hpp"
#include "engine/kernel/kernel_locator.hpp"
#include "engine/kernel/kernel_memory.hpp"
#include "engine/kernel/mount_walker.hpp"
#include "engine/kernel/net_walker.hpp"
#include "engine/kernel/task_walker.hpp"
#include "engine/model/dump_model.hpp"
#include "symbols/symbol_table.hpp"

namespace {

using namespace drydock;

constexpr std::size_t kRecordSize = 12;
constexpr std::size_t kMaxRecords = 64;

struct Sample {
  std::string image;     // the decompressed LiME; mutated and restored in place
  std::string original;  // the same, never mutated (mode 3 copies from it)
  std::shared_ptr<const SymbolTable> symbols;
  std::vector<PhysicalRange> ranges;        // of the unmutated image
  std::vector<std::uint64_t> range_starts;  // running total of saved bytes before each range
  std::uint64_t saved_bytes = 0;
  std::vector<std::uint32_t> words;  // file offsets of the non-zero aligned words
  bool verbose = false;              // $DRYDOCK_FUZZ_VERBOSE: print what each input extracted
};

[[noreturn]] void die(const std::string& why) {
  std::fprintf(stderr, "kernel_walkers_fuzzer: %s\n", why.c_str());
  std::exit(1);
}

Sample load_sample() {
  const char* env = std::getenv("DRYDOCK_ROOT");
  const std::string root = env != nullptr && *env != '\0' ? env : ".";
  const std::string dir = root + "/tests/data/sample/";
  Sample s;
  s.verbose = std::getenv("DRYDOCK_FUZZ_VERBOSE") != nullptr;
  auto image = read_decompressed(dir + "docker-basic-sample.lime.zst", std::size_t{64} << 20);
  if (!image) die(image.error().message + " (set DRYDOCK_ROOT to the repository)");
  s.image = std::move(image).value();
  s.original = s.image;
  auto symbols = SymbolTable::load(dir + "docker-basic-sample.json.xz");
  if (!symbols) die(symbols.error().message);
  s.symbols = std::move(symbols).value();
  const std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(s.image.data()), s.image.size());
  auto memory = PhysicalMemory::from_bytes(bytes, "sample.lime");
  if (!memory) die(memory.error().message);
  if (!locate_kernel(*memory, *s.symbols)) die("the unmutated sample's kernel cannot be located");
  s.ranges = memory->ranges();
  for (const PhysicalRange& r : s.ranges) {
    s.range_starts.push_back(s.saved_bytes);
    s.saved_bytes += r.size;
    for (std::uint64_t off = (r.file_offset + 7) & ~std::uint64_t{7}; off + 8 <= r.file_offset + r.size; off += 8) {
      std::uint64_t word;
      std::memcpy(&word, s.image.data() + off, 8);
      if (word != 0) s.words.push_back(static_cast<std::uint32_t>(off));
    }
  }
  if (s.words.empty() || s.image.size() > UINT32_MAX) die("unexpected sample");
  return s;
}

Sample& sample() {
  static Sample s = load_sample();
  return s;
}

template <typename T>
T load(const std::uint8_t* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// Writes into the image, remembering the old bytes for undo().
class Mutator {
 public:
  explicit Mutator(std::string& image) : image_(image) {}
  ~Mutator() {
    for (auto it = saved_.rbegin(); it != saved_.rend(); ++it) {
      std::memcpy(image_.data() + it->offset, it->bytes, it->size);
    }
  }
  void write(std::uint64_t offset, const void* bytes, std::size_t size) {
    Saved old{offset, size, {}};
    std::memcpy(old.bytes, image_.data() + offset, size);
    saved_.push_back(old);
    std::memcpy(image_.data() + offset, bytes, size);
  }

 private:
  struct Saved {
    std::uint64_t offset;
    std::size_t size;
    unsigned char bytes[8];
  };
  std::string& image_;
  std::vector<Saved> saved_;
};

void apply(Sample& s, Mutator& mutator, std::uint32_t selector, std::uint64_t value) {
  const std::uint32_t mode = selector >> 30;
  const std::uint32_t index = selector & 0x3fffffffU;
  if (mode == 0) {
    const std::uint64_t saved = index % s.saved_bytes;
    const std::size_t r = static_cast<std::size_t>(
        std::upper_bound(s.range_starts.begin(), s.range_starts.end(), saved) - s.range_starts.begin() - 1);
    const std::uint64_t within = saved - s.range_starts[r];
    const std::uint64_t offset = s.ranges[r].file_offset + within;
    const std::size_t n = static_cast<std::size_t>(std::min<std::uint64_t>(8, s.ranges[r].size - within));
    unsigned char bytes[8];
    std::memcpy(bytes, s.image.data() + offset, n);
    for (std::size_t i = 0; i < n; ++i) bytes[i] ^= static_cast<unsigned char>(value >> (8 * i));
    mutator.write(offset, bytes, n);
    return;
  }
  const std::uint64_t offset = s.words[index % s.words.size()];
  std::uint64_t word = load<std::uint64_t>(reinterpret_cast<const std::uint8_t*>(s.image.data() + offset));
  if (mode == 1) {
    word ^= value;
  } else if (mode == 2) {
    word = value;
  } else {
    const std::uint64_t other = s.words[static_cast<std::uint32_t>(value) % s.words.size()];
    word = load<std::uint64_t>(reinterpret_cast<const std::uint8_t*>(s.original.data() + other)) +
           static_cast<std::uint64_t>(static_cast<std::int64_t>(static_cast<std::int16_t>(value >> 32)));
  }
  mutator.write(offset, &word, 8);
}

// What build_model does with a DumpSession, on bytes in memory.
void extract(const Sample& s) {
  const std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(s.image.data()), s.image.size());
  auto memory = PhysicalMemory::from_bytes(bytes, "fuzz.lime");
  if (!memory) return;
  auto location = locate_kernel(*memory, *s.symbols);
  if (!location) {
    if (s.verbose) std::fprintf(stderr, "kernel not located: %s\n", location.error().message.c_str());
    return;
  }
  const KernelMemory kernel(*memory, s.symbols, std::move(location).value());
  if (auto init_task = kernel.symbol_address("init_task")) {
    if (auto comm = kernel.symbols().member("task_struct", "comm")) (void)kernel.read_string(*init_task + comm->offset, 16);
  }
  DumpModel model;
  TaskWalkResult tasks = walk_tasks(kernel);
  model.tasks = std::move(tasks.tasks);
  for (const Task& t : model.tasks) {
    if (t.pid == 1) model.host_ns = t.ns;
  }
  MountWalkResult mounts = walk_mounts(kernel, model.tasks);
  model.mounts = std::move(mounts.mounts);
  if (!model.tasks.empty()) (void)mounts_seen_by(kernel, model.tasks.back());
  NetWalkResult net = walk_network(kernel);
  model.interfaces = std::move(net.interfaces);
  ContainerDetection found = detect_containers(model);
  for (const Container& c : found.containers) {
    for (const Mount& m : model.mounts) (void)is_default_container_mount(m, c.id);
  }
  if (s.verbose) {
    std::fprintf(stderr, "tasks %zu (issues %zu), mounts %zu (issues %zu), interfaces %zu (issues %zu), containers %zu\n",
                 model.tasks.size(), tasks.issues.size(), model.mounts.size(), mounts.issues.size(),
                 model.interfaces.size(), net.issues.size(), found.containers.size());
  }
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  // One core for the fuzzer: the walkers' oneTBB loops run on this thread.
  static tbb::global_control one_thread(tbb::global_control::max_allowed_parallelism, 1);
  (void)sample();
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  Sample& s = sample();
  {
    Mutator mutator(s.image);
    for (std::size_t i = 0; i < std::min(size / kRecordSize, kMaxRecords); ++i) {
      const std::uint8_t* record = data + i * kRecordSize;
      apply(s, mutator, load<std::uint32_t>(record), load<std::uint64_t>(record + 4));
    }
    extract(s);
  }  // the mutations are undone here
  return 0;
}
