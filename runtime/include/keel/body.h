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
};

/// One media range an operation declares (`application/json`, `text/*`, `*/*`).
struct MediaRange {
  std::string_view range;
  bool json;
};

/// Matches the request's Content-Type against `declared` and parses JSON.
/// Returns the 415 error when no declared type matches; malformed JSON and a
/// missing required body are appended to `errors` (they are 400s).
std::optional<ApiError> read_body(const Request& request, std::initializer_list<MediaRange> declared,
                                  bool required, Body& out, std::vector<FieldError>& errors);

}  // namespace keel
