// Drives the checked-in golden output of keel-gen (tests/golden/*/expected),
// so the route matcher is tested as the compiler sees it.
#include "custom-methods/expected/api.h"
#include "petstore/expected/api.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace {

using Status = keel::RouteMatch::Status;

std::string route(const keel::Api& api, const keel::RouteMatch& m) {
  if (m.status == Status::not_found) return "404";
  if (m.status == Status::method_not_allowed) return "405 " + m.allow;
  std::string out(api.operations()[static_cast<std::size_t>(m.operation)].operation_id);
  for (auto p : m.params) out += " " + std::string(p);
  return out;
}

struct Routes : ::testing::Test {
  golden_petstore::Handlers pet_handlers;
  golden_custom_methods::Handlers custom_handlers;
  std::unique_ptr<keel::Api> pets = golden_petstore::make_api(pet_handlers);
  std::unique_ptr<keel::Api> custom = golden_custom_methods::make_api(custom_handlers);

  std::string pet(std::string_view method, std::string_view path) {
    return route(*pets, pets->match(method, path));
  }
  std::string cm(std::string_view method, std::string_view path) {
    return route(*custom, custom->match(method, path));
  }
};

TEST_F(Routes, LiteralAndTemplatedSegmentsSideBySide) {
  EXPECT_EQ(pet("GET", "/pets"), "listPets");
  EXPECT_EQ(pet("POST", "/pets"), "createPet");
  EXPECT_EQ(pet("GET", "/pets/mine"), "listMyPets");
  EXPECT_EQ(pet("GET", "/pets/42"), "showPetById 42");
  EXPECT_EQ(pet("DELETE", "/pets/42"), "deletePet 42");
  // The concrete path wins and answers 405 rather than falling to {petId}.
  EXPECT_EQ(pet("DELETE", "/pets/mine"), "405 GET, HEAD");
}

TEST_F(Routes, NotFoundAndMethodNotAllowed) {
  EXPECT_EQ(pet("GET", "/"), "404");
  EXPECT_EQ(pet("GET", "/pets/"), "404");  // an empty segment is no parameter
  EXPECT_EQ(pet("GET", "/pets/1/2"), "404");
  EXPECT_EQ(pet("GET", "pets"), "404");
  EXPECT_EQ(pet("PATCH", "/pets"), "405 GET, HEAD, POST");
  EXPECT_EQ(pet("PUT", "/pets/7"), "405 DELETE, GET, HEAD");
}

TEST_F(Routes, ExecutionModeComesFromTheSpec) {
  // showPetById says `x-keel-execution: event-loop`; the others keep the pool.
  for (const auto& op : pets->operations())
    EXPECT_EQ(op.on_event_loop, op.operation_id == "showPetById") << op.operation_id;
}

TEST_F(Routes, HeadFollowsGet) {
  EXPECT_EQ(pet("HEAD", "/pets/7"), "showPetById 7");
}

TEST_F(Routes, ParametersStayRawForPerParameterDecoding) {
  // An encoded slash is data inside one segment, not a separator.
  EXPECT_EQ(pet("GET", "/pets/a%2Fb"), "showPetById a%2Fb");
}

TEST_F(Routes, GoogleStyleCustomMethods) {
  EXPECT_EQ(cm("GET", "/v1/jobs/job_1"), "getJob job_1");
  EXPECT_EQ(cm("POST", "/v1/jobs/job_1:cancel"), "cancelJob job_1");
  EXPECT_EQ(cm("POST", "/v1/jobs/job_1:rotate-secret"), "rotate-secret job_1");
  EXPECT_EQ(cm("GET", "/v1/jobs/job_1:cancel"), "405 POST");
  EXPECT_EQ(cm("POST", "/v1/jobs/:cancel"), "405 GET, HEAD");  // {job_id} = ":cancel", GET only
  EXPECT_EQ(cm("POST", "/v1/jobs/job_1:unknown"), "405 GET, HEAD");
}

TEST_F(Routes, LiteralsAroundParameters) {
  EXPECT_EQ(cm("GET", "/v1/files/report.json"), "getFileJson report");
  EXPECT_EQ(cm("GET", "/v1/files/.json"), "404");
  EXPECT_EQ(cm("GET", "/v1/ranges/3..9"), "get_v1_ranges_from_to 3 9");
  EXPECT_EQ(cm("GET", "/v1/ranges/..9"), "404");
  EXPECT_EQ(cm("GET", "/"), "root");
}

TEST_F(Routes, OperationsWithoutHandlersAnswer501) {
  keel::Context context;
  keel::Request request;
  request.method = "GET";
  request.path = "/pets/7";
  auto match = pets->match(request.method, request.path);
  keel::Response r = pets->handle(match.operation, context, request, match);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->status, 501);
  EXPECT_EQ(r.error->code, "not_implemented");
}

