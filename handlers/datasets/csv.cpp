#include "datasets/csv.h"

#include <keel/error.h>

#include <algorithm>
#include <unordered_set>

namespace keel::reference {
namespace {

[[noreturn]] void invalid(std::size_t line, std::size_t row, const std::string& what) {
  std::string hint = "line " + std::to_string(line);
  if (row > 0) hint += " (data row " + std::to_string(row) + ")";
  throw keel::bad_request("invalid_csv", hint + ": " + what);
}

} // namespace

std::size_t find_invalid_utf8(std::string_view s) {
  std::size_t i = 0;
  const std::size_t n = s.size();
  while (i < n) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      continue;
    }
    std::size_t length = 0;
    std::uint32_t min = 0;
    std::uint32_t cp = 0;
    if ((c & 0xE0) == 0xC0) {
      length = 2, min = 0x80, cp = c & 0x1Fu;
    } else if ((c & 0xF0) == 0xE0) {
      length = 3, min = 0x800, cp = c & 0x0Fu;
    } else if ((c & 0xF8) == 0xF0) {
      length = 4, min = 0x10000, cp = c & 0x07u;
    } else {
      return i;
    }
    if (i + length > n) return i;
    for (std::size_t k = 1; k < length; ++k) {
      auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return i;
      cp = (cp << 6) | (cc & 0x3Fu);
    }
    // Overlong forms, surrogates and values past U+10FFFF are not UTF-8.
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return i;
    i += length;
  }
  return std::string_view::npos;
}

CsvReader::CsvReader(std::string_view bytes, bool skip_blank_lines)
    : in_(bytes), skip_blank_lines_(skip_blank_lines) {
  if (in_.substr(0, 3) == "\xEF\xBB\xBF") in_.remove_prefix(3);
}

bool CsvReader::next(std::vector<Cell>& record, std::size_t row) {
  const std::string_view in = in_;
  const std::size_t n = in.size();
  std::size_t i = pos_;
  std::size_t line = line_;
  while (i < n) {
    record_line_ = line;
    record.clear();
    bool blank = false;
    while (true) {
      if (i < n && in[i] == '"') {
        const std::size_t field_line = line;
        ++i;
        std::string value;
        bool closed = false;
        while (i < n) {
          // Copy runs of ordinary bytes at once; only quotes need a look.
          std::size_t quote = in.find('"', i);
          std::size_t stop = quote == std::string_view::npos ? n : quote;
          std::string_view run = in.substr(i, stop - i);
          line += static_cast<std::size_t>(std::count(run.begin(), run.end(), '\n'));
          value.append(run);
          i = stop;
          if (i == n) break;
          if (i + 1 < n && in[i + 1] == '"') {
            value.push_back('"');
            i += 2;
            continue;
          }
          ++i;
          closed = true;
          break;
        }
        if (!closed) invalid(field_line, row, "a quoted field is never closed");
        record.emplace_back(std::move(value));
      } else {
        const std::size_t start = i;
        while (i < n && in[i] != ',' && in[i] != '\n' && in[i] != '\r' && in[i] != '"') ++i;
        if (i < n && in[i] == '"')
          invalid(line, row,
                  "a quote inside an unquoted field; quote the whole field and double the quote");
        if (i == start) {
          // An empty line is skipped rather than read as one null field.
          blank = skip_blank_lines_ && record.empty() && (i == n || in[i] != ',');
          record.emplace_back(std::nullopt);
        } else {
          record.emplace_back(std::string(in.substr(start, i - start)));
        }
      }
      if (i == n) break;
      if (in[i] == ',') {
        ++i;
        continue;
      }
      if (in[i] == '\n') {
        ++i;
        ++line;
        break;
      }
      if (in[i] == '\r' && i + 1 < n && in[i + 1] == '\n') {
        i += 2;
        ++line;
        break;
      }
      if (in[i] == '\r') invalid(line, row, "a bare CR; records end with CRLF or LF");
      invalid(line, row, "unexpected character after a closing quote");
    }
    if (blank) continue;
    pos_ = i;
    line_ = line;
    return true;
  }
  pos_ = i;
  line_ = line;
  return false;
}

Table parse_csv(std::string_view in, bool skip_blank_lines) {
  if (in.substr(0, 3) == "\xEF\xBB\xBF") in.remove_prefix(3);
  if (std::size_t bad = find_invalid_utf8(in); bad != std::string_view::npos) {
    auto before = in.substr(0, bad);
    auto line = static_cast<std::size_t>(std::count(before.begin(), before.end(), '\n')) + 1;
    invalid(line, 0, "the file is not valid UTF-8");
  }

  Table table;
  CsvReader reader(in, skip_blank_lines);
  std::vector<Cell> record;
  if (!reader.next(record, 0))
    throw keel::bad_request(
        "empty_dataset", "the CSV is empty; a header row and at least one data row are required");
  if (record.size() > kMaxColumns)
    invalid(reader.record_line(), 0,
            "the header has " + std::to_string(record.size()) + " columns; at most " +
                std::to_string(kMaxColumns) + " are allowed");
  std::unordered_set<std::string> seen;
  for (std::size_t c = 0; c < record.size(); ++c) {
    if (!record[c] || record[c]->empty())
      invalid(reader.record_line(), 0,
              "header column " + std::to_string(c + 1) + " has an empty name");
    if (!seen.insert(*record[c]).second)
      invalid(reader.record_line(), 0, "duplicate column name \"" + *record[c] + "\"");
    table.names.push_back(*record[c]);
  }
  table.columns.assign(table.names.size(), {});

  std::size_t data_rows = 0;
  while (reader.next(record, data_rows + 1)) {
    ++data_rows;
    if (record.size() != table.names.size())
      invalid(reader.record_line(), data_rows,
              "expected " + std::to_string(table.names.size()) + " fields, found " +
                  std::to_string(record.size()));
    for (std::size_t c = 0; c < record.size(); ++c)
      table.columns[c].push_back(std::move(record[c]));
  }
  if (data_rows == 0)
    throw keel::bad_request("empty_dataset", "the CSV has a header but no data rows");
  return table;
}

void append_csv_field(std::string& out, std::string_view value) {
  if (value.empty()) {
    out += "\"\"";
    return;
  }
  if (value.find_first_of(",\"\r\n") == std::string_view::npos) {
    out += value;
    return;
  }
  out.push_back('"');
  for (char c : value) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

} // namespace keel::reference
