#pragma once

#include "datasets/table.h"

#include <cstdint>
#include <optional>
#include <string_view>

namespace keel::reference {

/// Canonical decimal integer that fits int64: optional '-', no '+', no
/// leading zeros (so "007" and zip codes stay strings and keep their zeros).
std::optional<std::int64_t> parse_integer(std::string_view text);
/// Finite decimal number (optional fraction and exponent); no inf/nan/hex.
std::optional<double> parse_number(std::string_view text);
/// "true"/"false", any letter case.
std::optional<bool> parse_boolean(std::string_view text);

/// Narrowest type that every non-null cell fits: integer, then number
/// (integers and decimals mixed), then boolean, else string. A column of
/// only nulls is string.
ColumnType infer_type(const std::vector<Cell>& column);
void infer_types(Table& table);

/// Decimal places to write synthesized numbers with: the most any observed
/// value shows, capped at 6; nullopt when a value uses an exponent (then the
/// shortest round-trip form is used instead).
std::optional<int> observed_decimals(const std::vector<Cell>& column);

/// The profile's `columns`: per column name, type, null_rate,
/// distinct_count, and min/max/mean (integer, number) or top_values
/// (string, boolean; the 5 most frequent, ties by value).
std::vector<keel_reference::models::ColumnProfile> profile_columns(const Table& table);

} // namespace keel::reference
