#pragma once

/// Vocabulary types of the generated models (`<namespace>::models`, see
/// docs/models.md) and their JSON conversions (nlohmann::json ADL hooks).

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <utility>
#include <variant>
#include <vector>

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

/// The conversions generated to_json/from_json call member by member:
/// plain overloads for the vocabulary types and a direct ADL call for the
/// models, instead of nlohmann's generic conversion (`json[key] = member`,
/// `get_to`), whose type traits made most of a big models.cpp's compile
/// time (bench/README.md, "Generated servers over the corpus"). from_json's
/// instance passed its validator; a mismatch still throws
/// nlohmann::json::type_error.
template <class T>
void write_json(nlohmann::json& j, const T& value);
template <class T>
void write_json(nlohmann::json& j, const std::vector<T>& value);
template <class T>
void write_json(nlohmann::json& j, const std::map<std::string, T>& value);
template <class T>
void write_json(nlohmann::json& j, const Box<T>& value);
template <class T>
void write_json(nlohmann::json& j, const Nullable<T>& value);
template <class T>
void read_json(const nlohmann::json& j, T& value);
template <class T>
void read_json(const nlohmann::json& j, std::vector<T>& value);
template <class T>
void read_json(const nlohmann::json& j, std::map<std::string, T>& value);
template <class T>
void read_json(const nlohmann::json& j, Box<T>& value);
template <class T>
void read_json(const nlohmann::json& j, Nullable<T>& value);

inline void write_json(nlohmann::json& j, const std::string& value) { j = value; }
inline void write_json(nlohmann::json& j, std::int64_t value) { j = value; }
inline void write_json(nlohmann::json& j, bool value) { j = value; }
inline void write_json(nlohmann::json& j, const nlohmann::json& value) { j = value; }
inline void write_json(nlohmann::json& j, const Number& value) { to_json(j, value); }
/// A model (struct, variant or enum): its generated to_json.
template <class T>
void write_json(nlohmann::json& j, const T& value) {
  to_json(j, value);
}
template <class T>
void write_json(nlohmann::json& j, const std::vector<T>& value) {
  j = nlohmann::json::array();
  for (const auto& item : value) write_json(j.emplace_back(), item);
}
template <class T>
void write_json(nlohmann::json& j, const std::map<std::string, T>& value) {
  j = nlohmann::json::object();
  for (const auto& [name, item] : value) write_json(j[name], item);
}
template <class T>
void write_json(nlohmann::json& j, const Box<T>& value) {
  write_json(j, *value);
}
template <class T>
void write_json(nlohmann::json& j, const Nullable<T>& value) {
  if (value) write_json(j, *value);
  else j = nullptr;
}

inline void read_json(const nlohmann::json& j, std::string& value) {
  value = j.get_ref<const std::string&>();
}
inline void read_json(const nlohmann::json& j, std::int64_t& value) { value = j.get<std::int64_t>(); }
inline void read_json(const nlohmann::json& j, bool& value) { value = j.get<bool>(); }
inline void read_json(const nlohmann::json& j, nlohmann::json& value) { value = j; }
inline void read_json(const nlohmann::json& j, Number& value) { from_json(j, value); }
/// A model (struct, variant or enum): its generated from_json.
template <class T>
void read_json(const nlohmann::json& j, T& value) {
  from_json(j, value);
}
template <class T>
void read_json(const nlohmann::json& j, std::vector<T>& value) {
  const auto& items = j.get_ref<const nlohmann::json::array_t&>();
  value.clear();
  value.reserve(items.size());
  for (const auto& item : items) {
    T element{};  // not emplace_back(): std::vector<bool> gives no bool& to read into
    read_json(item, element);
    value.push_back(std::move(element));
  }
}
template <class T>
void read_json(const nlohmann::json& j, std::map<std::string, T>& value) {
  const auto& members = j.get_ref<const nlohmann::json::object_t&>();
  value.clear();
  for (const auto& [name, item] : members) read_json(item, value[name]);
}
template <class T>
void read_json(const nlohmann::json& j, Box<T>& value) {
  read_json(j, *value);
}
template <class T>
void read_json(const nlohmann::json& j, Nullable<T>& value) {
  if (j.is_null()) value.reset();
  else read_json(j, value.emplace());
}

}  // namespace keel
