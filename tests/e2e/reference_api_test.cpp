// The reference API end to end: the built keel-server on port 0 with a fresh
// data directory, spoken to over real HTTP on loopback.
#include "http_client.h"
#include "server_process.h"

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include <chrono>
#include <filesystem>
#include <memory>
#include <thread>

namespace {

using keel::test::HttpConnection;
using keel::test::HttpResponse;
using Json = nlohmann::json;
namespace fs = std::filesystem;

constexpr const char* kCsv =
    "city,temp,sunny\n"
    "Oslo,3.5,false\n"
    "Lima,19,true\n"
    "Oslo,4.25,false\n"
    "Cairo,31,true\n";

class ReferenceApi : public ::testing::Test {
protected:
  void SetUp() override {
    data_dir_ = fs::temp_directory_path() / ("keel-e2e-" + std::to_string(::getpid()) + "-" +
                                             ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(data_dir_);
    start();
  }
  void TearDown() override {
    if (server_) {
      EXPECT_EQ(server_->stop(), 0) << "keel-server should exit cleanly on SIGTERM";
    }
    fs::remove_all(data_dir_);
  }
  void start() {
    server_ = std::make_unique<keel::test::ServerProcess>(
        KEEL_SERVER_BIN, std::vector<std::string>{"serve", "--port", "0", "--data-dir", data_dir_.string(),
                                                  "--max-request-bytes", "65536", "--job-workers", "1"});
  }

  HttpResponse call(std::string_view method, std::string_view target,
                    std::vector<std::pair<std::string, std::string>> headers = {}, std::string_view body = {}) {
    HttpConnection c(server_->port());
    auto r = c.request(method, target, headers, body, std::chrono::milliseconds(15000));
    if (!r) ADD_FAILURE() << method << " " << target << ": no response (" << c.last_error() << ")";
    return r.value_or(HttpResponse{});
  }

  static Json json(const HttpResponse& r) {
    EXPECT_NE(r.header("Content-Type"), nullptr);
    if (r.header("Content-Type")) {
      EXPECT_EQ(r.header("Content-Type")->rfind("application/json", 0), 0u);
    }
    return Json::parse(r.body);
  }

  // Every error, from any layer: the envelope with the right status.
  static Json envelope(const HttpResponse& r, int status, const std::string& code) {
    EXPECT_EQ(r.status, status) << r.body;
    Json body = json(r);
    EXPECT_EQ(body.value("code", ""), code) << r.body;
    EXPECT_TRUE(body.contains("error") && body["error"].is_string());
    EXPECT_TRUE(body.contains("correlation_id"));
    EXPECT_EQ(body.value("correlation_id", ""), *r.header("X-Request-Id"));
    return body;
  }

  Json upload_csv(const std::string& name) {
    auto r = call("POST", "/v1/datasets/upload?name=" + name, {{"Content-Type", "text/csv"}}, kCsv);
    EXPECT_EQ(r.status, 201) << r.body;
    return json(r);
  }

  Json wait_for_job(const std::string& id) {
    for (int i = 0; i < 600; ++i) {
      Json job = json(call("GET", "/v1/synthesize/jobs/" + id));
      std::string status = job.value("status", "");
      if (status == "succeeded" || status == "failed" || status == "canceled") return job;
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
    }
    ADD_FAILURE() << "job " << id << " did not finish";
    return {};
  }

  fs::path data_dir_;
  std::unique_ptr<keel::test::ServerProcess> server_;
};

TEST_F(ReferenceApi, SystemEndpointsAndEmbeddedSpec) {
  auto health = call("GET", "/healthz");
  EXPECT_EQ(health.status, 200);
  EXPECT_EQ(json(health)["status"], "ok");
  EXPECT_EQ(call("GET", "/readyz").status, 200);
  Json spec = json(call("GET", "/openapi.json"));
  EXPECT_EQ(spec["openapi"], "3.1.0");
  EXPECT_TRUE(spec["paths"].contains("/v1/synthesize/jobs/{job_id}:cancel"));
  auto yaml = call("GET", "/openapi.yaml");
  EXPECT_EQ(yaml.status, 200);
  EXPECT_EQ(yaml.body.rfind("openapi: 3.1.0", 0), 0u);
}

TEST_F(ReferenceApi, DatasetLifecycle) {
  Json dataset = upload_csv("weather");
  std::string id = dataset["id"];
  EXPECT_EQ(id.rfind("ds_", 0), 0u);
  EXPECT_EQ(dataset["name"], "weather");
  EXPECT_EQ(dataset["format"], "csv");
  EXPECT_EQ(dataset["row_count"], 4);
  EXPECT_EQ(dataset["column_count"], 3);
  EXPECT_EQ(dataset["columns"][1], (Json{{"name", "temp"}, {"type", "number"}}));

  EXPECT_EQ(json(call("GET", "/v1/datasets/" + id)), dataset);

  auto list = call("GET", "/v1/datasets?limit=1");
  Json page = json(list);
  EXPECT_EQ(page["total"], 1);
  EXPECT_EQ(page["data"][0]["id"], id);
  ASSERT_NE(list.header("Link"), nullptr);
  EXPECT_NE(list.header("Link")->find("rel=\"first\""), std::string::npos);

  Json profile = json(call("GET", "/v1/datasets/" + id + "/profile"));
  EXPECT_EQ(profile["row_count"], 4);
  EXPECT_EQ(profile["columns"][0]["distinct_count"], 3);
  EXPECT_DOUBLE_EQ(profile["columns"][1]["max"].get<double>(), 31.0);

  EXPECT_EQ(call("DELETE", "/v1/datasets/" + id).status, 204);
  envelope(call("GET", "/v1/datasets/" + id), 404, "not_found");
}

TEST_F(ReferenceApi, JsonRowsUpload) {
  auto r = call("POST", "/v1/datasets/upload", {{"Content-Type", "application/json"}},
                R"({"name": "people", "rows": [{"age": 31, "name": "Ada"}, {"age": null, "name": "Bo"}]})");
  EXPECT_EQ(r.status, 201) << r.body;
  Json created = json(r);
  EXPECT_EQ(created["format"], "json");
  EXPECT_EQ(created["name"], "people");
  EXPECT_NE(r.header("Location"), nullptr);
  // Columns follow the keys' order as sent, not the alphabet.
  ASSERT_EQ(created["columns"].size(), 2u);
  EXPECT_EQ(created["columns"][0]["name"], "age");
  EXPECT_EQ(created["columns"][1]["name"], "name");
  auto zebra = call("POST", "/v1/datasets/upload?name=from-query", {{"Content-Type", "application/json"}},
                    R"({"name": "from-body", "rows": [{"z": 1, "a": "x"}]})");
  ASSERT_EQ(zebra.status, 201) << zebra.body;
  EXPECT_EQ(json(zebra)["name"], "from-query");
  EXPECT_EQ(json(zebra)["columns"][0]["name"], "z");

  // The body's shape is checked by the generated validator before the handler runs.
  Json missing = envelope(call("POST", "/v1/datasets/upload", {{"Content-Type", "application/json"}},
                               R"({"name": "x"})"),
                          400, "validation_failed");
  EXPECT_EQ(missing["errors"][0]["code"], "required");
  EXPECT_NE(missing["errors"][0]["detail"].get<std::string>().find("rows"), std::string::npos)
      << missing.dump();
  envelope(call("POST", "/v1/datasets/upload", {{"Content-Type", "application/json"}},
                R"({"rows": [{"a": {"nested": 1}}]})"),
           400, "invalid_rows");
}

TEST_F(ReferenceApi, MultipartUploadIsDecodedBeforeTheHandler) {
  const std::string type = "multipart/form-data; boundary=kb";
  auto part = [](std::string head, std::string body) {
    return "--kb\r\nContent-Disposition: form-data; " + head + "\r\n\r\n" + body + "\r\n";
  };
  std::string csv = part("name=\"name\"", "people") +
                    part("name=\"file\"; filename=\"p.csv\"\r\nContent-Type: text/csv", "a,b\n1,2\n") +
                    "--kb--\r\n";
  auto r = call("POST", "/v1/datasets/upload", {{"Content-Type", type}}, csv);
  EXPECT_EQ(r.status, 201) << r.body;
  EXPECT_EQ(json(r)["name"], "people");

  // A broken body, a refused part type, and a missing file part.
  envelope(call("POST", "/v1/datasets/upload", {{"Content-Type", type}}, "--kb\r\nno end"), 400,
           "malformed_multipart");
  std::string pdf = part("name=\"file\"; filename=\"p.pdf\"\r\nContent-Type: application/pdf", "%PDF") +
                    "--kb--\r\n";
  Json refused = envelope(call("POST", "/v1/datasets/upload", {{"Content-Type", type}}, pdf), 415,
                          "unsupported_media_type");
  EXPECT_EQ(refused["errors"][0]["pointer"], "/body/file");
  Json missing = envelope(call("POST", "/v1/datasets/upload", {{"Content-Type", type}},
                               part("name=\"name\"", "x") + "--kb--\r\n"),
                          400, "validation_failed");
  EXPECT_EQ(missing["errors"][0]["code"], "required");
}

TEST_F(ReferenceApi, BadInputGetsTheEnvelope) {
  Json bad = envelope(call("GET", "/v1/datasets?limit=500&page=abc"), 400, "validation_failed");
  ASSERT_EQ(bad["errors"].size(), 2u);
  EXPECT_EQ(bad["errors"][0]["pointer"], "/query/page");
  EXPECT_EQ(bad["errors"][0]["code"], "type");
  EXPECT_EQ(bad["errors"][1]["pointer"], "/query/limit");

  envelope(call("GET", "/v1/nothing-here"), 404, "not_found");
  auto not_allowed = call("PUT", "/v1/datasets");
  envelope(not_allowed, 405, "method_not_allowed");
  ASSERT_NE(not_allowed.header("Allow"), nullptr);
  EXPECT_EQ(*not_allowed.header("Allow"), "GET, HEAD");

  envelope(call("POST", "/v1/synthesize/jobs", {{"Content-Type", "application/json"}}, "{\"rows\": "), 400,
           "validation_failed");
  envelope(call("POST", "/v1/synthesize/jobs", {{"Content-Type", "text/plain"}}, "rows=1"), 415,
           "unsupported_media_type");
  envelope(call("POST", "/v1/datasets/upload?name=x", {{"Content-Type", "text/csv"}}, std::string(70000, 'a')),
           413, "payload_too_large");
  envelope(call("POST", "/v1/datasets/upload?name=x", {{"Content-Type", "text/csv"}}, "a,b\n1\n"), 400,
           "invalid_csv");
  // Still serving after all of that.
  EXPECT_EQ(call("GET", "/healthz").status, 200);
}

TEST_F(ReferenceApi, BodiesAndParametersAreCheckedAgainstTheSpecsSchemas) {
  // One entry per failing keyword, pointing into the body.
  Json bad = envelope(call("POST", "/v1/synthesize/jobs", {{"Content-Type", "application/json"}},
                           R"({"dataset_id": "dataset-1", "rows": 0, "speed": "fast"})"),
                      400, "validation_failed");
  std::vector<std::string> found;
  for (const auto& e : bad["errors"]) found.push_back(e["pointer"].get<std::string>() + " " + e["code"].get<std::string>());
  EXPECT_EQ(found, (std::vector<std::string>{"/body/dataset_id pattern", "/body/rows minimum",
                                             "/body/speed additionalProperties"}));
  EXPECT_EQ(bad["errors"][1]["detail"], "must be >= 1 (is 0)");
  // A path parameter's pattern, before any handler runs.
  Json id = envelope(call("GET", "/v1/datasets/not-a-dataset-id"), 400, "validation_failed");
  ASSERT_EQ(id["errors"].size(), 1u);
  EXPECT_EQ(id["errors"][0]["pointer"], "/path/dataset_id");
  EXPECT_EQ(id["errors"][0]["code"], "pattern");
}

TEST_F(ReferenceApi, OperationsWithoutHandlersAnswer501) {
  envelope(call("GET", "/v1/webhooks"), 501, "not_implemented");
  // Decoding and validation come first.
  envelope(call("GET", "/v1/webhooks?limit=0"), 400, "validation_failed");
}

TEST_F(ReferenceApi, SynthesizeJobEndToEndIsDeterministic) {
  std::string dataset = upload_csv("weather")["id"];
  std::string body = R"({"dataset_id": ")" + dataset + R"(", "rows": 500, "seed": 42})";
  auto created = call("POST", "/v1/synthesize/jobs", {{"Content-Type", "application/json"}}, body);
  ASSERT_EQ(created.status, 202) << created.body;
  Json job = json(created);
  std::string id = job["job_id"];
  EXPECT_EQ(*created.header("X-Job-Id"), id);
  EXPECT_EQ(job["status"], "queued");
  EXPECT_TRUE(job["estimate"].contains("credits"));
  EXPECT_EQ(job["evidence"]["expected_root_pending"], true);
  EXPECT_EQ(job["_links"]["cancel"], "/v1/synthesize/jobs/" + id + ":cancel");

  EXPECT_EQ(wait_for_job(id)["status"], "succeeded");
  auto output = call("GET", "/v1/synthesize/jobs/" + id + "/output");
  ASSERT_EQ(output.status, 200);
  EXPECT_EQ(output.body.rfind("city,temp,sunny\r\n", 0), 0u);
  EXPECT_EQ(std::count(output.body.begin(), output.body.end(), '\n'), 501);

  std::string again = json(call("POST", "/v1/synthesize/jobs", {{"Content-Type", "application/json"}}, body))["job_id"];
  wait_for_job(again);
  EXPECT_EQ(call("GET", "/v1/synthesize/jobs/" + again + "/output").body, output.body);

  envelope(call("POST", "/v1/synthesize/jobs/" + id + ":cancel"), 409, "job_not_cancelable");
  Json listed = json(call("GET", "/v1/synthesize/jobs?status=succeeded"));
  EXPECT_EQ(listed["total"], 2);
  envelope(call("GET", "/v1/synthesize/jobs?status=sleeping"), 400, "validation_failed");
  envelope(call("GET", "/v1/synthesize/jobs/job_doesnotexist00000000000000"), 404, "not_found");
}

TEST_F(ReferenceApi, DataSurvivesARestart) {
  std::string id = upload_csv("kept")["id"];
  ASSERT_EQ(server_->stop(), 0);
  start();
  EXPECT_EQ(call("GET", "/v1/datasets/" + id).status, 200);
}

TEST_F(ReferenceApi, AccessLogHasOneJsonLinePerRequest) {
  auto r = call("GET", "/v1/datasets/ds_" + std::string(26, '0'), {{"X-Request-Id", "trace-123"}});
  EXPECT_EQ(*r.header("X-Request-Id"), "trace-123");
  Json line;
  for (int i = 0; i < 100 && line.is_null(); ++i) {
    for (const auto& l : server_->output_lines()) {
      Json j = Json::parse(l, nullptr, false);
      if (!j.is_discarded() && j.value("correlation_id", "") == "trace-123") line = j;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  ASSERT_FALSE(line.is_null()) << "no access-log line for the request";
  EXPECT_EQ(line["method"], "GET");
  EXPECT_EQ(line["route"], "/v1/datasets/{dataset_id}");
  EXPECT_EQ(line["status"], 404);
  EXPECT_EQ(line["tenant"], "dev");
  EXPECT_TRUE(line.contains("duration_ms"));
  EXPECT_TRUE(line.contains("time"));
}

}  // namespace
