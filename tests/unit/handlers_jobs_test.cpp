// JobService: lifecycle, cancel, credits, isolation, listing, restart recovery.
#include "reference_app.h"
#include "handlers_test_support.h"

#include <keel/error.h>

#include <gtest/gtest.h>

#include <chrono>
#include <filesystem>
#include <functional>
#include <thread>

using namespace keel::reference;
using keel::reference::test_support::error_of;
using keel::reference::test_support::TempDir;
using nlohmann::json;
namespace models = keel_reference::models;
using Job = JobService::Job;
using namespace std::chrono_literals;

namespace {

std::string dataset_csv() {
  std::string csv = "kind,value,flag\n";
  for (int i = 0; i < 200; ++i)
    csv += std::string(i % 10 < 7   ? "a"
                       : i % 10 < 9 ? "b"
                                    : "c") +
           "," + std::to_string(i * 3 % 101) + "." + std::to_string(i % 10) + "," +
           (i % 4 == 0   ? ""
            : i % 2 == 0 ? "true"
                         : "false") +
           "\n";
  return csv;
}

ReferenceAppOptions options_for(const std::filesystem::path& dir, std::size_t workers,
                                std::chrono::milliseconds pause = 0ms, std::size_t chunk = 10000) {
  ReferenceAppOptions o;
  o.data_dir = dir;
  o.jobs.workers = workers;
  o.jobs.chunk_pause = pause;
  o.jobs.chunk_rows = chunk;
  return o;
}

Job wait_until(JobService& jobs, const std::string& tenant, const std::string& id,
               const std::function<bool(const Job&)>& done, std::chrono::seconds limit = 30s) {
  auto deadline = std::chrono::steady_clock::now() + limit;
  Job job = jobs.get(tenant, id);
  while (!done(job) && std::chrono::steady_clock::now() < deadline) {
    std::this_thread::sleep_for(5ms);
    job = jobs.get(tenant, id);
  }
  return job;
}

/// The wire name of a job's status, so failures print readably.
std::string status(const Job& job) { return std::string(to_string(job.status)); }

bool finished(const Job& job) {
  return job.status == models::JobStatus::succeeded || job.status == models::JobStatus::failed ||
         job.status == models::JobStatus::canceled;
}

JobService::CreateRequest request(const std::string& dataset, std::int64_t rows,
                                  std::int64_t seed = 7) {
  JobService::CreateRequest r;
  r.dataset_id = dataset;
  r.rows = rows;
  r.seed = seed;
  return r;
}

class Jobs : public ::testing::Test {
protected:
  void SetUp() override {
    app_ = std::make_unique<ReferenceApp>(options_for(dir_.path(), 2));
    app_->store().ensure_tenant({"tenant_b", "tenant_b", "free", 100, "2025-01-01T00:00:00.000Z"});
    dataset_ = app_->datasets().upload_csv("dev", "source", dataset_csv()).id;
  }
  JobService& jobs() { return app_->jobs(); }
  std::int64_t credits(const std::string& tenant) {
    return app_->store().get_tenant(tenant)->credits;
  }

  TempDir dir_;
  std::unique_ptr<ReferenceApp> app_;
  std::string dataset_;
};

} // namespace

TEST_F(Jobs, LifecycleToSucceeded) {
  JobService::Accepted created = jobs().create("dev", request(dataset_, 2500));
  std::string id = created.job_id;
  EXPECT_EQ(id.substr(0, 4), "job_");
  EXPECT_EQ(id.size(), 4u + 26u);
  EXPECT_EQ(created.status, models::SynthesizeJobAcceptedStatus::queued);
  EXPECT_EQ(created.estimate.credits, 3); // ceil(2500 / 1000)
  EXPECT_TRUE(created.estimate.seconds.is_integer());
  EXPECT_GE(created.estimate.seconds.as_double(), 1);
  EXPECT_TRUE(created.evidence.expected_root_pending);
  EXPECT_EQ(created.links.self, "/v1/synthesize/jobs/" + id);
  EXPECT_EQ(created.links.stream, "/v1/synthesize/jobs/" + id + "/events");
  EXPECT_EQ(created.links.cancel, "/v1/synthesize/jobs/" + id + ":cancel");

  Job job = wait_until(jobs(), "dev", id, finished);
  ASSERT_EQ(status(job), "succeeded") << json(job).dump();
  EXPECT_EQ(job.kind, models::SynthesizeJobKind::synthesize);
  EXPECT_EQ(job.dataset_id, dataset_);
  EXPECT_EQ(job.model, models::SynthesizeJobModel::synthesize);
  EXPECT_EQ(job.rows, 2500);
  EXPECT_EQ(job.seed, 7);
  EXPECT_EQ(job.progress.as_double(), 1.0);
  EXPECT_FALSE(job.progress.is_integer()); // 1.0 on the wire, as the stored REAL
  EXPECT_EQ(job.rows_generated, 2500);
  EXPECT_TRUE(job.started_at.has_value());
  EXPECT_TRUE(job.finished_at.has_value());
  EXPECT_FALSE(job.error.has_value());
  EXPECT_FALSE(job.max_credits.has_value());
  EXPECT_EQ(job.links.output, "/v1/synthesize/jobs/" + id + "/output");
  EXPECT_EQ(credits("dev"), 1000 - 3); // charged once, when it started

  JobOutput csv = jobs().output("dev", id, "csv");
  EXPECT_EQ(csv.media_type, "text/csv");
  EXPECT_EQ(csv.body.substr(0, csv.body.find('\n') + 1), "kind,value,flag\r\n");
  EXPECT_EQ(std::count(csv.body.begin(), csv.body.end(), '\n'), 2501);

  JobOutput jsonl = jobs().output("dev", id, "jsonl");
  EXPECT_EQ(jsonl.media_type, "application/x-ndjson");
  EXPECT_EQ(std::count(jsonl.body.begin(), jsonl.body.end(), '\n'), 2500);
  auto first = json::parse(jsonl.body.substr(0, jsonl.body.find('\n')));
  EXPECT_TRUE(first["value"].is_number());
  EXPECT_EQ(error_of([&] { jobs().output("dev", id, "xml"); }).code, "validation_failed");
}

