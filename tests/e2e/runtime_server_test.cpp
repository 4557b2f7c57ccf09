// End-to-end tests of keel::Server: a real server on port 0 driving a small
// hand-written Api, spoken to with raw bytes over loopback.

#include "http_client.h"

#include <keel/api.h>
#include <keel/error.h>
#include <keel/response_check.h>
#include <keel/server.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <atomic>
#include <cctype>
#include <chrono>
#include <csignal>
#include <future>
#include <mutex>
#include <sstream>
#include <stdexcept>
#include <streambuf>
#include <thread>
#include <unistd.h>

namespace {

using keel::test::HttpConnection;
using keel::test::HttpResponse;
using namespace std::chrono_literals;
using Json = nlohmann::json;

// ---- a fake generated Api ---------------------------------------------------

class FakeApi : public keel::Api {
public:
  enum Op { get_item, cancel_item, boom, conflict, slow, echo, quick };

  const std::vector<keel::OperationInfo>& operations() const override { return operations_; }

  keel::RouteMatch match(std::string_view method, std::string_view path) const override {
    keel::RouteMatch result;
    const std::string_view m = method == "HEAD" ? std::string_view("GET") : method;
    auto route = [&](int op, std::string_view allowed, std::vector<std::string_view> params = {}) {
      if (m == allowed) {
        result.status = keel::RouteMatch::Status::matched;
        result.operation = op;
        result.params = std::move(params);
      } else {
        result.status = keel::RouteMatch::Status::method_not_allowed;
        result.allow = allowed == "GET" ? "GET, HEAD" : std::string(allowed);
      }
      return result;
    };
    constexpr std::string_view items = "/items/";
    if (path.starts_with(items)) {
      std::string_view rest = path.substr(items.size());
      if (rest.empty() || rest.find('/') != std::string_view::npos) return result;
      constexpr std::string_view cancel = ":cancel";
      if (rest.size() > cancel.size() && rest.ends_with(cancel))
        return route(cancel_item, "POST", {rest.substr(0, rest.size() - cancel.size())});
      return route(get_item, "GET", {rest});
    }
    if (path == "/boom") return route(boom, "GET");
    if (path == "/conflict") return route(conflict, "GET");
    if (path == "/slow") return route(slow, "GET");
    if (path == "/echo") return route(echo, "POST");
    if (path == "/quick") return route(quick, "GET");
    return result;
  }

  keel::Response handle(int operation, keel::Context& context, const keel::Request& request,
                        const keel::RouteMatch& match) override {
    keel::Response response;
    response.content_type = "application/json";
    switch (operation) {
    case get_item:
      response.body = Json{{"id", std::string(match.params.at(0))},
                           {"tenant", context.tenant_id},
                           {"operation", context.operation_id},
                           {"route", context.route},
                           {"correlation_id", context.correlation_id},
                           {"query", request.query},
                           {"method", request.method}}
                          .dump();
      response.headers.add("X-Custom", "yes");
      // A handler cannot break framing or the correlation contract.
      response.headers.add("Content-Length", "1");
      response.headers.add("X-Request-Id", "forged");
      response.headers.add("X-Injected", "a\r\nSet-Cookie: evil=1");
      return response;
    case cancel_item:
      response.body = Json{{"cancelled", std::string(match.params.at(0))}}.dump();
      return response;
    case boom: throw std::runtime_error("secret detail");
    case conflict:  // documents 409 only; `?gone` throws an undocumented 410
      if (request.query == "gone") throw keel::ApiError{410, "gone", "Gone", "It was deleted.", {}};
      throw keel::ApiError{409, "conflict", "Conflict", "The item changed; reload it.", {}};
    case slow:
      std::this_thread::sleep_for(slow_for.load());
      response.body = R"({"slow":true})";
      return response;
    case echo:
      response.body = request.body;
      if (const auto* type = request.headers.find("Content-Type")) response.content_type = *type;
      return response;
    case quick:
      response.body = break_quick ? R"({"quick":"no"})" : R"({"quick":true})";
      return response;
    }
    throw std::logic_error("unknown operation");
  }

  // Only `quick` documents its body: 200, application/json, {"quick": true};
  // `conflict` documents its 409. The others document nothing (not checked).
  std::span<const keel::DocumentedResponse> documented_responses(int operation) const override {
    static constexpr keel::DocumentedResponse quick_responses[] = {{"200", "application/json", &quick_body}};
    static constexpr keel::DocumentedResponse conflict_responses[] = {{"409", "application/json"}};
    if (operation == quick) return quick_responses;
    if (operation == conflict) return conflict_responses;
    return {};
  }

  static bool quick_body(const nlohmann::json& body, keel::schema::Errors& errors,
                         const keel::schema::Options&) {
    if (body.is_object() && body.value("quick", Json()) == true) return true;
    keel::schema::Error error;
    error.keyword_location = "#/properties/quick/const";
    error.keyword = "const";
    error.pointer = "/quick";
    error.owned = "must be true";  // Detail::text: the message is `owned`
    errors.items.push_back(std::move(error));
    return false;
  }

  std::string_view spec_json() const override { return R"({"openapi":"3.1.0","paths":{}})"; }
  std::string_view spec_yaml() const override { return "openapi: 3.1.0\npaths: {}\n"; }

