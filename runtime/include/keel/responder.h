#pragma once

// What the generated typed responders (`<Operation>Response` in api.h) are
// built on. A handler returns its operation's responder type; only the
// generated factories (one per documented status and media type) construct
// one, so an undocumented status or body shape does not compile.

#include <keel/error.h>
#include <keel/http.h>

#include <nlohmann/json.hpp>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>

/// States, in a handler class, the shape (request members and responder
/// factories) of the operation it was written against, as printed in the
/// generated api.h: `KEEL_SHAPE(petstore::shape::list_pets, 0x1f...)`. When a
/// spec change alters that shape, this is a compile error whose message
/// names the operation and gives the new fingerprint.
#define KEEL_SHAPE(operation, fingerprint) static_assert(operation<std::uint64_t{fingerprint}>())

namespace keel {

/// A finished response, made by a generated responder factory.
class TypedResponse {
public:
  /// The response, for the generated dispatcher (and tests).
  const Response& response() const& { return response_; }
  Response take() && { return std::move(response_); }

protected:
  explicit TypedResponse(Response response) : response_(std::move(response)) {}

private:
  Response response_;
};

/// Whether `status` is covered by the documented status key `documented`:
/// an exact code ("404"), a range ("4XX", either case) or "default" (any
/// status from 100 to 599).
bool status_matches(int status, std::string_view documented);

/// `status` when it belongs to `documented` (a range or `default`), for the
/// factories of range and default responses; otherwise throws
/// std::invalid_argument naming the operation, which the server turns into
/// a 500 internal_error (the text goes to the log only).
int checked_status(int status, std::string_view documented, std::string_view operation_id);

/// An error envelope from a responder's `error()` factory: `error.status`
/// must be documented for the operation (exact, range or `default`, listed
/// in `documented`), else std::invalid_argument as above.
Response checked_error(ApiError error, std::initializer_list<std::string_view> documented,
                       std::string_view operation_id);

/// A JSON body as `media_type` (application/json, application/problem+json, ...).
Response json_body(int status, const nlohmann::json& body, std::string media_type);

/// Declared response header values as header text.
inline std::string header_text(const std::string& value) { return value; }
inline std::string header_text(std::int64_t value) { return std::to_string(value); }
std::string header_text(double value);
inline std::string header_text(bool value) { return value ? "true" : "false"; }

/// Sets `name` when `value` is present.
template <class T>
void set_header(Response& response, const char* name, const std::optional<T>& value) {
  if (value) response.headers.set(name, header_text(*value));
}
template <class T>
void set_header(Response& response, const char* name, const T& value) {
  response.headers.set(name, header_text(value));
}

}  // namespace keel
