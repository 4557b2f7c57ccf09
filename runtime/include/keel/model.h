#pragma once

/// Vocabulary types of the generated models (`<namespace>::models`, see
/// docs/models.md) and their JSON conversions (nlohmann::json ADL hooks).

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <utility>
#include <variant>

namespace keel {

/// A value on the heap with value semantics (copies deep-copy): how a
/// model refers to a type it is part of (recursive schemas). Always holds a
/// value; T may be incomplete where Box<T> is declared.
template <class T>
class Box {
public:
  Box() : p_(new T()) {}
  Box(T value) : p_(new T(std::move(value))) {}  // NOLINT: implicit, like the T it holds
  Box(const Box& o) : p_(new T(*o.p_)) {}
  Box(Box&& o) noexcept : p_(o.p_) { o.p_ = nullptr; }
  Box& operator=(const Box& o) {
    if (this != &o) *this = Box(o);
    return *this;
  }
  Box& operator=(Box&& o) noexcept {
    std::swap(p_, o.p_);
    return *this;
  }
  ~Box() { delete p_; }

  /// A moved-from Box holds nothing until it is assigned to.
  T& operator*() { return *p_; }
  const T& operator*() const { return *p_; }
  T* operator->() { return p_; }
  const T* operator->() const { return p_; }

private:
  T* p_;
};

/// A JSON Schema value that may be `null` (`type: [T, "null"]`): null is
/// the empty state. Distinct from std::optional, which means "absent", so
/// an optional nullable member is std::optional<Nullable<T>>.
template <class T>
class Nullable : public std::optional<T> {
public:
  using std::optional<T>::optional;
  Nullable(std::nullptr_t) {}  // NOLINT: `member = nullptr` reads as JSON null
  bool is_null() const { return !this->has_value(); }
};

/// A JSON `number` that remembers whether it was written as an integer, so
/// `3` and `3.0` both convert back as written. Reads as a double.
class Number {
public:
  Number() = default;
  Number(double d) : value_(d) {}         // NOLINT: implicit, a number is a number
  Number(std::int64_t i) : value_(i) {}   // NOLINT
  Number(std::uint64_t u) : value_(u) {}  // NOLINT
  Number(int i) : value_(std::int64_t{i}) {}  // NOLINT

  operator double() const { return as_double(); }  // NOLINT
  double as_double() const {
    return std::visit([](auto v) { return static_cast<double>(v); }, value_);
  }
  bool is_integer() const { return !std::holds_alternative<double>(value_); }
  const std::variant<std::int64_t, std::uint64_t, double>& value() const { return value_; }

private:
  std::variant<std::int64_t, std::uint64_t, double> value_ = std::int64_t{0};
};

template <class T>
void to_json(nlohmann::json& j, const Box<T>& box) {
  j = *box;
}
template <class T>
void from_json(const nlohmann::json& j, Box<T>& box) {
  j.get_to(*box);
}

template <class T>
void to_json(nlohmann::json& j, const Nullable<T>& value) {
  if (value) j = *value;
  else j = nullptr;
}
template <class T>
void from_json(const nlohmann::json& j, Nullable<T>& value) {
  if (j.is_null()) {
    value.reset();
  } else {
    value.emplace();
    j.get_to(*value);
  }
}

inline void to_json(nlohmann::json& j, const Number& n) {
  std::visit([&](auto v) { j = v; }, n.value());
}
inline void from_json(const nlohmann::json& j, Number& n) {
  if (j.is_number_unsigned()) n = j.get<std::uint64_t>();
  else if (j.is_number_integer()) n = j.get<std::int64_t>();
  else n = j.get<double>();
}

}  // namespace keel