  std::atomic<std::chrono::milliseconds> slow_for{std::chrono::milliseconds(400)};
  std::atomic<bool> break_quick{false};

private:
  std::vector<keel::OperationInfo> operations_{
      {"getItem", "GET", "/items/{id}", "Get an item"},
      {"cancelItem", "POST", "/items/{id}:cancel", "Cancel an item"},
      {"boom", "GET", "/boom", "Always throws"},
      {"conflict", "GET", "/conflict", "Throws ApiError"},
      {"slow", "GET", "/slow", "Sleeps"},
      {"echo", "POST", "/echo", "Echoes the body"},
      {"quick", "GET", "/quick", "Answers on the event loop", true},
  };
};

// ---- a stream tests can read while the server writes ------------------------

class CaptureBuf : public std::streambuf {
public:
  std::string contents() {
    std::lock_guard lock(mutex_);
    return text_;
  }

protected:
  int_type overflow(int_type c) override {
    if (c != traits_type::eof()) {
      std::lock_guard lock(mutex_);
      text_ += traits_type::to_char_type(c);
    }
    return c;
  }
  std::streamsize xsputn(const char* s, std::streamsize n) override {
    std::lock_guard lock(mutex_);
    text_.append(s, static_cast<std::size_t>(n));
    return n;
  }

private:
  std::mutex mutex_;
  std::string text_;
};

struct Capture {
  CaptureBuf buffer;
  std::ostream stream{&buffer};
  std::vector<Json> lines() {
    std::vector<Json> out;
    std::istringstream in(buffer.contents());
    for (std::string line; std::getline(in, line);) out.push_back(Json::parse(line));
    return out;
  }
  /// The access log is written in batches: waits up to 2 s for `count` lines.
  std::vector<Json> wait_lines(std::size_t count) {
    for (int i = 0; i < 100; ++i) {
      auto out = lines();
      if (out.size() >= count) return out;
      std::this_thread::sleep_for(20ms);
    }
    return lines();
  }
};

// ---- fixture ----------------------------------------------------------------

class ServerTest : public ::testing::Test {
protected:
  void SetUp() override { start(config()); }
  void TearDown() override {
    if (server_) server_->shutdown();
  }

  keel::ServerConfig config() {
    keel::ServerConfig config;
    config.port = 0;
    config.io_threads = 2;
    config.worker_threads = 2;
    config.max_request_bytes = 64 * 1024;
    config.max_header_bytes = 8 * 1024;
    config.header_timeout = 400ms;
    config.body_timeout = 600ms;
    config.keepalive_timeout = 3000ms;
    config.drain_timeout = 3000ms;
    config.readiness = [this] { return ready_.load(); };
    config.access_log = &access_.stream;
    config.error_log = &errors_.stream;
    return config;
  }

  void start(keel::ServerConfig config) {
    if (server_) server_->shutdown();
    server_ = std::make_unique<keel::Server>(std::move(config), api_);
    server_->start();
    ASSERT_NE(server_->port(), 0);
  }

  std::unique_ptr<HttpConnection> connect() {
    return std::make_unique<HttpConnection>(server_->port());
  }

  // One request on a fresh connection.
  HttpResponse fetch(std::string_view method, std::string_view target,
                     const std::vector<std::pair<std::string, std::string>>& headers = {},
                     std::string_view body = {}) {
    auto connection = connect();
    auto response = connection->request(method, target, headers, body);
    EXPECT_TRUE(response) << connection->last_error();
    return response.value_or(HttpResponse{});
  }

  // Sends raw bytes on a fresh connection; returns the one response.
  HttpResponse fetch_raw(std::string_view bytes, bool expect_close = false) {
    auto connection = connect();
    connection->send_raw(bytes);
    auto response = connection->read_response(3000ms);
    EXPECT_TRUE(response) << connection->last_error();
    if (expect_close) {
      EXPECT_TRUE(connection->wait_closed(3000ms)) << "server kept the connection open";
    }
    return response.value_or(HttpResponse{});
  }

