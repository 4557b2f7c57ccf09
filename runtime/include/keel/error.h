#pragma once

#include <keel/http.h>

#include <string>
#include <string_view>
#include <vector>

namespace keel {

/// One entry of the envelope's `errors`: where, what kind, and why.
struct FieldError {
  std::string pointer;  ///< e.g. /query/limit, /path/dataset_id, /body/rows/0
  std::string code;     ///< stable machine code, e.g. invalid_integer
  std::string detail;   ///< readable sentence for a human
};

/// Every error any layer produces. Serialised by the server into the JSON
/// envelope {error, code, correlation_id, hint, errors}.
struct ApiError {
  int status = 500;
  std::string code;   ///< stable machine code: not_found, validation_failed, ...
  std::string title;  ///< short human title ("Not Found")
  std::string hint;   ///< what the caller can do about it; may be empty
  std::vector<FieldError> errors;
};

/// Envelope body for `error` with the request's correlation id.
std::string envelope_json(const ApiError& error, std::string_view correlation_id);

/// A Response carrying `error`; the server renders the envelope.
Response error_response(ApiError error);

// The errors every layer shares, so codes and titles stay consistent.
ApiError bad_request(std::string code, std::string hint);
ApiError validation_failed(std::vector<FieldError> errors);
ApiError not_found(std::string hint = "");
ApiError method_not_allowed(std::string_view allow);
ApiError payload_too_large(std::size_t limit_bytes);
ApiError unsupported_media_type(std::string_view got, std::string_view expected);
ApiError not_implemented(std::string_view operation_id);
ApiError internal_error();
/// 500: a handler's response broke the spec (ServerConfig::validate_responses).
ApiError response_validation_failed();
ApiError request_timeout();
ApiError service_unavailable(std::string hint);
/// 431: the request head alone is over the limit.
ApiError header_fields_too_large(std::size_t limit_bytes);

/// The HTTP reason phrase for `status` (RFC 9110 wording), "Unknown" otherwise.
/// Envelope titles use the same words.
std::string_view status_title(int status);

}  // namespace keel