TEST_F(Jobs, SameSeedSameOutputDifferentSeedDifferent) {
  std::string a = jobs().create("dev", request(dataset_, 3000, 42)).job_id;
  std::string b = jobs().create("dev", request(dataset_, 3000, 42)).job_id;
  std::string c = jobs().create("dev", request(dataset_, 3000, 43)).job_id;
  for (const auto& id : {a, b, c})
    ASSERT_EQ(wait_until(jobs(), "dev", id, finished).status, models::JobStatus::succeeded);
  EXPECT_EQ(jobs().output("dev", a).body, jobs().output("dev", b).body);
  EXPECT_NE(jobs().output("dev", a).body, jobs().output("dev", c).body);
}

TEST_F(Jobs, CancelRunningJob) {
  app_.reset();
  app_ = std::make_unique<ReferenceApp>(options_for(dir_.path(), 1, 20ms, 1000));
  const std::int64_t before = credits("dev");
  std::string id = jobs().create("dev", request(dataset_, 200000)).job_id;
  Job running = wait_until(jobs(), "dev", id,
                           [](const Job& j) { return j.status != models::JobStatus::queued; });
  ASSERT_EQ(status(running), "running");
  EXPECT_EQ(credits("dev"), before - 200);

  Job canceled = jobs().cancel("dev", id);
  EXPECT_EQ(status(canceled), "canceled");
  EXPECT_TRUE(canceled.finished_at.has_value());
  std::this_thread::sleep_for(100ms); // the worker stops at the next chunk
  Job later = jobs().get("dev", id);
  EXPECT_EQ(status(later), "canceled");
  EXPECT_LT(later.rows_generated, 200000);
  EXPECT_EQ(credits("dev"), before - 200); // work was done: no refund

  auto again = error_of([&] { jobs().cancel("dev", id); });
  EXPECT_EQ(again.status, 409);
  EXPECT_EQ(again.code, "job_not_cancelable");
  auto output = error_of([&] { jobs().output("dev", id); });
  EXPECT_EQ(output.status, 409);
  EXPECT_EQ(output.code, "job_not_finished");
}

TEST_F(Jobs, CancelQueuedJobChargesNothing) {
  app_.reset();
  app_ = std::make_unique<ReferenceApp>(options_for(dir_.path(), 0));
  std::string id = jobs().create("dev", request(dataset_, 5000)).job_id;
  EXPECT_EQ(jobs().get("dev", id).status, models::JobStatus::queued);
  EXPECT_EQ(error_of([&] { jobs().output("dev", id); }).code, "job_not_finished");
  EXPECT_EQ(jobs().cancel("dev", id).status, models::JobStatus::canceled);
  EXPECT_EQ(credits("dev"), 1000);
}

TEST_F(Jobs, CancelFinishedJobIsConflict) {
  std::string id = jobs().create("dev", request(dataset_, 10)).job_id;
  ASSERT_EQ(wait_until(jobs(), "dev", id, finished).status, models::JobStatus::succeeded);
  auto e = error_of([&] { jobs().cancel("dev", id); });
  EXPECT_EQ(e.status, 409);
  EXPECT_EQ(e.code, "job_not_cancelable");
  EXPECT_EQ(e.title, "Conflict");
}