  FakeApi api_;
  Capture access_;
  Capture errors_;
  std::atomic<bool> ready_{true};
  std::unique_ptr<keel::Server> server_;
};

/// Every error: JSON envelope with error/code/correlation_id, JSON content
/// type, and the same id in X-Request-Id.
Json expect_envelope(const HttpResponse& response, int status, std::string_view code) {
  EXPECT_EQ(response.status, status);
  const auto* type = response.header("Content-Type");
  EXPECT_TRUE(type && *type == "application/json") << (type ? *type : "no Content-Type");
  Json body = Json::parse(response.body, nullptr, false);
  EXPECT_FALSE(body.is_discarded()) << "not JSON: " << response.body;
  if (body.is_discarded()) return body;
  EXPECT_TRUE(body["error"].is_string());
  EXPECT_TRUE(body["correlation_id"].is_string());
  EXPECT_EQ(body.value("code", ""), code) << response.body;
  const auto* id = response.header("X-Request-Id");
  EXPECT_TRUE(id && *id == body.value("correlation_id", "")) << response.body;
  return body;
}

bool is_generated_id(const std::string& id) {
  return id.size() == 32 && id.find_first_not_of("0123456789abcdef") == std::string::npos;
}

// 2024-05-01T12:34:56.789Z (std::regex trips a GCC 12 warning under ASan).
bool is_rfc3339_ms(const std::string& time) {
  const std::string shape = "dddd-dd-ddTdd:dd:dd.dddZ";
  if (time.size() != shape.size()) return false;
  for (std::size_t i = 0; i < shape.size(); ++i)
    if (shape[i] == 'd' ? !std::isdigit(static_cast<unsigned char>(time[i])) : time[i] != shape[i])
      return false;
  return true;
}

// ---- normal traffic -----------------------------------------------------------

TEST_F(ServerTest, AnswersMatchedRouteWithContextFilled) {
  auto response = fetch("GET", "/items/a%20b?x=1&y=%20");
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(*response.header("Content-Type"), "application/json");
  Json body = Json::parse(response.body);
  EXPECT_EQ(body["id"], "a%20b");  // raw: decoding is per parameter, by generated code
  EXPECT_EQ(body["query"], "x=1&y=%20");
  EXPECT_EQ(body["tenant"], "dev");
  EXPECT_EQ(body["operation"], "getItem");
  EXPECT_EQ(body["route"], "/items/{id}");
  ASSERT_TRUE(response.header("X-Request-Id"));
  EXPECT_TRUE(is_generated_id(*response.header("X-Request-Id")));
  EXPECT_EQ(body["correlation_id"], *response.header("X-Request-Id"));
  EXPECT_EQ(*response.header("X-Custom"), "yes");
  EXPECT_TRUE(response.header("Date"));
  EXPECT_FALSE(response.header("Connection"));
  // Handler headers that would break framing or the id contract are dropped.
  EXPECT_EQ(response.count("X-Request-Id"), 1u);
  EXPECT_EQ(response.count("Content-Length"), 1u);
  EXPECT_EQ(*response.header("Content-Length"), std::to_string(response.body.size()));
  EXPECT_FALSE(response.header("X-Injected"));
  EXPECT_FALSE(response.header("Set-Cookie"));
}

TEST_F(ServerTest, RoutesCustomMethodSuffix) {
  auto response = fetch("POST", "/items/42:cancel");
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(Json::parse(response.body)["cancelled"], "42");

  auto wrong = fetch("GET", "/items/42:cancel");
  expect_envelope(wrong, 405, "method_not_allowed");
  EXPECT_EQ(*wrong.header("Allow"), "POST");
}

TEST_F(ServerTest, UnknownPathIs404Envelope) {
  auto response = fetch("GET", "/nothing/here");
  Json body = expect_envelope(response, 404, "not_found");
  EXPECT_EQ(body["error"], "Not Found");
}

TEST_F(ServerTest, WrongMethodIs405EnvelopeWithAllow) {
  auto response = fetch("DELETE", "/items/1");
  Json body = expect_envelope(response, 405, "method_not_allowed");
  EXPECT_EQ(*response.header("Allow"), "GET, HEAD");
  EXPECT_NE(body.value("hint", "").find("GET, HEAD"), std::string::npos);
  // An unknown method is routed like any other (Pistache would 400 it).
  expect_envelope(fetch("PURGE", "/items/1"), 405, "method_not_allowed");
}

TEST_F(ServerTest, LowerCaseMethodIsUpperCased) {
  auto response = fetch_raw("get /items/9 HTTP/1.1\r\nHost: x\r\n\r\n");
  ASSERT_EQ(response.status, 200);
  EXPECT_EQ(Json::parse(response.body)["method"], "GET");
}

TEST_F(ServerTest, EchoesValidRequestIdAndReplacesInvalidOnes) {
  auto echoed = fetch("GET", "/items/1", {{"X-Request-Id", "req-1.2_3:abc"}});
  EXPECT_EQ(*echoed.header("X-Request-Id"), "req-1.2_3:abc");
  EXPECT_EQ(Json::parse(echoed.body)["correlation_id"], "req-1.2_3:abc");

  auto on_error = fetch("GET", "/missing", {{"X-Request-Id", "trace-77"}});
  Json body = expect_envelope(on_error, 404, "not_found");
  EXPECT_EQ(body["correlation_id"], "trace-77");

  for (std::string bad : {std::string("has space"), std::string(129, 'a'), std::string("a\"b"),
                          std::string("<script>")}) {
    auto replaced = fetch("GET", "/items/1", {{"X-Request-Id", bad}});
    ASSERT_TRUE(replaced.header("X-Request-Id"));
    EXPECT_TRUE(is_generated_id(*replaced.header("X-Request-Id"))) << bad;
  }
  auto a = fetch("GET", "/items/1");
  auto b = fetch("GET", "/items/1");
  EXPECT_NE(*a.header("X-Request-Id"), *b.header("X-Request-Id"));
}

TEST_F(ServerTest, AcceptsHeadersPistacheWouldReject) {
  // Pistache 0.0.5's typed header parsers throw on these.
  auto response = fetch("GET", "/items/1",
                        {{"Accept", "foo/bar"},
                         {"Content-Type", "text"},
                         {"Date", "yesterday"},
                         {"Cache-Control", "max-age=soon"},
                         {"Host", "example.com:99999"}});
  EXPECT_EQ(response.status, 200) << response.body;
}

// ---- handler failures -------------------------------------------------------

TEST_F(ServerTest, ThrowingHandlerIs500WithoutDetail) {
  auto connection = connect();
  connection->send_raw(keel::test::build_request("GET", "/boom", {{"X-Request-Id", "boom-1"}}));
  std::string raw = connection->read_available(3000ms);
  EXPECT_EQ(raw.find("secret detail"), std::string::npos) << raw;
  EXPECT_EQ(raw.find("runtime_error"), std::string::npos) << raw;

  auto response = fetch("GET", "/boom");
  Json body = expect_envelope(response, 500, "internal_error");
  EXPECT_EQ(body["error"], "Internal Server Error");
  EXPECT_FALSE(body.contains("hint"));
  EXPECT_FALSE(body.contains("errors"));
  EXPECT_EQ(response.body.find("secret"), std::string::npos);

  // The cause is in the server's error log, tied to the correlation id.
  std::string log = errors_.buffer.contents();
  EXPECT_NE(log.find("secret detail"), std::string::npos) << log;
  EXPECT_NE(log.find("boom-1"), std::string::npos) << log;
}

TEST_F(ServerTest, AResponseThatBreaksTheSpecIs500AndLogged) {
  EXPECT_EQ(fetch("GET", "/quick").status, 200);
  api_.break_quick = true;
  auto response = fetch("GET", "/quick", {{"X-Request-Id", "bad-response-1"}});
  expect_envelope(response, 500, "response_validation_failed");
  EXPECT_EQ(response.body.find("quick"), std::string::npos) << response.body;
  // The log names the operation, the status and the failing pointer.
  std::string log = errors_.buffer.contents();
  EXPECT_NE(log.find("bad-response-1"), std::string::npos) << log;
  EXPECT_NE(log.find("response of quick (status 200) breaks the spec"), std::string::npos) << log;
  EXPECT_NE(log.find("at '/quick' must be true"), std::string::npos) << log;
}

TEST_F(ServerTest, ResponseValidationCanBeTurnedOff) {
  auto off = config();
  off.validate_responses = false;
  start(off);
  api_.break_quick = true;
  auto response = fetch("GET", "/quick");
  EXPECT_EQ(response.status, 200);
  EXPECT_EQ(response.body, R"({"quick":"no"})");
}

TEST_F(ServerTest, AThrownErrorWithAnUndocumentedStatusIs500AndLogged) {
  auto response = fetch("GET", "/conflict?gone", {{"X-Request-Id", "gone-1"}});
  expect_envelope(response, 500, "response_validation_failed");
  std::string log = errors_.buffer.contents();
  EXPECT_NE(log.find("gone-1"), std::string::npos) << log;
  EXPECT_NE(log.find("response of conflict (status 410) breaks the spec: status 410 is not documented"),
            std::string::npos)
      << log;

  auto off = config();
  off.validate_responses = false;
  start(off);
  expect_envelope(fetch("GET", "/conflict?gone"), 410, "gone");
}

TEST_F(ServerTest, ApiErrorBecomesItsEnvelope) {
  auto response = fetch("GET", "/conflict");
  Json body = expect_envelope(response, 409, "conflict");
  EXPECT_EQ(body["error"], "Conflict");
  EXPECT_EQ(body["hint"], "The item changed; reload it.");
}

TEST_F(ServerTest, ConnectionSurvivesHandlerErrors) {
  auto connection = connect();
  auto first = connection->request("GET", "/boom");
  ASSERT_TRUE(first);
  EXPECT_EQ(first->status, 500);
  auto second = connection->request("GET", "/conflict");
  ASSERT_TRUE(second);
  EXPECT_EQ(second->status, 409);
  auto third = connection->request("GET", "/items/3");
  ASSERT_TRUE(third);
  EXPECT_EQ(third->status, 200);
}

// ---- malformed input ---------------------------------------------------------

TEST_F(ServerTest, MalformedRequestLineIs400AndCloses) {
  for (std::string bytes :
       {std::string("GET /x\r\n\r\n"), std::string("GET  /x HTTP/1.1\r\n\r\n"),
        std::string("GET /x HTTP/1.1 extra\r\n\r\n"), std::string("GET /x HTTQ/1.1\r\n\r\n")}) {
    auto response = fetch_raw(bytes, true);
    expect_envelope(response, 400, "malformed_request_line");
    SCOPED_TRACE(bytes);
  }
  expect_envelope(fetch_raw("GET x HTTP/1.1\r\n\r\n", true), 400, "malformed_request_target");
  expect_envelope(fetch_raw("GET /x HTTP/2.0\r\n\r\n", true), 505, "http_version_not_supported");
}

TEST_F(ServerTest, MalformedHeadersAre400) {
  expect_envelope(fetch_raw("GET /items/1 HTTP/1.1\r\nNo colon here\r\n\r\n", true), 400,
                  "malformed_header");
  expect_envelope(fetch_raw("GET /items/1 HTTP/1.1\r\nBad Name: x\r\n\r\n", true), 400,
                  "malformed_header");
  expect_envelope(fetch_raw("GET /items/1 HTTP/1.1\r\nX: a\r\n folded\r\n\r\n", true), 400,
                  "malformed_header");
  expect_envelope(fetch_raw(std::string("GET /items/1 HTTP/1.1\r\nX: a\x01b\r\n\r\n"), true), 400,
                  "malformed_header");
}

TEST_F(ServerTest, GarbageBytesAreAnsweredAtOnce) {
  // A TLS ClientHello and binary junk: no CRLF, no space. Pistache alone
  // waits for the header timeout; we answer as soon as it cannot be HTTP.
  const auto started = std::chrono::steady_clock::now();
  auto tls = fetch_raw(std::string("\x16\x03\x01\x02\x00\x01\x00\x01\xfc\x03\x03", 11), true);
  expect_envelope(tls, 400, "malformed_request_line");
  auto junk = fetch_raw(std::string("\x00\x01\x02garbage\r\n\r\n", 14), true);
  expect_envelope(junk, 400, "malformed_request_line");
  EXPECT_LT(std::chrono::steady_clock::now() - started, 1500ms);
}

TEST_F(ServerTest, HugeHeadersAre431OnceAndClose) {
  auto connection = connect();
  std::string head =
      "GET /items/1 HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(40 * 1024, 'a') + "\r\n\r\n";
  connection->send_raw(head);
  auto response = connection->read_response(3000ms);
  ASSERT_TRUE(response) << connection->last_error();
  Json body = expect_envelope(*response, 431, "header_fields_too_large");
  EXPECT_EQ(*response->header("Connection"), "close");
  EXPECT_TRUE(connection->wait_closed(3000ms));
  EXPECT_EQ(connection->buffered().find("HTTP/1.1"), std::string::npos)
      << "more than one response: " << connection->buffered();
}

TEST_F(ServerTest, DeclaredHugeBodyIs413BeforeReadingIt) {
  auto connection = connect();
  connection->send_raw("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10000000\r\n\r\n");
  auto response = connection->read_response(3000ms);
  ASSERT_TRUE(response) << connection->last_error();
  expect_envelope(*response, 413, "payload_too_large");
  EXPECT_TRUE(connection->wait_closed(3000ms));
}

TEST_F(ServerTest, HugeBodyIs413OnceAndCloses) {
  // Chunked, so the size is only known while reading: Pistache alone sends
  // one 413 per 4 KiB read and keeps the connection.
  auto connection = connect();
  std::string request = "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
  const std::string chunk(8192, 'b');
  for (int i = 0; i < 16; ++i) request += "2000\r\n" + chunk + "\r\n";
  request += "0\r\n\r\n";
  connection->send_raw(request);  // may fail half way once the server closes
  auto response = connection->read_response(3000ms);
  ASSERT_TRUE(response) << connection->last_error();
  expect_envelope(*response, 413, "payload_too_large");
  EXPECT_TRUE(connection->wait_closed(4000ms));
  EXPECT_EQ(connection->buffered().find("HTTP/1.1"), std::string::npos) << "more than one response";
}

TEST_F(ServerTest, BadContentLengthIs400) {
  for (std::string value : {"abc", "-5", "99999999999999999999999", "1, 2", "2x", ""}) {
    SCOPED_TRACE(value);
    auto response = fetch_raw(
        "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: " + value + "\r\n\r\nab", true);
    Json body = expect_envelope(response, 400, "invalid_content_length");
    EXPECT_EQ(response.body.find("stoull"), std::string::npos);
  }
  expect_envelope(fetch_raw("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n"
                            "Transfer-Encoding: chunked\r\n\r\nab",
                            true),
                  400, "conflicting_framing");
  expect_envelope(
      fetch_raw("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\nab", true), 501,
      "unsupported_transfer_encoding");
  expect_envelope(fetch_raw("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                            "zz\r\nab\r\n0\r\n\r\n",
                            true),
                  400, "malformed_body");
}

// ---- bodies -------------------------------------------------------------------

TEST_F(ServerTest, BodiesArriveWholeAcrossKeepAlive) {
  auto connection = connect();
  const std::string big(20000, 'x');
  auto first = connection->request("POST", "/echo", {{"Content-Type", "text/plain"}}, big);
  ASSERT_TRUE(first) << connection->last_error();
  EXPECT_EQ(first->status, 200);
  EXPECT_EQ(first->body, big);
  EXPECT_EQ(*first->header("Content-Type"), "text/plain");
  auto second = connection->request("POST", "/echo", {}, "small");
  ASSERT_TRUE(second);
  EXPECT_EQ(second->body, "small");

  std::string chunked = "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                        "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n";
  connection->send_raw(chunked);
  auto third = connection->read_response();
  ASSERT_TRUE(third) << connection->last_error();
  EXPECT_EQ(third->body, "hello world");
  auto fourth = connection->request("GET", "/items/4");
  ASSERT_TRUE(fourth);
  EXPECT_EQ(fourth->status, 200);
}

TEST_F(ServerTest, BodySentInPiecesIsReassembled) {
  auto connection = connect();
  connection->send_raw("POST /echo HTTP/1.1\r\nHost: x\r\nContent-");
  std::this_thread::sleep_for(50ms);
  connection->send_raw("Length: 10\r\n\r\n01234");
  std::this_thread::sleep_for(50ms);
  connection->send_raw("56789");
  auto response = connection->read_response();
  ASSERT_TRUE(response) << connection->last_error();
  EXPECT_EQ(response->body, "0123456789");
}

TEST_F(ServerTest, ExpectContinueGetsInterimResponse) {
  auto connection = connect();
  connection->send_raw(
      "POST /echo HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 4\r\n\r\n");
  std::string interim = connection->read_available(2000ms);
  EXPECT_EQ(interim, "HTTP/1.1 100 Continue\r\n\r\n");
  connection->send_raw("data");
  auto response = connection->read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->body, "data");
}

