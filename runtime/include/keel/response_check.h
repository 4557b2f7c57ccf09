#pragma once

// Checks a handler's response against what the spec documents for its
// operation: the status (exact, `2XX` range or `default`), the media type,
// and a JSON body against its schema (in the response direction, so
// writeOnly members are refused). Generated code lists the documented
// responses; the server runs the check when ServerConfig::validate_responses
// is on and turns a mismatch into a 500 `response_validation_failed`.

#include <keel/http.h>
#include <keel/validation.h>

#include <optional>
#include <span>
#include <string>
#include <string_view>

namespace keel {

/// One documented (status, media type) pair of an operation. A response
/// without content has an empty `media_type`; `validate` is null when the
/// media type is not JSON or has no schema. `accepts` is the schema's fast
/// yes/no check, tried first so that a valid body never pays for error
/// collection; when null, `validate` alone decides.
struct DocumentedResponse {
  using Validator = bool (*)(const nlohmann::json&, schema::Errors&, const schema::Options&);
  using Check = bool (*)(const nlohmann::json&, const schema::Options&);
  std::string_view status;  ///< "200", "4XX" or "default"
  std::string_view media_type;
  Validator validate = nullptr;
  Check accepts = nullptr;
};

/// Why `response` breaks `documented`, for the server's log (instance
/// pointer and message of the first failure); nullopt when it conforms.
/// Error envelopes are not checked: keel's own request errors (400, 415,
/// 501, ...) are answered before the handler runs, and a responder's
/// error() factory has already refused an undocumented status.
std::optional<std::string> check_response(const Response& response,
                                          std::span<const DocumentedResponse> documented);

/// Why `status` is not a documented response (neither exact, nor its
/// range, nor `default`), or nullopt: what an ApiError the handler threw
/// is checked for.
std::optional<std::string> check_status(int status, std::span<const DocumentedResponse> documented);

/// Direction::response: what responses are validated with.
const schema::Options& response_options();

}  // namespace keel
