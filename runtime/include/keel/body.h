#pragma once

#include <keel/error.h>
#include <keel/http.h>

#include <nlohmann/json.hpp>

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace keel {

/// A request body after content negotiation: the raw bytes always, and the
/// parsed document when the media type is JSON.
struct Body {
  bool present = false;
  std::string media_type;  ///< the request's Content-Type, lower-cased, without parameters
  std::string raw;
  nlohmann::json json;  ///< set for JSON media types
  /// Which of the operation's declared media ranges matched (its index), so
  /// generated code validates with that media type's schema; -1 without a body.
  int declared = -1;
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
std::optional<ApiError> read_body(const Request& request, std::initializer_list<MediaRange> declared,
                                  bool required, Body& out, std::vector<FieldError>& errors);

}  // namespace keel