// ---- HEAD, keep-alive, pipelining --------------------------------------------

TEST_F(ServerTest, HeadHasGetHeadersAndNoBody) {
  auto connection = connect();
  auto get = connection->request("GET", "/items/7", {{"X-Request-Id", "same"}});
  ASSERT_TRUE(get);
  auto head = connection->request("HEAD", "/items/7", {{"X-Request-Id", "same"}});
  ASSERT_TRUE(head);
  EXPECT_EQ(head->status, 200);
  EXPECT_TRUE(head->body.empty());
  EXPECT_EQ(*head->header("Content-Length"), std::to_string(get->body.size() + 1))
      << "HEAD runs the GET handler with method HEAD; its body is one byte longer";
  EXPECT_EQ(*head->header("Content-Type"), "application/json");
  // Nothing else arrived after the head: the next response parses cleanly.
  auto missing = connection->request("HEAD", "/missing");
  ASSERT_TRUE(missing);
  EXPECT_EQ(missing->status, 404);
  EXPECT_TRUE(missing->body.empty());
  EXPECT_EQ(*missing->header("Content-Type"), "application/json");
  EXPECT_NE(std::stoul(*missing->header("Content-Length")), 0u);
  auto after = connection->request("GET", "/healthz");
  ASSERT_TRUE(after) << connection->last_error();
  EXPECT_EQ(after->body, R"({"status":"ok"})");
}

