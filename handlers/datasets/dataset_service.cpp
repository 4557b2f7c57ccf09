#include "datasets/dataset_service.h"

#include "common/ids.h"
#include "common/paging.h"
#include "datasets/csv.h"
#include "datasets/inference.h"
#include "datasets/json_rows.h"
#include "storage/stored_json.h"

#include <keel/error.h>
#include <keel/http.h>

namespace keel::reference {
namespace {

[[noreturn]] void dataset_not_found() { throw keel::not_found("no such dataset"); }

/// The media type without parameters, lower-cased.
std::string media_type(std::string_view content_type) {
  std::string_view essence = content_type.substr(0, content_type.find(';'));
  while (!essence.empty() && (essence.back() == ' ' || essence.back() == '\t'))
    essence.remove_suffix(1);
  while (!essence.empty() && (essence.front() == ' ' || essence.front() == '\t'))
    essence.remove_prefix(1);
  std::string out(essence);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

bool is_json_media(std::string_view type) {
  return type == "application/json" || (type.size() > 5 && type.ends_with("+json"));
}

bool ends_with_icase(std::string_view s, std::string_view suffix) {
  return s.size() >= suffix.size() && keel::iequals(s.substr(s.size() - suffix.size()), suffix);
}

std::string checked_name(std::string_view name, std::string_view fallback) {
  if (name.empty()) return std::string(fallback);
  if (name.size() > DatasetService::kMaxNameLength)
    throw keel::validation_failed(
        {{"/body/name", "too_long",
          "name must be at most " + std::to_string(DatasetService::kMaxNameLength) + " bytes"}});
  if (find_invalid_utf8(name) != std::string_view::npos)
    throw keel::validation_failed({{"/body/name", "invalid_utf8", "name must be valid UTF-8"}});
  return std::string(name);
}

SortOrder parse_dataset_sort(std::string_view sort) {
  if (sort == "created_at:desc") return SortOrder::created_at_desc;
  if (sort == "created_at:asc") return SortOrder::created_at_asc;
  if (sort == "name:asc") return SortOrder::name_asc;
  if (sort == "name:desc") return SortOrder::name_desc;
  throw keel::validation_failed(
      {{"/query/sort", "invalid_value",
        "sort must be one of created_at:asc, created_at:desc, name:asc, name:desc"}});
}

} // namespace

keel_reference::models::Dataset dataset_model(const DatasetRecord& d) {
  keel_reference::models::Dataset out;
  out.id = d.id;
  out.name = d.name;
  out.format = stored_enum<keel_reference::models::DatasetFormat>(d.format);
  out.row_count = d.row_count;
  out.column_count = d.column_count;
  out.columns = from_stored_json<std::vector<keel_reference::models::DatasetColumn>>(d.columns_json);
  out.size_bytes = d.size_bytes;
  out.sha256 = d.sha256;
  out.created_at = d.created_at;
  return out;
}

DatasetService::Dataset DatasetService::store_table(std::string_view tenant_id,
                                                    std::string_view name, std::string_view format,
                                                    std::string_view bytes, Table& table) {
  if (table.types.empty()) infer_types(table);
  DatasetRecord record;
  record.id = random_id("ds_");
  record.name = std::string(name);
  record.format = std::string(format);
  record.row_count = static_cast<std::int64_t>(table.row_count());
  record.column_count = static_cast<std::int64_t>(table.names.size());
  record.columns_json = to_stored_json(column_models(table));
  record.size_bytes = static_cast<std::int64_t>(bytes.size());
  record.sha256 = sha256_hex(bytes);
  record.created_at = now_rfc3339();
  // The profile is computed once here, while the table is parsed anyway,
  // so GET .../profile never re-reads the rows.
  DatasetProfile profile;
  profile.dataset_id = record.id;
  profile.row_count = record.row_count;
  profile.columns = profile_columns(table);
  store_.insert_dataset(tenant_id, record, encode_rows(table), to_stored_json(profile));
  return dataset_model(record);
}

DatasetService::Dataset DatasetService::upload_csv(std::string_view tenant_id,
                                                   std::string_view name, std::string_view bytes) {
  std::string checked = checked_name(name, "dataset.csv");
  Table table = parse_csv(bytes);
  return store_table(tenant_id, checked, "csv", bytes, table);
}

DatasetService::Dataset DatasetService::upload_json(std::string_view tenant_id,
                                                    std::string_view name, std::string_view bytes) {
  nlohmann::ordered_json document;
  try {
    // ordered_json keeps each object's key order, which becomes column order.
    document = nlohmann::ordered_json::parse(bytes);
  } catch (const nlohmann::json::parse_error& e) {
    throw keel::bad_request("invalid_json",
                            "the body is not valid JSON (byte " + std::to_string(e.byte) + ")");
  }
  std::string chosen(name);
  const nlohmann::ordered_json* rows = &document;
  if (document.is_object()) {
    auto found = document.find("rows");
    if (found == document.end())
      throw keel::validation_failed({{"/body/rows", "required", "rows is required"}});
    rows = &*found;
    auto given = document.find("name");
    if (given != document.end()) {
      if (!given->is_string())
        throw keel::validation_failed({{"/body/name", "invalid_type", "name must be a string"}});
      if (chosen.empty()) chosen = given->get<std::string>();
    }
  }
  std::string checked = checked_name(chosen, "dataset.json");
  Table table = table_from_json_rows(*rows);
  return store_table(tenant_id, checked, "json", bytes, table);
}

DatasetService::Dataset DatasetService::upload_file(std::string_view tenant_id,
                                                    std::string_view name,
                                                    std::string_view content_type,
                                                    const std::optional<std::string>& filename,
                                                    std::string_view bytes) {
  const std::string type = media_type(content_type);
  bool json = false;
  if (is_json_media(type)) {
    json = true;
  } else if (type == "text/csv") {
    json = false;
  } else if (filename && ends_with_icase(*filename, ".json")) {
    json = true;
  } else if (filename && ends_with_icase(*filename, ".csv")) {
    json = false;
  } else {
    // Clients often send application/octet-stream: sniff the first byte.
    auto first = bytes.find_first_not_of(" \t\r\n");
    json = first != std::string::npos && (bytes[first] == '[' || bytes[first] == '{');
  }
  return json ? upload_json(tenant_id, name, bytes) : upload_csv(tenant_id, name, bytes);
}

DatasetService::DatasetList DatasetService::list(std::string_view tenant_id, std::int64_t page,
                                                 std::int64_t limit, std::string_view sort) {
  check_page(page, limit);
  SortOrder order = parse_dataset_sort(sort);
  auto result = store_.list_datasets(tenant_id, page_offset(page, limit), limit, order);
  std::vector<Dataset> data;
  data.reserve(result.items.size());
  for (const auto& record : result.items) data.push_back(dataset_model(record));
  return page_of<DatasetList>(std::move(data), page, limit, result.total);
}

DatasetService::Dataset DatasetService::get(std::string_view tenant_id,
                                            std::string_view dataset_id) {
  auto record = store_.get_dataset(tenant_id, dataset_id);
  if (!record) dataset_not_found();
  return dataset_model(*record);
}

void DatasetService::remove(std::string_view tenant_id, std::string_view dataset_id) {
  if (!store_.delete_dataset(tenant_id, dataset_id)) dataset_not_found();
}

DatasetService::DatasetProfile DatasetService::profile(std::string_view tenant_id,
                                                       std::string_view dataset_id) {
  auto profile = store_.get_dataset_profile(tenant_id, dataset_id);
  if (!profile) dataset_not_found();
  return from_stored_json<DatasetProfile>(*profile);
}

} // namespace keel::reference
