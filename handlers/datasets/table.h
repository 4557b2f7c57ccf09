#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace keel::reference {

enum class ColumnType { integer, number, boolean, string };

std::string_view to_string(ColumnType type);
/// Throws std::invalid_argument for an unknown name.
ColumnType column_type_from_string(std::string_view name);

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

} // namespace keel::reference
