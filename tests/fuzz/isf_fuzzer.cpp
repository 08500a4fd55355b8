// libFuzzer target: the symbol table loaders and queries.
//
// An input starting with the symbol cache's magic ("DDSYMC\x01\0") is the
// payload of a cache entry: the fuzzer writes the header around it (format
// version, key, the payload's SHA-256 and size, all right) so that the
// mutations reach deserialize_symbol_table's table decoding rather than dying
// at the checksum. Any other input is ISF JSON for SymbolTable::parse. A
// loaded table is then queried the way the walkers query it (symbols, user
// types, members through anonymous members, sizes, enums, the banner), and a
// table parsed from JSON must survive the cache's serialize/deserialize
// round trip. Crashes, sanitizer reports, hangs and a failed round trip
// (__builtin_trap) are bugs; load errors are the expected outcome.

#include <algorithm>
#include <array>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <memory>
#include <string>
#include <string_view>

#include "engine/core/sha256.hpp"
#include "symbols/detail/symbol_table_impl.hpp"  // the user types by index
#include "symbols/symbol_cache.hpp"
#include "symbols/symbol_table.hpp"

namespace {

using drydock::SymbolTable;

constexpr std::string_view kCacheMagic("DDSYMC\x01\0", 8);
// Any 64 hex digits: the key the header names and deserialize is asked for.
constexpr std::string_view kKey = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

void check(bool condition) {
  if (!condition) __builtin_trap();
}

std::string cache_image(std::string_view payload) {
  std::string image(kCacheMagic);
  const std::uint32_t version = 1, reserved = 0;
  image.append(reinterpret_cast<const char*>(&version), 4);
  image.append(reinterpret_cast<const char*>(&reserved), 4);
  image += kKey;
  image += drydock::sha256_hex(payload);
  const std::uint64_t size = payload.size();
  image.append(reinterpret_cast<const char*>(&size), 8);
  image += payload;
  return image;
}

// Follows a type descriptor's subtypes as a reader of the table would.
void walk_type(const SymbolTable& table, std::uint32_t index) {
  for (int depth = 0; depth < 80 && index != UINT32_MAX; ++depth) {
    const drydock::TypeDesc& desc = table.type_desc(index);
    (void)table.size_of(index);
    if (!desc.name.empty()) {
      (void)table.user_type(desc.name);
      (void)table.base_type(desc.name);
    }
    index = desc.subtype;
  }
}

void query(const SymbolTable& table) {
  (void)table.banner();
  (void)table.source();
  (void)table.memory_bytes();
  static constexpr std::array<std::string_view, 8> kSymbols = {
      "init_task", "linux_banner", "init_top_pgt", "vmcoreinfo_note", "tk_core", "net_namespace_list",
      "__pgtable_l5_enabled", ""};
  for (std::string_view name : kSymbols) {
    if (const drydock::Symbol* s = table.symbol(name)) walk_type(table, s->type);
  }
  static constexpr std::array<std::pair<std::string_view, std::string_view>, 8> kMembers = {{
      {"task_struct", "comm"}, {"task_struct", "tasks"}, {"task_struct", "pid"}, {"cred", "uid"},
      {"task", "a"}, {"task", "tasks"}, {"list_head", "next"}, {"nsproxy", "net_ns"}}};
  for (auto [type, member] : kMembers) {
    if (auto at = table.member(type, member)) walk_type(table, at->type);
    (void)table.size_of(type);
  }
  (void)table.enum_value("pid_type", "PIDTYPE_PID");
  (void)table.enum_value("task_state", "TASK_RUNNING");
  // Every member of the first user types, by name and through anonymous
  // members (a name no type has makes member() search them all).
  const std::size_t types = std::min<std::size_t>(table.user_type_count(), 64);
  for (std::size_t i = 0; i < types; ++i) {
    const drydock::UserType& type = table.impl().user_types[i];
    (void)table.size_of(type.name);
    (void)table.member(type.name, "fuzz_absent_member");
    for (std::size_t m = 0; m < std::min<std::size_t>(type.members.size(), 64); ++m) {
      const drydock::Member& member = type.members[m];
      if (auto at = table.member(type.name, member.name)) walk_type(table, at->type);
      walk_type(table, member.type);
    }
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view input(reinterpret_cast<const char*>(data), size);
  if (input.substr(0, kCacheMagic.size()) == kCacheMagic) {
    auto table = drydock::deserialize_symbol_table(cache_image(input.substr(kCacheMagic.size())), kKey, "fuzz.cache");
    if (table) query(**table);
    return 0;
  }
  auto table = SymbolTable::parse(input, "fuzz.json");
  if (!table) return 0;
  query(**table);
  const std::string image = drydock::serialize_symbol_table(**table, kKey);
  auto again = drydock::deserialize_symbol_table(image, kKey, "fuzz.cache");
  check(again.ok());
  check((*again)->symbol_count() == (*table)->symbol_count());
  check((*again)->user_type_count() == (*table)->user_type_count());
  check((*again)->banner() == (*table)->banner());
  return 0;
}