TEST_F(Jobs, CreditsRefusal) {
  JobService::CreateRequest capped = request(dataset_, 5000);
  capped.max_credits = 4;
  auto exceeded = error_of([&] { jobs().create("dev", capped); });
  EXPECT_EQ(exceeded.status, 400);
  EXPECT_EQ(exceeded.code, "credits_exceeded");
  EXPECT_NE(exceeded.hint.find("5 credits"), std::string::npos) << exceeded.hint;
  capped.max_credits = 5;
  EXPECT_EQ(jobs().create("dev", capped).status, models::SynthesizeJobAcceptedStatus::queued);

  std::string b_dataset = app_->datasets().upload_csv("tenant_b", "b", dataset_csv()).id;
  auto poor = error_of([&] { jobs().create("tenant_b", request(b_dataset, 101000)); });
  EXPECT_EQ(poor.code, "insufficient_credits");
  EXPECT_EQ(jobs().list("tenant_b").total, 0); // refused before it was queued
  EXPECT_EQ(jobs().create("tenant_b", request(b_dataset, 100000)).estimate.credits, 100);
}

TEST_F(Jobs, Validation) {
  auto rows = error_of([&] { jobs().create("dev", request(dataset_, 0)); });
  EXPECT_EQ(rows.code, "validation_failed");
  ASSERT_EQ(rows.errors.size(), 1u);
  EXPECT_EQ(rows.errors[0].pointer, "/body/rows");
  EXPECT_EQ(error_of([&] { jobs().create("dev", request(dataset_, 1'000'001)); }).errors[0].pointer,
            "/body/rows");
  // `model` has one value, so the request type cannot carry another one.
  JobService::CreateRequest capped = request(dataset_, 10);
  capped.max_credits = 0;
  EXPECT_EQ(error_of([&] { jobs().create("dev", capped); }).errors[0].pointer, "/body/max_credits");
  EXPECT_EQ(error_of([&] { jobs().create("dev", request("", 10)); }).errors[0].pointer,
            "/body/dataset_id");
  EXPECT_EQ(error_of([&] { jobs().create("dev", request("ds_missing", 10)); }).status, 404);
  EXPECT_EQ(error_of([&] { jobs().get("dev", "job_missing"); }).status, 404);
}

TEST_F(Jobs, TenantIsolation) {
  std::string id = jobs().create("dev", request(dataset_, 100)).job_id;
  ASSERT_EQ(wait_until(jobs(), "dev", id, finished).status, models::JobStatus::succeeded);
  auto missing = error_of([&] { jobs().get("tenant_b", "job_aaaaaaaaaaaaaaaaaaaaaaaaaa"); });
  for (auto& fn : std::vector<std::function<void()>>{
           [&] { jobs().get("tenant_b", id); },
           [&] { jobs().cancel("tenant_b", id); },
           [&] { jobs().output("tenant_b", id); },
       }) {
    auto e = error_of(fn);
    EXPECT_EQ(e.status, 404);
    EXPECT_EQ(keel::envelope_json(e, "c"), keel::envelope_json(missing, "c"));
  }
  EXPECT_EQ(jobs().list("tenant_b").total, 0);
  // tenant B cannot start a job on tenant A's dataset either.
  auto foreign = error_of([&] { jobs().create("tenant_b", request(dataset_, 10)); });
  EXPECT_EQ(foreign.status, 404);
  EXPECT_EQ(jobs().get("dev", id).status, models::JobStatus::succeeded);
}

TEST_F(Jobs, ListFiltersSortsAndPages) {
  app_.reset();
  app_ = std::make_unique<ReferenceApp>(options_for(dir_.path(), 0));
  std::vector<std::string> ids;
  for (int i = 0; i < 5; ++i)
    ids.push_back(jobs().create("dev", request(dataset_, 10 + i)).job_id);
  jobs().cancel("dev", ids[1]);
  jobs().cancel("dev", ids[3]);

  JobService::JobList all = jobs().list("dev", 1, 2, "", "created_at:asc");
  EXPECT_EQ(all.total, 5);
  EXPECT_EQ(all.page, 1);
  EXPECT_EQ(all.limit, 2);
  ASSERT_EQ(all.data.size(), 2u);
  EXPECT_EQ(all.data[0].job_id, ids[0]);
  EXPECT_EQ(jobs().list("dev", 3, 2, "", "created_at:asc").data[0].job_id, ids[4]);
  EXPECT_EQ(jobs().list("dev").data[0].job_id, ids[4]); // newest first by default

  JobService::JobList canceled = jobs().list("dev", 1, 25, "canceled");
  EXPECT_EQ(canceled.total, 2);
  EXPECT_EQ(canceled.data[0].job_id, ids[3]);
  EXPECT_EQ(jobs().list("dev", 1, 25, "queued").total, 3);
  EXPECT_EQ(jobs().list("dev", 1, 25, "running").total, 0);

  EXPECT_EQ(error_of([&] { jobs().list("dev", 1, 25, "done"); }).errors[0].pointer,
            "/query/status");
  EXPECT_EQ(error_of([&] { jobs().list("dev", 1, 25, "", "name:asc"); }).errors[0].pointer,
            "/query/sort");
  EXPECT_EQ(error_of([&] { jobs().list("dev", 1, 500); }).errors[0].pointer, "/query/limit");
}

