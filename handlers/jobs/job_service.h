#pragma once

#include "models.h"
#include "storage/store.h"

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <unordered_map>
#include <vector>

namespace keel::reference {

/// A finished job's rows, ready to send.
struct JobOutput {
  std::string body;
  std::string media_type; ///< text/csv or application/x-ndjson
};

struct JobServiceOptions {
  std::size_t workers = 2;        ///< 0: jobs stay queued (tests, or a read-only replica)
  std::size_t chunk_rows = 10000; ///< cancellation and progress granularity
  /// Sleep between chunks; only to make jobs slow enough to watch in tests
  /// and demos.
  std::chrono::milliseconds chunk_pause{0};
};

struct Estimate {
  std::int64_t credits = 0;
  std::int64_t seconds = 0;
};

/// Called after every job state change and progress update, with the
/// tenant and the job; for event streams and webhooks. Runs on the thread
/// that made the change: keep it short and non-throwing.
using JobListener =
    std::function<void(const std::string& tenant_id, const keel_reference::models::SynthesizeJob& job)>;

/// Synthesize jobs: create, get, list, cancel, output, run on a worker pool.
///
/// Life cycle: queued -> running -> succeeded | failed | canceled (cancel
/// also works while queued). The estimate is checked against max_credits and
/// the balance at creation and charged when the job starts running; a job
/// that fails on our side is refunded, a canceled one is not.
///
/// Restarts: jobs found running at startup are re-queued and run again from
/// the start (output is deterministic, so the result is the same), without
/// charging a second time; queued jobs are queued again in creation order.
/// shutdown() puts a job it interrupts back to queued for the same reason.
///
/// Requests and results are the spec's models (keel_reference::models::
/// CreateSynthesizeJobRequest, SynthesizeJobAccepted, SynthesizeJob,
/// SynthesizeJobList).
class JobService {
public:
  static constexpr std::int64_t kMaxRows = 1'000'000;
  using CreateRequest = keel_reference::models::CreateSynthesizeJobRequest;
  using Accepted = keel_reference::models::SynthesizeJobAccepted;
  using Job = keel_reference::models::SynthesizeJob;
  using JobList = keel_reference::models::SynthesizeJobList;

  /// Recovers unfinished jobs and starts the workers.
  explicit JobService(Store& store, JobServiceOptions options = {});
  ~JobService();
  JobService(const JobService&) = delete;
  JobService& operator=(const JobService&) = delete;

  /// The 202 body (status queued, estimate, pending evidence, links); an
  /// absent seed is the schema's default. Errors: validation_failed (rows,
  /// max_credits, dataset_id, for callers that skip the spec's validation),
  /// not_found (dataset), credits_exceeded, insufficient_credits.
  Accepted create(std::string_view tenant_id, const CreateRequest& request);
  Job get(std::string_view tenant_id, std::string_view job_id);
  /// status: "" or one of the five states; sort: created_at:asc|created_at:desc.
  JobList list(std::string_view tenant_id, std::int64_t page = 1, std::int64_t limit = 25,
               std::string_view status = {}, std::string_view sort = "created_at:desc");
  /// The job, now canceled; 409 job_not_cancelable once finished.
  Job cancel(std::string_view tenant_id, std::string_view job_id);
  /// format: csv | jsonl. 409 job_not_finished unless succeeded.
  JobOutput output(std::string_view tenant_id, std::string_view job_id,
                   std::string_view format = "csv");

  void set_listener(JobListener listener);
  /// Stops the workers between chunks and joins them; idempotent.
  void shutdown();

  /// credits = max(1, ceil(rows / 1000)); seconds from measured throughput.
  static Estimate estimate(std::int64_t rows, std::int64_t columns);

private:
  struct Queued {
    std::string tenant_id;
    std::string job_id;
  };

  void worker();
  void run(const Queued& item);
  void enqueue(Queued item);
  void notify(std::string_view tenant_id, std::string_view job_id);
  bool stopping() const { return stop_.load(); }

  Store& store_;
  JobServiceOptions options_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<Queued> queue_;
  /// Cancel flags of jobs being run, keyed by job id.
  std::unordered_map<std::string, std::shared_ptr<std::atomic<bool>>> running_;
  std::atomic<bool> stop_{false};
  std::vector<std::thread> threads_;
  std::mutex listener_mutex_;
  JobListener listener_;
};

/// The SynthesizeJob model of a stored record.
keel_reference::models::SynthesizeJob job_model(const JobRecord& job);

} // namespace keel::reference
