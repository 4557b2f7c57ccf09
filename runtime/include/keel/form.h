#pragma once

// Form bodies (application/x-www-form-urlencoded and multipart/form-data)
// decoded into a JSON object the generated validator checks like any JSON
// body, per the schema's property shapes and the OAS 3.1 Encoding Object
// (§4.8.15). File parts stay raw bytes beside the JSON. docs/parameters.md
// explains the choices.

#include <keel/error.h>
#include <keel/multipart.h>
#include <keel/param_style.h>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace keel::form {

/// One property's Encoding Object.
struct Encoding {
  /// `contentType` as written: media ranges separated by commas
  /// ("image/png, image/*"). Empty: the property's default, not checked. A
  /// JSON type (application/json, *+json) means the value is JSON text; the
  /// generator leaves it empty when style/explode/allowReserved are given,
  /// since OAS then ignores contentType for urlencoded bodies.
  std::string_view content_type{};
  param::Style style = param::Style::form;
  bool explode = true;
  bool allow_reserved = false;
};

/// One property of the body schema.
struct Field {
  std::string_view name;
  param::Shape shape{};
  Encoding encoding{};
  /// multipart: the part is binary content (a string with contentMediaType,
  /// contentEncoding or format: binary), kept as bytes in Multipart::files.
  bool file = false;
};

/// The body schema's properties as the generator describes them.
struct Spec {
  std::span<const Field> fields{};
  /// LeafType bits for properties not in `fields`; 0 when the schema forbids
  /// them (they are still kept, as strings, so the validator names them).
  unsigned additional_types = keel::type_string;
};

/// Most name=value pairs an urlencoded body may hold.
inline constexpr std::size_t max_form_pairs = 10000;

/// An application/x-www-form-urlencoded body to a JSON object. Each field is
/// decoded like a query parameter with its Encoding's style/explode ('+' is
/// always a space: that is the media type's own rule). Properties the spec
/// does not list are string leaves of `additional_types`. Errors point at
/// /body/<name>. False when any error was appended.
bool decode_urlencoded(std::string_view body, const Spec& spec, nlohmann::json& out,
                       FieldErrors& errors, std::size_t max_pairs = max_form_pairs);

/// A file part of a multipart/form-data body.
struct File {
  std::string name;                     ///< the property (part name)
  std::optional<std::string> filename;  ///< Content-Disposition filename
  std::string
      media_type;  ///< the part's Content-Type as sent; application/octet-stream when absent
  std::string bytes;
};

struct Multipart {
  /// The non-file properties, converted per shape; each file property holds
  /// "" (an item "" per file for arrays) so `required` and `type: string`
  /// validate as the schema says; the bytes are in `files`.
  nlohmann::json fields = nlohmann::json::object();
  std::vector<File> files;  ///< in body order

  /// The first file part named `name`, or nullptr.
  const File* file(std::string_view name) const;
};

/// A multipart/form-data body (`content_type` is the request's header).
/// Returns a 400 ApiError when the body is not well-formed multipart (or
/// over `limits`), a 415 ApiError naming every part whose Content-Type its
/// Encoding's contentType does not allow; other problems (invalid JSON or
/// UTF-8 in a part, a non-array property sent twice) are appended to
/// `errors`, pointing at /body/<name>.
std::optional<ApiError> decode_multipart(std::string_view content_type, std::string_view body,
                                         const Spec& spec, Multipart& out, FieldErrors& errors,
                                         const multipart::Limits& limits = {});

}  // namespace keel::form