TEST_F(Jobs, QueuedJobsRunAfterRestart) {
  app_.reset();
  app_ = std::make_unique<ReferenceApp>(options_for(dir_.path(), 0));
  std::string id = jobs().create("dev", request(dataset_, 1000)).job_id;
  app_.reset(); // "crash" with the job still queued
  app_ = std::make_unique<ReferenceApp>(options_for(dir_.path(), 2));
  EXPECT_EQ(wait_until(jobs(), "dev", id, finished).status, models::JobStatus::succeeded);
  EXPECT_EQ(credits("dev"), 999);
}

TEST_F(Jobs, InterruptedJobIsRequeuedAndNotChargedTwice) {
  app_.reset();
  app_ = std::make_unique<ReferenceApp>(options_for(dir_.path(), 1, 10ms, 1000));
  std::string id = jobs().create("dev", request(dataset_, 50000, 5)).job_id;
  ASSERT_EQ(wait_until(jobs(), "dev", id,
                       [](const Job& j) { return j.status == models::JobStatus::running; })
                .status,
            models::JobStatus::running);
  app_->shutdown();
  EXPECT_EQ(jobs().get("dev", id).status, models::JobStatus::queued);
  EXPECT_EQ(credits("dev"), 950);

  app_.reset();
  app_ = std::make_unique<ReferenceApp>(options_for(dir_.path(), 1));
  ASSERT_EQ(wait_until(jobs(), "dev", id, finished).status, models::JobStatus::succeeded);
  EXPECT_EQ(credits("dev"), 950);
  // The rerun gives what an uninterrupted run of the same seed gives.
  std::string fresh = jobs().create("dev", request(dataset_, 50000, 5)).job_id;
  ASSERT_EQ(wait_until(jobs(), "dev", fresh, finished).status, models::JobStatus::succeeded);
  EXPECT_EQ(jobs().output("dev", id).body, jobs().output("dev", fresh).body);
}

TEST_F(Jobs, DeletedDatasetFailsJobAndRefunds) {
  app_.reset();
  app_ = std::make_unique<ReferenceApp>(options_for(dir_.path(), 0));
  std::string id = jobs().create("dev", request(dataset_, 1000)).job_id;
  app_->datasets().remove("dev", dataset_);
  app_.reset();
  app_ = std::make_unique<ReferenceApp>(options_for(dir_.path(), 1));
  Job job = wait_until(jobs(), "dev", id, finished);
  EXPECT_EQ(status(job), "failed");
  ASSERT_TRUE(job.error.has_value());
  EXPECT_EQ(job.error->code, "dataset_not_found");
  EXPECT_FALSE(job.error->message.empty());
  EXPECT_EQ(credits("dev"), 1000);
}

TEST_F(Jobs, ListenerSeesEveryTransition) {
  std::mutex mutex;
  std::vector<std::string> statuses;
  jobs().set_listener([&](const std::string& tenant, const Job& job) {
    EXPECT_EQ(tenant, "dev");
    std::lock_guard lock(mutex);
    if (statuses.empty() || statuses.back() != status(job)) statuses.push_back(status(job));
  });
  std::string id = jobs().create("dev", request(dataset_, 100)).job_id;
  wait_until(jobs(), "dev", id, finished);
  std::this_thread::sleep_for(20ms);
  std::lock_guard lock(mutex);
  EXPECT_EQ(statuses, (std::vector<std::string>{"queued", "running", "succeeded"}));
}

TEST_F(Jobs, MillionRowJobFigures) {
  auto start = std::chrono::steady_clock::now();
  std::string id = jobs().create("dev", request(dataset_, 1'000'000)).job_id;
  Job job = wait_until(jobs(), "dev", id, finished, 120s);
  double run = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  ASSERT_EQ(status(job), "succeeded");
  EXPECT_EQ(credits("dev"), 0);
  start = std::chrono::steady_clock::now();
  JobOutput csv = jobs().output("dev", id, "csv");
  double read_csv = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  start = std::chrono::steady_clock::now();
  JobOutput jsonl = jobs().output("dev", id, "jsonl");
  double read_jsonl =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::printf("[ figures  ] job: 1000000 rows x 3 columns end to end in %.3f s (estimate %lld s); "
              "output csv %.1f MB in %.3f s, jsonl %.1f MB in %.3f s\n",
              run, static_cast<long long>(job.estimate.seconds.as_double()),
              static_cast<double>(csv.body.size()) / 1e6, read_csv,
              static_cast<double>(jsonl.body.size()) / 1e6, read_jsonl);
}
