#pragma once

#include "storage/sqlite.h"

#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace keel::reference {

struct TenantRecord {
  std::string id;
  std::string name;
  std::string tier; ///< free | pro | enterprise
  std::int64_t credits = 0;
  std::string created_at;
};

struct DatasetRecord {
  std::string id;
  std::string name;
  std::string format; ///< csv | json
  std::int64_t row_count = 0;
  std::int64_t column_count = 0;
  std::string columns_json; ///< [{name, type}]
  std::int64_t size_bytes = 0;
  std::string sha256;
  std::string created_at;
};

struct JobRecord {
  std::string job_id;
  std::string kind;   ///< synthesize
  std::string status; ///< queued | running | succeeded | failed | canceled
  std::string dataset_id;
  std::string model;
  std::int64_t rows = 0;
  std::int64_t seed = 0;
  std::optional<std::int64_t> max_credits;
  std::int64_t estimate_credits = 0;
  std::int64_t estimate_seconds = 0;
  double progress = 0; ///< 0..1
  std::int64_t rows_generated = 0;
  bool charged = false; ///< the estimate has been taken from the tenant's balance
  std::string created_at;
  std::optional<std::string> started_at;
  std::optional<std::string> finished_at;
  std::optional<std::string> error_code;
  std::optional<std::string> error_message;
};

struct JobOutputRecord {
  std::string columns_json; ///< the dataset's columns when the job ran
  std::string csv;
};

template <typename T> struct Page {
  std::vector<T> items;
  std::int64_t total = 0;
};

enum class SortOrder { created_at_asc, created_at_desc, name_asc, name_desc };

enum class StartOutcome { started, not_queued, insufficient_credits };

/// The reference API's SQLite store in `<data_dir>/keel.db`.
///
/// Tenant isolation lives here: every method on tenant-owned data takes the
/// tenant id first and every statement filters on it, so a row of another
/// tenant is indistinguishable from a missing one. Thread-safe: each call
/// borrows a pooled connection for its duration.
class Store {
public:
  /// Opens (creating if needed) the database and applies pending migrations.
  explicit Store(const std::filesystem::path& data_dir);

  /// SELECT 1 on a pooled connection; for /readyz.
  bool ready();
  /// The schema version after migrations.
  int schema_version();

  // Tenants. Not tenant-scoped: they are the scope.
  /// Inserts the tenant unless its id exists; true when inserted.
  bool ensure_tenant(const TenantRecord& tenant);
  std::optional<TenantRecord> get_tenant(std::string_view tenant_id);

  // Datasets.
  void insert_dataset(std::string_view tenant_id, const DatasetRecord& dataset,
                      std::string_view rows_blob, std::string_view profile_json);
  std::optional<DatasetRecord> get_dataset(std::string_view tenant_id, std::string_view dataset_id);
  std::optional<std::string> get_dataset_rows(std::string_view tenant_id,
                                              std::string_view dataset_id);
  std::optional<std::string> get_dataset_profile(std::string_view tenant_id,
                                                 std::string_view dataset_id);
  Page<DatasetRecord> list_datasets(std::string_view tenant_id, std::int64_t offset,
                                    std::int64_t limit, SortOrder sort);
  /// True when a row was deleted.
  bool delete_dataset(std::string_view tenant_id, std::string_view dataset_id);

  // Jobs.
  void insert_job(std::string_view tenant_id, const JobRecord& job);
  std::optional<JobRecord> get_job(std::string_view tenant_id, std::string_view job_id);
  /// `status` empty for all; `sort` only created_at_asc or created_at_desc.
  Page<JobRecord> list_jobs(std::string_view tenant_id, std::int64_t offset, std::int64_t limit,
                            std::string_view status, SortOrder sort);
  /// queued -> running, charging the estimate once (a re-queued job that
  /// was charged before a restart is not charged again).
  StartOutcome start_job(std::string_view tenant_id, std::string_view job_id,
                         std::string_view started_at);
  /// Only while running, so a concurrent cancel wins.
  void update_job_progress(std::string_view tenant_id, std::string_view job_id, double progress,
                           std::int64_t rows_generated);
  /// running -> succeeded with its output; false if no longer running.
  bool finish_job(std::string_view tenant_id, std::string_view job_id, std::string_view finished_at,
                  std::int64_t rows_generated, std::string_view columns_json,
                  std::string_view output_csv);
  /// queued|running -> failed; refunds a charged estimate when `refund`.
  bool fail_job(std::string_view tenant_id, std::string_view job_id, std::string_view finished_at,
                std::string_view code, std::string_view message, bool refund);
  /// queued|running -> canceled; false if already finished.
  bool cancel_job(std::string_view tenant_id, std::string_view job_id,
                  std::string_view finished_at);
  /// running -> queued, used when the server stops mid-job.
  bool requeue_job(std::string_view tenant_id, std::string_view job_id);
  std::optional<JobOutputRecord> get_job_output(std::string_view tenant_id,
                                                std::string_view job_id);

  /// Startup recovery, across tenants: every running job becomes queued
  /// again; returns (tenant_id, job_id) of all queued jobs, oldest first.
  std::vector<std::pair<std::string, std::string>> recover_jobs();

private:
  void migrate();

  sqlite::Pool pool_;
};

} // namespace keel::reference
