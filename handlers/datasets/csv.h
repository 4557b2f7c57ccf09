#pragma once

#include "datasets/table.h"

#include <string>
#include <string_view>

namespace keel::reference {

/// Columns beyond this are refused: wider tables are almost always a
/// delimiter mistake, and the profile/synthesizer cost grows with width.
inline constexpr std::size_t kMaxColumns = 1024;

/// Parses RFC 4180 CSV into a table (types left empty; see infer_types).
///
/// Accepts CRLF or LF record ends, quoted fields with doubled quotes and
/// embedded separators/newlines, an optional UTF-8 BOM; requires a header row
/// of unique, non-empty names and the same field count on every record.
/// An empty unquoted field is null; a quoted empty field ("") is an empty
/// string. Blank lines are skipped unless `skip_blank_lines` is false (then
/// a blank line is a record of one null field, which is how a one-column
/// null row is written). Throws keel::ApiError: `invalid_csv` (hint names
/// the line and data row) or `empty_dataset`.
Table parse_csv(std::string_view bytes, bool skip_blank_lines = true);

/// Reads CSV one record at a time, with the same rules as parse_csv but no
/// header handling: for streaming over large inputs (e.g. job output).
class CsvReader {
public:
  /// `bytes` must outlive the reader. A UTF-8 BOM is skipped; UTF-8 is not
  /// checked here (parse_csv does it once for the whole input).
  explicit CsvReader(std::string_view bytes, bool skip_blank_lines = true);
  /// Fills `record` with the next record's fields; false at the end.
  /// `data_row` only labels errors (0: the header). Throws invalid_csv.
  bool next(std::vector<Cell>& record, std::size_t data_row = 0);
  /// Physical line (1-based) where the last record returned by next() began.
  std::size_t record_line() const { return record_line_; }

private:
  std::string_view in_;
  std::size_t pos_ = 0;
  std::size_t line_ = 1;
  std::size_t record_line_ = 1;
  bool skip_blank_lines_;
};

/// Appends one field, quoted only when RFC 4180 requires it; an empty
/// string is written as "" so it reads back as non-null.
void append_csv_field(std::string& out, std::string_view value);

/// Offset of the first byte that is not valid UTF-8, or npos.
std::size_t find_invalid_utf8(std::string_view bytes);

} // namespace keel::reference
