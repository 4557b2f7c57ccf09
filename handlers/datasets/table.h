#pragma once

#include "models.h"

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace keel::reference {

enum class ColumnType { integer, number, boolean, string };

/// The API's spelling of a column type (models::ColumnType has the same four).
keel_reference::models::ColumnType to_model(ColumnType type);
ColumnType from_model(keel_reference::models::ColumnType type);

/// A cell is its text, or nullopt for null (an empty unquoted CSV field or a
/// JSON null). Keeping text rather than parsed values means a synthesized
/// categorical value is written back exactly as it was uploaded.
using Cell = std::optional<std::string>;

/// Column-major: profiling and synthesis both walk one column at a time.
struct Table {
  std::vector<std::string> names;
  std::vector<ColumnType> types;          ///< filled by inference; same size as names
  std::vector<std::vector<Cell>> columns; ///< columns[c][r]
  std::size_t row_count() const { return columns.empty() ? 0 : columns.front().size(); }
};

/// The stored form of a table's cells: one JSON array per row, one line each
/// (strings and nulls), independent of the upload format. Names and types
/// are stored beside it as the dataset's `columns`.
std::string encode_rows(const Table& table);
/// Inverse of encode_rows; `table.names` must already be set.
void decode_rows(std::string_view blob, Table& table);

/// The dataset's `columns` (name and type of each column), as the API and
/// storage hold them.
std::vector<keel_reference::models::DatasetColumn> column_models(const Table& table);
/// A table with the names and types of `columns` and no rows.
Table table_from_columns(const std::vector<keel_reference::models::DatasetColumn>& columns);

} // namespace keel::reference
