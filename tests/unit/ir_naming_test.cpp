#include "ir/naming.h"

#include <gtest/gtest.h>

using namespace keel::gen::ir;

TEST(Naming, SnakeCaseSplitsCamelAcronymsAndPunctuation) {
  EXPECT_EQ(snake_case("listDatasets"), "list_datasets");
  EXPECT_EQ(snake_case("getHTTPServer2Config"), "get_http_server2_config");
  EXPECT_EQ(snake_case("X-API-Key"), "x_api_key");
  EXPECT_EQ(snake_case("rotate-secret"), "rotate_secret");
  EXPECT_EQ(snake_case("GET /v1/jobs/{job_id}:cancel"), "get_v1_jobs_job_id_cancel");
}

TEST(Naming, PascalCase) {
  EXPECT_EQ(pascal_case("listDatasets"), "ListDatasets");
  EXPECT_EQ(pascal_case("api_key"), "ApiKey");
}

TEST(Naming, KeywordsAndLeadingDigitsAreEscaped) {
  EXPECT_EQ(snake_case("delete"), "delete_");
  EXPECT_EQ(snake_case("class"), "class_");
  EXPECT_EQ(snake_case("2fa"), "_2fa");
  EXPECT_EQ(snake_case("!!!"), "unnamed");
}

TEST(Naming, ScopesHandOutUniqueNames) {
  NameScope scope;
  EXPECT_EQ(scope.claim("page"), "page");
  EXPECT_EQ(scope.claim("page"), "page_2");
  EXPECT_EQ(scope.claim("page"), "page_3");
}

TEST(Naming, QualifiedClaimsAppendTheQualifierFirst) {
  NameScope scope;
  EXPECT_EQ(scope.claim("payload"), "payload");
  EXPECT_EQ(scope.claim("id", "query"), "id");
  EXPECT_EQ(scope.claim("payload", "query"), "payload_query");
  EXPECT_EQ(scope.claim("id", "header"), "id_header");
  EXPECT_EQ(scope.claim("id_header", "query"), "id_header_query");
  EXPECT_EQ(scope.claim("id", "header"), "id_header_2");
}

TEST(Naming, MediaWords) {
  EXPECT_EQ(media_word("application/json"), "json");
  EXPECT_EQ(media_word("multipart/form-data; boundary=x"), "form_data");
  EXPECT_EQ(media_word("application/problem+json"), "problem_json");
  EXPECT_EQ(media_word("text/*"), "text");
  EXPECT_EQ(media_word("*/*"), "any");
}
