#pragma once
// A kernel symbol table loaded from a Volatility 3 ISF JSON file (as dwarf2json
// writes it), held in compact immutable tables.
//
// Thread safety: a loaded SymbolTable is immutable; any number of threads may
// query it at once. Ownership: it owns all its strings; the views it returns
// live as long as the table.

#include <cstdint>
#include <filesystem>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "engine/core/result.hpp"
#include "symbols/banner_index.hpp"

namespace drydock {

class LookupRecorder;  // symbols/lookup_recorder.hpp

enum class TypeKind : std::uint8_t {
  base,      // name = base type name ("unsigned int"), size from base_types
  pointer,   // subtype = pointee
  array,     // subtype = element, count
  struct_,   // name = user type name
  union_,    // name = user type name
  enum_,     // name = enum name
  function,  // a function type (no layout)
  bitfield,  // subtype = storage type, bit_position, bit_length
  void_,     // "void" base
};

// A reference to a type as an ISF member or symbol names it.
struct TypeDesc {
  TypeKind kind = TypeKind::void_;
  std::string_view name;           // base/struct/union/enum name; empty otherwise
  std::uint32_t subtype = UINT32_MAX;  // index of the element/pointee/storage TypeDesc
  std::uint32_t count = 0;         // array element count
  std::uint8_t bit_position = 0;
  std::uint8_t bit_length = 0;
};

struct Member {
  std::string_view name;   // "unnamed_field_0" for anonymous members
  std::uint32_t offset = 0;
  std::uint32_t type = UINT32_MAX;  // TypeDesc index
  bool anonymous = false;
};

struct UserType {
  std::string_view name;
  bool is_union = false;
  std::uint32_t size = 0;
  std::span<const Member> members;  // sorted by name
};

struct BaseType {
  std::string_view name;
  std::uint32_t size = 0;
  bool is_signed = false;
};

struct Symbol {
  std::string_view name;
  std::uint64_t address = 0;          // link-time virtual address (before KASLR)
  std::uint32_t type = UINT32_MAX;    // TypeDesc index, UINT32_MAX if the ISF gives none
};

// Where a member lies once anonymous struct/union members are looked through.
struct MemberLocation {
  std::uint32_t offset = 0;          // from the start of the outer type
  std::uint32_t type = UINT32_MAX;   // TypeDesc index
};

class SymbolTable {
 public:
  // Loads an ISF file: plain JSON or .xz/.gz/.zst compressed (detected by the
  // file's magic bytes, not its name). Errors name the file and what is wrong.
  static Result<std::shared_ptr<const SymbolTable>> load(const std::filesystem::path& path);
  // The same, with every lookup added to `recorder` (see with_recorder).
  static Result<std::shared_ptr<const SymbolTable>> load(const std::filesystem::path& path,
                                                         std::shared_ptr<LookupRecorder> recorder);
  // Parses ISF JSON text; source names the origin for error messages.
  static Result<std::shared_ptr<const SymbolTable>> parse(std::string_view json, std::string source);
  // A table sharing `table`'s (immutable) data that adds every name looked up
  // to `recorder` (see lookup_recorder.hpp); `table` itself is unchanged. For
  // tools that cut samples; costs one branch per lookup when there is none.
  // A null recorder returns `table`.
  static std::shared_ptr<const SymbolTable> with_recorder(std::shared_ptr<const SymbolTable> table,
                                                          std::shared_ptr<LookupRecorder> recorder);

  const std::string& source() const;
  // The contents of the linux_banner symbol's constant_data, without the trailing
  // newline and NULs; nullopt when the ISF does not carry it.
  std::optional<std::string_view> banner() const;

  const Symbol* symbol(std::string_view name) const;
  const UserType* user_type(std::string_view name) const;
  const BaseType* base_type(std::string_view name) const;
  const TypeDesc& type_desc(std::uint32_t index) const;
  // The enum's constant by name, if both exist.
  std::optional<std::int64_t> enum_value(std::string_view enum_name, std::string_view constant) const;

  // Looks up `member` of user type `type`, descending into anonymous members.
  std::optional<MemberLocation> member(std::string_view type, std::string_view member) const;
  bool has_member(std::string_view type, std::string_view member_name) const {
    return member(type, member_name).has_value();
  }
  // Size in bytes of a TypeDesc (pointers are 8); nullopt for unsized types.
  std::optional<std::uint64_t> size_of(std::uint32_t type_desc) const;
  std::optional<std::uint64_t> size_of(std::string_view user_type_name) const;

  std::size_t symbol_count() const;
  std::size_t user_type_count() const;
  // Bytes held by the tables (for benchmarks and the README's figures).
  std::size_t memory_bytes() const;

  struct Impl;
  explicit SymbolTable(std::unique_ptr<Impl> impl);
  // The tables themselves, for the symbol cache's serializer (symbols/ only).
  const Impl& impl() const { return *impl_; }
  ~SymbolTable();
  SymbolTable(const SymbolTable&) = delete;
  SymbolTable& operator=(const SymbolTable&) = delete;

 private:
  SymbolTable(std::shared_ptr<const Impl> impl, std::shared_ptr<LookupRecorder> recorder);

  // Shared, so that with_recorder() need not copy the tables.
  std::shared_ptr<const Impl> impl_;
  std::shared_ptr<LookupRecorder> recorder_;  // null unless a tool asked
};

// Finds, among the ISF files named (files, or directories searched recursively
// for *.json, *.json.xz, *.json.gz, *.json.zst), the one whose banner equals
// `banner`. The error lists what was tried and says how to build the right ISF.
// With a cache directory, each file's banner is remembered there
// (symbols/banner_index.hpp) and the match is loaded through the symbol cache
// (symbols/symbol_cache.hpp): later runs decompress no candidate at all.
Result<std::shared_ptr<const SymbolTable>> find_symbols_for_banner(
    std::span<const std::filesystem::path> candidates, std::string_view banner,
    const std::filesystem::path& cache_dir = {});

// A digest of the ISF files the candidates name (each file's path as listed,
// size and modification time; directories searched as above): a scan's
// result made with other symbol files is not current (`scan --out-dir`).
std::string symbol_files_identity(std::span<const std::filesystem::path> candidates);

// The banners (with linux_banner's link address) that the cache directory's
// index remembers for the candidates' files, as they are now; empty without
// a cache. Lets a dump be matched by probing, before any banner scan.
std::vector<KnownBanner> known_isf_banners(std::span<const std::filesystem::path> candidates,
                                           const std::filesystem::path& cache_dir);

}  // namespace drydock
