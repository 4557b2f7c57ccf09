#include "jobs/job_service.h"

#include "common/ids.h"
#include "common/paging.h"
#include "datasets/table.h"
#include "storage/stored_json.h"
#include "synth/synthesizer.h"

#include <keel/error.h>

#include <algorithm>

namespace keel::reference {
namespace {

// Measured on the reference machine (see handlers_synthesizer_test's
// throughput figure); conservative so estimates err long.
constexpr std::int64_t kCellsPerSecond = 5'000'000;

[[noreturn]] void job_not_found() { throw keel::not_found("no such job"); }

bool is_terminal(std::string_view status) {
  return status == "succeeded" || status == "failed" || status == "canceled";
}

std::string self_link(std::string_view job_id) {
  return "/v1/synthesize/jobs/" + std::string(job_id);
}

Table stored_columns(std::string_view columns_json) {
  return table_from_columns(
      from_stored_json<std::vector<keel_reference::models::DatasetColumn>>(columns_json));
}

keel_reference::models::JobEstimate estimate_model(std::int64_t credits, std::int64_t seconds) {
  keel_reference::models::JobEstimate out;
  out.credits = credits;
  out.seconds = seconds; // an integer on the wire
  return out;
}

} // namespace

keel_reference::models::SynthesizeJob job_model(const JobRecord& j) {
  namespace models = keel_reference::models;
  models::SynthesizeJob out;
  out.job_id = j.job_id;
  out.kind = stored_enum<models::SynthesizeJobKind>(j.kind);
  out.status = stored_enum<models::JobStatus>(j.status);
  out.dataset_id = j.dataset_id;
  out.model = stored_enum<models::SynthesizeJobModel>(j.model);
  out.rows = j.rows;
  out.seed = j.seed;
  out.max_credits = j.max_credits;
  out.progress = j.progress;
  out.rows_generated = j.rows_generated;
  out.estimate = estimate_model(j.estimate_credits, j.estimate_seconds);
  out.created_at = j.created_at;
  out.started_at = j.started_at;
  out.finished_at = j.finished_at;
  if (j.error_code) out.error = models::JobError{*j.error_code, j.error_message.value_or(""), {}};
  const std::string self = self_link(j.job_id);
  out.links = {self, self + "/events", self + ":cancel", self + "/output", {}};
  return out;
}

Estimate JobService::estimate(std::int64_t rows, std::int64_t columns) {
  Estimate e;
  e.credits = std::max<std::int64_t>(1, (rows + 999) / 1000);
  const std::int64_t cells = rows * std::max<std::int64_t>(1, columns);
  e.seconds = std::max<std::int64_t>(1, (cells + kCellsPerSecond - 1) / kCellsPerSecond);
  return e;
}

JobService::JobService(Store& store, JobServiceOptions options) : store_(store), options_(options) {
  if (options_.chunk_rows == 0) options_.chunk_rows = 1;
  for (auto& [tenant_id, job_id] : store_.recover_jobs()) queue_.push_back({tenant_id, job_id});
  for (std::size_t i = 0; i < options_.workers; ++i) threads_.emplace_back([this] { worker(); });
}

JobService::~JobService() { shutdown(); }

void JobService::shutdown() {
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_all();
  for (auto& thread : threads_)
    if (thread.joinable()) thread.join();
  threads_.clear();
}

void JobService::set_listener(JobListener listener) {
  std::lock_guard lock(listener_mutex_);
  listener_ = std::move(listener);
}

void JobService::notify(std::string_view tenant_id, std::string_view job_id) {
  JobListener listener;
  {
    std::lock_guard lock(listener_mutex_);
    listener = listener_;
  }
  if (!listener) return;
  try {
    if (auto job = store_.get_job(tenant_id, job_id))
      listener(std::string(tenant_id), job_model(*job));
  } catch (...) {
    // A broken listener must not take a job or a request down with it.
  }
}

void JobService::enqueue(Queued item) {
  {
    std::lock_guard lock(mutex_);
    queue_.push_back(std::move(item));
  }
  wake_.notify_one();
}

JobService::Accepted JobService::create(std::string_view tenant_id, const CreateRequest& request) {
  // The spec's validators check these before a request gets here; direct
  // callers (tests, tools) get the same answers. `model` has one value, so
  // its type already rules out anything else.
  std::vector<keel::FieldError> errors;
  if (request.dataset_id.empty())
    errors.push_back({"/body/dataset_id", "required", "dataset_id is required"});
  if (request.rows < 1 || request.rows > kMaxRows)
    errors.push_back({"/body/rows", "out_of_range", "rows must be between 1 and 1000000"});
  if (request.max_credits && *request.max_credits < 1)
    errors.push_back({"/body/max_credits", "out_of_range", "max_credits must be 1 or greater"});
  if (!errors.empty()) throw keel::validation_failed(std::move(errors));

  auto dataset = store_.get_dataset(tenant_id, request.dataset_id);
  if (!dataset) throw keel::not_found("no such dataset");

  const Estimate cost = estimate(request.rows, dataset->column_count);
  if (request.max_credits && cost.credits > *request.max_credits)
    throw keel::bad_request("credits_exceeded", "the job is estimated at " +
                                                    std::to_string(cost.credits) +
                                                    " credits, more than max_credits (" +
                                                    std::to_string(*request.max_credits) +
                                                    "); raise max_credits or request fewer rows");
  auto tenant = store_.get_tenant(tenant_id);
  const std::int64_t balance = tenant ? tenant->credits : 0;
  if (cost.credits > balance)
    throw keel::bad_request("insufficient_credits",
                            "the job is estimated at " + std::to_string(cost.credits) +
                                " credits and the balance is " + std::to_string(balance));

  JobRecord job;
  job.job_id = random_id("job_");
  job.kind = "synthesize";
  job.status = "queued";
  job.dataset_id = request.dataset_id;
  job.model = std::string(to_string(request.model_or_default()));
  job.rows = request.rows;
  job.seed = request.seed_or_default();
  job.max_credits = request.max_credits;
  job.estimate_credits = cost.credits;
  job.estimate_seconds = cost.seconds;
  job.created_at = now_rfc3339();
  store_.insert_job(tenant_id, job);
  // Announced before it is queued, so "queued" always precedes "running".
  notify(tenant_id, job.job_id);
  enqueue({std::string(tenant_id), job.job_id});

  Accepted accepted;
  accepted.job_id = job.job_id;
  accepted.status = keel_reference::models::SynthesizeJobAcceptedStatus::queued;
  accepted.estimate = estimate_model(cost.credits, cost.seconds);
  accepted.evidence.expected_root_pending = true;
  const std::string self = self_link(job.job_id);
  accepted.links = {self, self + "/events", self + ":cancel", {}};
  return accepted;
}

JobService::Job JobService::get(std::string_view tenant_id, std::string_view job_id) {
  auto job = store_.get_job(tenant_id, job_id);
  if (!job) job_not_found();
  return job_model(*job);
}

JobService::JobList JobService::list(std::string_view tenant_id, std::int64_t page, std::int64_t limit,
                                std::string_view status, std::string_view sort) {
  check_page(page, limit);
  std::vector<keel::FieldError> errors;
  if (!status.empty() && status != "queued" && status != "running" && !is_terminal(status))
    errors.push_back({"/query/status", "invalid_value",
                      "status must be one of queued, running, succeeded, failed, canceled"});
  SortOrder order = SortOrder::created_at_desc;
  if (sort == "created_at:asc")
    order = SortOrder::created_at_asc;
  else if (sort != "created_at:desc")
    errors.push_back(
        {"/query/sort", "invalid_value", "sort must be created_at:asc or created_at:desc"});
  if (!errors.empty()) throw keel::validation_failed(std::move(errors));

  auto result = store_.list_jobs(tenant_id, page_offset(page, limit), limit, status, order);
  std::vector<Job> data;
  data.reserve(result.items.size());
  for (const auto& job : result.items) data.push_back(job_model(job));
  return page_of<JobList>(std::move(data), page, limit, result.total);
}

JobService::Job JobService::cancel(std::string_view tenant_id, std::string_view job_id) {
  auto job = store_.get_job(tenant_id, job_id);
  if (!job) job_not_found();
  if (is_terminal(job->status) || !store_.cancel_job(tenant_id, job_id, now_rfc3339())) {
    // Re-read: the job may have finished between the read and the update.
    auto now = store_.get_job(tenant_id, job_id);
    throw keel::ApiError{409,
                         "job_not_cancelable",
                         "Conflict",
                         "the job has already finished (" + (now ? now->status : job->status) + ")",
                         {}};
  }
  {
    std::lock_guard lock(mutex_);
    if (auto it = running_.find(std::string(job_id)); it != running_.end()) *it->second = true;
  }
  notify(tenant_id, job_id);
  return get(tenant_id, job_id);
}

JobOutput JobService::output(std::string_view tenant_id, std::string_view job_id,
                             std::string_view format) {
  if (format != "csv" && format != "jsonl")
    throw keel::validation_failed(
        {{"/query/format", "invalid_value", "format must be csv or jsonl"}});
  auto job = store_.get_job(tenant_id, job_id);
  if (!job) job_not_found();
  if (job->status != "succeeded")
    throw keel::ApiError{409,
                         "job_not_finished",
                         "Conflict",
                         "the job is " + job->status +
                             "; its output is available once it has succeeded",
                         {}};
  auto stored = store_.get_job_output(tenant_id, job_id);
  if (!stored) throw keel::internal_error(); // succeeded without output: a storage fault
  if (format == "csv") return {std::move(stored->csv), "text/csv"};
  Table columns = stored_columns(stored->columns_json);
  return {csv_to_jsonl(stored->csv, columns.types), "application/x-ndjson"};
}

void JobService::worker() {
  while (true) {
    Queued item;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stop_ || !queue_.empty(); });
      if (stop_) return;
      item = std::move(queue_.front());
      queue_.pop_front();
    }
    run(item);
  }
}

