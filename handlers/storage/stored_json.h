#pragma once

// Model values the store keeps as JSON text (a dataset's columns, its
// profile) and enum values it keeps as their wire names. Conversions go
// through the models' own to_json / from_json / from_string, so the stored
// text is the API's JSON. A stored value that does not convert is a storage
// fault: keel::internal_error() (500), never a parse message.

#include <keel/error.h>

#include <nlohmann/json.hpp>

#include <exception>
#include <string>
#include <string_view>

namespace keel::reference {

template <class Model>
std::string to_stored_json(const Model& model) {
  return nlohmann::json(model).dump();
}

template <class Model>
Model from_stored_json(std::string_view text) {
  try {
    return nlohmann::json::parse(text).get<Model>();
  } catch (const std::exception&) {
    throw keel::internal_error();
  }
}

/// A models:: enum from its stored wire name.
template <class Enum>
Enum stored_enum(std::string_view text) {
  Enum value{};
  if (!from_string(text, value)) throw keel::internal_error();
  return value;
}

} // namespace keel::reference
