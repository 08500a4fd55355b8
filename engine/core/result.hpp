#pragma once
// Errors as values. A Result<T> holds either a T or an Error; library code
// returns it instead of throwing, and every Error says where things went wrong
// (a file and offset, a virtual address and paging level, a symbol name...).

#include <string>
#include <utility>
#include <variant>

namespace drydock {

struct Error {
  std::string message;  // one line, names the place: "memory.lime: offset 0x20: ..."

  static Error of(std::string text) { return Error{std::move(text)}; }
};

template <typename T>
class [[nodiscard]] Result {
 public:
  Result(T value) : state_(std::move(value)) {}         // NOLINT: implicit by design
  Result(Error error) : state_(std::move(error)) {}     // NOLINT: implicit by design

  bool ok() const { return std::holds_alternative<T>(state_); }
  explicit operator bool() const { return ok(); }

  // Precondition: ok().
  T& value() & { return std::get<T>(state_); }
  const T& value() const& { return std::get<T>(state_); }
  T&& value() && { return std::get<T>(std::move(state_)); }
  T* operator->() { return &value(); }
  const T* operator->() const { return &value(); }
  T& operator*() & { return value(); }
  const T& operator*() const& { return value(); }

  // Precondition: !ok().
  const Error& error() const { return std::get<Error>(state_); }

 private:
  std::variant<T, Error> state_;
};

// For operations that produce nothing but may fail.
struct Ok {};
using Status = Result<Ok>;

}  // namespace drydock
