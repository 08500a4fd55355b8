// The BTF decoder (symbols/btf.hpp) and tables built from BTF
// (symbols/btf_table.hpp) on literal blobs.

#include <catch2/catch.hpp>

#include <cstring>
#include <set>

#include "support/btf_builder.hpp"
#include "symbols/btf.hpp"
#include "symbols/btf_fixtures.hpp"
#include "symbols/btf_table.hpp"
#include "symbols/detail/symbol_table_impl.hpp"
#include "symbols/system_map.hpp"

namespace drydock {
namespace {

using testing::BtfBuilder;

std::shared_ptr<const SymbolTable> small_table() {
  static const auto blob = test::small_kernel_btf();
  const std::vector<KernelSymbolAddress> symbols{
      {"init_task", 0xffffffff82a0c940}, {"tk_core", 0xffffffff83000000}, {"runqueues", 0x2c000},
      {"linux_banner", 0xffffffff81e00100}, {"init_task", 0x1}};
  auto table = table_from_btf(BtfBlob{"vmlinux", blob}, {}, symbols, "Linux version 6.1.0 (test)\n", "small BTF");
  if (!table) FAIL(table.error().message);
  return table.value();
}

void put_u32(std::vector<std::byte>& bytes, std::size_t at, std::uint32_t value) {
  std::memcpy(bytes.data() + at, &value, 4);
}

TEST_CASE("every BTF kind decodes", "[btf]") {
  const auto blob = test::small_kernel_btf();
  auto btf = decode_btf(blob, "small");
  REQUIRE(btf);
  std::set<BtfKind> kinds;
  for (const BtfType& t : btf.value().types) kinds.insert(t.kind);
  CHECK(kinds.size() == 19);
  const BtfType* task = nullptr;
  for (const BtfType& t : btf.value().types) {
    if (t.name == "task_struct") task = &t;
  }
  REQUIRE(task);
  CHECK(task->kind_flag);
  auto members = btf.value().members_of(*task);
  REQUIRE(members.size() == 11);
  CHECK(members[3].name == "in_iowait");
  CHECK(members[3].bit_offset == 65);
  CHECK(members[3].bitfield_size == 1);
}

TEST_CASE("a table from BTF answers lookups as the ISF of the same kernel would", "[btf]") {
  const auto table = small_table();
  const SymbolTable& t = *table;
  CHECK(t.size_of("task_struct") == 72u);
  CHECK(t.banner() == "Linux version 6.1.0 (test)");

  auto comm = t.member("task_struct", "comm");
  REQUIRE(comm);
  CHECK(comm->offset == 32);
  CHECK(t.type_desc(comm->type).kind == TypeKind::array);
  CHECK(t.type_desc(comm->type).count == 16);
  CHECK(t.type_desc(t.type_desc(comm->type).subtype).name == "char");

  // A typedef'd anonymous struct is a user type under the typedef's name.
  auto usage = t.member("task_struct", "usage");
  REQUIRE(usage);
  CHECK(t.type_desc(usage->type).kind == TypeKind::struct_);
  CHECK(t.type_desc(usage->type).name == "atomic_t");
  CHECK(t.member("atomic_t", "counter"));

  // Bitfields: byte offset of the first bit, bit position within it.
  auto iowait = t.member("task_struct", "in_iowait");
  REQUIRE(iowait);
  CHECK(iowait->offset == 8);
  CHECK(t.type_desc(iowait->type).kind == TypeKind::bitfield);
  CHECK(t.type_desc(iowait->type).bit_position == 1);
  CHECK(t.type_desc(iowait->type).bit_length == 1);

  // Anonymous members are named like dwarf2json's and looked through.
  auto b = t.member("task_struct", "b");
  REQUIRE(b);
  CHECK(b->offset == 12);
  const UserType* task = t.user_type("task_struct");
  REQUIRE(task);
  const Member* anonymous = find_by_name(task->members, "unnamed_field_0");
  REQUIRE(anonymous);
  CHECK(anonymous->anonymous);
  CHECK(t.type_desc(anonymous->type).kind == TypeKind::union_);

  // Qualifiers are looked through; pointers keep their pointee.
  auto parent = t.member("task_struct", "parent");
  REQUIRE(parent);
  CHECK(t.type_desc(parent->type).kind == TypeKind::pointer);
  CHECK(t.type_desc(t.type_desc(parent->type).subtype).name == "task_struct");

  CHECK(t.enum_value("pid_type", "PIDTYPE_MAX") == 4);
  CHECK(t.enum_value("big_flags", "BIG") == (std::int64_t{1} << 40));
  const EnumType* pid = find_by_name(t.impl().enums, "pid_type");
  REQUIRE(pid);
  CHECK(pid->base == "unsigned int");
  auto type = t.member("task_struct", "type");
  REQUIRE(type);
  CHECK(t.type_desc(type->type).kind == TypeKind::enum_);
  CHECK(t.size_of(type->type) == 4u);
}

TEST_CASE("symbols get their types from the globals table or a BTF variable", "[btf]") {
  const auto table = small_table();
  const SymbolTable& t = *table;
  const Symbol* init_task = t.symbol("init_task");
  REQUIRE(init_task);
  CHECK(init_task->address == 0xffffffff82a0c940);  // the first of a repeated name
  CHECK(t.type_desc(init_task->type).name == "task_struct");

  const Symbol* runqueues = t.symbol("runqueues");
  REQUIRE(runqueues);
  CHECK(t.type_desc(runqueues->type).name == "list_head");

  // tk_core's anonymous struct is synthesized with C's alignment.
  const Symbol* tk_core = t.symbol("tk_core");
  REQUIRE(tk_core);
  const TypeDesc& holder = t.type_desc(tk_core->type);
  CHECK(holder.kind == TypeKind::struct_);
  CHECK(t.size_of(holder.name) == 24u);
  auto timekeeper = t.member(holder.name, "timekeeper");
  REQUIRE(timekeeper);
  CHECK(timekeeper->offset == 8);
  CHECK(t.member(holder.name, "seq")->offset == 0);

  const Symbol* banner = t.symbol("linux_banner");
  REQUIRE(banner);
  CHECK(t.type_desc(banner->type).kind == TypeKind::array);
}

TEST_CASE("split BTF continues its base's type ids and strings", "[btf]") {
  const auto base_blob = test::small_kernel_btf();
  auto base = decode_btf(base_blob, "vmlinux");
  REQUIRE(base);
  BtfBuilder module(base.value().end_id(), base.value().string_base + static_cast<std::uint32_t>(base.value().strings.size()));
  const std::uint32_t list_head = 7;  // in the base
  const auto config = module.add_struct("ovl_config", 16, {{"upperdir", module.next_id() + 1, 0}, {"lowers", list_head, 0}});
  module.add_ptr(1);
  module.add_struct("ovl_fs", 32, {{"numlayer", 2, 0}, {"config", config, 64}});
  const auto module_blob = module.bytes();
  auto split = decode_btf(module_blob, "overlay", &base.value());
  REQUIRE(split);
  CHECK(split.value().first_id == base.value().end_id());

  const BtfBlob modules[] = {{"overlay", module_blob}};
  auto table = table_from_btf(BtfBlob{"vmlinux", base_blob}, modules, {}, std::nullopt, "with module");
  REQUIRE(table);
  auto upper = table.value()->member("ovl_fs", "config.upperdir");
  CHECK_FALSE(upper);  // member() takes one name; the layout walks paths itself
  auto config_member = table.value()->member("ovl_fs", "config");
  REQUIRE(config_member);
  CHECK(config_member->offset == 8);
  CHECK(table.value()->member("ovl_config", "lowers"));
  CHECK(table.value()->type_desc(table.value()->member("ovl_config", "lowers")->type).name == "list_head");
}

TEST_CASE("BTF errors name the blob, the offset and the type id", "[btf]") {
  auto blob = test::small_kernel_btf();
  SECTION("bad magic") {
    blob[0] = std::byte{0};
    auto r = decode_btf(blob, "vmlinux");
    REQUIRE_FALSE(r);
    CHECK_THAT(r.error().message, Catch::Contains("vmlinux: BTF at offset 0x0: no BTF magic"));
  }
  SECTION("truncated") {
    blob.resize(blob.size() / 2);
    auto r = decode_btf(blob, "vmlinux");
    REQUIRE_FALSE(r);
    CHECK_THAT(r.error().message, Catch::Contains("past the blob's end"));
  }
  SECTION("name offset past the strings") {
    put_u32(blob, 24, 0x7fffffff);  // the first type's name
    auto r = decode_btf(blob, "vmlinux");
    REQUIRE_FALSE(r);
    CHECK_THAT(r.error().message, Catch::Contains("offset 0x18: type id 1: name offset 2147483647 is past the string section"));
  }
  SECTION("type id past the last") {
    BtfBuilder b;
    b.add_ptr(99);
    auto r = decode_btf(b.bytes(), "m");
    REQUIRE_FALSE(r);
    CHECK_THAT(r.error().message, Catch::Contains("type id 1: the type refers to type id 99"));
  }
  SECTION("unknown kind") {
    put_u32(blob, 28, 0x1f000000);
    auto r = decode_btf(blob, "vmlinux");
    REQUIRE_FALSE(r);
    CHECK_THAT(r.error().message, Catch::Contains("type id 1: unknown kind 31"));
  }
  SECTION("a loop of typedefs") {
    BtfBuilder b;
    const auto self = b.add_typedef("a", 2);
    b.add_typedef("b", self);
    b.add_struct("s", 4, {{"x", self, 0}});
    auto r = table_from_btf(BtfBlob{"loop", b.bytes()}, {}, {}, std::nullopt, "loop");
    REQUIRE_FALSE(r);
    CHECK_THAT(r.error().message, Catch::Contains("loop: BTF loop: type id"));
    CHECK_THAT(r.error().message, Catch::Contains("refers to itself"));
  }
}

TEST_CASE("find_btf_blob finds a blob inside other bytes", "[btf]") {
  const auto blob = test::small_kernel_btf();
  std::vector<std::byte> image(5000, std::byte{0x9f});
  // A decoy: magic and version with a header that does not hold together.
  image[100] = std::byte{0x9f};
  image[101] = std::byte{0xeb};
  image[102] = std::byte{1};
  image[104] = std::byte{24};
  image.insert(image.begin() + 3001, blob.begin(), blob.end());
  auto found = find_btf_blob(image);
  REQUIRE(found);
  CHECK(found->data() == image.data() + 3001);
  CHECK(found->size() == blob.size());
  CHECK_FALSE(find_btf_blob(std::span<const std::byte>(image).first(3000)));
}

TEST_CASE("System.map lines become symbol addresses", "[btf]") {
  auto map = parse_system_map("ffffffff81000000 T _text\n0000000000000000 D __per_cpu_start\nffffffffc0000000 t x\t[overlay]\n", "map");
  REQUIRE(map);
  REQUIRE(map.value().size() == 3);
  CHECK(map.value()[0].name == "_text");
  CHECK(map.value()[0].address == 0xffffffff81000000);
  CHECK(map.value()[2].name == "x");
  auto bad = parse_system_map("ffffffff81000000 T _text\nnot a map line\n", "System.map");
  REQUIRE_FALSE(bad);
  CHECK_THAT(bad.error().message, Catch::Contains("System.map: line 2"));
}

}  // namespace
}  // namespace drydock