void JobService::run(const Queued& item) {
  const std::string& tenant = item.tenant_id;
  const std::string& id = item.job_id;
  // Registered before the job starts so a cancel arriving at any moment
  // after that finds the flag.
  auto canceled = std::make_shared<std::atomic<bool>>(false);
  {
    std::lock_guard lock(mutex_);
    running_[id] = canceled;
  }
  struct Unregister {
    JobService* self;
    const std::string& id;
    ~Unregister() {
      std::lock_guard lock(self->mutex_);
      self->running_.erase(id);
    }
  } unregister{this, id};

  try {
    switch (store_.start_job(tenant, id, now_rfc3339())) {
    case StartOutcome::not_queued: return; // canceled while queued
    case StartOutcome::insufficient_credits:
      store_.fail_job(tenant, id, now_rfc3339(), "insufficient_credits",
                      "the balance no longer covers the estimate", false);
      notify(tenant, id);
      return;
    case StartOutcome::started: break;
    }
    notify(tenant, id);

    auto job = store_.get_job(tenant, id);
    auto dataset = job ? store_.get_dataset(tenant, job->dataset_id) : std::nullopt;
    auto rows = job ? store_.get_dataset_rows(tenant, job->dataset_id) : std::nullopt;
    if (!job) return;
    if (!dataset || !rows) {
      store_.fail_job(tenant, id, now_rfc3339(), "dataset_not_found",
                      "the dataset was deleted before the job ran", true);
      notify(tenant, id);
      return;
    }
    Table table = stored_columns(dataset->columns_json);
    decode_rows(*rows, table);
    Synthesizer synthesizer(table, job->seed);

    std::string out = synthesizer.header();
    const auto total = static_cast<std::size_t>(job->rows);
    std::size_t done = 0;
    auto last_report = std::chrono::steady_clock::now();
    while (done < total) {
      const std::size_t n = std::min(options_.chunk_rows, total - done);
      synthesizer.generate(n, out);
      done += n;
      if (*canceled) return; // the store already says canceled
      if (stopping()) {
        store_.requeue_job(tenant, id); // runs again after the restart
        return;
      }
      auto now = std::chrono::steady_clock::now();
      if (done < total && now - last_report >= std::chrono::milliseconds(100)) {
        store_.update_job_progress(tenant, id,
                                   static_cast<double>(done) / static_cast<double>(total),
                                   static_cast<std::int64_t>(done));
        last_report = now;
        notify(tenant, id);
      }
      if (options_.chunk_pause.count() > 0) std::this_thread::sleep_for(options_.chunk_pause);
    }
    if (store_.finish_job(tenant, id, now_rfc3339(), static_cast<std::int64_t>(done),
                          dataset->columns_json, out))
      notify(tenant, id);
  } catch (const keel::ApiError& e) {
    try {
      store_.fail_job(tenant, id, now_rfc3339(), e.code.empty() ? "internal_error" : e.code,
                      e.hint.empty() ? e.title : e.hint, true);
      notify(tenant, id);
    } catch (...) {
      // The store is unusable; startup recovery will re-queue the job.
    }
  } catch (...) {
    try {
      store_.fail_job(tenant, id, now_rfc3339(), "internal_error", "the job failed unexpectedly",
                      true);
      notify(tenant, id);
    } catch (...) {
      // The store is unusable; startup recovery will re-queue the job.
    }
  }
}

} // namespace keel::reference
