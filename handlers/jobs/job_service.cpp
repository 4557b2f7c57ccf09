#include "jobs/job_service.h"

#include "common/ids.h"
#include "common/paging.h"
#include "datasets/table.h"
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

Table table_from_columns(std::string_view columns_json) {
  Table table;
  for (const auto& column : nlohmann::json::parse(columns_json)) {
    table.names.push_back(column.at("name").get<std::string>());
    table.types.push_back(column_type_from_string(column.at("type").get<std::string>()));
  }
  return table;
}

} // namespace

nlohmann::json job_json(const JobRecord& j) {
  const std::string self = self_link(j.job_id);
  nlohmann::json out = {
      {"job_id", j.job_id},
      {"kind", j.kind},
      {"status", j.status},
      {"dataset_id", j.dataset_id},
      {"model", j.model},
      {"rows", j.rows},
      {"seed", j.seed},
      {"progress", j.progress},
      {"rows_generated", j.rows_generated},
      {"estimate", {{"credits", j.estimate_credits}, {"seconds", j.estimate_seconds}}},
      {"created_at", j.created_at},
      {"_links",
       {{"self", self},
        {"stream", self + "/events"},
        {"cancel", self + ":cancel"},
        {"output", self + "/output"}}}};
  if (j.max_credits) out["max_credits"] = *j.max_credits;
  if (j.started_at) out["started_at"] = *j.started_at;
  if (j.finished_at) out["finished_at"] = *j.finished_at;
  if (j.error_code)
    out["error"] = {{"code", *j.error_code}, {"message", j.error_message.value_or("")}};
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
      listener(std::string(tenant_id), job_json(*job));
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

nlohmann::json JobService::create(std::string_view tenant_id, const SynthesizeJobRequest& request) {
  std::vector<keel::FieldError> errors;
  if (request.dataset_id.empty())
    errors.push_back({"/body/dataset_id", "required", "dataset_id is required"});
  if (request.model != "synthesize")
    errors.push_back({"/body/model", "invalid_value", "model must be \"synthesize\""});
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
  job.model = request.model;
  job.rows = request.rows;
  job.seed = request.seed;
  job.max_credits = request.max_credits;
  job.estimate_credits = cost.credits;
  job.estimate_seconds = cost.seconds;
  job.created_at = now_rfc3339();
  store_.insert_job(tenant_id, job);
  // Announced before it is queued, so "queued" always precedes "running".
  notify(tenant_id, job.job_id);
  enqueue({std::string(tenant_id), job.job_id});

  const std::string self = self_link(job.job_id);
  return {{"job_id", job.job_id},
          {"status", "queued"},
          {"estimate", {{"credits", cost.credits}, {"seconds", cost.seconds}}},
          {"evidence", {{"expected_root_pending", true}}},
          {"_links", {{"self", self}, {"stream", self + "/events"}, {"cancel", self + ":cancel"}}}};
}

nlohmann::json JobService::get(std::string_view tenant_id, std::string_view job_id) {
  auto job = store_.get_job(tenant_id, job_id);
  if (!job) job_not_found();
  return job_json(*job);
}

nlohmann::json JobService::list(std::string_view tenant_id, std::int64_t page, std::int64_t limit,
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
  nlohmann::json data = nlohmann::json::array();
  for (const auto& job : result.items) data.push_back(job_json(job));
  return page_json(std::move(data), page, limit, result.total);
}

nlohmann::json JobService::cancel(std::string_view tenant_id, std::string_view job_id) {
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
  Table columns = table_from_columns(stored->columns_json);
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
    Table table = table_from_columns(dataset->columns_json);
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
