#pragma once

#include "datasets/table.h"
#include "synth/rng.h"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace keel::reference {

/// Generates rows that follow each column's observed distribution,
/// independently per column (joint structure is not modelled):
///
/// - string and boolean columns, and numeric columns with at most
///   kDiscreteLimit distinct values: the observed values (null included) by
///   their observed frequencies, written exactly as uploaded;
/// - other numeric columns: null at the observed rate, else an equi-width
///   histogram of the observed values (ceil(sqrt(n)) bins, at most 64): a bin
///   drawn by its frequency, then a value uniform within it. Integer bins
///   are integer ranges, so integers need no rounding and stay within the
///   observed min/max; decimals are written with the most decimal places
///   observed (at most 6).
///
/// Deterministic: every column has its own xoshiro256** stream derived from
/// the seed and the column index, and all arithmetic is integer or exact
/// IEEE double, so a dataset and seed give the same bytes on any machine,
/// however the rows are chunked.
class Synthesizer {
public:
  static constexpr std::size_t kDiscreteLimit = 20;

  /// `table.types` must be set.
  Synthesizer(const Table& table, std::int64_t seed);
  ~Synthesizer();
  Synthesizer(const Synthesizer&) = delete;
  Synthesizer& operator=(const Synthesizer&) = delete;

  /// The dataset's header as a CSV record (CRLF-terminated).
  const std::string& header() const { return header_; }
  /// Appends `count` CSV records to `out`, continuing where the last call stopped.
  void generate(std::size_t count, std::string& out);

  struct Column;

private:
  std::string header_;
  std::vector<std::unique_ptr<Column>> columns_;
};

/// Converts synthesizer CSV output to JSON lines: one object per row, keys
/// in header order, values typed by the dataset's column types.
std::string csv_to_jsonl(std::string_view csv, const std::vector<ColumnType>& types);

} // namespace keel::reference
