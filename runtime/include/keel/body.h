#pragma once

#include <keel/error.h>
#include <keel/form.h>
#include <keel/http.h>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace keel {

/// A request body after content negotiation: the raw bytes always, and the
/// decoded document when the media type is JSON or a form.
struct Body {
  bool present = false;
  std::string media_type;  ///< the request's Content-Type, lower-cased, without parameters
  std::string raw;
  /// JSON media types: the parsed document. application/x-www-form-urlencoded
  /// and multipart/form-data: the fields as a JSON object (keel/form.h; a
  /// file property holds "" there, its bytes are in `files`).
  nlohmann::json json;
  /// multipart/form-data: the file parts, in body order.
  std::vector<form::File> files;
  /// Which of the operation's declared media ranges matched (its index), so
  /// generated code validates with that media type's schema; -1 without a body.
  int declared = -1;

  /// The first file part named `name` (multipart/form-data), or nullptr.
  const form::File* file(std::string_view name) const {
    for (const auto& f : files)
      if (f.name == name) return &f;
    return nullptr;
  }
};

/// One media range an operation declares (`application/json`, `text/*`, `*/*`).
struct MediaRange {
  std::string_view range;
  bool json;
};

/// How specifically media range `range` matches media type `type`, both
/// compared case-insensitively without parameters: 4 exact, 3 a suffix range
/// (`application/*+json` matches `application/vnd.a+json`), 2 `type/*`,
/// 1 `*/*`, 0 no match.
int media_range_match(std::string_view range, std::string_view type);

/// application/json or any `+json` type (RFC 6839), parameters ignored.
bool is_json_media_type(std::string_view type);

/// Matches the request's Content-Type against `declared`, choosing the most
/// specific matching range (see media_range_match; the first declared wins a
/// tie), and parses JSON. Returns the 415 error, listing the declared types,
/// when none matches; malformed JSON and a missing required body are
/// appended to `errors` (they are 400s).
/// A raw (not JSON, not form) body against its schema's minLength /
/// maxLength, counted in bytes: a `minLength` / `maxLength` error at /body.
void check_body_length(const Body& body, std::optional<std::uint64_t> min,
                       std::optional<std::uint64_t> max, std::vector<FieldError>& errors);

/// Decodes a form body (`declared` matched application/x-www-form-urlencoded
/// or multipart/form-data) into `body.json` and `body.files`. Returns the
/// 400 (malformed multipart) or 415 (a part of a type its Encoding does not
/// allow) to answer with; other problems are appended to `errors`.
std::optional<ApiError> decode_form_body(const Request& request, bool multipart,
                                         const form::Spec& spec, Body& body,
                                         std::vector<FieldError>& errors);

std::optional<ApiError> read_body(const Request& request, std::initializer_list<MediaRange> declared,
                                  bool required, Body& out, std::vector<FieldError>& errors);

}  // namespace keel
