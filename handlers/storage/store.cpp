#include "storage/store.h"

#include <array>
#include <stdexcept>

namespace keel::reference {
namespace {

// Append-only: a released migration is never edited, only followed by a new
// one, so every data directory converges on the same schema.
constexpr std::array kMigrations = {
    // 1: tenants, datasets (rows kept apart so listing never reads them), jobs.
    R"sql(
CREATE TABLE tenants (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL UNIQUE,
  tier TEXT NOT NULL,
  credits INTEGER NOT NULL,
  created_at TEXT NOT NULL
);
CREATE TABLE credit_ledger (
  id INTEGER PRIMARY KEY,
  tenant_id TEXT NOT NULL REFERENCES tenants(id),
  delta INTEGER NOT NULL,
  balance_after INTEGER NOT NULL,
  reason TEXT NOT NULL,
  job_id TEXT,
  created_at TEXT NOT NULL
);
CREATE INDEX credit_ledger_tenant ON credit_ledger(tenant_id, id);
CREATE TABLE datasets (
  id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  name TEXT NOT NULL,
  format TEXT NOT NULL,
  row_count INTEGER NOT NULL,
  column_count INTEGER NOT NULL,
  columns TEXT NOT NULL,
  size_bytes INTEGER NOT NULL,
  sha256 TEXT NOT NULL,
  created_at TEXT NOT NULL,
  profile TEXT NOT NULL
);
CREATE INDEX datasets_tenant_created ON datasets(tenant_id, created_at);
CREATE INDEX datasets_tenant_name ON datasets(tenant_id, name);
CREATE TABLE dataset_rows (
  dataset_id TEXT PRIMARY KEY REFERENCES datasets(id) ON DELETE CASCADE,
  tenant_id TEXT NOT NULL,
  rows BLOB NOT NULL
);
CREATE TABLE jobs (
  job_id TEXT PRIMARY KEY,
  tenant_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  status TEXT NOT NULL,
  dataset_id TEXT NOT NULL,
  model TEXT NOT NULL,
  rows INTEGER NOT NULL,
  seed INTEGER NOT NULL,
  max_credits INTEGER,
  estimate_credits INTEGER NOT NULL,
  estimate_seconds INTEGER NOT NULL,
  progress REAL NOT NULL DEFAULT 0,
  rows_generated INTEGER NOT NULL DEFAULT 0,
  charged INTEGER NOT NULL DEFAULT 0,
  created_at TEXT NOT NULL,
  started_at TEXT,
  finished_at TEXT,
  error_code TEXT,
  error_message TEXT
);
CREATE INDEX jobs_tenant_created ON jobs(tenant_id, created_at);
CREATE INDEX jobs_status ON jobs(status);
CREATE TABLE job_outputs (
  job_id TEXT PRIMARY KEY REFERENCES jobs(job_id) ON DELETE CASCADE,
  tenant_id TEXT NOT NULL,
  columns TEXT NOT NULL,
  data BLOB NOT NULL
);
)sql",
};

DatasetRecord read_dataset(sqlite::Statement& s) {
  DatasetRecord d;
  d.id = s.column_text(0);
  d.name = s.column_text(1);
  d.format = s.column_text(2);
  d.row_count = s.column_int(3);
  d.column_count = s.column_int(4);
  d.columns_json = s.column_text(5);
  d.size_bytes = s.column_int(6);
  d.sha256 = s.column_text(7);
  d.created_at = s.column_text(8);
  return d;
}

#define KEEL_JOB_COLUMNS                                                                           \
  "job_id, kind, status, dataset_id, model, rows, seed, max_credits, estimate_credits, "           \
  "estimate_seconds, progress, rows_generated, charged, created_at, started_at, finished_at, "     \
  "error_code, error_message"

std::optional<std::string> optional_text(sqlite::Statement& s, int column) {
  if (s.is_null(column)) return std::nullopt;
  return s.column_text(column);
}

JobRecord read_job(sqlite::Statement& s) {
  JobRecord j;
  j.job_id = s.column_text(0);
  j.kind = s.column_text(1);
  j.status = s.column_text(2);
  j.dataset_id = s.column_text(3);
  j.model = s.column_text(4);
  j.rows = s.column_int(5);
  j.seed = s.column_int(6);
  if (!s.is_null(7)) j.max_credits = s.column_int(7);
  j.estimate_credits = s.column_int(8);
  j.estimate_seconds = s.column_int(9);
  j.progress = s.column_double(10);
  j.rows_generated = s.column_int(11);
  j.charged = s.column_int(12) != 0;
  j.created_at = s.column_text(13);
  j.started_at = optional_text(s, 14);
  j.finished_at = optional_text(s, 15);
  j.error_code = optional_text(s, 16);
  j.error_message = optional_text(s, 17);
  return j;
}

void add_ledger_entry(sqlite::Connection& c, std::string_view tenant_id, std::int64_t delta,
                      std::string_view reason, std::string_view job_id, std::string_view at) {
  auto s = c.prepare(
      "INSERT INTO credit_ledger (tenant_id, delta, balance_after, reason, job_id, created_at) "
      "SELECT id, ?2, credits, ?3, ?4, ?5 FROM tenants WHERE id = ?1");
  s.bind_text(1, tenant_id).bind_int(2, delta).bind_text(3, reason).bind_text(4, job_id);
  s.bind_text(5, at).run();
}

} // namespace

