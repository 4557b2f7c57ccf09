#include <keel/error.h>

#include <nlohmann/json.hpp>

#include <memory>
#include <string>
#include <utility>

namespace keel {

std::string_view status_title(int status) {
  switch (status) {
  case 100: return "Continue";
  case 101: return "Switching Protocols";
  case 200: return "OK";
  case 201: return "Created";
  case 202: return "Accepted";
  case 203: return "Non-Authoritative Information";
  case 204: return "No Content";
  case 205: return "Reset Content";
  case 206: return "Partial Content";
  case 300: return "Multiple Choices";
  case 301: return "Moved Permanently";
  case 302: return "Found";
  case 303: return "See Other";
  case 304: return "Not Modified";
  case 307: return "Temporary Redirect";
  case 308: return "Permanent Redirect";
  case 400: return "Bad Request";
  case 401: return "Unauthorized";
  case 402: return "Payment Required";
  case 403: return "Forbidden";
  case 404: return "Not Found";
  case 405: return "Method Not Allowed";
  case 406: return "Not Acceptable";
  case 407: return "Proxy Authentication Required";
  case 408: return "Request Timeout";
  case 409: return "Conflict";
  case 410: return "Gone";
  case 411: return "Length Required";
  case 412: return "Precondition Failed";
  case 413: return "Content Too Large";
  case 414: return "URI Too Long";
  case 415: return "Unsupported Media Type";
  case 416: return "Range Not Satisfiable";
  case 417: return "Expectation Failed";
  case 421: return "Misdirected Request";
  case 422: return "Unprocessable Content";
  case 425: return "Too Early";
  case 426: return "Upgrade Required";
  case 428: return "Precondition Required";
  case 429: return "Too Many Requests";
  case 431: return "Request Header Fields Too Large";
  case 451: return "Unavailable For Legal Reasons";
  case 500: return "Internal Server Error";
  case 501: return "Not Implemented";
  case 502: return "Bad Gateway";
  case 503: return "Service Unavailable";
  case 504: return "Gateway Timeout";
  case 505: return "HTTP Version Not Supported";
  default: return "Unknown";
  }
}

std::string envelope_json(const ApiError& error, std::string_view correlation_id) {
  // ordered_json keeps the documented field order, which makes logs and
  // golden files readable.
  nlohmann::ordered_json body;
  body["error"] = error.title.empty() ? std::string(status_title(error.status)) : error.title;
  body["code"] = error.code.empty() ? std::string("error") : error.code;
  body["correlation_id"] = std::string(correlation_id);
  if (!error.hint.empty()) body["hint"] = error.hint;
  if (!error.errors.empty()) {
    auto& list = body["errors"] = nlohmann::ordered_json::array();
    for (const auto& item : error.errors)
      list.push_back({{"pointer", item.pointer}, {"code", item.code}, {"detail", item.detail}});
  }
  // Hints and details may quote client input that is not valid UTF-8; the
  // default handler would throw while we are already reporting an error.
  return body.dump(-1, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

Response error_response(ApiError error) {
  Response response;
  response.status = error.status;
  response.content_type = "application/json";
  response.error = std::make_shared<const ApiError>(std::move(error));
  return response;
}

namespace {
ApiError make(int status, std::string code, std::string hint) {
  ApiError error;
  error.status = status;
  error.code = std::move(code);
  error.title = std::string(status_title(status));
  error.hint = std::move(hint);
  return error;
}
}  // namespace

ApiError bad_request(std::string code, std::string hint) {
  return make(400, std::move(code), std::move(hint));
}

ApiError validation_failed(std::vector<FieldError> errors) {
  auto error = make(400, "validation_failed", "Fix the fields listed in errors and retry.");
  error.errors = std::move(errors);
  return error;
}

ApiError not_found(std::string hint) { return make(404, "not_found", std::move(hint)); }

ApiError method_not_allowed(std::string_view allow) {
  return make(405, "method_not_allowed", "Allowed methods: " + std::string(allow) + ".");
}

ApiError payload_too_large(std::size_t limit_bytes) {
  return make(413, "payload_too_large",
              "Requests are limited to " + std::to_string(limit_bytes) +
                  " bytes (headers and body).");
}

ApiError header_fields_too_large(std::size_t limit_bytes) {
  return make(431, "header_fields_too_large",
              "Request headers are limited to " + std::to_string(limit_bytes) + " bytes.");
}

ApiError unsupported_media_type(std::string_view got, std::string_view expected) {
  std::string hint = "Send Content-Type: " + std::string(expected);
  hint += got.empty() ? std::string(" (none was sent).") : " (got " + std::string(got) + ").";
  return make(415, "unsupported_media_type", std::move(hint));
}

ApiError not_implemented(std::string_view operation_id) {
  return make(501, "not_implemented",
              "Operation " + std::string(operation_id) + " is not implemented yet.");
}

// The correlation id is the only thing a caller gets for a 500: the cause
// stays in the server's error log.
ApiError internal_error() { return make(500, "internal_error", ""); }

ApiError response_validation_failed() {
  return make(500, "response_validation_failed",
              "The server produced a response its API description does not allow; this is a "
              "server bug, reported in its log.");
}

ApiError request_timeout() {
  return make(408, "request_timeout", "The request was not received in time; send it again.");
}

ApiError service_unavailable(std::string hint) {
  return make(503, "service_unavailable", std::move(hint));
}

}  // namespace keel
