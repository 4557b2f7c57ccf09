#pragma once

// A small blocking HTTP/1.1 client over a raw TCP socket, for end-to-end
// tests: it sends exactly the bytes it is given (so tests can send malformed
// requests) and reads responses framed by Content-Length, chunked encoding or
// connection close. One HttpConnection is one socket, so keep-alive behaviour
// is observable.

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace keel::test {

struct HttpResponse {
  int status = 0;
  std::string reason;
  std::vector<std::pair<std::string, std::string>> headers;  ///< in order
  std::string body;

  /// First value of `name` (case-insensitive), or nullptr.
  const std::string* header(std::string_view name) const;
  bool has_header(std::string_view name) const { return header(name) != nullptr; }
  /// Number of headers called `name`.
  std::size_t count(std::string_view name) const;
};

/// Builds a request; adds Host, and Content-Length when `body` is non-empty
/// and no Content-Length / Transfer-Encoding header was given.
std::string build_request(std::string_view method, std::string_view target,
                          const std::vector<std::pair<std::string, std::string>>& headers = {},
                          std::string_view body = {});

class HttpConnection {
public:
  using Ms = std::chrono::milliseconds;

  /// Connects to host:port (IPv4 literal); throws std::runtime_error on failure.
  explicit HttpConnection(std::uint16_t port, const std::string& host = "127.0.0.1");
  ~HttpConnection();
  HttpConnection(const HttpConnection&) = delete;
  HttpConnection& operator=(const HttpConnection&) = delete;

  /// Sends all of `bytes`; false when the peer reset or closed the socket.
  bool send_raw(std::string_view bytes);

  /// Reads one response. `head_request`: the response has no body whatever
  /// its Content-Length says. Empty on timeout, EOF before a full response,
  /// or a malformed response (see last_error()).
  std::optional<HttpResponse> read_response(Ms timeout = Ms(5000), bool head_request = false);

  /// send_raw(build_request(...)) then read_response().
  std::optional<HttpResponse>
  request(std::string_view method, std::string_view target,
          const std::vector<std::pair<std::string, std::string>>& headers = {},
          std::string_view body = {}, Ms timeout = Ms(5000));

  /// True when the server closes the connection (EOF or reset) within
  /// `timeout`; bytes that arrive meanwhile are kept for read_response().
  bool wait_closed(Ms timeout = Ms(3000));

  /// Waits up to `timeout` for at least one byte, then returns and consumes
  /// everything buffered (raw, unparsed). Empty on timeout or EOF.
  std::string read_available(Ms timeout = Ms(1000));

  /// Half-closes our sending side.
  void shutdown_write();

  /// Bytes received but not yet consumed by read_response().
  const std::string& buffered() const { return buffer_; }
  const std::string& last_error() const { return error_; }
  int fd() const { return fd_; }

private:
  /// Reads more into buffer_; 1 data, 0 EOF, -1 timeout/error.
  int fill(std::chrono::steady_clock::time_point deadline);

  int fd_ = -1;
  bool eof_ = false;
  std::string buffer_;
  std::string error_;
};

}  // namespace keel::test
