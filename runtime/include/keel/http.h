#pragma once

#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace keel {

/// Ordered header list with case-insensitive lookup. Requests rarely carry
/// more than a dozen headers, so a linear scan beats hashing.
class Headers {
public:
  /// First value for `name` (case-insensitive), or nullptr.
  const std::string* find(std::string_view name) const;
  /// Appends without replacing (e.g. Link, Set-Cookie).
  void add(std::string name, std::string value);
  /// Replaces every existing value of `name`.
  void set(std::string name, std::string value);
  bool contains(std::string_view name) const { return find(name) != nullptr; }
  const std::vector<std::pair<std::string, std::string>>& items() const { return items_; }

private:
  std::vector<std::pair<std::string, std::string>> items_;
};

/// RFC 9110 §5.6.2 `tchar`: what field names, methods and media types are made of.
bool is_token_char(char c);

/// Case-insensitive ASCII comparison, as HTTP field names need.
bool iequals(std::string_view a, std::string_view b);

/// A request as libkeel sees it: no Pistache type leaks past the server.
struct Request {
  std::string method;  ///< upper-case, as received
  std::string path;    ///< still percent-encoded; decoded per parameter
  std::string query;   ///< raw query string, without '?'
  Headers headers;
  std::string body;
};

struct ApiError;

/// A response before it is written. Errors stay structured until the server
/// serialises them, so the envelope always gets the request's correlation id.
struct Response {
  int status = 200;
  Headers headers;
  std::string body;
  std::string content_type;  ///< empty for bodiless responses
  /// Set when the response is an error envelope; `body` is then ignored.
  std::shared_ptr<const ApiError> error;
};

}  // namespace keel
