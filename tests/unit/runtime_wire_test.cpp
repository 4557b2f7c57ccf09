#include <keel/wire.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace {

using keel::BodyFraming;
using keel::RequestHead;

RequestHead parse_ok(std::string_view head) {
  RequestHead out;
  auto error = keel::parse_request_head(head, out);
  EXPECT_FALSE(error) << head << " -> " << (error ? error->code : "");
  return out;
}

std::string parse_error(std::string_view head) {
  RequestHead out;
  auto error = keel::parse_request_head(head, out);
  return error ? std::to_string(error->status) + " " + error->code : "ok";
}

TEST(RuntimeWire, ParsesRequestLineAndHeadersInOrder) {
  auto head = parse_ok(
      "post /v1/jobs/a%2Fb:cancel?x=1&y=%20 HTTP/1.1\r\nHost: h\r\nX-A: 1\r\nx-a:  2 \r\n\r\n");
  EXPECT_EQ(head.method, "POST");
  EXPECT_EQ(head.path, "/v1/jobs/a%2Fb:cancel");
  EXPECT_EQ(head.query, "x=1&y=%20");
  EXPECT_EQ(head.minor_version, 1);
  ASSERT_EQ(head.headers.items().size(), 3u);
  EXPECT_EQ(head.headers.items()[1].first, "X-A");
  EXPECT_EQ(head.headers.items()[2].second, "2");
  EXPECT_EQ(*head.headers.find("X-A"), "1");
}

TEST(RuntimeWire, AbsoluteFormKeepsPathAndQuery) {
  EXPECT_EQ(parse_ok("GET http://example.com/a/b?c HTTP/1.1\r\n\r\n").path, "/a/b");
  EXPECT_EQ(parse_ok("GET http://example.com?c=1 HTTP/1.1\r\n\r\n").query, "c=1");
  EXPECT_EQ(parse_ok("GET https://example.com HTTP/1.0\r\n\r\n").path, "/");
}

TEST(RuntimeWire, RejectsMalformedHeads) {
  EXPECT_EQ(parse_error("GET /x\r\n\r\n"), "400 malformed_request_line");
  EXPECT_EQ(parse_error("GET  /x HTTP/1.1\r\n\r\n"), "400 malformed_request_line");
  EXPECT_EQ(parse_error("G(T /x HTTP/1.1\r\n\r\n"), "400 malformed_request_line");
  EXPECT_EQ(parse_error("GET /x y HTTP/1.1\r\n\r\n"), "400 malformed_request_line");
  EXPECT_EQ(parse_error("GET /\x80 HTTP/1.1\r\n\r\n"), "400 malformed_request_line");
  EXPECT_EQ(parse_error("GET /x HTTP/2.0\r\n\r\n"), "505 http_version_not_supported");
  EXPECT_EQ(parse_error("GET x HTTP/1.1\r\n\r\n"), "400 malformed_request_target");
  EXPECT_EQ(parse_error("GET * HTTP/1.1\r\n\r\n"), "400 malformed_request_target");
  EXPECT_EQ(parse_error("OPTIONS * HTTP/1.1\r\n\r\n"), "ok");
  EXPECT_EQ(parse_error("GET / HTTP/1.1\r\nNoColon\r\n\r\n"), "400 malformed_header");
  EXPECT_EQ(parse_error("GET / HTTP/1.1\r\nA b: c\r\n\r\n"), "400 malformed_header");
  EXPECT_EQ(parse_error("GET / HTTP/1.1\r\nA : c\r\n\r\n"), "400 malformed_header");
  EXPECT_EQ(parse_error("GET / HTTP/1.1\r\n: c\r\n\r\n"), "400 malformed_header");
  EXPECT_EQ(parse_error("GET / HTTP/1.1\r\nA: b\r\n c\r\n\r\n"), "400 malformed_header");
  EXPECT_EQ(parse_error("GET / HTTP/1.1\r\nA: b\x01\r\n\r\n"), "400 malformed_header");
  EXPECT_EQ(parse_error("GET / HTTP/1.1\r\nA: b\nC: d\r\n\r\n"), "400 malformed_header");
  EXPECT_EQ(parse_error("GET / HTTP/1.1\r\nA: caf\xc3\xa9\r\n\r\n"), "ok");
}

