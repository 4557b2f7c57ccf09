#include "http_client.h"

#include <arpa/inet.h>
#include <cerrno>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <poll.h>
#include <stdexcept>
#include <sys/socket.h>
#include <unistd.h>

namespace keel::test {

namespace {

bool iequal(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? char(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

}  // namespace

const std::string* HttpResponse::header(std::string_view name) const {
  for (const auto& [key, value] : headers)
    if (iequal(key, name)) return &value;
  return nullptr;
}

std::size_t HttpResponse::count(std::string_view name) const {
  std::size_t n = 0;
  for (const auto& item : headers)
    if (iequal(item.first, name)) ++n;
  return n;
}

std::string build_request(std::string_view method, std::string_view target,
                          const std::vector<std::pair<std::string, std::string>>& headers,
                          std::string_view body) {
  std::string out;
  out.append(method).append(" ").append(target).append(" HTTP/1.1\r\n");
  bool host = false, framing = false;
  for (const auto& [name, value] : headers) {
    host = host || iequal(name, "Host");
    framing = framing || iequal(name, "Content-Length") || iequal(name, "Transfer-Encoding");
  }
  if (!host) out += "Host: localhost\r\n";
  for (const auto& [name, value] : headers)
    out.append(name).append(": ").append(value).append("\r\n");
  if (!body.empty() && !framing) out += "Content-Length: " + std::to_string(body.size()) + "\r\n";
  out += "\r\n";
  out.append(body);
  return out;
}

HttpConnection::HttpConnection(std::uint16_t port, const std::string& host) {
  fd_ = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd_ < 0) throw std::runtime_error("socket() failed");
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_port = htons(port);
  if (::inet_pton(AF_INET, host.c_str(), &address.sin_addr) != 1) {
    ::close(fd_);
    throw std::runtime_error("bad IPv4 address " + host);
  }
  if (::connect(fd_, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0) {
    ::close(fd_);
    throw std::runtime_error("connect() failed");
  }
  int one = 1;
  ::setsockopt(fd_, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
}

HttpConnection::~HttpConnection() {
  if (fd_ >= 0) ::close(fd_);
}

bool HttpConnection::send_raw(std::string_view bytes) {
  while (!bytes.empty()) {
    auto n = ::send(fd_, bytes.data(), bytes.size(), MSG_NOSIGNAL);
    if (n < 0) {
      if (errno == EINTR) continue;
      error_ = "send failed: errno " + std::to_string(errno);
      return false;
    }
    bytes.remove_prefix(static_cast<std::size_t>(n));
  }
  return true;
}

void HttpConnection::shutdown_write() { ::shutdown(fd_, SHUT_WR); }

int HttpConnection::fill(std::chrono::steady_clock::time_point deadline) {
  if (eof_) return 0;
  for (;;) {
    auto left = std::chrono::duration_cast<Ms>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return -1;
    pollfd waiter{fd_, POLLIN, 0};
    int ready = ::poll(&waiter, 1, static_cast<int>(left.count()));
    if (ready < 0 && errno == EINTR) continue;
    if (ready <= 0) return -1;
    char chunk[16384];
    auto n = ::recv(fd_, chunk, sizeof chunk, 0);
    if (n < 0) {
      if (errno == EINTR || errno == EAGAIN) continue;
      eof_ = true;  // reset: treat as closed
      return 0;
    }
    if (n == 0) {
      eof_ = true;
      return 0;
    }
    buffer_.append(chunk, static_cast<std::size_t>(n));
    return 1;
  }
}

std::optional<HttpResponse> HttpConnection::read_response(Ms timeout, bool head_request) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  error_.clear();
  for (;;) {  // skip interim (1xx) responses
    std::size_t head_end;
    while ((head_end = buffer_.find("\r\n\r\n")) == std::string::npos) {
      int got = fill(deadline);
      if (got <= 0) {
        error_ = got == 0 ? "connection closed before a full head" : "timeout waiting for head";
        return std::nullopt;
      }
    }
    HttpResponse response;
    std::string_view head(buffer_.data(), head_end);
    auto line_end = head.find("\r\n");
    std::string_view status_line = head.substr(0, line_end);
    if (status_line.substr(0, 9) != "HTTP/1.1 " && status_line.substr(0, 9) != "HTTP/1.0 ") {
      error_ = "bad status line";
      return std::nullopt;
    }
    response.status = std::stoi(std::string(status_line.substr(9, 3)));
    response.reason = std::string(status_line.size() > 13 ? status_line.substr(13) : "");
    std::string_view rest =
        line_end == std::string_view::npos ? std::string_view() : head.substr(line_end + 2);
    while (!rest.empty()) {
      auto end = rest.find("\r\n");
      auto line = rest.substr(0, end);
      auto colon = line.find(':');
      if (colon != std::string_view::npos)
        response.headers.emplace_back(std::string(line.substr(0, colon)),
                                      std::string(trim(line.substr(colon + 1))));
      if (end == std::string_view::npos) break;
      rest.remove_prefix(end + 2);
    }
    std::size_t consumed = head_end + 4;
    if (response.status >= 100 && response.status < 200) {
      buffer_.erase(0, consumed);
      continue;
    }
    const bool no_body = head_request || response.status == 204 || response.status == 304;
    if (no_body) {
      buffer_.erase(0, consumed);
      return response;
    }
    if (const auto* te = response.header("Transfer-Encoding"); te && iequal(*te, "chunked")) {
      std::size_t pos = consumed;
      for (;;) {
        std::size_t eol;
        while ((eol = buffer_.find("\r\n", pos)) == std::string::npos)
          if (fill(deadline) <= 0) return error_ = "truncated chunk", std::nullopt;
        std::size_t size = std::stoul(buffer_.substr(pos, eol - pos), nullptr, 16);
        pos = eol + 2;
        while (buffer_.size() < pos + size + 2)
          if (fill(deadline) <= 0) return error_ = "truncated chunk", std::nullopt;
        if (size == 0) {
          pos += 2;
          break;
        }
        response.body.append(buffer_, pos, size);
        pos += size + 2;
      }
      buffer_.erase(0, pos);
      return response;
    }
    if (const auto* length = response.header("Content-Length")) {
      std::size_t size = std::stoul(*length);
      while (buffer_.size() < consumed + size)
        if (fill(deadline) <= 0) return error_ = "truncated body", std::nullopt;
      response.body = buffer_.substr(consumed, size);
      buffer_.erase(0, consumed + size);
      return response;
    }
    // No framing: the body runs until the server closes.
    while (fill(deadline) > 0) {
    }
    response.body = buffer_.substr(consumed);
    buffer_.clear();
    return response;
  }
}

std::optional<HttpResponse>
HttpConnection::request(std::string_view method, std::string_view target,
                        const std::vector<std::pair<std::string, std::string>>& headers,
                        std::string_view body, Ms timeout) {
  if (!send_raw(build_request(method, target, headers, body))) return std::nullopt;
  return read_response(timeout, method == "HEAD");
}

std::string HttpConnection::read_available(Ms timeout) {
  if (buffer_.empty()) fill(std::chrono::steady_clock::now() + timeout);
  std::string out;
  out.swap(buffer_);
  return out;
}

bool HttpConnection::wait_closed(Ms timeout) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    int got = fill(deadline);
    if (got == 0) return true;
    if (got < 0) return false;
  }
}

}  // namespace keel::test
