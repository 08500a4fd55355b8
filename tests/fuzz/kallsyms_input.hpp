#pragma once
// One input of the kallsyms fuzz target, shared by the libFuzzer target
// (kallsyms_fuzzer.cpp) and the unit test that replays its seeds and
// regressions in CTest (tests/engine/kernel/kallsyms_fuzz_replay_test.cpp).
//
// Input: byte 0 chooses the known symbol's address source and whether a
// relative base is given; bytes 1..8 are the known address and the relative
// base's low bits; then 512 bytes of token index, a u16 token table length,
// the token table, a u32 symbol count, a u16 address array length, the
// address array, and the names (the rest). Short inputs are zero-padded at
// each field. The VMCOREINFO parsers run on the whole input too.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <span>

#include "engine/kernel/kallsyms.hpp"
#include "engine/kernel/vmcoreinfo.hpp"

namespace drydock::fuzz {

class InputReader {
 public:
  explicit InputReader(std::span<const std::byte> in) : in_(in) {}
  std::span<const std::byte> take(std::size_t n) {
    const std::size_t k = std::min(n, in_.size() - at_);
    auto out = in_.subspan(at_, k);
    at_ += k;
    return out;
  }
  std::uint64_t number(std::size_t bytes) {
    std::uint64_t v = 0;
    auto raw = take(bytes);
    std::memcpy(&v, raw.data(), raw.size());
    return v;
  }
  std::span<const std::byte> rest() { return take(in_.size() - at_); }

 private:
  std::span<const std::byte> in_;
  std::size_t at_ = 0;
};

inline void check(bool condition) {
  if (!condition) __builtin_trap();
}

inline void run_kallsyms_input(std::span<const std::byte> input) {
  (void)find_vmcoreinfo_texts(input, 4);
  (void)parse_vmcoreinfo(std::string_view(reinterpret_cast<const char*>(input.data()), input.size()));

  InputReader reader(input);
  const std::uint64_t mode = reader.number(1);
  const std::uint64_t known_low = reader.number(4);
  const std::uint64_t base_low = reader.number(4);
  auto index = reader.take(512);
  auto table = reader.take(static_cast<std::size_t>(reader.number(2)));
  const std::uint64_t count = reader.number(4);
  auto addresses = reader.take(static_cast<std::size_t>(reader.number(2)));
  auto names = reader.rest();

  KallsymsTables tables;
  tables.names = names;
  tables.token_table = table;
  tables.token_index = index;
  tables.num_syms = count;
  tables.addresses = addresses;
  tables.addresses_at = 0xffffffff82000000ULL;
  if (mode & 1) tables.relative_base = 0xffffffff80000000ULL | base_low;
  const std::uint64_t known_address = (mode & 2) ? known_low : 0xffffffff80000000ULL | known_low;
  const std::array known{KnownAddress{(mode & 4) ? "_stext" : "a", known_address}};
  auto decoded = decode_kallsyms(tables, known);
  if (decoded) {
    check(decoded->symbols.size() == count);
    check(decoded->names_size <= names.size());
    bool found = false;
    for (const KallsymsSymbol& s : decoded->symbols) {
      check(!s.name.empty() && s.name.size() <= kMaxKallsymsName);
      if (s.name == known[0].name && s.address == known_address) found = true;
    }
    check(found);
  }
}

}  // namespace drydock::fuzz