Store::Store(const std::filesystem::path& data_dir) : pool_(data_dir / "keel.db", 8) {
  std::filesystem::create_directories(data_dir);
  migrate();
}

void Store::migrate() {
  auto c = pool_.acquire();
  c->exec("CREATE TABLE IF NOT EXISTS schema_version (version INTEGER NOT NULL)");
  sqlite::Transaction tx(*c);
  int version = 0;
  {
    auto s = c->prepare("SELECT MAX(version) FROM schema_version");
    if (s.step() && !s.is_null(0)) version = static_cast<int>(s.column_int(0));
  }
  if (version > static_cast<int>(kMigrations.size()))
    throw std::runtime_error("keel.db has schema version " + std::to_string(version) +
                             ", newer than this server knows (" +
                             std::to_string(kMigrations.size()) + ")");
  for (auto i = static_cast<std::size_t>(version); i < kMigrations.size(); ++i) {
    c->exec(kMigrations[i]);
    auto s = c->prepare("INSERT INTO schema_version (version) VALUES (?1)");
    s.bind_int(1, static_cast<std::int64_t>(i + 1)).run();
  }
  tx.commit();
}

int Store::schema_version() {
  auto c = pool_.acquire();
  auto s = c->prepare("SELECT MAX(version) FROM schema_version");
  return s.step() ? static_cast<int>(s.column_int(0)) : 0;
}

bool Store::ready() {
  try {
    auto c = pool_.acquire();
    auto s = c->prepare("SELECT 1");
    return s.step() && s.column_int(0) == 1;
  } catch (...) {
    return false;
  }
}

bool Store::ensure_tenant(const TenantRecord& tenant) {
  auto c = pool_.acquire();
  sqlite::Transaction tx(*c);
  auto s = c->prepare(
      "INSERT INTO tenants (id, name, tier, credits, created_at) VALUES (?1, ?2, ?3, ?4, ?5) "
      "ON CONFLICT DO NOTHING");
  s.bind_text(1, tenant.id).bind_text(2, tenant.name).bind_text(3, tenant.tier);
  s.bind_int(4, tenant.credits).bind_text(5, tenant.created_at).run();
  bool inserted = c->changes() > 0;
  if (inserted)
    add_ledger_entry(*c, tenant.id, tenant.credits, "initial_grant", "", tenant.created_at);
  tx.commit();
  return inserted;
}

