#pragma once

// The schema IR: every (sub)schema a validator needs, flattened into one
// vector and linked by index. References are edges, never copies, so
// recursive schemas stay finite and a `$ref` becomes a call. Plain structs,
// nothing of YAML; built by ir/schema_build.h, read by the validator emitter.

#include "spec/diagnostic.h"

#include <keel/json_type.h>

#include <cstdint>
#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace keel::gen::ir {

using SchemaId = std::uint32_t;
inline constexpr SchemaId no_schema = 0xFFFFFFFFu;

/// Bits of `type`, as the runtime names them (keel/json_type.h).
using SchemaType = keel::JsonType;
inline constexpr unsigned type_all = 127u;

/// A number from the schema, exact where 64 bits allow.
struct Number {
  enum class Kind { int64, uint64, real };
  std::string text;  ///< as written
  Kind kind = Kind::int64;
  std::int64_t i = 0;
  std::uint64_t u = 0;
  double d = 0;  ///< always set (may be infinite for huge literals)
  /// mantissa * 10^exponent, exactly; mantissa 0 when it does not fit 64 bits.
  std::uint64_t mantissa = 0;
  std::int32_t exponent = 0;
};

/// A JSON value from the schema (`const`, `enum`).
struct Value {
  enum class Kind { null, boolean, number, string, array, object };
  Kind kind = Kind::null;
  bool boolean = false;
  Number number;
  std::string string;
  std::string json;  ///< compact JSON text; numbers as written
};

struct NamedSchema {
  std::string name;
  SchemaId schema = no_schema;
};

struct PatternSchema {
  std::string pattern;
  SchemaId schema = no_schema;
};

struct DependentRequired {
  std::string name;
  std::vector<std::string> required;
};

/// One discriminator value and the branch it selects (an index into the
/// schema's `oneOf`, or `anyOf` when it has no `oneOf`).
struct DiscriminatorValue {
  std::string value;
  std::size_t branch = 0;
};

/// OpenAPI `discriminator` next to `oneOf`/`anyOf`. It never changes the
/// outcome: when the combinator fails, it picks the branch whose errors are
/// reported.
struct Discriminator {
  std::string property;  ///< `propertyName`
  bool one_of = true;    ///< the branches are `oneOf` (else `anyOf`)
  /// Explicit `mapping` entries first (spec order), then implicit component names.
  std::vector<DiscriminatorValue> values;
};

struct Schema {
  std::string location;  ///< "#/properties/a" (main document) or "<uri>#/..."
  Location source;
  std::uint32_t resource = 0;  ///< index into SchemaSet::resources
  /// `true` / `false` schemas; nullopt for object schemas.
  std::optional<bool> always;

  // core
  SchemaId ref = no_schema;
  /// `$dynamicRef`: the static target, and the anchor name when it is dynamic.
  SchemaId dynamic_ref = no_schema;
  std::string dynamic_anchor;  ///< empty: behaves as `$ref`

  // applicators
  std::vector<SchemaId> all_of, any_of, one_of;
  SchemaId not_ = no_schema, if_ = no_schema, then_ = no_schema, else_ = no_schema;
  std::vector<NamedSchema> dependent_schemas;
  std::vector<SchemaId> prefix_items;
  SchemaId items = no_schema;  ///< items after prefix_items
  SchemaId contains = no_schema;
  std::vector<NamedSchema> properties;
  std::vector<PatternSchema> pattern_properties;
  SchemaId additional_properties = no_schema;
  SchemaId property_names = no_schema;
  SchemaId unevaluated_items = no_schema;
  SchemaId unevaluated_properties = no_schema;

  // validation
  std::optional<unsigned> type;  ///< SchemaType bits
  std::optional<Value> const_;
  /// `default` (an annotation: the validators ignore it; the models use it).
  std::optional<Value> default_;
  std::optional<std::vector<Value>> enum_;
  std::optional<Number> multiple_of, maximum, minimum, exclusive_maximum, exclusive_minimum;
  std::optional<std::uint64_t> max_length, min_length;
  std::optional<std::string> pattern;
  std::optional<std::uint64_t> max_items, min_items, max_contains, min_contains;
  bool unique_items = false;
  std::optional<std::uint64_t> max_properties, min_properties;
  std::vector<std::string> required;
  std::vector<DependentRequired> dependent_required;
  /// `format` when it asserts (annotation-only formats are not kept).
  std::optional<std::string> format;

  // OpenAPI dialect
  /// `readOnly: true` / `writeOnly: true`: the value is rejected where this
  /// schema applies in a request / response (keel::schema::Options::direction).
  bool read_only = false, write_only = false;
  std::optional<Discriminator> discriminator;
};

struct SchemaResourceInfo {
  std::string uri;
  /// `$dynamicAnchor`s of the resource that the validators can reach.
  std::vector<NamedSchema> dynamic_anchors;
};

/// A schema the emitter exposes as `validate_<Name>`.
struct SchemaRoot {
  std::string name;  ///< as in the spec (component name, file stem)
  SchemaId schema = no_schema;
};

struct SchemaSet {
  std::vector<Schema> schemas;
  std::vector<SchemaResourceInfo> resources;
  std::vector<SchemaRoot> roots;  ///< in registration order
  /// True when some `$dynamicRef` is dynamic: validators then track the
  /// dynamic scope (otherwise they pay nothing for it).
  bool dynamic_scope = false;
  std::string source;  ///< file name for generated headers (no directories)
};

/// A schema that is nothing but `$ref` (an OpenAPI property pointing at a
/// component, a single anyOf branch...): its callers can call the target.
inline bool only_ref(const Schema& s) {
  return s.ref != no_schema && !s.always && s.dynamic_ref == no_schema && s.all_of.empty() &&
         s.any_of.empty() && s.one_of.empty() && s.not_ == no_schema && s.if_ == no_schema &&
         s.dependent_schemas.empty() && s.prefix_items.empty() && s.items == no_schema &&
         s.contains == no_schema && s.properties.empty() && s.pattern_properties.empty() &&
         s.additional_properties == no_schema && s.property_names == no_schema &&
         s.unevaluated_items == no_schema && s.unevaluated_properties == no_schema && !s.type &&
         !s.const_ && !s.enum_ && !s.multiple_of && !s.maximum && !s.minimum &&
         !s.exclusive_maximum && !s.exclusive_minimum && !s.max_length && !s.min_length &&
         !s.pattern && !s.max_items && !s.min_items && !s.max_contains && !s.min_contains &&
         !s.unique_items && !s.max_properties && !s.min_properties && s.required.empty() &&
         s.dependent_required.empty() && !s.format && !s.read_only && !s.write_only;
}

}  // namespace keel::gen::ir
