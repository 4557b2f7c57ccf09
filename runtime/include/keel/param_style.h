#pragma once

// Style-serialized parameters (OAS 3.1 §4.8.12: style, explode,
// allowReserved, content) decoded from wire text into a JSON value whose
// leaves already have the schema's types, so the generated validator can
// check it like any JSON document. docs/parameters.md lists what each style
// accepts and why the ambiguous cases are resolved the way they are.
//
// Generated code declares one `static constexpr Param` per parameter and
// calls one decode_* function per request; nothing here allocates unless the
// value needs it (a percent-escape, a string leaf, an array).

#include <keel/error.h>
#include <keel/json_type.h>
#include <keel/http.h>
#include <keel/params.h>

#include <nlohmann/json.hpp>

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace keel::param {

/// JSON types a leaf may take (keel/json_type.h).
using LeafType = keel::JsonType;

enum class Style : std::uint8_t {
  simple,
  label,
  matrix,
  form,
  space_delimited,
  pipe_delimited,
  deep_object
};

/// One property of an object-shaped parameter.
struct Property {
  std::string_view name;
  unsigned types = type_string;  ///< LeafType bits of the property's value
};

/// What the schema says a parameter's value looks like. Serialization styles
/// only describe flat values, so nested arrays/objects are not modelled: their
/// text stays a string and the validator reports the mismatch.
struct Shape {
  enum class Kind : std::uint8_t { primitive, array, object };
  Kind kind = Kind::primitive;
  /// primitive: the value's LeafType bits; array: the items'; object: the
  /// leaf types of properties not in `properties` (additionalProperties),
  /// 0 when the schema forbids them. 0 on a primitive or array keeps the
  /// text as a string.
  unsigned types = type_string;
  std::span<const Property> properties{};  ///< object only
};

/// A parameter as the generator describes it; cheap to declare `static constexpr`.
struct Param {
  std::string_view name;
  std::string_view pointer;  ///< "/query/name": where errors point
  Style style = Style::form;
  bool explode = true;
  bool required = false;
  bool allow_reserved = false;
  Shape shape{};
  /// Query only, and only for a form/explode object whose shape admits
  /// additional properties: the operation's other query parameter names,
  /// which such an object must not claim.
  std::span<const std::string_view> siblings{};
};

/// Most values one array or object parameter may hold; more is a
/// `too_many_values` error (the validator's maxItems cannot protect memory).
inline constexpr std::size_t max_values = 1000;

/// One `name=value` pair of a query string or form body: the name decoded,
/// the value still raw (decoding depends on the parameter's allowReserved).
struct RawPair {
  std::string_view name;
  std::string_view value;
};

/// A query string (or application/x-www-form-urlencoded body) split at '&'
/// without decoding any value. Views point into `raw` and into this object,
/// which must both outlive every use. A name that is malformed or not UTF-8
/// is reported at construction and its pair dropped.
class RawQuery {
public:
  /// `location` names the error pointers' first segment ("query", "body").
  RawQuery(std::string_view raw, FieldErrors& errors, std::string_view location = "query",
           std::size_t max_pairs = 1000);
  RawQuery(const RawQuery&) = delete;
  RawQuery& operator=(const RawQuery&) = delete;

  std::span<const RawPair> pairs() const { return pairs_; }

private:
  std::vector<RawPair> pairs_;
  std::string names_;  // names that needed decoding, back to back
};

/// The result of one decode call.
enum class Decoded : std::uint8_t {
  absent,   ///< not sent (the default applies; `required` was reported)
  value,    ///< `out` holds the value
  invalid,  ///< errors were appended; `out` is unspecified
};

/// Tells "not sent" from "sent with an empty value" (`?x=`, `?x`), which
/// decode_query turns into "" / [] / {} / null per the shape.
enum class Presence : std::uint8_t { absent, empty, value };
Presence presence(const RawQuery& query, const Param& param);

/// For an operation marked `x-keel-unknown-query: reject`: one
/// `unknown_parameter` error (at /query/<name>) per query pair that none of
/// `declared` takes (deepObject `f[...]` and the properties of an exploded
/// object count as theirs; an exploded form object open to additional
/// properties takes every name, so then nothing is unknown).
void reject_unknown(const RawQuery& query, std::initializer_list<const Param*> declared,
                    FieldErrors& errors);

/// A path parameter from the router's still-encoded segment text: simple
/// (`5`, `3,4,5`), label (`.5`), matrix (`;id=5`). Never `absent`.
Decoded decode_path(std::string_view raw, const Param& param, nlohmann::json& out,
                    FieldErrors& errors);

/// A query parameter: form, spaceDelimited, pipeDelimited, deepObject.
Decoded decode_query(const RawQuery& query, const Param& param, nlohmann::json& out,
                     FieldErrors& errors);

/// A scalar query parameter's text, percent-decoded (decode_query with a
/// primitive string `param`), for generated code to parse as its type;
/// nullopt when absent (a missing `required` one is reported) or invalid.
std::optional<std::string> query_text(const RawQuery& query, const Param& param,
                                      FieldErrors& errors);

/// A header parameter (simple). Values are not percent-decoded; several
/// field lines of the same name are one list for an array, else an error.
Decoded decode_header(const Headers& headers, const Param& param, nlohmann::json& out,
                      FieldErrors& errors);

/// A cookie parameter (form). Values are percent-decoded ('+' stays '+').
Decoded decode_cookie(const CookieParams& cookies, const Param& param, nlohmann::json& out,
                      FieldErrors& errors);

enum class Location : std::uint8_t { path, query, header, cookie };

/// A `content`-described parameter: `raw` is decoded as `location` requires,
/// then parsed as JSON when `json_media` (the media type is application/json
/// or *+json; `invalid_json` on failure), else kept as a string.
bool decode_content(std::string_view raw, Location location, bool json_media,
                    std::string_view pointer, nlohmann::json& out, FieldErrors& errors);

/// The query half of decode_content: finds the single `name=` pair first.
Decoded decode_query_content(const RawQuery& query, const Param& param, bool json_media,
                             nlohmann::json& out, FieldErrors& errors);

/// `text` (already decoded) as a JSON leaf of one of `types` (LeafType
/// bits): null, then boolean, integer, number, string, in that order of
/// preference; text that fits no allowed type stays a string so that the
/// validator reports it with the `type` keyword.
nlohmann::json leaf(std::string_view text, unsigned types);

namespace detail {
// Shared with form.cpp (form bodies reuse the query decoders); not for
// generated code.

/// Percent-decodes (when `url`) into `scratch` only if needed; `text` views
/// `raw` or `scratch`. False on a malformed escape or invalid UTF-8.
bool decode_text(std::string_view raw, bool url, bool plus_is_space, std::string& scratch,
                 std::string_view& text);
/// `base` + "/" + `key` with JSON-pointer escaping.
std::string child(std::string_view base, std::string_view key);
/// decode_query over any pairs; `claimed[i]` is set for every pair used.
Decoded decode_pairs(std::span<const RawPair> pairs, const Param& param, bool plus_is_space,
                     std::vector<char>* claimed, nlohmann::json& out, FieldErrors& errors);
/// JSON text to `out`, or an `invalid_json` error at `pointer`.
bool parse_json_text(std::string_view text, std::string_view pointer, nlohmann::json& out,
                     FieldErrors& errors);
}  // namespace detail

}  // namespace keel::param
