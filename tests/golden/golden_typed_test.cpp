// Drives the typed layer of tests/golden/models/expected: request structs
// whose parameters and bodies arrive as models, and responders that offer
// one factory per documented status and media type (and nothing else).
#include "models/expected/api.h"

#include <keel/error.h>

#include <gtest/gtest.h>

#include <stdexcept>
#include <string>
#include <type_traits>

namespace {

namespace api = golden_models;
namespace m = golden_models::models;
using nlohmann::json;

// What a handler cannot write: checked here as concepts, since the point is
// that it does not compile.
template <class R>
concept HasErrorFactory = requires(keel::ApiError e) { R::error(e); };
template <class R>
concept HasStatus200 = requires(m::CreateShapeResponse201 body) { R::status_200(body); };
static_assert(!HasErrorFactory<api::CreateShapeResponse>, "createShape documents no error status");
static_assert(HasErrorFactory<api::PutWidgetResponse>);
static_assert(!HasStatus200<api::CreateShapeResponse>, "createShape documents 201 only");
static_assert(!std::is_constructible_v<api::PutWidgetResponse, keel::Response>,
              "only the factories make a responder");
static_assert(!std::is_default_constructible_v<api::PutWidgetResponse>);
// Fingerprints as the handler states them (a stale one is tests/golden/stale_handler.cpp).
static_assert(api::shape::put_widget<0x3a05a74d7b6e39f1>());

// Records what the typed request held.
struct Recorder : api::Handlers {
  api::PutWidgetRequest seen;
  api::PutWidgetResponse put_widget(keel::Context&, const api::PutWidgetRequest& r) override {
    seen = r;
    if (r.payload_json)
      return api::PutWidgetResponse::status_200_json(*r.payload_json, {.location = "/widgets/1", .x_revision = 4});
    if (r.payload_merge_patch_json) return api::PutWidgetResponse::status_204();
    return api::PutWidgetResponse::status_200_csv(r.body.raw, {.location = "/widgets/1"});
  }
};

struct Typed : ::testing::Test {
  Recorder handlers;
  std::unique_ptr<keel::Api> api = api::make_api(handlers);
  keel::Context context;

  keel::Response put(std::string query, std::string type, std::string body) {
    keel::Request request;
    request.method = "PUT";
    request.path = "/widgets/1";
    request.query = std::move(query);
    request.headers.set("Content-Type", std::move(type));
    request.body = std::move(body);
    auto match = api->match(request.method, request.path);
    EXPECT_EQ(match.status, keel::RouteMatch::Status::matched);
    keel::Response r = api->handle(match.operation, context, request, match);
    if (!r.error) {
      EXPECT_EQ(keel::check_response(r, api->documented_responses(match.operation)), std::nullopt);
    }
    return r;
  }
};

constexpr const char* widget = R"({"id":7,"name":"w","kind":"widget","nickname":null,"tags":["a"]})";

TEST_F(Typed, ParametersArriveAsModels) {
  put("range[min]=2&range[max]=9&tags=x&tags=y", "application/json", widget);
  ASSERT_TRUE(handlers.seen.range);
  EXPECT_EQ(handlers.seen.range->min, 2);
  EXPECT_EQ(handlers.seen.range->max, 9);
  ASSERT_TRUE(handlers.seen.tags);
  EXPECT_EQ(*handlers.seen.tags, (std::vector<std::string>{"x", "y"}));
  EXPECT_EQ(handlers.seen.id, 1);
}

TEST_F(Typed, JsonBodyArrivesAsItsModelAndAnswersThroughTheResponder) {
  keel::Response r = put("", "application/json", widget);
  ASSERT_TRUE(handlers.seen.payload_json);
  EXPECT_FALSE(handlers.seen.payload_merge_patch_json);
  EXPECT_EQ(handlers.seen.payload_json->id, 7);
  EXPECT_TRUE(handlers.seen.payload_json->nickname.is_null());
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.content_type, "application/json");
  EXPECT_EQ(json::parse(r.body), json::parse(widget));
  ASSERT_NE(r.headers.find("Location"), nullptr);
  EXPECT_EQ(*r.headers.find("Location"), "/widgets/1");
  EXPECT_EQ(*r.headers.find("X-Revision"), "4");
}

TEST_F(Typed, EachMediaTypeWithItsOwnSchemaHasItsOwnMember) {
  keel::Response r = put("", "application/merge-patch+json", R"({"name":"v"})");
  EXPECT_FALSE(handlers.seen.payload_json);
  ASSERT_TRUE(handlers.seen.payload_merge_patch_json);
  EXPECT_EQ(handlers.seen.payload_merge_patch_json->at("name"), "v");
  EXPECT_EQ(r.status, 204);
}

TEST_F(Typed, RawMediaTypesKeepTheBytes) {
  keel::Response r = put("", "text/csv", "a,b\n1,2\n");
  EXPECT_FALSE(handlers.seen.payload_json);
  EXPECT_FALSE(handlers.seen.payload_merge_patch_json);
  EXPECT_EQ(handlers.seen.body.raw, "a,b\n1,2\n");
  EXPECT_EQ(r.content_type, "text/csv");
  EXPECT_EQ(r.headers.find("X-Revision"), nullptr);
}

TEST_F(Typed, AnInvalidBodyNeverReachesTheModel) {
  keel::Response r = put("", "application/json", R"({"id":"seven"})");
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->status, 400);
}

TEST(Responders, RangesAndDefaultTakeAStatusCheckedAtRunTime) {
  m::PutWidgetResponse4Xx problem;
  problem.title = "gone";
  keel::Response r = api::PutWidgetResponse::status_4xx(410, problem).response();
  EXPECT_EQ(r.status, 410);
  EXPECT_EQ(r.content_type, "application/problem+json");
  EXPECT_EQ(json::parse(r.body), json({{"title", "gone"}}));
  EXPECT_THROW(api::PutWidgetResponse::status_4xx(500, problem), std::invalid_argument);
  EXPECT_EQ(api::PutWidgetResponse::status_default(503).response().status, 503);
  EXPECT_THROW(api::PutWidgetResponse::status_default(42), std::invalid_argument);
}

TEST(Responders, ErrorEnvelopesOnlyWithADocumentedStatus) {
  keel::Response r = api::PutWidgetResponse::error(keel::not_found("no widget")).response();
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->status, 404);
  EXPECT_EQ(api::PutWidgetResponse::error(keel::internal_error()).response().status, 500)
      << "`default` covers any status";
  // What error() runs: an operation documenting 404 and 4XX only refuses a 500.
  EXPECT_EQ(keel::checked_error(keel::not_found(), {"404", "4XX"}, "op").status, 404);
  EXPECT_THROW(keel::checked_error(keel::internal_error(), {"404", "4XX"}, "op"), std::invalid_argument);
}

TEST(Responders, UnimplementedOperationsAnswer501) {
  api::Handlers none;
  auto served = api::make_api(none);
  keel::Request request;
  request.method = "GET";
  request.path = "/shapes";
  auto match = served->match(request.method, request.path);
  keel::Context context;
  keel::Response r = served->handle(match.operation, context, request, match);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->status, 501);
}

}  // namespace
