#pragma once

#include "models.h"
#include "storage/store.h"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace keel::reference {

struct Table;

/// Datasets: upload (CSV, JSON rows, an uploaded file), list, get, delete, profile.
/// Every method takes the caller's tenant first; another tenant's dataset is
/// keel::not_found(), exactly as a missing one. Failures are thrown as
/// keel::ApiError. Thread-safe. Results are the spec's models
/// (keel_reference::models::Dataset, DatasetList, DatasetProfile).
class DatasetService {
public:
  using Dataset = keel_reference::models::Dataset;
  using DatasetList = keel_reference::models::DatasetList;
  using DatasetProfile = keel_reference::models::DatasetProfile;

  static constexpr std::size_t kMaxNameLength = 200;

  explicit DatasetService(Store& store) : store_(store) {}

  // Uploads take the body the generated code already negotiated, decoded and
  // validated (see ReferenceHandlers::upload_dataset); `name` may be empty.

  /// RFC 4180 CSV with a header row. Errors: invalid_csv, empty_dataset.
  Dataset upload_csv(std::string_view tenant_id, std::string_view name, std::string_view bytes);
  /// JSON rows: an array of flat objects, or {"name"?, "rows": [...]}, read
  /// from the bytes because each object's key order is the column order, and
  /// the typed model (a std::map per row) does not keep it. Errors:
  /// invalid_json, invalid_rows, empty_dataset.
  Dataset upload_json(std::string_view tenant_id, std::string_view name, std::string_view bytes);
  /// One uploaded file (a multipart `file` part): CSV or JSON, told apart by
  /// its media type, then its file name's extension, then its first byte.
  Dataset upload_file(std::string_view tenant_id, std::string_view name,
                      std::string_view media_type, const std::optional<std::string>& filename,
                      std::string_view bytes);

  /// sort: created_at:asc|created_at:desc|name:asc|name:desc.
  DatasetList list(std::string_view tenant_id, std::int64_t page = 1, std::int64_t limit = 25,
                   std::string_view sort = "created_at:desc");
  Dataset get(std::string_view tenant_id, std::string_view dataset_id);
  /// 204 semantics: returns nothing; throws not_found.
  void remove(std::string_view tenant_id, std::string_view dataset_id);
  /// Per column: type, null_rate, distinct_count, and min/max/mean or top_values.
  DatasetProfile profile(std::string_view tenant_id, std::string_view dataset_id);

private:
  Dataset store_table(std::string_view tenant_id, std::string_view name, std::string_view format,
                      std::string_view bytes, Table& table);

  Store& store_;
};

/// The Dataset model of a stored record.
keel_reference::models::Dataset dataset_model(const DatasetRecord& record);

} // namespace keel::reference
