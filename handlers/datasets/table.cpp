#include "datasets/table.h"

#include <nlohmann/json.hpp>

#include <stdexcept>

namespace keel::reference {

keel_reference::models::ColumnType to_model(ColumnType type) {
  using Model = keel_reference::models::ColumnType;
  switch (type) {
  case ColumnType::integer: return Model::integer;
  case ColumnType::number: return Model::number;
  case ColumnType::boolean: return Model::boolean;
  case ColumnType::string: return Model::string;
  }
  return Model::string;
}

ColumnType from_model(keel_reference::models::ColumnType type) {
  using Model = keel_reference::models::ColumnType;
  switch (type) {
  case Model::integer: return ColumnType::integer;
  case Model::number: return ColumnType::number;
  case Model::boolean: return ColumnType::boolean;
  case Model::string: return ColumnType::string;
  }
  return ColumnType::string;
}

std::vector<keel_reference::models::DatasetColumn> column_models(const Table& table) {
  std::vector<keel_reference::models::DatasetColumn> out(table.names.size());
  for (std::size_t c = 0; c < table.names.size(); ++c) {
    out[c].name = table.names[c];
    out[c].type = to_model(table.types[c]);
  }
  return out;
}

Table table_from_columns(const std::vector<keel_reference::models::DatasetColumn>& columns) {
  Table table;
  for (const auto& column : columns) {
    table.names.push_back(column.name);
    table.types.push_back(from_model(column.type));
  }
  return table;
}

std::string encode_rows(const Table& table) {
  std::string out;
  const std::size_t rows = table.row_count();
  nlohmann::json row = nlohmann::json::array();
  for (std::size_t r = 0; r < rows; ++r) {
    row.clear();
    for (const auto& column : table.columns) {
      const Cell& cell = column[r];
      if (cell)
        row.push_back(*cell);
      else
        row.push_back(nullptr);
    }
    out += row.dump();
    out.push_back('\n');
  }
  return out;
}

void decode_rows(std::string_view blob, Table& table) {
  const std::size_t width = table.names.size();
  table.columns.assign(width, {});
  std::size_t pos = 0;
  while (pos < blob.size()) {
    std::size_t eol = blob.find('\n', pos);
    if (eol == std::string_view::npos) eol = blob.size();
    auto row = nlohmann::json::parse(blob.substr(pos, eol - pos));
    if (!row.is_array() || row.size() != width)
      throw std::runtime_error("stored dataset rows are corrupt");
    for (std::size_t c = 0; c < width; ++c) {
      auto& value = row[c];
      if (value.is_null())
        table.columns[c].emplace_back(std::nullopt);
      else
        table.columns[c].emplace_back(value.get_ref<std::string&>());
    }
    pos = eol + 1;
  }
}

} // namespace keel::reference
