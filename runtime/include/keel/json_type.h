#pragma once

namespace keel {

/// JSON value types as bits, as JSON Schema's `type` keyword names them.
/// `integer` is a number with no fractional part (1.0 is one). The
/// validators, the parameter decoders and keel-gen's schema IR share them.
enum JsonType : unsigned {
  type_null = 1u,
  type_boolean = 2u,
  type_object = 4u,
  type_array = 8u,
  type_number = 16u,
  type_string = 32u,
  type_integer = 64u,
};

}  // namespace keel
