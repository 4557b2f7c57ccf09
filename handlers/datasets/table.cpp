#include "datasets/table.h"

#include <nlohmann/json.hpp>

#include <stdexcept>

namespace keel::reference {

std::string_view to_string(ColumnType type) {
  switch (type) {
  case ColumnType::integer: return "integer";
  case ColumnType::number: return "number";
  case ColumnType::boolean: return "boolean";
  case ColumnType::string: return "string";
  }
  return "string";
}

ColumnType column_type_from_string(std::string_view name) {
  if (name == "integer") return ColumnType::integer;
  if (name == "number") return ColumnType::number;
  if (name == "boolean") return ColumnType::boolean;
  if (name == "string") return ColumnType::string;
  throw std::invalid_argument("unknown column type");
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