TEST(RuntimeWire, PartialHeadCheckCatchesGarbageEarly) {
  EXPECT_FALSE(keel::check_partial_head("GE"));
  EXPECT_FALSE(keel::check_partial_head("GET /partial/path"));
  EXPECT_TRUE(keel::check_partial_head(std::string("\x16\x03\x01", 3)));
  EXPECT_TRUE(keel::check_partial_head(std::string(40, 'A')));
  EXPECT_TRUE(keel::check_partial_head("GET /x HTTP/1.1 junk\r\nHost"));
  EXPECT_FALSE(keel::check_partial_head("GET /x HTTP/1.1\r\nHost: a"));
}

BodyFraming framing_of(std::vector<std::pair<std::string, std::string>> list,
                       std::string* error_code = nullptr) {
  keel::Headers headers;
  for (auto& [k, v] : list) headers.add(k, v);
  BodyFraming framing;
  auto error = keel::body_framing(headers, framing);
  if (error_code) *error_code = error ? std::to_string(error->status) + " " + error->code : "ok";
  return framing;
}

TEST(RuntimeWire, BodyFraming) {
  std::string code;
  EXPECT_EQ(framing_of({}).kind, BodyFraming::Kind::none);
  EXPECT_EQ(framing_of({{"Content-Length", "0"}}).kind, BodyFraming::Kind::none);
  auto length = framing_of({{"content-length", "42"}});
  EXPECT_EQ(length.kind, BodyFraming::Kind::length);
  EXPECT_EQ(length.length, 42u);
  EXPECT_EQ(framing_of({{"Content-Length", "7, 7"}}).length, 7u);
  EXPECT_EQ(framing_of({{"Transfer-Encoding", "Chunked"}}).kind, BodyFraming::Kind::chunked);
  for (const char* bad : {"abc", "-1", "1.5", "", "1, 2", "99999999999999999999", "0x10"}) {
    framing_of({{"Content-Length", bad}}, &code);
    EXPECT_EQ(code, "400 invalid_content_length") << bad;
  }
  framing_of({{"Content-Length", "1"}, {"Content-Length", "2"}}, &code);
  EXPECT_EQ(code, "400 invalid_content_length");
  framing_of({{"Content-Length", "1"}, {"Transfer-Encoding", "chunked"}}, &code);
  EXPECT_EQ(code, "400 conflicting_framing");
  framing_of({{"Transfer-Encoding", "gzip, chunked"}}, &code);
  EXPECT_EQ(code, "501 unsupported_transfer_encoding");
  framing_of({{"Transfer-Encoding", "chunked, gzip"}}, &code);
  EXPECT_EQ(code, "501 unsupported_transfer_encoding");
}

TEST(RuntimeWire, KeepAliveAndExpect) {
  EXPECT_TRUE(keel::wants_keep_alive(parse_ok("GET / HTTP/1.1\r\n\r\n")));
  EXPECT_FALSE(keel::wants_keep_alive(parse_ok("GET / HTTP/1.1\r\nConnection: Close\r\n\r\n")));
  EXPECT_FALSE(keel::wants_keep_alive(parse_ok("GET / HTTP/1.1\r\nConnection: TE, close\r\n\r\n")));
  EXPECT_FALSE(keel::wants_keep_alive(parse_ok("GET / HTTP/1.0\r\n\r\n")));
  EXPECT_TRUE(keel::wants_keep_alive(parse_ok("GET / HTTP/1.0\r\nConnection: keep-alive\r\n\r\n")));
  EXPECT_TRUE(keel::expects_continue(parse_ok("PUT / HTTP/1.1\r\nExpect: 100-Continue\r\n\r\n")));
  EXPECT_FALSE(keel::expects_continue(parse_ok("PUT / HTTP/1.0\r\nExpect: 100-continue\r\n\r\n")));
}

