#include <keel/wire.h>

#include <cctype>
#include <chrono>
#include <cstdio>
#include <ctime>

namespace keel {

namespace {


bool is_target_char(char c) { return c > 0x20 && c < 0x7f; }

// Field values: visible ASCII, SP, HTAB and obs-text; no other controls.
bool is_field_value_char(char c) {
  const auto byte = static_cast<unsigned char>(c);
  return byte == '\t' || (byte >= 0x20 && byte != 0x7f);
}

std::string_view trim_ows(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

ApiError malformed(std::string code, std::string hint) {
  return bad_request(std::move(code), std::move(hint));
}

// Calls `fn` with each comma-separated, trimmed, non-empty element of the
// values of every `name` header.
template <typename Fn>
void for_each_list_element(const Headers& headers, std::string_view name, Fn fn) {
  for (const auto& [key, value] : headers.items()) {
    if (!iequals(key, name)) continue;
    std::string_view rest = value;
    while (!rest.empty()) {
      auto comma = rest.find(',');
      auto element = trim_ows(rest.substr(0, comma));
      if (!element.empty()) fn(element);
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
  }
}

struct RequestLine {
  std::string_view method, target;
  int major = 0, minor = 0;
};

std::optional<ApiError> parse_request_line(std::string_view line, RequestLine& out) {
  auto bad_line = [] {
    return malformed("malformed_request_line",
                     "Send a request line of the form: METHOD /path HTTP/1.1.");
  };
  auto sp1 = line.find(' ');
  if (sp1 == 0 || sp1 == std::string_view::npos) return bad_line();
  out.method = line.substr(0, sp1);
  for (char c : out.method)
    if (!is_token_char(c)) return bad_line();
  auto sp2 = line.find(' ', sp1 + 1);
  if (sp2 == std::string_view::npos || sp2 == sp1 + 1) return bad_line();
  out.target = line.substr(sp1 + 1, sp2 - sp1 - 1);
  for (char c : out.target)
    if (!is_target_char(c)) return bad_line();
  auto version = line.substr(sp2 + 1);
  if (version.size() != 8 || version.substr(0, 5) != "HTTP/" || version[6] != '.' ||
      !std::isdigit(static_cast<unsigned char>(version[5])) ||
      !std::isdigit(static_cast<unsigned char>(version[7])))
    return bad_line();
  out.major = version[5] - '0';
  out.minor = version[7] - '0';
  if (out.major != 1) {
    ApiError error;
    error.status = 505;
    error.code = "http_version_not_supported";
    error.title = std::string(status_title(505));
    error.hint = "Use HTTP/1.1.";
    return error;
  }
  return std::nullopt;
}

}  // namespace

std::optional<ApiError> check_partial_head(std::string_view partial) {
  auto eol = partial.find("\r\n");
  if (eol != std::string_view::npos) {
    RequestLine line;
    return parse_request_line(partial.substr(0, eol), line);
  }
  // No complete line yet: the method must be a token, and short.
  static constexpr std::size_t max_method = 32;
  for (std::size_t i = 0; i < partial.size(); ++i) {
    if (partial[i] == ' ') return std::nullopt;
    if (!is_token_char(partial[i]) || i >= max_method)
      return malformed("malformed_request_line",
                       "Send a request line of the form: METHOD /path HTTP/1.1.");
  }
  return std::nullopt;
}

std::optional<ApiError> parse_request_head(std::string_view head, RequestHead& out) {
  auto eol = head.find("\r\n");
  if (eol == std::string_view::npos)
    return malformed("malformed_request_line", "The request line must end with CRLF.");
  RequestLine line;
  if (auto error = parse_request_line(head.substr(0, eol), line)) return error;

  out.method.assign(line.method);
  for (auto& c : out.method) c = char(std::toupper(static_cast<unsigned char>(c)));
  out.minor_version = line.minor;

  std::string_view target = line.target;
  std::string rebuilt;
  // absolute-form (RFC 9112 §3.2.2): keep the path and query only.
  if (target.starts_with("http://") || target.starts_with("https://")) {
    auto authority = target.find("//") + 2;
    auto slash = target.find_first_of("/?", authority);
    if (slash == std::string_view::npos)
      rebuilt = "/";
    else if (target[slash] == '?')
      rebuilt = "/" + std::string(target.substr(slash));
    else
      rebuilt = std::string(target.substr(slash));
    target = rebuilt;
  }
  if (target.empty() || (target.front() != '/' && !(target == "*" && out.method == "OPTIONS")))
    return malformed("malformed_request_target", "The request target must start with '/'.");
  auto question = target.find('?');
  out.path.assign(target.substr(0, question));
  out.query.assign(question == std::string_view::npos ? std::string_view()
                                                      : target.substr(question + 1));
  // A fragment is never sent by conforming clients; drop it if one is.
  if (auto hash = out.query.find('#'); hash != std::string::npos) out.query.resize(hash);
  if (auto hash = out.path.find('#'); hash != std::string::npos) out.path.resize(hash);
  if (out.path.empty()) out.path = "/";

  std::string_view rest = head.substr(eol + 2);
  while (!rest.empty()) {
    auto end = rest.find("\r\n");
    if (end == std::string_view::npos)
      return malformed("malformed_header", "Header lines must end with CRLF.");
    std::string_view field = rest.substr(0, end);
    rest.remove_prefix(end + 2);
    if (field.empty()) break;  // the empty line that ends the head
    if (field.front() == ' ' || field.front() == '\t')
      return malformed("malformed_header", "Folded header lines are not accepted.");
    auto colon = field.find(':');
    if (colon == 0 || colon == std::string_view::npos)
      return malformed("malformed_header", "Each header line must be 'Name: value'.");
    auto name = field.substr(0, colon);
    for (char c : name)
      if (!is_token_char(c))
        return malformed("malformed_header",
                         "Header names are tokens, with no space before the colon.");
    auto value = trim_ows(field.substr(colon + 1));
    for (char c : value)
      if (!is_field_value_char(c))
        return malformed("malformed_header", "Header values may not contain control characters.");
    out.headers.add(std::string(name), std::string(value));
  }
  return std::nullopt;
}

std::optional<ApiError> body_framing(const Headers& headers, BodyFraming& out) {
  out = BodyFraming{};
  bool has_length = false;
  std::optional<ApiError> error;
  for_each_list_element(headers, "Content-Length", [&](std::string_view element) {
    if (error) return;
    std::size_t value = 0;
    bool ok = !element.empty() && element.size() <= 18;
    for (char c : element) {
      if (c < '0' || c > '9') {
        ok = false;
        break;
      }
      value = value * 10 + std::size_t(c - '0');
    }
    if (!ok || (has_length && value != out.length)) {
      error = malformed("invalid_content_length",
                        "Content-Length must be one non-negative decimal number.");
      return;
    }
    has_length = true;
    out.length = value;
  });
  if (!error && !has_length && headers.contains("Content-Length"))
    error = malformed("invalid_content_length",
                      "Content-Length must be one non-negative decimal number.");
  if (error) return error;

  bool has_coding = false, chunked_last = false, other = false;
  for_each_list_element(headers, "Transfer-Encoding", [&](std::string_view element) {
    has_coding = true;
    chunked_last = iequals(element, "chunked");
    if (!chunked_last) other = true;
  });
  if (!has_coding && headers.contains("Transfer-Encoding")) has_coding = other = true;
  if (has_coding) {
    if (has_length)
      return malformed("conflicting_framing",
                       "Send either Content-Length or Transfer-Encoding, not both.");
    if (other || !chunked_last) {
      ApiError unsupported;
      unsupported.status = 501;
      unsupported.code = "unsupported_transfer_encoding";
      unsupported.title = std::string(status_title(501));
      unsupported.hint = "Only Transfer-Encoding: chunked is supported.";
      return unsupported;
    }
    out.kind = BodyFraming::Kind::chunked;
    return std::nullopt;
  }
  if (has_length && out.length > 0) out.kind = BodyFraming::Kind::length;
  return std::nullopt;
}

bool wants_keep_alive(const RequestHead& head) {
  bool close = false, keep_alive = false;
  for_each_list_element(head.headers, "Connection", [&](std::string_view token) {
    if (iequals(token, "close")) close = true;
    if (iequals(token, "keep-alive")) keep_alive = true;
  });
  if (close) return false;
  return head.minor_version >= 1 || keep_alive;
}

bool expects_continue(const RequestHead& head) {
  const auto* expect = head.headers.find("Expect");
  return expect && iequals(*expect, "100-continue") && head.minor_version >= 1;
}

namespace {

// IMF-fixdate, recomputed at most once a second per thread.
const std::string& http_date() {
  thread_local std::time_t cached_second = 0;
  thread_local std::string cached;
  const std::time_t now = std::chrono::system_clock::to_time_t(std::chrono::system_clock::now());
  if (now != cached_second) {
    static constexpr const char* days[] = {"Sun", "Mon", "Tue", "Wed", "Thu", "Fri", "Sat"};
    static constexpr const char* months[] = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                             "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
    std::tm tm{};
    gmtime_r(&now, &tm);
    char buffer[40];
    std::snprintf(buffer, sizeof buffer, "%s, %02d %s %04d %02d:%02d:%02d GMT", days[tm.tm_wday],
                  tm.tm_mday, months[tm.tm_mon], tm.tm_year + 1900, tm.tm_hour, tm.tm_min,
                  tm.tm_sec);
    cached = buffer;
    cached_second = now;
  }
  return cached;
}

bool safe_header(std::string_view name, std::string_view value) {
  if (name.empty()) return false;
  for (char c : name)
    if (!is_token_char(c)) return false;
  for (char c : value)
    if (c == '\r' || c == '\n' || c == '\0') return false;
  return true;
}

// Headers the server owns: a handler setting them would corrupt framing or
// the correlation contract.
bool reserved_header(std::string_view name) {
  return iequals(name, "Content-Length") || iequals(name, "Transfer-Encoding") ||
         iequals(name, "Connection") || iequals(name, "X-Request-Id") || iequals(name, "Date") ||
         iequals(name, "Keep-Alive");
}

}  // namespace

std::string serialize_response(const Response& response, const WireOptions& options) {
  int status = response.error ? response.error->status : response.status;
  if (status < 100 || status > 999) status = 500;
  std::string envelope;
  std::string_view body = response.body;
  std::string_view content_type = response.content_type;
  if (response.error) {
    envelope = envelope_json(*response.error, options.correlation_id);
    body = envelope;
    content_type = "application/json";
  }
  const bool bodiless = status < 200 || status == 204 || status == 304;

  std::string out;
  out.reserve(160 + body.size());
  out += "HTTP/1.1 ";
  out += std::to_string(status);
  out += ' ';
  out += status_title(status);
  out += "\r\n";
  if (!bodiless && !content_type.empty() && safe_header("Content-Type", content_type)) {
    out += "Content-Type: ";
    out += content_type;
    out += "\r\n";
  }
  if (!bodiless) {
    out += "Content-Length: ";
    out += std::to_string(body.size());
    out += "\r\n";
  }
  out += "Date: ";
  out += http_date();
  out += "\r\nX-Request-Id: ";
  out += options.correlation_id;
  out += "\r\n";
  if (options.close)
    out += "Connection: close\r\n";
  else if (options.keep_alive_http10)
    out += "Connection: keep-alive\r\n";
  for (const auto& [name, value] : response.headers.items()) {
    if (!safe_header(name, value) || reserved_header(name)) continue;
    if (iequals(name, "Content-Type") && (!content_type.empty() || bodiless)) continue;
    out += name;
    out += ": ";
    out += value;
    out += "\r\n";
  }
  out += "\r\n";
  if (!options.head_request && !bodiless) out += body;
  return out;
}

}  // namespace keel
