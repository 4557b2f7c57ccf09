#pragma once

// The intermediate representation: plain structs, in spec order, holding
// everything the emitters need and nothing of YAML. Built once by build.h.

#include "ir/model.h"
#include "ir/schema.h"
#include "spec/diagnostic.h"

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace keel::gen::ir {

enum class ScalarType { string, integer, number, boolean };

/// A parameter's schema reduced to what a scalar decoder checks. Richer
/// schemas (arrays, objects, styles) arrive with the typed-model work.
struct ScalarSchema {
  ScalarType type = ScalarType::string;
  std::string format;                    ///< int32, int64, float, double, ...
  std::vector<std::string> enum_values;  ///< string enums only
  std::optional<std::string> minimum;    ///< numeric literal text as written
  std::optional<std::string> maximum;
  bool exclusive_minimum = false;
  bool exclusive_maximum = false;
  std::optional<std::uint64_t> min_length;
  std::optional<std::uint64_t> max_length;
  std::optional<std::string> default_value;  ///< literal text as written
};

enum class ParamIn { path, query, header, cookie };

struct Parameter {
  std::string name;  ///< as on the wire
  ParamIn in = ParamIn::query;
  bool required = false;
  bool deprecated = false;
  std::string description;
  ScalarSchema schema;
  /// False when the schema is not a scalar or the parameter uses `content`:
  /// decoded as the raw string until the typed layer supports it.
  bool scalar = true;
  std::string field_name;  ///< C++ member name, from the naming helper
  /// Index into Api::schemas.roots when the schema has keywords the scalar
  /// decoder does not check (pattern, multipleOf, const, allOf, ...): the
  /// decoded value then also goes through the schema's validator.
  std::optional<std::uint32_t> validator;
  Location source;
};

struct MediaType {
  std::string name;  ///< e.g. application/json, text/*, */*
  bool json = false;  ///< application/json or a +json suffix
  /// Index into Api::schemas.roots of the JSON body's schema (JSON media
  /// types with a schema only).
  std::optional<std::uint32_t> validator;
};

struct RequestBody {
  bool required = false;
  std::vector<MediaType> content;
};

struct Response {
  std::string status;  ///< "200", "4XX" or "default"
  std::string description;
  std::vector<MediaType> content;
};

struct SecurityAlternative {
  /// Every scheme of one alternative must pass; scopes per scheme.
  std::vector<std::pair<std::string, std::vector<std::string>>> schemes;
};

struct Operation {
  std::string operation_id;
  std::string method;  ///< upper-case
  std::string path;    ///< template as written
  std::string summary;
  bool deprecated = false;
  /// `x-keel-execution: event-loop`: the handler is declared non-blocking and
  /// runs on the I/O thread instead of the worker pool.
  bool on_event_loop = false;
  std::vector<Parameter> parameters;  ///< path-level merged with operation-level
  std::optional<RequestBody> body;
  std::vector<Response> responses;
  /// Absent: the document's default applies (already folded in by the builder).
  std::vector<SecurityAlternative> security;
  // Names from the naming helper.
  std::string method_name;   ///< handler method, snake_case
  std::string request_type;  ///< PascalCase + "Request"
  Location source;
};

struct Api {
  std::string title;
  std::string version;
  std::string openapi;  ///< the document's `openapi` field
  std::vector<Operation> operations;
  std::string spec_file;  ///< file name only, for generated headers
  std::string spec_json;  ///< the root document as JSON, for /openapi.json
  std::string spec_yaml;  ///< the root document's text, for /openapi.yaml
  /// Every component schema (roots named by their keys) and the schemas of
  /// JSON bodies and parameters the operations validate.
  SchemaSet schemas;
  /// A C++ model per schema that needs one; models.roots[i] is the type of
  /// schemas.roots[i] (the roots variants added for their dispatch have none).
  Models models;
};

}  // namespace keel::gen::ir
