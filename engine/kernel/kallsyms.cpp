#include "engine/kernel/kallsyms.hpp"

#include <array>
#include <cstring>
#include <fmt/format.h>

namespace drydock {
namespace {

constexpr std::size_t kTokenCount = 256;
constexpr std::size_t kMaxTokenLength = 256;  // scripts/kallsyms.c builds tokens far shorter

template <typename T>
T load_le(std::span<const std::byte> bytes, std::size_t at) {
  T value{};
  std::memcpy(&value, bytes.data() + at, sizeof value);
  return value;
}

// The 256 tokens, each a view into the token table; fails if an index or a
// token runs out of the table.
Result<std::array<std::string_view, kTokenCount>> read_tokens(std::span<const std::byte> token_table,
                                                             std::span<const std::byte> token_index) {
  if (token_index.size() < kTokenCount * 2) {
    return Error::of(fmt::format("kallsyms_token_index: {} bytes, 512 needed", token_index.size()));
  }
  std::array<std::string_view, kTokenCount> tokens;
  const char* table = reinterpret_cast<const char*>(token_table.data());
  for (std::size_t i = 0; i < kTokenCount; ++i) {
    const std::size_t offset = load_le<std::uint16_t>(token_index, i * 2);
    if (offset >= token_table.size()) {
      return Error::of(fmt::format("kallsyms_token_index[{}] = {} lies past the token table ({} bytes)", i, offset,
                                   token_table.size()));
    }
    const std::size_t room = std::min(token_table.size() - offset, kMaxTokenLength + 1);
    const void* nul = std::memchr(table + offset, 0, room);
    if (!nul) return Error::of(fmt::format("kallsyms token {} at offset {} is not NUL-terminated", i, offset));
    tokens[i] = std::string_view(table + offset, static_cast<std::size_t>(static_cast<const char*>(nul) - (table + offset)));
  }
  return tokens;
}

}  // namespace

std::string_view to_string(KallsymsAddressing addressing) {
  switch (addressing) {
    case KallsymsAddressing::absolute: return "absolute addresses";
    case KallsymsAddressing::relative_base: return "offsets from kallsyms_relative_base";
    case KallsymsAddressing::relative_base_percpu: return "offsets from kallsyms_relative_base, absolute per-CPU";
    case KallsymsAddressing::self_relative: return "offsets from their own location";
  }
  return "?";
}

Result<std::vector<KallsymsName>> decode_kallsyms_names(std::span<const std::byte> names,
                                                        std::span<const std::byte> token_table,
                                                        std::span<const std::byte> token_index,
                                                        std::uint64_t num_syms, KallsymsNameLength length,
                                                        std::size_t* names_size) {
  if (num_syms == 0 || num_syms > kMaxKallsymsSymbols) {
    return Error::of(fmt::format("kallsyms_num_syms = {} (expected 1 to {})", num_syms, kMaxKallsymsSymbols));
  }
  // Every name takes at least two bytes: do not reserve for a count the names cannot hold.
  if (num_syms > names.size() / 2) {
    return Error::of(fmt::format("kallsyms_num_syms = {} does not fit in {} bytes of names", num_syms, names.size()));
  }
  auto tokens = read_tokens(token_table, token_index);
  if (!tokens) return tokens.error();
  std::vector<KallsymsName> out;
  out.reserve(static_cast<std::size_t>(num_syms));
  std::size_t at = 0;
  std::string expanded;
  for (std::uint64_t i = 0; i < num_syms; ++i) {
    if (at >= names.size()) return Error::of(fmt::format("kallsyms_names: symbol {} starts past the table", i));
    std::size_t count = std::to_integer<std::size_t>(names[at++]);
    if (length == KallsymsNameLength::two_byte && (count & 0x80)) {
      if (at >= names.size()) return Error::of(fmt::format("kallsyms_names: symbol {}: length cut short", i));
      count = (count & 0x7f) | (std::to_integer<std::size_t>(names[at++]) << 7);
    }
    if (count == 0 || count > names.size() - at) {
      return Error::of(fmt::format("kallsyms_names: symbol {} at byte {}: length {} is empty or runs past the table",
                                   i, at, count));
    }
    expanded.clear();
    for (std::size_t k = 0; k < count; ++k) {
      expanded += (*tokens)[std::to_integer<std::size_t>(names[at + k])];
      if (expanded.size() > kMaxKallsymsName + 1) {
        return Error::of(fmt::format("kallsyms_names: symbol {} expands past {} characters", i, kMaxKallsymsName));
      }
    }
    at += count;
    if (expanded.size() < 2) return Error::of(fmt::format("kallsyms_names: symbol {} has no name", i));
    out.push_back(KallsymsName{expanded.front(), expanded.substr(1)});
  }
  if (names_size) *names_size = at;
  return out;
}

std::optional<std::uint64_t> kallsyms_address(const KallsymsTables& tables, KallsymsAddressing addressing,
                                              std::uint64_t index) {
  const std::span<const std::byte> a = tables.addresses;
  if (addressing == KallsymsAddressing::absolute) {
    if (index >= a.size() / 8) return std::nullopt;
    return load_le<std::uint64_t>(a, static_cast<std::size_t>(index) * 8);
  }
  if (index >= a.size() / 4) return std::nullopt;
  const std::int32_t offset = load_le<std::int32_t>(a, static_cast<std::size_t>(index) * 4);
  switch (addressing) {
    case KallsymsAddressing::relative_base:
      if (!tables.relative_base) return std::nullopt;
      return *tables.relative_base + static_cast<std::uint32_t>(offset);
    case KallsymsAddressing::relative_base_percpu:
      if (!tables.relative_base) return std::nullopt;
      if (offset >= 0) return static_cast<std::uint64_t>(offset);
      return *tables.relative_base - 1 - static_cast<std::uint64_t>(static_cast<std::int64_t>(offset));
    case KallsymsAddressing::self_relative:
      return tables.addresses_at + index * 4 + static_cast<std::uint64_t>(static_cast<std::int64_t>(offset));
    case KallsymsAddressing::absolute: break;
  }
  return std::nullopt;
}

Result<Kallsyms> decode_kallsyms(const KallsymsTables& tables, std::span<const KnownAddress> known) {
  constexpr std::array kLengths{KallsymsNameLength::two_byte, KallsymsNameLength::one_byte};
  constexpr std::array kAddressings{KallsymsAddressing::relative_base_percpu, KallsymsAddressing::relative_base,
                                    KallsymsAddressing::self_relative, KallsymsAddressing::absolute};
  std::vector<std::string> tried;
  for (KallsymsNameLength length : kLengths) {
    std::size_t names_size = 0;
    auto names = decode_kallsyms_names(tables.names, tables.token_table, tables.token_index, tables.num_syms, length,
                                       &names_size);
    const std::string_view length_name = length == KallsymsNameLength::two_byte ? "two-byte" : "one-byte";
    if (!names) {
      tried.push_back(fmt::format("{} name lengths: {}", length_name, names.error().message));
      continue;
    }
    // The indexes of the known symbols in this decoding.
    std::vector<std::pair<std::uint64_t, std::uint64_t>> checks;  // index, address
    for (std::uint64_t i = 0; i < names->size(); ++i) {
      for (const KnownAddress& k : known) {
        if ((*names)[i].name == k.name) checks.emplace_back(i, k.address);
      }
    }
    if (checks.empty()) {
      tried.push_back(fmt::format("{} name lengths: none of the known symbols is named", length_name));
      continue;
    }
    for (KallsymsAddressing addressing : kAddressings) {
      bool all = true;
      for (auto [index, address] : checks) {
        if (kallsyms_address(tables, addressing, index) != address) all = false;
      }
      if (!all) {
        tried.push_back(fmt::format("{} name lengths, {}: known addresses differ", length_name, to_string(addressing)));
        continue;
      }
      Kallsyms out;
      out.name_length = length;
      out.addressing = addressing;
      out.names_size = names_size;
      out.symbols.reserve(names->size());
      for (std::uint64_t i = 0; i < names->size(); ++i) {
        auto address = kallsyms_address(tables, addressing, i);
        if (!address) {
          return Error::of(fmt::format("kallsyms: the address array holds fewer than {} entries", tables.num_syms));
        }
        out.symbols.push_back(KallsymsSymbol{std::move((*names)[i].name), (*names)[i].type, *address});
      }
      return out;
    }
  }
  std::string what;
  for (const std::string& t : tried) what += "\n  " + t;
  return Error::of("kallsyms: no format reproduces the known addresses; tried:" + what);
}

}  // namespace drydock