TEST_F(ServerTest, KeepAliveWithoutConnectionClose) {
  auto connection = connect();
  for (int i = 0; i < 3; ++i) {
    auto response = connection->request("GET", "/items/" + std::to_string(i));
    ASSERT_TRUE(response) << "request " << i << ": " << connection->last_error();
    EXPECT_EQ(response->status, 200);
    EXPECT_FALSE(response->header("Connection")) << *response->header("Connection");
  }
  auto last = connection->request("GET", "/items/9", {{"Connection", "close"}});
  ASSERT_TRUE(last);
  EXPECT_EQ(*last->header("Connection"), "close");
  EXPECT_TRUE(connection->wait_closed(3000ms));
}

TEST_F(ServerTest, Http10ClosesUnlessKeepAliveAsked) {
  auto plain = connect();
  plain->send_raw("GET /healthz HTTP/1.0\r\n\r\n");
  auto response = plain->read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(*response->header("Connection"), "close");
  EXPECT_TRUE(plain->wait_closed(3000ms));

  auto kept = connect();
  for (int i = 0; i < 2; ++i) {
    kept->send_raw("GET /healthz HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
    auto again = kept->read_response();
    ASSERT_TRUE(again) << kept->last_error();
    EXPECT_EQ(*again->header("Connection"), "keep-alive");
  }
}

TEST_F(ServerTest, PipelinedRequestsAnswerFirstThenClose) {
  auto connection = connect();
  connection->send_raw(
      "GET /items/1 HTTP/1.1\r\nHost: x\r\n\r\nGET /items/2 HTTP/1.1\r\nHost: x\r\n\r\n");
  auto response = connection->read_response();
  ASSERT_TRUE(response);
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(*response->header("Connection"), "close");
  EXPECT_TRUE(connection->wait_closed(3000ms));
}

// ---- timeouts -------------------------------------------------------------------

TEST_F(ServerTest, SlowHeadIs408EnvelopeAndClose) {
  auto connection = connect();
  connection->send_raw("GET /items/1 HTTP/1.1\r\nHost: x\r\n");
  const auto started = std::chrono::steady_clock::now();
  auto response = connection->read_response(3000ms);
  ASSERT_TRUE(response) << connection->last_error();
  expect_envelope(*response, 408, "request_timeout");
  EXPECT_GE(std::chrono::steady_clock::now() - started, 300ms);
  EXPECT_TRUE(connection->wait_closed(3000ms));
}

TEST_F(ServerTest, SlowBodyIs408EnvelopeWithClientRequestId) {
  auto connection = connect();
  connection->send_raw(
      "POST /echo HTTP/1.1\r\nHost: x\r\nX-Request-Id: slow-body\r\nContent-Length: 10\r\n\r\nabc");
  auto response = connection->read_response(3000ms);
  ASSERT_TRUE(response) << connection->last_error();
  Json body = expect_envelope(*response, 408, "request_timeout");
  EXPECT_EQ(body["correlation_id"], "slow-body");
  EXPECT_TRUE(connection->wait_closed(3000ms));
}

TEST_F(ServerTest, SilentConnectionIsClosedQuietly) {
  auto connection = connect();
  EXPECT_TRUE(connection->wait_closed(3000ms));
  EXPECT_TRUE(connection->buffered().empty()) << connection->buffered();
}

TEST_F(ServerTest, SlowHandlerDoesNotHoldTheRequestTimeout) {
  api_.slow_for = 700ms;  // longer than header and body timeouts
  auto response = fetch("GET", "/slow");
  EXPECT_EQ(response.status, 200);
}

// ---- system routes ---------------------------------------------------------------

TEST_F(ServerTest, SystemRoutes) {
  auto health = fetch("GET", "/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(health.body, R"({"status":"ok"})");
  EXPECT_EQ(*health.header("Content-Type"), "application/json");
  EXPECT_TRUE(health.header("X-Request-Id"));

  auto head = fetch("HEAD", "/healthz");
  EXPECT_EQ(head.status, 200);
  EXPECT_TRUE(head.body.empty());
  EXPECT_EQ(*head.header("Content-Length"), std::to_string(health.body.size()));

  auto ready = fetch("GET", "/readyz");
  EXPECT_EQ(ready.status, 200);
  EXPECT_EQ(ready.body, R"({"status":"ready"})");
  ready_ = false;
  auto not_ready = fetch("GET", "/readyz");
  expect_envelope(not_ready, 503, "service_unavailable");
  ready_ = true;

  auto json = fetch("GET", "/openapi.json");
  EXPECT_EQ(json.status, 200);
  EXPECT_EQ(*json.header("Content-Type"), "application/json");
  EXPECT_EQ(json.body, api_.spec_json());
  auto yaml = fetch("GET", "/openapi.yaml");
  EXPECT_EQ(yaml.status, 200);
  EXPECT_EQ(*yaml.header("Content-Type"), "application/yaml");
  EXPECT_EQ(yaml.body, api_.spec_yaml());

  auto post = fetch("POST", "/healthz");
  expect_envelope(post, 405, "method_not_allowed");
  EXPECT_EQ(*post.header("Allow"), "GET, HEAD");
}

TEST_F(ServerTest, ThrowingReadinessIsNotReady) {
  auto config = this->config();
  config.readiness = []() -> bool { throw std::runtime_error("db down"); };
  start(config);
  expect_envelope(fetch("GET", "/readyz"), 503, "service_unavailable");
}

// ---- pool --------------------------------------------------------------------------

TEST_F(ServerTest, SlowHandlerDoesNotStallOtherConnections) {
  auto slow = connect();
  slow->send_raw(keel::test::build_request("GET", "/slow"));
  std::this_thread::sleep_for(50ms);
  const auto started = std::chrono::steady_clock::now();
  auto quick = fetch("GET", "/items/1");
  EXPECT_EQ(quick.status, 200);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 300ms);
  auto slow_response = slow->read_response();
  ASSERT_TRUE(slow_response);
  EXPECT_EQ(slow_response->status, 200);
}

TEST_F(ServerTest, EventLoopOperationsBypassABusyPool) {
  auto config = this->config();
  config.worker_threads = 1;
  config.queue_capacity = 1;
  start(config);
  api_.slow_for = 800ms;
  // One slow request runs and one waits: the pool is full.
  auto running = connect();
  running->send_raw(keel::test::build_request("GET", "/slow"));
  std::this_thread::sleep_for(50ms);
  auto queued = connect();
  queued->send_raw(keel::test::build_request("GET", "/slow"));
  std::this_thread::sleep_for(50ms);

  // A pool operation now gets 503; an event-loop one is answered at once.
  expect_envelope(fetch("GET", "/items/1"), 503, "service_unavailable");
  const auto started = std::chrono::steady_clock::now();
  auto quick = fetch("GET", "/quick");
  EXPECT_EQ(quick.status, 200);
  EXPECT_EQ(Json::parse(quick.body)["quick"], true);
  EXPECT_LT(std::chrono::steady_clock::now() - started, 400ms);

  for (auto* connection : {running.get(), queued.get()}) {
    auto response = connection->read_response(5000ms);
    ASSERT_TRUE(response) << connection->last_error();
    EXPECT_EQ(response->status, 200);
  }
}

TEST_F(ServerTest, FullQueueIs503) {
  auto config = this->config();
  config.worker_threads = 1;
  config.queue_capacity = 1;
  start(config);
  std::vector<std::unique_ptr<HttpConnection>> connections;
  for (int i = 0; i < 4; ++i) {
    connections.push_back(connect());
    connections.back()->send_raw(keel::test::build_request("GET", "/slow"));
    std::this_thread::sleep_for(20ms);
  }
  int ok = 0, busy = 0;
  for (auto& connection : connections) {
    auto response = connection->read_response(5000ms);
    ASSERT_TRUE(response) << connection->last_error();
    if (response->status == 200) ++ok;
    if (response->status == 503) {
      ++busy;
      expect_envelope(*response, 503, "service_unavailable");
      EXPECT_EQ(*response->header("Retry-After"), "1");
    }
  }
  EXPECT_EQ(ok, 2);  // one running, one queued
  EXPECT_EQ(busy, 2);
}

// ---- logs ----------------------------------------------------------------------------

TEST_F(ServerTest, AccessLogHasOneJsonLinePerRequest) {
  fetch("GET", "/items/5?q=1", {{"X-Request-Id", "log-ok"}});
  fetch("GET", "/nope", {{"X-Request-Id", "log-404"}});
  fetch("GET", "/healthz", {{"X-Request-Id", "log-health"}});
  fetch_raw("BAD\x01 / HTTP/1.1\r\n\r\n", true);

  auto lines = access_.wait_lines(4);
  ASSERT_EQ(lines.size(), 4u) << access_.buffer.contents();
  for (const auto& line : lines) {
    EXPECT_TRUE(is_rfc3339_ms(line["time"].get<std::string>())) << line;
    EXPECT_TRUE(line["duration_ms"].is_number()) << line;
    EXPECT_TRUE(line["status"].is_number_integer()) << line;
  }
  const Json& ok = lines[0];
  EXPECT_EQ(ok["method"], "GET");
  EXPECT_EQ(ok["route"], "/items/{id}");
  EXPECT_EQ(ok["path"], "/items/5");
  EXPECT_EQ(ok["status"], 200);
  EXPECT_EQ(ok["correlation_id"], "log-ok");
  EXPECT_EQ(ok["tenant"], "dev");
  EXPECT_FALSE(ok.contains("code"));

  const Json& missing = lines[1];
  EXPECT_EQ(missing["route"], "-");
  EXPECT_EQ(missing["status"], 404);
  EXPECT_EQ(missing["code"], "not_found");
  EXPECT_EQ(missing["correlation_id"], "log-404");

  EXPECT_EQ(lines[2]["route"], "/healthz");
  EXPECT_EQ(lines[3]["status"], 400);
  EXPECT_EQ(lines[3]["method"], "-");
  EXPECT_EQ(lines[3]["code"], "malformed_request_line");
}

// ---- lifecycle -------------------------------------------------------------------------

TEST_F(ServerTest, ShutdownDrainsInFlightRequests) {
  auto connection = connect();
  connection->send_raw(keel::test::build_request("GET", "/slow"));
  std::this_thread::sleep_for(100ms);
  auto stopper = std::async(std::launch::async, [this] { server_->shutdown(); });
  auto response = connection->read_response(5000ms);
  ASSERT_TRUE(response) << connection->last_error();
  EXPECT_EQ(response->status, 200);
  EXPECT_EQ(*response->header("Connection"), "close");
  stopper.get();
  EXPECT_THROW(HttpConnection{server_->port()}, std::runtime_error);
}

TEST_F(ServerTest, ShutdownIsPromptAfterAbruptClients) {
  // Clients that vanish with a response queued: Pistache drops such writes
  // without settling them, which once made shutdown wait the whole drain.
  for (int round = 0; round < 150; ++round) {
    auto gone = connect();
    gone->send_raw(keel::test::build_request("GET", "/items/1"));
    if (round % 3 == 0) std::this_thread::sleep_for(1ms);
  }
  std::this_thread::sleep_for(200ms);
  const auto started = std::chrono::steady_clock::now();
  server_->shutdown();
  EXPECT_LT(std::chrono::steady_clock::now() - started, 1500ms);
}

TEST_F(ServerTest, ServeForeverReturnsOnSigterm) {
  auto config = this->config();
  keel::Server server(config, api_);
  server.start();
  auto serving = std::async(std::launch::async, [&server] { server.serve_forever(); });
  std::this_thread::sleep_for(100ms);
  HttpConnection connection(server.port());
  EXPECT_EQ(connection.request("GET", "/healthz")->status, 200);
  ::kill(::getpid(), SIGTERM);
  EXPECT_EQ(serving.wait_for(5s), std::future_status::ready);
}

TEST_F(ServerTest, StillAnswersAfterAbuse) {
  const std::vector<std::string> abuse = {
      std::string("\x16\x03\x01\x00", 4),
      "GET / HTTP/9.9\r\n\r\n",
      "GET /items/1 HTTP/1.1\r\nX-Big: " + std::string(20000, 'z') + "\r\n\r\n",
      "POST /echo HTTP/1.1\r\nContent-Length: 99999999\r\n\r\n",
      "POST /echo HTTP/1.1\r\nContent-Length: nope\r\n\r\n",
      "POST /echo HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffffff\r\n",
      "GET /items/1 HTTP/1.1\r\nHost: x\r\n",  // left hanging
      std::string(5000, '\n'),
      "\r\n\r\n\r\n",
  };
  std::vector<std::unique_ptr<HttpConnection>> open;
  for (const auto& bytes : abuse) {
    open.push_back(connect());
    open.back()->send_raw(bytes);
  }
  for (int i = 0; i < 3; ++i) {
    auto boom = fetch("GET", "/boom");
    EXPECT_EQ(boom.status, 500);
  }
  // Abrupt disconnects mid-request and mid-response.
  for (int i = 0; i < 5; ++i) {
    auto gone = connect();
    gone->send_raw("POST /echo HTTP/1.1\r\nContent-Length: 100\r\n\r\nabc");
  }
  for (int i = 0; i < 5; ++i) {
    auto gone = connect();
    gone->send_raw(keel::test::build_request("GET", "/slow"));
  }
  std::this_thread::sleep_for(900ms);  // let timeouts and slow handlers pass
  auto connection = connect();
  for (int i = 0; i < 3; ++i) {
    auto response = connection->request("GET", "/healthz");
    ASSERT_TRUE(response) << connection->last_error();
    EXPECT_EQ(response->status, 200);
    auto item = connection->request("GET", "/items/ok");
    ASSERT_TRUE(item);
    EXPECT_EQ(item->status, 200);
  }
}

}  // namespace
