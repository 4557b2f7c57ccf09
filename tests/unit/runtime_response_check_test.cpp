// keel::check_response: which documented entry a response is checked
// against, and that a conforming body is settled by the fast check alone.
#include <keel/response_check.h>

#include <gtest/gtest.h>

namespace {

int fast_calls = 0;
int collecting_calls = 0;

// Stands in for a generated validator pair: the body must be {"ok": true}.
bool ok_fast(const nlohmann::json& body, const keel::schema::Options&) {
  ++fast_calls;
  return body.is_object() && body.value("ok", false);
}

bool ok_collecting(const nlohmann::json& body, keel::schema::Errors& errors, const keel::schema::Options&) {
  ++collecting_calls;
  if (body.is_object() && body.value("ok", false)) return true;
  keel::schema::Error error;
  error.keyword_location = "#/properties/ok/const";
  error.keyword = "const";
  error.pointer = "/ok";
  error.owned = "must be true";
  errors.items.push_back(std::move(error));
  return false;
}

constexpr keel::DocumentedResponse documented[] = {
    {"200", "application/json", &ok_collecting, &ok_fast},
    {"204", "", nullptr, nullptr},
    {"4XX", "application/json", nullptr, nullptr},
};

keel::Response json_response(int status, std::string body) {
  keel::Response r;
  r.status = status;
  r.content_type = "application/json";
  r.body = std::move(body);
  return r;
}

class ResponseCheck : public ::testing::Test {
protected:
  void SetUp() override { fast_calls = collecting_calls = 0; }
};

TEST_F(ResponseCheck, AConformingBodyIsSettledByTheFastCheckAlone) {
  EXPECT_EQ(keel::check_response(json_response(200, R"({"ok":true})"), documented), std::nullopt);
  EXPECT_EQ(fast_calls, 1);
  EXPECT_EQ(collecting_calls, 0);
}

TEST_F(ResponseCheck, ABreakingBodyIsExplainedByTheCollectingWalk) {
  auto why = keel::check_response(json_response(200, R"({"ok":false})"), documented);
  ASSERT_TRUE(why.has_value());
  EXPECT_EQ(*why, "the body does not match the schema for status 200: at '/ok' must be true "
                  "(#/properties/ok/const)");
  EXPECT_EQ(fast_calls, 1);
  EXPECT_EQ(collecting_calls, 1);
}

TEST_F(ResponseCheck, StatusesAndMediaTypesComeFromTheDocumentedList) {
  EXPECT_EQ(keel::check_response(json_response(201, "{}"), documented), "status 201 is not documented");
  EXPECT_EQ(keel::check_response(json_response(404, "{}"), documented), std::nullopt);  // 4XX, no schema
  keel::Response empty;
  empty.status = 204;
  EXPECT_EQ(keel::check_response(empty, documented), std::nullopt);
  auto text = json_response(200, "ok");
  text.content_type = "text/plain";
  EXPECT_EQ(keel::check_response(text, documented),
            "Content-Type 'text/plain' is not documented for status 200");
}

TEST_F(ResponseCheck, AThrownErrorIsCheckedForItsStatusOnly) {
  EXPECT_EQ(keel::check_status(404, documented), std::nullopt);  // 4XX
  EXPECT_EQ(keel::check_status(204, documented), std::nullopt);
  EXPECT_EQ(keel::check_status(500, documented), "status 500 is not documented");
  constexpr keel::DocumentedResponse with_default[] = {{"200", "", nullptr, nullptr},
                                                       {"default", "application/json", nullptr, nullptr}};
  EXPECT_EQ(keel::check_status(503, with_default), std::nullopt);
}

}  // namespace