std::optional<TenantRecord> Store::get_tenant(std::string_view tenant_id) {
  auto c = pool_.acquire();
  auto s = c->prepare("SELECT id, name, tier, credits, created_at FROM tenants WHERE id = ?1");
  s.bind_text(1, tenant_id);
  if (!s.step()) return std::nullopt;
  return TenantRecord{s.column_text(0), s.column_text(1), s.column_text(2), s.column_int(3),
                      s.column_text(4)};
}

void Store::insert_dataset(std::string_view tenant_id, const DatasetRecord& d,
                           std::string_view rows_blob, std::string_view profile_json) {
  auto c = pool_.acquire();
  sqlite::Transaction tx(*c);
  {
    auto s = c->prepare(
        "INSERT INTO datasets (id, tenant_id, name, format, row_count, column_count, columns, "
        "size_bytes, sha256, created_at, profile) "
        "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
    s.bind_text(1, d.id).bind_text(2, tenant_id).bind_text(3, d.name).bind_text(4, d.format);
    s.bind_int(5, d.row_count).bind_int(6, d.column_count).bind_text(7, d.columns_json);
    s.bind_int(8, d.size_bytes).bind_text(9, d.sha256).bind_text(10, d.created_at);
    s.bind_text(11, profile_json).run();
  }
  {
    auto s =
        c->prepare("INSERT INTO dataset_rows (dataset_id, tenant_id, rows) VALUES (?1, ?2, ?3)");
    s.bind_text(1, d.id).bind_text(2, tenant_id).bind_blob(3, rows_blob).run();
  }
  tx.commit();
}

std::optional<DatasetRecord> Store::get_dataset(std::string_view tenant_id,
                                                std::string_view dataset_id) {
  auto c = pool_.acquire();
  auto s = c->prepare(
      "SELECT id, name, format, row_count, column_count, columns, size_bytes, sha256, created_at "
      "FROM datasets WHERE tenant_id = ?1 AND id = ?2");
  s.bind_text(1, tenant_id).bind_text(2, dataset_id);
  if (!s.step()) return std::nullopt;
  return read_dataset(s);
}

std::optional<std::string> Store::get_dataset_rows(std::string_view tenant_id,
                                                   std::string_view dataset_id) {
  auto c = pool_.acquire();
  auto s = c->prepare("SELECT rows FROM dataset_rows WHERE tenant_id = ?1 AND dataset_id = ?2");
  s.bind_text(1, tenant_id).bind_text(2, dataset_id);
  if (!s.step()) return std::nullopt;
  return s.column_blob(0);
}

std::optional<std::string> Store::get_dataset_profile(std::string_view tenant_id,
                                                      std::string_view dataset_id) {
  auto c = pool_.acquire();
  auto s = c->prepare("SELECT profile FROM datasets WHERE tenant_id = ?1 AND id = ?2");
  s.bind_text(1, tenant_id).bind_text(2, dataset_id);
  if (!s.step()) return std::nullopt;
  return s.column_text(0);
}

Page<DatasetRecord> Store::list_datasets(std::string_view tenant_id, std::int64_t offset,
                                         std::int64_t limit, SortOrder sort) {
  // One fixed statement per order: ORDER BY cannot be bound, and building it
  // from input is how injection starts. rowid breaks ties deterministically.
  static constexpr const char* kByCreatedAsc =
      "SELECT id, name, format, row_count, column_count, columns, size_bytes, sha256, created_at "
      "FROM datasets WHERE tenant_id = ?1 ORDER BY created_at ASC, rowid ASC LIMIT ?2 OFFSET ?3";
  static constexpr const char* kByCreatedDesc =
      "SELECT id, name, format, row_count, column_count, columns, size_bytes, sha256, created_at "
      "FROM datasets WHERE tenant_id = ?1 ORDER BY created_at DESC, rowid DESC LIMIT ?2 OFFSET ?3";
  static constexpr const char* kByNameAsc =
      "SELECT id, name, format, row_count, column_count, columns, size_bytes, sha256, created_at "
      "FROM datasets WHERE tenant_id = ?1 ORDER BY name ASC, rowid ASC LIMIT ?2 OFFSET ?3";
  static constexpr const char* kByNameDesc =
      "SELECT id, name, format, row_count, column_count, columns, size_bytes, sha256, created_at "
      "FROM datasets WHERE tenant_id = ?1 ORDER BY name DESC, rowid DESC LIMIT ?2 OFFSET ?3";
  const char* sql = kByCreatedDesc;
  switch (sort) {
  case SortOrder::created_at_asc: sql = kByCreatedAsc; break;
  case SortOrder::created_at_desc: sql = kByCreatedDesc; break;
  case SortOrder::name_asc: sql = kByNameAsc; break;
  case SortOrder::name_desc: sql = kByNameDesc; break;
  }
  Page<DatasetRecord> page;
  auto c = pool_.acquire();
  {
    auto s = c->prepare(sql);
    s.bind_text(1, tenant_id).bind_int(2, limit).bind_int(3, offset);
    while (s.step()) page.items.push_back(read_dataset(s));
  }
  auto s = c->prepare("SELECT COUNT(*) FROM datasets WHERE tenant_id = ?1");
  s.bind_text(1, tenant_id);
  if (s.step()) page.total = s.column_int(0);
  return page;
}

bool Store::delete_dataset(std::string_view tenant_id, std::string_view dataset_id) {
  auto c = pool_.acquire();
  sqlite::Transaction tx(*c);
  {
    auto s = c->prepare("DELETE FROM dataset_rows WHERE tenant_id = ?1 AND dataset_id = ?2");
    s.bind_text(1, tenant_id).bind_text(2, dataset_id).run();
  }
  auto s = c->prepare("DELETE FROM datasets WHERE tenant_id = ?1 AND id = ?2");
  s.bind_text(1, tenant_id).bind_text(2, dataset_id).run();
  bool deleted = c->changes() > 0;
  tx.commit();
  return deleted;
}

void Store::insert_job(std::string_view tenant_id, const JobRecord& j) {
  auto c = pool_.acquire();
  auto s = c->prepare(
      "INSERT INTO jobs (job_id, tenant_id, kind, status, dataset_id, model, rows, seed, "
      "max_credits, estimate_credits, estimate_seconds, created_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
  s.bind_text(1, j.job_id).bind_text(2, tenant_id).bind_text(3, j.kind).bind_text(4, j.status);
  s.bind_text(5, j.dataset_id).bind_text(6, j.model).bind_int(7, j.rows).bind_int(8, j.seed);
  if (j.max_credits)
    s.bind_int(9, *j.max_credits);
  else
    s.bind_null(9);
  s.bind_int(10, j.estimate_credits).bind_int(11, j.estimate_seconds).bind_text(12, j.created_at);
  s.run();
}

std::optional<JobRecord> Store::get_job(std::string_view tenant_id, std::string_view job_id) {
  auto c = pool_.acquire();
  auto s = c->prepare("SELECT " KEEL_JOB_COLUMNS " FROM jobs WHERE tenant_id = ?1 AND job_id = ?2");
  s.bind_text(1, tenant_id).bind_text(2, job_id);
  if (!s.step()) return std::nullopt;
  return read_job(s);
}

Page<JobRecord> Store::list_jobs(std::string_view tenant_id, std::int64_t offset,
                                 std::int64_t limit, std::string_view status, SortOrder sort) {
  // ?4 = '' disables the status filter, keeping one statement per order.
  static constexpr const char* kAsc =
      "SELECT " KEEL_JOB_COLUMNS " FROM jobs WHERE tenant_id = ?1 AND (?4 = '' OR status = ?4) "
      "ORDER BY created_at ASC, rowid ASC LIMIT ?2 OFFSET ?3";
  static constexpr const char* kDesc =
      "SELECT " KEEL_JOB_COLUMNS " FROM jobs WHERE tenant_id = ?1 AND (?4 = '' OR status = ?4) "
      "ORDER BY created_at DESC, rowid DESC LIMIT ?2 OFFSET ?3";
  Page<JobRecord> page;
  auto c = pool_.acquire();
  {
    auto s = c->prepare(sort == SortOrder::created_at_asc ? kAsc : kDesc);
    s.bind_text(1, tenant_id).bind_int(2, limit).bind_int(3, offset).bind_text(4, status);
    while (s.step()) page.items.push_back(read_job(s));
  }
  auto s =
      c->prepare("SELECT COUNT(*) FROM jobs WHERE tenant_id = ?1 AND (?2 = '' OR status = ?2)");
  s.bind_text(1, tenant_id).bind_text(2, status);
  if (s.step()) page.total = s.column_int(0);
  return page;
}

StartOutcome Store::start_job(std::string_view tenant_id, std::string_view job_id,
                              std::string_view started_at) {
  auto c = pool_.acquire();
  sqlite::Transaction tx(*c);
  std::int64_t estimate = 0;
  bool charged = false;
  {
    auto s = c->prepare("SELECT estimate_credits, charged FROM jobs "
                        "WHERE tenant_id = ?1 AND job_id = ?2 AND status = 'queued'");
    s.bind_text(1, tenant_id).bind_text(2, job_id);
    if (!s.step()) return StartOutcome::not_queued;
    estimate = s.column_int(0);
    charged = s.column_int(1) != 0;
  }
  if (!charged) {
    {
      auto s =
          c->prepare("UPDATE tenants SET credits = credits - ?2 WHERE id = ?1 AND credits >= ?2");
      s.bind_text(1, tenant_id).bind_int(2, estimate).run();
    }
    if (c->changes() == 0) return StartOutcome::insufficient_credits;
    add_ledger_entry(*c, tenant_id, -estimate, "job_started", job_id, started_at);
  }
  auto s =
      c->prepare("UPDATE jobs SET status = 'running', charged = 1, started_at = ?3, progress = 0, "
                 "rows_generated = 0 WHERE tenant_id = ?1 AND job_id = ?2 AND status = 'queued'");
  s.bind_text(1, tenant_id).bind_text(2, job_id).bind_text(3, started_at).run();
  tx.commit();
  return StartOutcome::started;
}

void Store::update_job_progress(std::string_view tenant_id, std::string_view job_id,
                                double progress, std::int64_t rows_generated) {
  auto c = pool_.acquire();
  auto s = c->prepare("UPDATE jobs SET progress = ?3, rows_generated = ?4 "
                      "WHERE tenant_id = ?1 AND job_id = ?2 AND status = 'running'");
  s.bind_text(1, tenant_id).bind_text(2, job_id).bind_double(3, progress);
  s.bind_int(4, rows_generated).run();
}

bool Store::finish_job(std::string_view tenant_id, std::string_view job_id,
                       std::string_view finished_at, std::int64_t rows_generated,
                       std::string_view columns_json, std::string_view output_csv) {
  auto c = pool_.acquire();
  sqlite::Transaction tx(*c);
  {
    auto s =
        c->prepare("UPDATE jobs SET status = 'succeeded', progress = 1, rows_generated = ?4, "
                   "finished_at = ?3 WHERE tenant_id = ?1 AND job_id = ?2 AND status = 'running'");
    s.bind_text(1, tenant_id).bind_text(2, job_id).bind_text(3, finished_at);
    s.bind_int(4, rows_generated).run();
  }
  if (c->changes() == 0) return false;
  auto s = c->prepare("INSERT OR REPLACE INTO job_outputs (job_id, tenant_id, columns, data) "
                      "VALUES (?1, ?2, ?3, ?4)");
  s.bind_text(1, job_id).bind_text(2, tenant_id).bind_text(3, columns_json);
  s.bind_blob(4, output_csv).run();
  tx.commit();
  return true;
}

bool Store::fail_job(std::string_view tenant_id, std::string_view job_id,
                     std::string_view finished_at, std::string_view code, std::string_view message,
                     bool refund) {
  auto c = pool_.acquire();
  sqlite::Transaction tx(*c);
  std::int64_t estimate = 0;
  bool charged = false;
  {
    auto s = c->prepare(
        "SELECT estimate_credits, charged FROM jobs WHERE tenant_id = ?1 AND job_id = ?2 "
        "AND status IN ('queued', 'running')");
    s.bind_text(1, tenant_id).bind_text(2, job_id);
    if (!s.step()) return false;
    estimate = s.column_int(0);
    charged = s.column_int(1) != 0;
  }
  {
    auto s = c->prepare(
        "UPDATE jobs SET status = 'failed', finished_at = ?3, error_code = ?4, error_message = ?5, "
        "charged = ?6 WHERE tenant_id = ?1 AND job_id = ?2");
    s.bind_text(1, tenant_id).bind_text(2, job_id).bind_text(3, finished_at).bind_text(4, code);
    s.bind_text(5, message).bind_int(6, charged && !refund ? 1 : 0).run();
  }
  if (charged && refund) {
    {
      auto s = c->prepare("UPDATE tenants SET credits = credits + ?2 WHERE id = ?1");
      s.bind_text(1, tenant_id).bind_int(2, estimate).run();
    }
    add_ledger_entry(*c, tenant_id, estimate, "job_failed_refund", job_id, finished_at);
  }
  tx.commit();
  return true;
}

bool Store::cancel_job(std::string_view tenant_id, std::string_view job_id,
                       std::string_view finished_at) {
  auto c = pool_.acquire();
  auto s = c->prepare("UPDATE jobs SET status = 'canceled', finished_at = ?3 "
                      "WHERE tenant_id = ?1 AND job_id = ?2 AND status IN ('queued', 'running')");
  s.bind_text(1, tenant_id).bind_text(2, job_id).bind_text(3, finished_at).run();
  return c->changes() > 0;
}

bool Store::requeue_job(std::string_view tenant_id, std::string_view job_id) {
  auto c = pool_.acquire();
  auto s = c->prepare(
      "UPDATE jobs SET status = 'queued', started_at = NULL, progress = 0, rows_generated = 0 "
      "WHERE tenant_id = ?1 AND job_id = ?2 AND status = 'running'");
  s.bind_text(1, tenant_id).bind_text(2, job_id).run();
  return c->changes() > 0;
}

std::optional<JobOutputRecord> Store::get_job_output(std::string_view tenant_id,
                                                     std::string_view job_id) {
  auto c = pool_.acquire();
  auto s = c->prepare("SELECT columns, data FROM job_outputs WHERE tenant_id = ?1 AND job_id = ?2");
  s.bind_text(1, tenant_id).bind_text(2, job_id);
  if (!s.step()) return std::nullopt;
  return JobOutputRecord{s.column_text(0), s.column_blob(1)};
}

std::vector<std::pair<std::string, std::string>> Store::recover_jobs() {
  auto c = pool_.acquire();
  sqlite::Transaction tx(*c);
  c->exec("UPDATE jobs SET status = 'queued', started_at = NULL, progress = 0, rows_generated = 0 "
          "WHERE status = 'running'");
  std::vector<std::pair<std::string, std::string>> queued;
  {
    auto s = c->prepare(
        "SELECT tenant_id, job_id FROM jobs WHERE status = 'queued' ORDER BY created_at, rowid");
    while (s.step()) queued.emplace_back(s.column_text(0), s.column_text(1));
  }
  tx.commit();
  return queued;
}

} // namespace keel::reference
