#pragma once
// Reads the kernel's virtual address space of a located kernel: symbols at
// their runtime (KASLR-shifted) addresses, values, strings and whole structs.
// Every read says whether it succeeded; nothing is invented for a hole.
//
// Thread safety: immutable but for its memory budget (a thread-safe counter);
// read from any number of threads.
// Lifetime: references the PhysicalMemory, which must outlive it.

#include <array>
#include <cstdint>
#include <cstring>
#include <memory>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <vector>

#include "engine/core/memory_budget.hpp"
#include "engine/dump/physical_memory.hpp"
#include "engine/kernel/kernel_layout.hpp"
#include "engine/kernel/kernel_locator.hpp"
#include "engine/paging/x86_64_translator.hpp"
#include "symbols/symbol_table.hpp"

namespace drydock {

class KernelMemory {
 public:
  // `budget` takes what the walkers store (see memory_budget.hpp); by
  // default there is no limit.
  KernelMemory(const PhysicalMemory& memory, std::shared_ptr<const SymbolTable> symbols, KernelLocation location,
               std::shared_ptr<MemoryBudget> budget = std::make_shared<MemoryBudget>())
      : memory_(&memory),
        symbols_(std::move(symbols)),
        location_(std::move(location)),
        mmu_(memory, location_.dtb, location_.mode),
        budget_(std::move(budget)),
        layout_(std::make_shared<const KernelLayout>(resolve_kernel_layout(*symbols_))) {}

  const SymbolTable& symbols() const { return *symbols_; }
  const std::shared_ptr<const SymbolTable>& symbols_ptr() const { return symbols_; }
  const KernelLocation& location() const { return location_; }
  // The structure layout of this symbol table, shared by every walker.
  const KernelLayout& layout() const { return *layout_; }
  const X86Translator& mmu() const { return mmu_; }
  const PhysicalMemory& physical() const { return *memory_; }
  // The dump's memory budget: shared by every walker, thread-safe.
  MemoryBudget& budget() const { return *budget_; }

  // Runtime virtual address of a kernel symbol.
  std::optional<std::uint64_t> symbol_address(std::string_view name) const {
    const Symbol* s = symbols_->symbol(name);
    if (!s) return std::nullopt;
    return s->address + location_.virtual_shift;
  }

  bool read(std::uint64_t address, std::span<std::byte> out) const { return mmu_.read(address, out); }

  template <typename T>
  std::optional<T> read_value(std::uint64_t address) const {
    static_assert(std::is_trivially_copyable_v<T>);
    std::array<std::byte, sizeof(T)> raw{};
    if (!read(address, raw)) return std::nullopt;
    T value;
    std::memcpy(&value, raw.data(), sizeof(T));
    return value;
  }
  std::optional<std::uint64_t> read_pointer(std::uint64_t address) const { return read_value<std::uint64_t>(address); }

  // A struct member's value: the T at base + offset. nullopt when the offset
  // is unknown (the member is absent from this kernel's ISF), base is NULL,
  // or the bytes are unreadable.
  template <typename T>
  std::optional<T> read_member(std::uint64_t base, std::optional<std::uint32_t> offset) const {
    if (!offset || base == 0) return std::nullopt;
    return read_value<T>(base + *offset);
  }

  // A NUL-terminated string of at most max_bytes (the bound is the cut; a
  // string without a terminator within it is returned cut). nullopt when the
  // first byte is unreadable.
  std::optional<std::string> read_string(std::uint64_t address, std::size_t max_bytes) const;

  // The bytes of a struct of the named type (size from the ISF); nullopt if
  // the type is unknown or any byte is unreadable.
  std::optional<std::vector<std::byte>> read_struct(std::uint64_t address, std::string_view type) const;

 private:
  const PhysicalMemory* memory_;
  std::shared_ptr<const SymbolTable> symbols_;
  KernelLocation location_;
  X86Translator mmu_;
  std::shared_ptr<MemoryBudget> budget_;
  std::shared_ptr<const KernelLayout> layout_;
};

// A struct read out of the dump in one piece, with its fields taken by offset.
class StructBytes {
 public:
  StructBytes() = default;
  StructBytes(std::uint64_t address, std::vector<std::byte> bytes) : address_(address), bytes_(std::move(bytes)) {}

  std::uint64_t address() const { return address_; }
  std::size_t size() const { return bytes_.size(); }

  // The value at `offset`; nullopt when the offset is unknown or out of bounds.
  template <typename T>
  std::optional<T> get(std::optional<std::uint32_t> offset) const {
    static_assert(std::is_trivially_copyable_v<T>);
    if (!offset || *offset + sizeof(T) > bytes_.size()) return std::nullopt;
    T value;
    std::memcpy(&value, bytes_.data() + *offset, sizeof(T));
    return value;
  }
  // A char array field as a string, cut at the first NUL.
  std::string chars(std::uint32_t offset, std::size_t length) const;
  std::span<const std::byte> bytes() const { return bytes_; }

 private:
  std::uint64_t address_ = 0;
  std::vector<std::byte> bytes_;
};

}  // namespace drydock
