// ISF JSON out (see isf_writer.hpp). Written by hand rather than through a
// JSON DOM: a kernel's table is ~40 MB of JSON, and the tables are already
// sorted by name.

#include "symbols/isf_writer.hpp"

#include <cstdio>

#include "engine/core/version.hpp"
#include "symbols/detail/symbol_table_impl.hpp"

namespace drydock {
namespace {

// Descriptors nest a few levels; the table's own bound is the same.
constexpr int kMaxDepth = 64;

class Writer {
 public:
  explicit Writer(const SymbolTable& table) : t_(table), impl_(table.impl()) {}

  std::string write(const std::string& version) {
    out_.reserve(impl_.members.size() * 96 + impl_.symbols.size() * 64);
    out_ += "{\n\"metadata\": {\"format\": \"6.2.0\", \"producer\": {\"name\": \"drydock\", \"version\": ";
    string(version);
    out_ += "}, \"linux\": {}},\n\"base_types\": {";
    bool first = true;
    for (const BaseType& b : impl_.base_types) {
      key(b.name, first);
      out_ += "{\"size\": " + std::to_string(b.size) + ", \"signed\": " + (b.is_signed ? "true" : "false") +
              ", \"kind\": \"" + base_kind(b.name) + "\", \"endian\": \"little\"}";
    }
    out_ += "},\n\"user_types\": {";
    first = true;
    for (const UserType& u : impl_.user_types) {
      key(u.name, first);
      out_ += "{\"kind\": \"";
      out_ += u.is_union ? "union" : "struct";
      out_ += "\", \"size\": " + std::to_string(u.size) + ", \"fields\": {";
      bool first_field = true;
      for (const Member& m : u.members) {
        key(m.name, first_field);
        out_ += "{\"type\": ";
        desc(m.type, 0);
        out_ += ", \"offset\": " + std::to_string(m.offset);
        if (m.anonymous) out_ += ", \"anonymous\": true";
        out_ += '}';
      }
      out_ += "}}";
    }
    out_ += "},\n\"enums\": {";
    first = true;
    for (const EnumType& e : impl_.enums) {
      key(e.name, first);
      out_ += "{\"size\": " + std::to_string(e.size) + ", \"base\": ";
      string(e.base.empty() ? "void" : e.base);
      out_ += ", \"constants\": {";
      const bool is_unsigned = e.base.find("unsigned") != std::string_view::npos;
      bool first_constant = true;
      for (const EnumConstant& c : e.constants) {
        key(c.name, first_constant);
        // A 64-bit unsigned enum keeps values above INT64_MAX as their bit pattern.
        out_ += is_unsigned && c.value < 0 ? std::to_string(static_cast<std::uint64_t>(c.value)) : std::to_string(c.value);
      }
      out_ += "}}";
    }
    out_ += "},\n\"symbols\": {";
    first = true;
    for (const Symbol& s : impl_.symbols) {
      key(s.name, first);
      out_ += "{\"address\": " + std::to_string(s.address);
      if (s.type != UINT32_MAX) {
        out_ += ", \"type\": ";
        desc(s.type, 0);
      }
      if (s.name == "linux_banner" && impl_.banner) {
        // The kernel's bytes: the banner, its newline and the NUL.
        out_ += ", \"constant_data\": \"" + base64(std::string(*impl_.banner) + std::string("\n\0", 2)) + '"';
      }
      out_ += '}';
    }
    out_ += "}\n}\n";
    return std::move(out_);
  }

 private:
  static const char* base_kind(std::string_view name) {
    if (name == "void") return "void";
    if (name == "_Bool" || name == "bool") return "bool";
    if (name == "float" || name == "double" || name == "long double") return "float";
    if (name.find("char") != std::string_view::npos) return "char";
    return "int";
  }

  void key(std::string_view name, bool& first) {
    if (!first) out_ += ", ";
    first = false;
    out_ += '\n';
    string(name);
    out_ += ": ";
  }

  void string(std::string_view text) {
    out_ += '"';
    for (char c : text) {
      const auto u = static_cast<unsigned char>(c);
      if (c == '"' || c == '\\') {
        out_ += '\\';
        out_ += c;
      } else if (u < 0x20) {
        char escaped[8];
        std::snprintf(escaped, sizeof escaped, "\\u%04x", u);
        out_ += escaped;
      } else {
        out_ += c;
      }
    }
    out_ += '"';
  }

  void desc(std::uint32_t index, int depth) {
    const TypeDesc& d = t_.type_desc(index);
    if (depth > kMaxDepth) {
      out_ += "{\"kind\": \"base\", \"name\": \"void\"}";
      return;
    }
    switch (d.kind) {
      case TypeKind::void_:
        out_ += "{\"kind\": \"base\", \"name\": \"void\"}";
        break;
      case TypeKind::base:
      case TypeKind::struct_:
      case TypeKind::union_:
      case TypeKind::enum_:
        out_ += "{\"kind\": \"";
        out_ += d.kind == TypeKind::base ? "base" : d.kind == TypeKind::struct_ ? "struct" : d.kind == TypeKind::union_ ? "union" : "enum";
        out_ += "\", \"name\": ";
        string(d.name);
        out_ += '}';
        break;
      case TypeKind::pointer:
        out_ += "{\"kind\": \"pointer\", \"subtype\": ";
        desc(d.subtype, depth + 1);
        out_ += '}';
        break;
      case TypeKind::array:
        out_ += "{\"kind\": \"array\", \"count\": " + std::to_string(d.count) + ", \"subtype\": ";
        desc(d.subtype, depth + 1);
        out_ += '}';
        break;
      case TypeKind::bitfield:
        out_ += "{\"kind\": \"bitfield\", \"bit_position\": " + std::to_string(d.bit_position) +
                ", \"bit_length\": " + std::to_string(d.bit_length) + ", \"type\": ";
        desc(d.subtype, depth + 1);
        out_ += '}';
        break;
      case TypeKind::function:
        out_ += "{\"kind\": \"function\"}";
        break;
    }
  }

  static std::string base64(std::string_view bytes) {
    static constexpr char kAlphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    std::string out;
    std::size_t i = 0;
    for (; i + 3 <= bytes.size(); i += 3) {
      const std::uint32_t v = (std::uint32_t{static_cast<unsigned char>(bytes[i])} << 16) |
                              (std::uint32_t{static_cast<unsigned char>(bytes[i + 1])} << 8) |
                              static_cast<unsigned char>(bytes[i + 2]);
      for (int shift : {18, 12, 6, 0}) out += kAlphabet[(v >> shift) & 63];
    }
    if (const std::size_t rest = bytes.size() - i; rest != 0) {
      std::uint32_t v = std::uint32_t{static_cast<unsigned char>(bytes[i])} << 16;
      if (rest == 2) v |= std::uint32_t{static_cast<unsigned char>(bytes[i + 1])} << 8;
      out += kAlphabet[(v >> 18) & 63];
      out += kAlphabet[(v >> 12) & 63];
      out += rest == 2 ? kAlphabet[(v >> 6) & 63] : '=';
      out += '=';
    }
    return out;
  }

  const SymbolTable& t_;
  const SymbolTable::Impl& impl_;
  std::string out_;
};

}  // namespace

std::string write_isf(const SymbolTable& table) {
  return Writer(table).write(std::string(kDrydockVersion));
}

}  // namespace drydock
