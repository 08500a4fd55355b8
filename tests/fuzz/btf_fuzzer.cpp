// libFuzzer target: the BTF decoder and the tables built from BTF.
//
// The input is a BTF blob. It is decoded as vmlinux BTF; when that works, a
// table is built from it (with a few symbols named like the globals drydock
// starts from) and queried the way the walkers query one (every user type's
// members, through anonymous members, sizes, enums, symbol types), and the
// input is decoded again as split BTF on top of itself, as a module's blob
// would be. find_btf_blob runs over the input too. Crashes, sanitizer
// reports and hangs are bugs; decode errors are the expected outcome.

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

#include "symbols/btf.hpp"
#include "symbols/btf_table.hpp"
#include "symbols/detail/symbol_table_impl.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  using namespace drydock;
  const std::span<const std::byte> bytes(reinterpret_cast<const std::byte*>(data), size);
  (void)find_btf_blob(bytes);
  auto base = decode_btf(bytes, "fuzz");
  if (!base) return 0;
  (void)decode_btf(bytes, "fuzz-split", &base.value());

  const std::vector<KernelSymbolAddress> symbols{{"init_task", 0xffffffff82000000}, {"tk_core", 0xffffffff82001000},
                                                 {"linux_banner", 0xffffffff81e00000}, {"jiffies", 0xffffffff82002000}};
  const BtfBlob vmlinux{"vmlinux", bytes};
  const BtfBlob module{"module", bytes};
  auto table = table_from_btf(vmlinux, std::span<const BtfBlob>(&module, 1), symbols, "Linux version fuzz", "fuzz");
  if (!table) table = table_from_btf(vmlinux, {}, symbols, std::nullopt, "fuzz");
  if (!table) return 0;
  const SymbolTable& t = *table.value();
  std::size_t visited = 0;
  for (const UserType& type : t.impl().user_types) {
    if (++visited > 256) break;
    (void)t.size_of(type.name);
    for (const Member& m : type.members) {
      (void)t.member(type.name, m.name);
      (void)t.size_of(m.type);
    }
    (void)t.member(type.name, "no_such_member");
  }
  for (const EnumType& e : t.impl().enums) {
    for (const EnumConstant& c : e.constants) (void)t.enum_value(e.name, c.name);
  }
  for (const auto& s : symbols) {
    if (const Symbol* symbol = t.symbol(s.name)) (void)t.size_of(symbol->type);
  }
  return 0;
}
