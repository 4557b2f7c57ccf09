#pragma once

// The model IR: one C++ type per schema that needs one (structs, enums,
// variants, aliases), computed from the schema IR (ir/schema.h) by
// build_models(); read by the model emitter. docs/models.md has the mapping.

#include "ir/schema.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace keel::gen::ir {

/// A C++ type expression.
struct TypeRef {
  enum class Kind { json, boolean, integer, number, string, named, array, map, nullable };
  Kind kind = Kind::json;
  std::uint32_t named = 0;  ///< Kind::named: index into Models::types
  /// Kind::named: held through keel::Box, because the type is (by value)
  /// part of itself.
  bool boxed = false;
  std::vector<TypeRef> args;  ///< array, map (values), nullable: one element type
};

struct ModelField {
  std::string json_name;  ///< property name as on the wire
  std::string member;     ///< C++ member name, from the naming helper
  TypeRef type;           ///< without the std::optional of a non-required member
  bool required = false;
  /// `const` of a required member: its initial value.
  std::optional<Value> const_;
  /// `default` of a non-required scalar or enum member, served by the
  /// accessor `default_accessor` (the member stays absent: round trips are exact).
  std::optional<Value> default_;
  std::string default_accessor;
};

/// Properties not declared in `properties`, when the schema allows them.
enum class ExtraProperties {
  none,   ///< additionalProperties: false
  keep,   ///< kept as JSON values (the default: they round-trip)
  typed,  ///< additionalProperties: <schema>
};

struct EnumValue {
  std::string value;       ///< as on the wire
  std::string enumerator;  ///< C++ name
};

struct Alternative {
  TypeRef type;
  /// Index into SchemaSet::roots of the branch's validator (dispatch by validation).
  std::uint32_t validator = 0;
};

enum class ModelKind { struct_, enum_, variant, alias };

struct ModelType {
  ModelKind kind = ModelKind::struct_;
  std::string name;      ///< C++ type name, unique in <namespace>::models
  std::string location;  ///< schema location, for the doc comment
  // struct_
  std::vector<ModelField> fields;
  ExtraProperties extra = ExtraProperties::none;
  TypeRef extra_type;  ///< typed: the value type
  std::string extra_member;
  // enum_
  std::vector<EnumValue> values;
  // variant: `oneOf`/`anyOf` branches in spec order (null branches make the
  // variant nullable instead)
  std::vector<Alternative> alternatives;
  std::string discriminator;  ///< propertyName; empty: dispatch by validation only
  std::vector<DiscriminatorValue> mapping;  ///< branch = index into alternatives
  // alias
  TypeRef target;
};

struct Models {
  std::vector<ModelType> types;  ///< in creation order (names claimed in this order)
  /// Definition order of the structs and variants: a type after everything
  /// it holds by value (Box breaks the cycles).
  std::vector<std::uint32_t> order;
  /// Per SchemaSet root (those registered before build_models): the C++
  /// type of its instances.
  std::vector<TypeRef> roots;
};

/// Models for every root of `set`. Appends to `set.roots` the validators a
/// variant without (or beyond) a discriminator dispatches by.
Models build_models(SchemaSet& set);

}  // namespace keel::gen::ir
