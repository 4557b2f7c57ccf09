#pragma once

// The reference API's domain layer: what the generated handler interface
// calls. No HTTP types here: inputs are typed values, results are the spec's
// models (keel_reference::models, generated from spec/openapi.yaml) or bytes
// + media type, failures are keel::ApiError thrown by value.
//
//   keel::reference::ReferenceApp app({.data_dir = "./data"});
//   app.ready();                                        // GET /readyz
//   app.datasets().upload_csv(tenant, name, bytes);     // POST /v1/datasets/upload (201)
//   app.datasets().list(tenant, page, limit, sort);     // GET /v1/datasets
//   app.datasets().get(tenant, id);                     // GET /v1/datasets/{id}
//   app.datasets().profile(tenant, id);                 // GET /v1/datasets/{id}/profile
//   app.datasets().remove(tenant, id);                  // DELETE /v1/datasets/{id} (204)
//   app.jobs().create(tenant, {.dataset_id, .rows, .seed, .max_credits});
//                                                       // POST /v1/synthesize/jobs (202)
//   app.jobs().list(tenant, page, limit, status, sort); // GET /v1/synthesize/jobs
//   app.jobs().get(tenant, id);                         // GET /v1/synthesize/jobs/{id}
//   app.jobs().cancel(tenant, id);                      // POST /v1/synthesize/jobs/{id}:cancel
//   app.jobs().output(tenant, id, "csv"|"jsonl");       // GET /v1/synthesize/jobs/{id}/output
//   app.jobs().set_listener(fn);                        // job events, for SSE/webhooks
//   app.shutdown();                                     // before the process exits
//
// Errors thrown: validation_failed (400, pointers /query/..., /body/...),
// bad_request codes invalid_csv, invalid_json, invalid_rows, empty_dataset,
// credits_exceeded, insufficient_credits (400), not_found (404, identical
// for a missing id and another tenant's), 409 job_not_cancelable /
// job_not_finished, 503 when SQLite stays busy past its timeout. (Media
// types and multipart framing are checked by the generated layer first.)

#include "datasets/dataset_service.h"
#include "jobs/job_service.h"
#include "storage/store.h"

#include <filesystem>
#include <memory>
#include <string_view>

namespace keel::reference {

struct ReferenceAppOptions {
  std::filesystem::path data_dir = "./data"; ///< holds keel.db
  JobServiceOptions jobs;
  /// Creates tenant "dev" (tier pro, 1000 credits) if missing, until auth lands.
  bool create_dev_tenant = true;
};

/// Opens storage in a data directory and owns the services.
class ReferenceApp {
public:
  static constexpr std::string_view kDevTenant = "dev";

  explicit ReferenceApp(ReferenceAppOptions options);
  ~ReferenceApp();
  ReferenceApp(const ReferenceApp&) = delete;
  ReferenceApp& operator=(const ReferenceApp&) = delete;

  Store& store() { return *store_; }
  DatasetService& datasets() { return *datasets_; }
  JobService& jobs() { return *jobs_; }

  /// For /readyz: the database answers.
  bool ready() { return store_->ready(); }
  /// Stops the job workers; idempotent, also run by the destructor.
  void shutdown() { jobs_->shutdown(); }

private:
  std::unique_ptr<Store> store_;
  std::unique_ptr<DatasetService> datasets_;
  std::unique_ptr<JobService> jobs_;
};

} // namespace keel::reference