std::string header_block(const std::string& wire) {
  return wire.substr(0, wire.find("\r\n\r\n") + 2);
}

TEST(RuntimeWire, SerialisesResponseWithOwnedHeaders) {
  keel::Response response;
  response.status = 201;
  response.content_type = "application/json";
  response.body = R"({"id":1})";
  response.headers.add("Location", "/items/1");
  response.headers.add("Content-Length", "999");
  response.headers.add("Connection", "close");
  response.headers.add("X-Request-Id", "forged");
  response.headers.add("Bad Name", "x");
  response.headers.add("X-Split", "a\r\nInjected: 1");
  keel::WireOptions options;
  options.correlation_id = "cid";
  std::string wire = keel::serialize_response(response, options);
  EXPECT_EQ(wire.rfind("HTTP/1.1 201 Created\r\n", 0), 0u) << wire;
  std::string head = header_block(wire);
  EXPECT_NE(head.find("\r\nContent-Type: application/json\r\n"), std::string::npos);
  EXPECT_NE(head.find("\r\nContent-Length: 8\r\n"), std::string::npos);
  EXPECT_NE(head.find("\r\nX-Request-Id: cid\r\n"), std::string::npos);
  EXPECT_NE(head.find("\r\nLocation: /items/1\r\n"), std::string::npos);
  EXPECT_NE(head.find("\r\nDate: "), std::string::npos);
  EXPECT_EQ(head.find("999"), std::string::npos);
  EXPECT_EQ(head.find("Connection"), std::string::npos);
  EXPECT_EQ(head.find("forged"), std::string::npos);
  EXPECT_EQ(head.find("Bad Name"), std::string::npos);
  EXPECT_EQ(head.find("Injected"), std::string::npos);
  EXPECT_EQ(wire.substr(wire.size() - 8), R"({"id":1})");
}

TEST(RuntimeWire, ErrorResponsesRenderTheEnvelope) {
  keel::Response response = keel::error_response(keel::not_found("nothing here"));
  response.body = "ignored";
  keel::WireOptions options;
  options.correlation_id = "req-9";
  options.close = true;
  std::string wire = keel::serialize_response(response, options);
  EXPECT_EQ(wire.rfind("HTTP/1.1 404 Not Found\r\n", 0), 0u);
  EXPECT_NE(wire.find("\r\nConnection: close\r\n"), std::string::npos);
  EXPECT_NE(wire.find("\r\nContent-Type: application/json\r\n"), std::string::npos);
  auto body = nlohmann::json::parse(wire.substr(wire.find("\r\n\r\n") + 4));
  EXPECT_EQ(body["correlation_id"], "req-9");
  EXPECT_EQ(body["hint"], "nothing here");
}

TEST(RuntimeWire, HeadResponsesKeepLengthButDropBody) {
  keel::Response response;
  response.content_type = "text/plain";
  response.body = "hello";
  keel::WireOptions options;
  options.correlation_id = "c";
  options.head_request = true;
  std::string wire = keel::serialize_response(response, options);
  EXPECT_NE(wire.find("Content-Length: 5\r\n"), std::string::npos);
  EXPECT_EQ(wire.substr(wire.size() - 4), "\r\n\r\n");
}

TEST(RuntimeWire, NoContentHasNoBodyOrLength) {
  keel::Response response;
  response.status = 204;
  response.body = "dropped";
  response.content_type = "application/json";
  keel::WireOptions options;
  options.correlation_id = "c";
  options.keep_alive_http10 = true;
  std::string wire = keel::serialize_response(response, options);
  EXPECT_EQ(wire.find("Content-Length"), std::string::npos);
  EXPECT_EQ(wire.find("Content-Type"), std::string::npos);
  EXPECT_NE(wire.find("Connection: keep-alive\r\n"), std::string::npos);
  EXPECT_EQ(wire.substr(wire.size() - 4), "\r\n\r\n");
}

}  // namespace