TEST_F(Routes, BadParametersAnswer400WithAPointerPerField) {
  keel::Context context;
  keel::Request request;
  request.method = "GET";
  request.path = "/pets";
  request.query = "limit=0&species=fish&limit=3";
  auto match = pets->match(request.method, request.path);
  keel::Response r = pets->handle(match.operation, context, request, match);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->status, 400);
  std::vector<std::string> pointers;
  for (const auto& e : r.error->errors) pointers.push_back(e.pointer + " " + e.code);
  EXPECT_EQ(pointers, (std::vector<std::string>{"/query/limit duplicate_parameter", "/query/species enum"}));

  request.path = "/pets/-4";
  request.query = "";
  match = pets->match(request.method, request.path);
  r = pets->handle(match.operation, context, request, match);
  ASSERT_TRUE(r.error);
  ASSERT_EQ(r.error->errors.size(), 1u);
  EXPECT_EQ(r.error->errors[0].pointer, "/path/petId");
  EXPECT_EQ(r.error->errors[0].code, "minimum");
}

TEST_F(Routes, BodiesAreNegotiatedAndParsed) {
  keel::Context context;
  keel::Request request;
  request.method = "POST";
  request.path = "/pets";
  auto match = pets->match(request.method, request.path);

  request.headers.set("Content-Type", "application/xml");
  request.body = "{}";
  auto r = pets->handle(match.operation, context, request, match);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->status, 415);

  request.headers.set("Content-Type", "application/json; charset=utf-8");
  request.body = "{\"name\": ";
  r = pets->handle(match.operation, context, request, match);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->status, 400);
  EXPECT_EQ(r.error->errors.at(0).code, "malformed_json");

  request.body = "{\"name\": \"Rex\"}";
  r = pets->handle(match.operation, context, request, match);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->status, 501);  // decoded fine; no handler
}

// Every error of a request, as "pointer code" lines.
std::vector<std::string> field_errors(const keel::Response& r) {
  std::vector<std::string> out;
  if (!r.error) return out;
  for (const auto& e : r.error->errors) out.push_back(e.pointer + " " + e.code);
  return out;
}

TEST_F(Routes, BodiesAreValidatedAgainstTheSchemaOfTheirMediaType) {
  keel::Context context;
  keel::Request request;
  request.method = "POST";
  request.path = "/pets";
  auto match = pets->match(request.method, request.path);
  auto post = [&](std::string_view type, std::string body) {
    request.headers.set("Content-Type", std::string(type));
    request.body = std::move(body);
    return pets->handle(match.operation, context, request, match);
  };

  auto r = post("application/json", R"({"tag": "Big Dog", "age": 3})");
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->status, 400);
  EXPECT_EQ(r.error->code, "validation_failed");
  // Members in the instance's order, then what is missing.
  EXPECT_EQ(field_errors(r), (std::vector<std::string>{"/body/age additionalProperties",
                                                        "/body/tag pattern", "/body required"}));
  EXPECT_EQ(r.error->errors.at(0).detail, "property \"age\" is not allowed");

  // The batch media type has its own schema: an array of NewPet.
  r = post("application/vnd.petstore.batch+json", R"([{"name": "Rex"}, {"name": ""}])");
  EXPECT_EQ(field_errors(r), (std::vector<std::string>{"/body/1/name minLength"}));
  r = post("application/vnd.petstore.batch+json", R"({"name": "Rex"})");
  EXPECT_EQ(field_errors(r), (std::vector<std::string>{"/body type"}));

  // A read-only member must not be sent in a request.
  r = post("application/json", R"({"name": "Rex", "id": 7})");
  EXPECT_EQ(field_errors(r), (std::vector<std::string>{"/body/id readOnly"}));

  // Valid bodies of either JSON type, and text (no JSON schema to apply), reach the handler.
  EXPECT_EQ(post("application/json", R"({"name": "Rex", "tag": "dog"})").error->status, 501);
  EXPECT_EQ(post("application/vnd.petstore.batch+json", R"([{"name": "Rex"}])").error->status, 501);
  EXPECT_EQ(post("text/plain", "Rex").error->status, 501);

  // Malformed JSON is reported once, not validated as well.
  EXPECT_EQ(field_errors(post("application/json", "{")), (std::vector<std::string>{"/body malformed_json"}));
}

TEST_F(Routes, ParametersGoThroughTheirSchemaWhenTheDecoderDoesNotCoverIt) {
  keel::Context context;
  keel::Request request;
  request.method = "GET";
  request.path = "/pets";
  auto match = pets->match(request.method, request.path);
  request.headers.set("X-Trace", "not-hex");
  auto r = pets->handle(match.operation, context, request, match);
  EXPECT_EQ(field_errors(r), (std::vector<std::string>{"/header/X-Trace pattern"}));
  request.headers.set("X-Trace", "0badf00d");
  r = pets->handle(match.operation, context, request, match);
  ASSERT_TRUE(r.error);
  EXPECT_EQ(r.error->status, 501);
}

}  // namespace
