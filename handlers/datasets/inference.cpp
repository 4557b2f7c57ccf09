#include "datasets/inference.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>
#include <set>
#include <unordered_map>

namespace keel::reference {

std::optional<std::int64_t> parse_integer(std::string_view text) {
  std::string_view digits = text;
  if (!digits.empty() && digits.front() == '-') digits.remove_prefix(1);
  if (digits.empty() || (digits.size() > 1 && digits.front() == '0')) return std::nullopt;
  if (!std::all_of(digits.begin(), digits.end(), [](char c) { return c >= '0' && c <= '9'; }))
    return std::nullopt;
  std::int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end != text.data() + text.size()) return std::nullopt;
  return value;
}

std::optional<double> parse_number(std::string_view text) {
  // Grammar check first: from_chars alone would accept "inf", "nan" and
  // hex-looking forms we do not want to call numeric.
  std::size_t i = 0;
  const std::size_t n = text.size();
  if (i < n && text[i] == '-') ++i;
  std::size_t int_start = i;
  while (i < n && text[i] >= '0' && text[i] <= '9') ++i;
  std::size_t int_digits = i - int_start;
  if (int_digits > 1 && text[int_start] == '0') return std::nullopt;
  std::size_t frac_digits = 0;
  if (i < n && text[i] == '.') {
    ++i;
    std::size_t frac_start = i;
    while (i < n && text[i] >= '0' && text[i] <= '9') ++i;
    frac_digits = i - frac_start;
    if (frac_digits == 0) return std::nullopt;
  }
  if (int_digits + frac_digits == 0) return std::nullopt;
  if (i < n && (text[i] == 'e' || text[i] == 'E')) {
    ++i;
    if (i < n && (text[i] == '+' || text[i] == '-')) ++i;
    std::size_t exp_start = i;
    while (i < n && text[i] >= '0' && text[i] <= '9') ++i;
    if (i == exp_start) return std::nullopt;
  }
  if (i != n) return std::nullopt;
  double value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + n, value);
  if (ec != std::errc() || end != text.data() + n || !std::isfinite(value)) return std::nullopt;
  return value;
}

std::optional<bool> parse_boolean(std::string_view text) {
  auto equals = [](std::string_view a, std::string_view lower) {
    if (a.size() != lower.size()) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
      char c = a[i];
      if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
      if (c != lower[i]) return false;
    }
    return true;
  };
  if (equals(text, "true")) return true;
  if (equals(text, "false")) return false;
  return std::nullopt;
}

ColumnType infer_type(const std::vector<Cell>& column) {
  bool any = false, all_integer = true, all_number = true, all_boolean = true;
  for (const Cell& cell : column) {
    if (!cell) continue;
    any = true;
    if (all_integer && !parse_integer(*cell)) all_integer = false;
    if (all_number && !all_integer && !parse_number(*cell)) all_number = false;
    if (all_boolean && !parse_boolean(*cell)) all_boolean = false;
    if (!all_integer && !all_number && !all_boolean) return ColumnType::string;
  }
  if (!any) return ColumnType::string;
  if (all_integer) return ColumnType::integer;
  if (all_number) return ColumnType::number;
  if (all_boolean) return ColumnType::boolean;
  return ColumnType::string;
}

void infer_types(Table& table) {
  table.types.clear();
  for (const auto& column : table.columns) table.types.push_back(infer_type(column));
}

std::optional<int> observed_decimals(const std::vector<Cell>& column) {
  int decimals = 0;
  for (const Cell& cell : column) {
    if (!cell) continue;
    if (cell->find_first_of("eE") != std::string::npos) return std::nullopt;
    auto dot = cell->find('.');
    if (dot != std::string::npos)
      decimals = std::max(decimals, static_cast<int>(cell->size() - dot - 1));
  }
  return std::min(decimals, 6);
}

namespace {

// Values as text, as the spec's TopValue says (booleans normalised to true/false).
std::vector<keel_reference::models::TopValue> top_values(
    const std::vector<std::pair<std::string, std::int64_t>>& counts) {
  std::vector<std::pair<std::string, std::int64_t>> sorted = counts;
  std::sort(sorted.begin(), sorted.end(), [](const auto& a, const auto& b) {
    return a.second != b.second ? a.second > b.second : a.first < b.first;
  });
  if (sorted.size() > 5) sorted.resize(5);
  std::vector<keel_reference::models::TopValue> out(sorted.size());
  for (std::size_t i = 0; i < sorted.size(); ++i) {
    out[i].value = sorted[i].first;
    out[i].count = sorted[i].second;
  }
  return out;
}

} // namespace

std::vector<keel_reference::models::ColumnProfile> profile_columns(const Table& table) {
  std::vector<keel_reference::models::ColumnProfile> columns;
  const std::size_t rows = table.row_count();
  for (std::size_t c = 0; c < table.names.size(); ++c) {
    const auto& column = table.columns[c];
    const ColumnType type = table.types[c];
    std::int64_t nulls = 0;
    for (const Cell& cell : column)
      if (!cell) ++nulls;
    keel_reference::models::ColumnProfile entry;
    entry.name = table.names[c];
    entry.type = to_model(type);
    entry.null_rate = rows == 0 ? 0.0 : static_cast<double>(nulls) / static_cast<double>(rows);
    switch (type) {
    case ColumnType::integer: {
      std::set<std::int64_t> distinct;
      std::int64_t lo = 0, hi = 0;
      double sum = 0;
      for (const Cell& cell : column) {
        if (!cell) continue;
        std::int64_t v = *parse_integer(*cell);
        if (distinct.empty()) lo = hi = v;
        lo = std::min(lo, v);
        hi = std::max(hi, v);
        sum += static_cast<double>(v);
        distinct.insert(v);
      }
      auto count = static_cast<double>(static_cast<std::int64_t>(rows) - nulls);
      entry.distinct_count = static_cast<std::int64_t>(distinct.size());
      entry.min = lo; // integers stay integers on the wire
      entry.max = hi;
      entry.mean = sum / count;
      break;
    }
    case ColumnType::number: {
      std::set<double> distinct;
      double lo = 0, hi = 0, sum = 0;
      for (const Cell& cell : column) {
        if (!cell) continue;
        double v = *parse_number(*cell);
        if (distinct.empty()) lo = hi = v;
        lo = std::min(lo, v);
        hi = std::max(hi, v);
        sum += v;
        distinct.insert(v);
      }
      auto count = static_cast<double>(static_cast<std::int64_t>(rows) - nulls);
      entry.distinct_count = static_cast<std::int64_t>(distinct.size());
      entry.min = lo;
      entry.max = hi;
      entry.mean = sum / count;
      break;
    }
    case ColumnType::boolean:
    case ColumnType::string: {
      std::unordered_map<std::string, std::size_t> index;
      std::vector<std::pair<std::string, std::int64_t>> counts;
      for (const Cell& cell : column) {
        if (!cell) continue;
        // Booleans count by value so "TRUE" and "true" are one category.
        std::string key =
            type == ColumnType::boolean ? (*parse_boolean(*cell) ? "true" : "false") : *cell;
        auto [it, inserted] = index.emplace(key, counts.size());
        if (inserted)
          counts.emplace_back(std::move(key), 1);
        else
          ++counts[it->second].second;
      }
      entry.distinct_count = static_cast<std::int64_t>(counts.size());
      entry.top_values = top_values(counts);
      break;
    }
    }
    columns.push_back(std::move(entry));
  }
  return columns;
}

} // namespace keel::reference
