#pragma once

#include "diagnostic.h"

#include <string>
#include <string_view>
#include <vector>

namespace keel::gen::spec {

/// One node of a loaded YAML or JSON document. Immutable after loading, so
/// pointers to nodes stay valid for the life of the Workspace that owns them.
/// Only generator/spec/ sees yaml-cpp; everything else reads these.
struct Node {
  enum class Kind { null, scalar, sequence, mapping };

  Kind kind = Kind::null;
  /// Scalar text as written (for JSON input: the literal's text).
  std::string scalar;
  /// True when the scalar was quoted, i.e. is a string whatever it looks like.
  bool quoted = false;
  Location location;
  std::string pointer;  ///< JSON pointer of this node within its file

  std::vector<std::string> keys;     ///< mapping keys, in document order
  std::vector<Location> key_locations;
  std::vector<Node> children;  ///< mapping values (parallel to keys) or sequence items

  bool is_map() const { return kind == Kind::mapping; }
  bool is_seq() const { return kind == Kind::sequence; }
  bool is_scalar() const { return kind == Kind::scalar; }
  bool is_null() const { return kind == Kind::null; }

  /// Mapping value for `key`, or nullptr (also when not a mapping).
  const Node* get(std::string_view key) const;
  /// The child a JSON-pointer reference token names: a mapping key, or a
  /// sequence index written canonically (no sign, no leading zero).
  const Node* child_at(std::string_view token) const;
  /// Scalar text of mapping value `key`, or `fallback` when absent/not scalar.
  std::string get_string(std::string_view key, std::string_view fallback = "") const;
  /// A YAML 1.2 core-schema boolean (`true`/`false`, unquoted).
  bool is_bool() const;
  bool as_bool() const { return scalar == "true"; }
  /// An unquoted scalar that reads as a JSON number.
  bool is_number() const;
  /// Plain string: scalar that is quoted, or unquoted and neither bool, null nor number.
  bool is_string() const;
};

}  // namespace keel::gen::spec
