#pragma once

#include <keel/error.h>
#include <keel/http.h>

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace keel {

/// A request line and header section as libkeel reads them. The server
/// parses heads itself (see server.cpp for why) and leaves only body framing
/// to Pistache.
struct RequestHead {
  std::string method;     ///< upper-cased
  std::string path;       ///< raw, still percent-encoded
  std::string query;      ///< raw, without '?'
  int minor_version = 1;  ///< HTTP/1.<minor>
  Headers headers;        ///< in arrival order, duplicates kept
};

/// How the body of a request is delimited.
struct BodyFraming {
  enum class Kind { none, length, chunked };
  Kind kind = Kind::none;
  std::size_t length = 0;  ///< for Kind::length
};

/// Parses a complete head (request line, header lines, final empty line).
/// Returns the error to answer with (400, 501 or 505) when malformed.
std::optional<ApiError> parse_request_head(std::string_view head, RequestHead& out);

/// Quick check of a head still arriving: an error as soon as the bytes seen
/// so far cannot start a valid request (binary garbage, a TLS handshake),
/// instead of waiting for the header timeout.
std::optional<ApiError> check_partial_head(std::string_view partial);

/// Content-Length / Transfer-Encoding rules (RFC 9112 §6): both present,
/// conflicting or non-numeric lengths are 400; a transfer coding other than
/// chunked is 501.
std::optional<ApiError> body_framing(const Headers& headers, BodyFraming& out);

/// Whether the connection stays open after this request's response.
bool wants_keep_alive(const RequestHead& head);

/// True when the client sent `Expect: 100-continue`.
bool expects_continue(const RequestHead& head);

/// Options for serialising one response.
struct WireOptions {
  std::string_view correlation_id;
  bool head_request = false;       ///< HEAD: headers as for GET, no body
  bool close = false;              ///< send `Connection: close`
  bool keep_alive_http10 = false;  ///< send `Connection: keep-alive` (HTTP/1.0 client)
};

/// Status line, headers and body of `response`. When `response.error` is set
/// its envelope is the body (this is the single place envelopes are
/// rendered). Adds Content-Type, Content-Length, Date and X-Request-Id;
/// drops handler headers that would break framing (Content-Length,
/// Transfer-Encoding, Connection) or contain CR/LF.
std::string serialize_response(const Response& response, const WireOptions& options);

}  // namespace keel
