#include <keel/error.h>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

namespace {

using Json = nlohmann::json;

TEST(RuntimeError, EnvelopeHasFieldsInDocumentedOrder) {
  keel::ApiError error =
      keel::validation_failed({{"/query/limit", "invalid_integer", "limit must be an integer"},
                               {"/body/name", "required", "name is required"}});
  std::string text = keel::envelope_json(error, "abc123");
  EXPECT_EQ(text.find("{\"error\":"), 0u) << text;
  EXPECT_LT(text.find("\"code\""), text.find("\"correlation_id\""));
  EXPECT_LT(text.find("\"correlation_id\""), text.find("\"hint\""));
  EXPECT_LT(text.find("\"hint\""), text.find("\"errors\""));
  Json body = Json::parse(text);
  EXPECT_EQ(body["error"], "Bad Request");
  EXPECT_EQ(body["code"], "validation_failed");
  EXPECT_EQ(body["correlation_id"], "abc123");
  ASSERT_EQ(body["errors"].size(), 2u);
  EXPECT_EQ(body["errors"][0], (Json{{"pointer", "/query/limit"},
                                     {"code", "invalid_integer"},
                                     {"detail", "limit must be an integer"}}));
}

TEST(RuntimeError, EmptyHintAndErrorsAreOmitted) {
  Json body = Json::parse(keel::envelope_json(keel::not_found(), "id"));
  EXPECT_EQ(body, (Json{{"error", "Not Found"}, {"code", "not_found"}, {"correlation_id", "id"}}));
}

TEST(RuntimeError, InternalErrorCarriesNoDetail) {
  keel::ApiError error = keel::internal_error();
  EXPECT_EQ(error.status, 500);
  EXPECT_EQ(error.code, "internal_error");
  EXPECT_EQ(error.title, "Internal Server Error");
  EXPECT_TRUE(error.hint.empty());
  EXPECT_TRUE(error.errors.empty());
  Json body = Json::parse(keel::envelope_json(error, "x"));
  EXPECT_EQ(body.size(), 3u);
}

TEST(RuntimeError, MethodNotAllowedNamesAllowedMethods) {
  keel::ApiError error = keel::method_not_allowed("GET, HEAD, POST");
  EXPECT_EQ(error.status, 405);
  EXPECT_EQ(error.title, "Method Not Allowed");
  EXPECT_NE(error.hint.find("GET, HEAD, POST"), std::string::npos);
}

TEST(RuntimeError, HelpersUseMatchingStatusesAndTitles) {
  struct Case {
    keel::ApiError error;
    int status;
    const char* code;
    const char* title;
  };
  const Case cases[] = {
      {keel::bad_request("bad_thing", "fix it"), 400, "bad_thing", "Bad Request"},
      {keel::payload_too_large(1024), 413, "payload_too_large", "Content Too Large"},
      {keel::header_fields_too_large(8), 431, "header_fields_too_large",
       "Request Header Fields Too Large"},
      {keel::unsupported_media_type("text/plain", "application/json"), 415,
       "unsupported_media_type", "Unsupported Media Type"},
      {keel::not_implemented("listThings"), 501, "not_implemented", "Not Implemented"},
      {keel::request_timeout(), 408, "request_timeout", "Request Timeout"},
      {keel::service_unavailable("later"), 503, "service_unavailable", "Service Unavailable"},
  };
  for (const auto& c : cases) {
    EXPECT_EQ(c.error.status, c.status);
    EXPECT_EQ(c.error.code, c.code);
    EXPECT_EQ(c.error.title, c.title);
  }
  EXPECT_NE(keel::payload_too_large(1024).hint.find("1024"), std::string::npos);
  EXPECT_NE(keel::unsupported_media_type("text/plain", "application/json").hint.find("text/plain"),
            std::string::npos);
  EXPECT_NE(keel::not_implemented("listThings").hint.find("listThings"), std::string::npos);
}

TEST(RuntimeError, ErrorResponseKeepsErrorStructured) {
  keel::Response response = keel::error_response(keel::not_found("gone"));
  EXPECT_EQ(response.status, 404);
  EXPECT_EQ(response.content_type, "application/json");
  ASSERT_TRUE(response.error);
  EXPECT_EQ(response.error->hint, "gone");
}

TEST(RuntimeError, InvalidUtf8InHintDoesNotThrow) {
  keel::ApiError error = keel::bad_request("bad", std::string("value \xff\xfe here"));
  std::string text;
  EXPECT_NO_THROW(text = keel::envelope_json(error, "id"));
  EXPECT_FALSE(Json::parse(text, nullptr, false).is_discarded());
}

TEST(RuntimeError, StatusTitles) {
  EXPECT_EQ(keel::status_title(200), "OK");
  EXPECT_EQ(keel::status_title(404), "Not Found");
  EXPECT_EQ(keel::status_title(429), "Too Many Requests");
  EXPECT_EQ(keel::status_title(799), "Unknown");
}

}  // namespace
