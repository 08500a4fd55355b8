#include "symbols/symbol_table.hpp"

#include <catch2/catch.hpp>

#include "symbols/isf_fixtures.hpp"

namespace drydock {
namespace {

std::shared_ptr<const SymbolTable> small_table() {
  auto table = SymbolTable::parse(test::kSmallIsf, "small.json");
  INFO((table ? std::string() : table.error().message));
  REQUIRE(table.ok());
  return *table;
}

TEST_CASE("banner is linux_banner's constant data without trailing newline and NULs") {
  auto table = small_table();
  REQUIRE(table->banner().has_value());
  CHECK(*table->banner() == test::kSmallIsfBanner);
  CHECK(table->source() == "small.json");
}

TEST_CASE("symbols carry address and type, or no type") {
  auto table = small_table();
  CHECK(table->symbol_count() == 3);
  const Symbol* init_task = table->symbol("init_task");
  REQUIRE(init_task);
  CHECK(init_task->address == 18446744071606217280ULL);
  const TypeDesc& type = table->type_desc(init_task->type);
  CHECK(type.kind == TypeKind::struct_);
  CHECK(type.name == "task");

  const Symbol* text = table->symbol("_text");
  REQUIRE(text);
  CHECK(text->type == UINT32_MAX);
  CHECK(table->type_desc(text->type).kind == TypeKind::void_);
  CHECK(table->symbol("no_such_symbol") == nullptr);
}

TEST_CASE("base types have size and signedness") {
  auto table = small_table();
  const BaseType* u32 = table->base_type("unsigned int");
  REQUIRE(u32);
  CHECK(u32->size == 4);
  CHECK_FALSE(u32->is_signed);
  CHECK(table->base_type("int")->is_signed);
  CHECK(table->base_type("float") == nullptr);
}

TEST_CASE("an array member has element type and count, and its size is count times element") {
  auto table = small_table();
  auto comm = table->member("task", "comm");
  REQUIRE(comm);
  CHECK(comm->offset == 4);
  const TypeDesc& array = table->type_desc(comm->type);
  CHECK(array.kind == TypeKind::array);
  CHECK(array.count == 16);
  CHECK(table->type_desc(array.subtype).kind == TypeKind::base);
  CHECK(table->type_desc(array.subtype).name == "char");
  CHECK(table->size_of(comm->type) == 16);
}

TEST_CASE("a bitfield has position, length and storage type") {
  auto table = small_table();
  auto flags = table->member("task", "flags");
  REQUIRE(flags);
  const TypeDesc& bits = table->type_desc(flags->type);
  CHECK(bits.kind == TypeKind::bitfield);
  CHECK(bits.bit_position == 3);
  CHECK(bits.bit_length == 5);
  CHECK(table->type_desc(bits.subtype).name == "unsigned int");
  CHECK(table->size_of(flags->type) == 4);
}

TEST_CASE("pointers are 8 bytes, also to functions, void and undefined structs") {
  auto table = small_table();
  for (const char* name : {"handler", "files"}) {
    auto member = table->member("task", name);
    REQUIRE(member);
    CHECK(table->type_desc(member->type).kind == TypeKind::pointer);
    CHECK(table->size_of(member->type) == 8);
  }
  auto handler = table->member("task", "handler");
  const TypeDesc& function = table->type_desc(table->type_desc(handler->type).subtype);
  CHECK(function.kind == TypeKind::function);
  CHECK_FALSE(table->size_of(table->type_desc(handler->type).subtype).has_value());

  auto files = table->member("task", "files");
  std::uint32_t opaque = table->type_desc(files->type).subtype;
  CHECK(table->type_desc(opaque).name == "opaque_files");
  CHECK_FALSE(table->size_of(opaque).has_value());

  auto b = table->member("unnamed_s2", "b");
  REQUIRE(b);
  CHECK(table->type_desc(table->type_desc(b->type).subtype).kind == TypeKind::void_);
}

TEST_CASE("member looks through nested anonymous union and struct, adding offsets") {
  auto table = small_table();
  auto tasks = table->member("task", "tasks");  // task -> anonymous union at 32
  REQUIRE(tasks);
  CHECK(tasks->offset == 32);
  CHECK(table->type_desc(tasks->type).name == "list_head");

  auto b = table->member("task", "b");  // task -> union at 32 -> struct at 0 -> b at 8
  REQUIRE(b);
  CHECK(b->offset == 40);

  auto anonymous = table->member("task", "unnamed_field_0");
  REQUIRE(anonymous);
  CHECK(anonymous->offset == 32);

  CHECK(table->has_member("task", "a"));
  CHECK_FALSE(table->has_member("task", "nope"));
  CHECK_FALSE(table->has_member("no_such_type", "pid"));
}

TEST_CASE("user types know their kind, size and name-sorted members") {
  auto table = small_table();
  CHECK(table->user_type_count() == 4);
  const UserType* task = table->user_type("task");
  REQUIRE(task);
  CHECK_FALSE(task->is_union);
  CHECK(task->size == 64);
  REQUIRE(task->members.size() == 7);
  for (std::size_t i = 1; i < task->members.size(); ++i) {
    CHECK(task->members[i - 1].name < task->members[i].name);
  }
  CHECK(table->user_type("unnamed_u1")->is_union);
  CHECK(table->size_of("task") == 64);
  CHECK_FALSE(table->size_of("no_such_type").has_value());
}

TEST_CASE("enum constants are found by enum and name, and size_of an enum is its size") {
  auto table = small_table();
  CHECK(table->enum_value("task_state", "DEAD") == 64);
  CHECK(table->enum_value("task_state", "RUNNING") == 0);
  CHECK_FALSE(table->enum_value("task_state", "ZOMBIE").has_value());
  CHECK_FALSE(table->enum_value("no_enum", "DEAD").has_value());
  CHECK(table->enum_value("wide", "ALL") == -1);  // UINT64_MAX keeps its bits
  CHECK(table->enum_value("wide", "MINUS_TWO") == -2);
  auto state = table->member("task", "state");
  REQUIRE(state);
  CHECK(table->size_of(state->type) == 4);
}

TEST_CASE("identical type descriptors are stored once") {
  auto table = small_table();
  auto next = table->member("list_head", "next");
  auto prev = table->member("list_head", "prev");
  REQUIRE(next);
  REQUIRE(prev);
  CHECK(next->type == prev->type);
  CHECK(table->memory_bytes() > 0);
}

TEST_CASE("an invalid descriptor index reads as void and has no size") {
  auto table = small_table();
  CHECK(table->type_desc(123456).kind == TypeKind::void_);
  CHECK_FALSE(table->size_of(std::uint32_t{123456}).has_value());
}

TEST_CASE("an ISF without linux_banner has no banner") {
  auto table = SymbolTable::parse(test::isf_with_user_types(""), "isf.json");
  REQUIRE(table.ok());
  CHECK_FALSE(table.value()->banner().has_value());
}

}  // namespace
}  // namespace drydock
