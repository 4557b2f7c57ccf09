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

/// As the spec spells it (`in`); also the word error pointers and
/// colliding member names use.
inline const char* location_name(ParamIn in) {
  switch (in) {
    case ParamIn::path: return "path";
    case ParamIn::query: return "query";
    case ParamIn::header: return "header";
    case ParamIn::cookie: return "cookie";
  }
  return "query";
}

/// What a style-serialized value looks like, for keel::param::Shape: the
/// kind, and JSON type bits (keel/json_type.h) of its leaves.
struct Shape {
  enum class Kind { primitive, array, object };
  Kind kind = Kind::primitive;
  /// primitive: the value's leaf types; array: the items'; object: those of
  /// properties not listed (0 when additionalProperties is false).
  unsigned types = 0;
  std::vector<std::pair<std::string, unsigned>> properties;  ///< object only, schema order
};

struct Parameter {
  std::string name;  ///< as on the wire
  ParamIn in = ParamIn::query;
  bool required = false;
  bool deprecated = false;
  std::string description;
  ScalarSchema schema;
  /// False when the schema is not a single scalar type (an array, an
  /// object, a union) or the parameter uses `content`: it is then decoded
  /// by keel/param_style.h into a JSON value, always checked by `validator`.
  bool scalar = true;
  std::string style;  ///< effective style: the location's default when not given
  bool explode = false;  ///< effective explode: true for `form` when not given
  bool allow_reserved = false;
  Shape shape;  ///< non-scalar schema parameters
  /// `content`-described parameters: whether the media type is JSON.
  std::optional<bool> content_json;
  /// Non-scalar and `content` parameters: the schema's default as JSON text.
  std::optional<std::string> default_json;
  std::string field_name;  ///< C++ member name, from the naming helper
  /// Index into Api::schemas.roots when the schema has keywords the scalar
  /// decoder does not check (pattern, multipleOf, const, allOf, ...): the
  /// decoded value then also goes through the schema's validator.
  std::optional<std::uint32_t> validator;
  Location source;
};

/// One property of a form body's schema with its Encoding Object.
struct FormField {
  std::string name;
  Shape shape;
  std::string content_type;  ///< Encoding contentType, "" when not given (or ignored)
  std::string style = "form";
  bool explode = true;
  bool allow_reserved = false;
  bool file = false;  ///< multipart: kept as bytes (binary string, or a non-text contentType)
};

struct MediaType {
  std::string name;  ///< e.g. application/json, text/*, */*
  bool json = false;  ///< application/json or a +json suffix
  /// Request bodies: how generated code turns the bytes into a value.
  enum class Form { none, urlencoded, multipart } form = Form::none;
  /// Index into Api::schemas.roots of the body's schema (JSON and form
  /// media types with a schema only).
  std::optional<std::uint32_t> validator;
  /// Form media types: the schema's properties and the leaf types of others.
  std::vector<FormField> fields;
  unsigned additional_types = 0;
  /// Other media types (raw bytes): the schema's minLength/maxLength, in bytes.
  std::optional<std::uint64_t> min_length;
  std::optional<std::uint64_t> max_length;
  /// Request bodies with several media types: the request struct member of
  /// this media type's model, used when the media types' models differ
  /// (`payload_<media word>`, made unique by the operation's NameScope).
  std::string payload_member;
};

struct RequestBody {
  bool required = false;
  std::vector<MediaType> content;
  /// The request struct member of the model when all media types share one
  /// (`payload`; named before the parameters, like `body`, so it never moves).
  std::string payload_member = "payload";
};

/// A header a response declares (`headers`), typed by its schema's `type`.
struct ResponseHeader {
  std::string name;  ///< as on the wire
  bool required = false;
  ScalarType type = ScalarType::string;  ///< string for anything but a scalar `type`
  std::string description;
  std::string member;  ///< C++ member of the headers struct, from the naming helper
};

struct Response {
  std::string status;  ///< "200", "4XX" or "default"
  std::string description;
  std::vector<MediaType> content;
  /// Declared headers, in spec order, without those libkeel sets itself
  /// (X-Request-Id, RateLimit-*, Retry-After, Deprecation, Sunset).
  std::vector<ResponseHeader> headers;
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
  /// `x-keel-unknown-query: reject`: query parameters the operation does not
  /// declare are a 400 (allowed by default).
  bool reject_unknown_query = false;
  // Names from the naming helper.
  std::string method_name;   ///< handler method, snake_case
  std::string request_type;  ///< PascalCase + "Request"
  std::string response_type;  ///< PascalCase + "Response": the typed responder
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
