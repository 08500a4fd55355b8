#include <catch2/catch.hpp>

#include "engine/kernel/kallsyms.hpp"
#include "support/kallsyms_builder.hpp"

using namespace drydock;
using drydock::testing::build_kallsyms;
using drydock::testing::SymbolSpec;

namespace {

constexpr std::uint64_t kBase = 0xffffffff9ee00000ULL;

std::vector<SymbolSpec> sample_symbols() {
  return {
      {'A', "fixed_percpu_data", 0x0},
      {'A', "runqueues", 0x2f0c0},
      {'T', "_stext", kBase},
      {'T', "start_kernel", kBase + 0x1234},
      {'D', "linux_banner", kBase + 0x1361900},
      {'R', "__start_BTF", kBase + 0x16c1b88},
      {'b', "kernel_init_done", kBase + 0x2000000},
  };
}

}  // namespace

TEST_CASE("kallsyms names expand through the token table, the first character being the type", "[kallsyms]") {
  const auto built = build_kallsyms(sample_symbols(), KallsymsNameLength::two_byte,
                                    KallsymsAddressing::relative_base_percpu, kBase);
  std::size_t used = 0;
  auto names = decode_kallsyms_names(built.names, built.token_table, built.token_index, built.num_syms,
                                     KallsymsNameLength::two_byte, &used);
  REQUIRE(names);
  REQUIRE(names->size() == 7);
  CHECK((*names)[2].name == "_stext");
  CHECK((*names)[2].type == 'T');
  CHECK((*names)[6].name == "kernel_init_done");
  CHECK((*names)[6].type == 'b');
  CHECK(used == built.names.size());
}

TEST_CASE("kallsyms decoding tells every address format apart by the known address", "[kallsyms]") {
  const std::array known{KnownAddress{"_stext", kBase}};
  for (auto addressing : {KallsymsAddressing::absolute, KallsymsAddressing::relative_base,
                          KallsymsAddressing::relative_base_percpu, KallsymsAddressing::self_relative}) {
    // relative_base without per-CPU symbols: all addresses above the base.
    auto symbols = sample_symbols();
    if (addressing == KallsymsAddressing::relative_base || addressing == KallsymsAddressing::self_relative) {
      symbols.erase(symbols.begin(), symbols.begin() + 2);
    }
    for (auto length : {KallsymsNameLength::one_byte, KallsymsNameLength::two_byte}) {
      const auto built = build_kallsyms(symbols, length, addressing, kBase);
      auto decoded = decode_kallsyms(built.tables(), known);
      INFO(to_string(addressing));
      REQUIRE(decoded);
      CHECK(decoded->addressing == addressing);
      REQUIRE(decoded->symbols.size() == symbols.size());
      for (std::size_t i = 0; i < symbols.size(); ++i) {
        CHECK(decoded->symbols[i].name == symbols[i].name);
        CHECK(decoded->symbols[i].address == symbols[i].address);
        CHECK(decoded->symbols[i].type == symbols[i].type);
      }
    }
  }
}

TEST_CASE("kallsyms names of 128 tokens or more take two length bytes since 6.1", "[kallsyms]") {
  std::vector<SymbolSpec> symbols = sample_symbols();
  symbols.push_back({'t', std::string(300, 'x'), kBase + 0x3000000});
  const auto built = build_kallsyms(symbols, KallsymsNameLength::two_byte, KallsymsAddressing::relative_base_percpu,
                                    kBase);
  const std::array known{KnownAddress{"_stext", kBase}};
  auto decoded = decode_kallsyms(built.tables(), known);
  REQUIRE(decoded);
  CHECK(decoded->name_length == KallsymsNameLength::two_byte);
  CHECK(decoded->symbols.back().name == std::string(300, 'x'));
  // Read with one-byte lengths the same bytes do not decode to the known address.
  auto one = decode_kallsyms_names(built.names, built.token_table, built.token_index, built.num_syms,
                                   KallsymsNameLength::one_byte);
  CHECK((!one || one->back().name != std::string(300, 'x')));
}

TEST_CASE("kallsyms decoding fails, saying what it tried, when no format gives the known address", "[kallsyms]") {
  const auto built = build_kallsyms(sample_symbols(), KallsymsNameLength::two_byte,
                                    KallsymsAddressing::relative_base_percpu, kBase);
  const std::array wrong{KnownAddress{"_stext", kBase + 0x200000}};
  auto decoded = decode_kallsyms(built.tables(), wrong);
  REQUIRE_FALSE(decoded);
  CHECK_THAT(decoded.error().message, Catch::Contains("absolute per-CPU: known addresses differ"));
  const std::array absent{KnownAddress{"no_such_symbol", kBase}};
  CHECK_FALSE(decode_kallsyms(built.tables(), absent));
}

TEST_CASE("kallsyms decoding is bounded on hostile tables", "[kallsyms]") {
  const auto good = build_kallsyms(sample_symbols(), KallsymsNameLength::two_byte,
                                   KallsymsAddressing::relative_base_percpu, kBase);
  SECTION("a count the names cannot hold") {
    auto t = good.tables();
    t.num_syms = 1u << 30;
    CHECK_FALSE(decode_kallsyms_names(t.names, t.token_table, t.token_index, t.num_syms, KallsymsNameLength::two_byte));
    t.num_syms = 0;
    CHECK_FALSE(decode_kallsyms_names(t.names, t.token_table, t.token_index, t.num_syms, KallsymsNameLength::two_byte));
  }
  SECTION("a token index past the token table, and a token without its NUL") {
    auto index = good.token_index;
    index[2 * 'a'] = std::byte{0xff};
    index[2 * 'a' + 1] = std::byte{0xff};
    CHECK_FALSE(decode_kallsyms_names(good.names, good.token_table, index, good.num_syms,
                                      KallsymsNameLength::two_byte));
    auto table = good.token_table;
    table.pop_back();
    CHECK_FALSE(decode_kallsyms_names(good.names, table, good.token_index, good.num_syms,
                                      KallsymsNameLength::two_byte));
  }
  SECTION("a name length past the table, and names that expand past KSYM_NAME_LEN") {
    auto names = good.names;
    names.resize(names.size() - 3);
    CHECK_FALSE(decode_kallsyms_names(names, good.token_table, good.token_index, good.num_syms,
                                      KallsymsNameLength::two_byte));
    // Token 3 is "kernel_" (7 characters): 127 of them expand to 889.
    std::vector<std::byte> huge{std::byte{127}};
    huge.insert(huge.end(), 127, std::byte{3});
    huge.push_back(std::byte{0});
    CHECK_FALSE(decode_kallsyms_names(huge, good.token_table, good.token_index, 1, KallsymsNameLength::two_byte));
  }
  SECTION("an address array shorter than the count") {
    auto t = good.tables();
    std::vector<std::byte> short_addresses(good.addresses.begin(), good.addresses.begin() + 12);
    t.addresses = short_addresses;
    const std::array known{KnownAddress{"_stext", kBase}};
    CHECK_FALSE(decode_kallsyms(t, known));
  }
}
