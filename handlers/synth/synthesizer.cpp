#include "synth/synthesizer.h"

#include "datasets/csv.h"
#include "datasets/inference.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <stdexcept>
#include <unordered_map>

namespace keel::reference {
namespace {

__extension__ using U128 = unsigned __int128;

constexpr std::uint64_t kMaxBins = 64;

std::uint64_t bin_count_for(std::uint64_t observations) {
  std::uint64_t bins = 1;
  while (bins < kMaxBins && bins * bins < observations) ++bins;
  return bins;
}

std::uint64_t column_seed(std::int64_t seed, std::size_t column) {
  SplitMix64 base(static_cast<std::uint64_t>(seed));
  return SplitMix64(base.next() + static_cast<std::uint64_t>(column)).next();
}

/// Index of the bin a uniform draw lands in, given running totals.
std::size_t pick(const std::vector<std::uint64_t>& cumulative, std::uint64_t draw) {
  return static_cast<std::size_t>(std::upper_bound(cumulative.begin(), cumulative.end(), draw) -
                                  cumulative.begin());
}

void append_integer(std::string& out, std::int64_t value) {
  char buffer[24];
  auto result = std::to_chars(buffer, buffer + sizeof buffer, value);
  out.append(buffer, result.ptr);
}

void append_decimal(std::string& out, double value, const std::optional<int>& decimals) {
  char buffer[400];
  auto result = decimals ? std::to_chars(buffer, buffer + sizeof buffer, value,
                                         std::chars_format::fixed, *decimals)
                         : std::to_chars(buffer, buffer + sizeof buffer, value);
  std::string_view text(buffer, static_cast<std::size_t>(result.ptr - buffer));
  // Rounding a tiny negative can print "-0.00"; that sign carries no information.
  if (text.front() == '-' && text.find_first_of("123456789") == std::string_view::npos)
    text.remove_prefix(1);
  out += text;
}

} // namespace

struct Synthesizer::Column {
  enum class Kind { categorical, integer_bins, number_bins };
  Kind kind = Kind::categorical;
  Xoshiro256 rng;

  // categorical: values (nullopt = null) with running totals of their counts.
  std::vector<Cell> values;
  std::vector<std::uint64_t> cumulative;

  // histograms
  std::uint64_t rows = 0;
  std::uint64_t nulls = 0;
  std::vector<std::uint64_t> bin_cumulative;
  std::int64_t imin = 0;
  U128 irange = 0; // max - min + 1, up to 2^64
  double dmin = 0, dmax = 0, width = 0;
  std::optional<int> decimals;

  explicit Column(std::uint64_t seed) : rng(seed) {}

  void write(std::string& out) {
    if (kind == Kind::categorical) {
      const Cell& value = values[pick(cumulative, rng.below(cumulative.back()))];
      if (value) append_csv_field(out, *value);
      return;
    }
    if (nulls > 0 && rng.below(rows) < nulls) return;
    const std::size_t bin = pick(bin_cumulative, rng.below(bin_cumulative.back()));
    const auto bins = static_cast<U128>(bin_cumulative.size());
    if (kind == Kind::integer_bins) {
      // Bin i holds the offsets o with floor(o * bins / range) == i.
      U128 lo = (static_cast<U128>(bin) * irange + bins - 1) / bins;
      U128 hi = ((static_cast<U128>(bin) + 1) * irange + bins - 1) / bins; // exclusive
      auto offset = static_cast<std::uint64_t>(lo) + rng.below(static_cast<std::uint64_t>(hi - lo));
      append_integer(out, static_cast<std::int64_t>(static_cast<std::uint64_t>(imin) + offset));
      return;
    }
    // One operation per statement: a compiler may fuse a*b+c within an
    // expression into an FMA on some targets (clang's -ffp-contract=on),
    // which would round differently and break cross-machine determinism.
    const double lo_step = static_cast<double>(bin) * width;
    const double lo = dmin + lo_step;
    double hi = dmax;
    if (bin + 1 < bin_cumulative.size()) {
      const double hi_step = static_cast<double>(bin + 1) * width;
      hi = dmin + hi_step;
    }
    const double span = hi - lo;
    const double step = span * rng.unit();
    double value = lo + step;
    value = std::clamp(value, dmin, dmax);
    append_decimal(out, value, decimals);
  }
};

namespace {

void build_categorical(Synthesizer::Column& model, const std::vector<Cell>& column) {
  model.kind = Synthesizer::Column::Kind::categorical;
  // First-seen order makes the category table a pure function of the data.
  std::unordered_map<std::string, std::size_t> index;
  std::vector<std::uint64_t> counts;
  std::size_t null_slot = SIZE_MAX;
  for (const Cell& cell : column) {
    if (!cell) {
      if (null_slot == SIZE_MAX) {
        null_slot = model.values.size();
        model.values.emplace_back(std::nullopt);
        counts.push_back(0);
      }
      ++counts[null_slot];
      continue;
    }
    auto [it, inserted] = index.emplace(*cell, model.values.size());
    if (inserted) {
      model.values.emplace_back(*cell);
      counts.push_back(0);
    }
    ++counts[it->second];
  }
  std::uint64_t total = 0;
  for (std::uint64_t count : counts) model.cumulative.push_back(total += count);
}

std::size_t distinct_texts(const std::vector<Cell>& column, std::size_t stop_after) {
  std::unordered_map<std::string_view, bool> seen;
  for (const Cell& cell : column) {
    if (cell && seen.emplace(*cell, true).second && seen.size() > stop_after) break;
  }
  return seen.size();
}

} // namespace

Synthesizer::Synthesizer(const Table& table, std::int64_t seed) {
  if (table.types.size() != table.names.size())
    throw std::invalid_argument("Synthesizer: column types are not set");
  for (const auto& name : table.names) {
    if (!header_.empty()) header_.push_back(',');
    append_csv_field(header_, name);
  }
  header_ += "\r\n";

  for (std::size_t c = 0; c < table.names.size(); ++c) {
    auto model = std::make_unique<Column>(column_seed(seed, c));
    const auto& column = table.columns[c];
    const ColumnType type = table.types[c];
    const bool numeric = type == ColumnType::integer || type == ColumnType::number;
    if (!numeric || distinct_texts(column, kDiscreteLimit) <= kDiscreteLimit) {
      build_categorical(*model, column);
      columns_.push_back(std::move(model));
      continue;
    }

    model->rows = column.size();
    std::uint64_t observed = 0;
    for (const Cell& cell : column) (cell ? observed : model->nulls) += 1;
    const std::uint64_t wanted_bins = bin_count_for(observed);
    std::vector<std::uint64_t> counts;

    if (type == ColumnType::integer) {
      model->kind = Column::Kind::integer_bins;
      std::int64_t lo = INT64_MAX, hi = INT64_MIN;
      std::vector<std::int64_t> values;
      values.reserve(observed);
      for (const Cell& cell : column) {
        if (!cell) continue;
        std::int64_t v = *parse_integer(*cell);
        lo = std::min(lo, v);
        hi = std::max(hi, v);
        values.push_back(v);
      }
      model->imin = lo;
      model->irange =
          static_cast<U128>(static_cast<std::uint64_t>(hi) - static_cast<std::uint64_t>(lo)) + 1;
      const U128 bins = std::min<U128>(wanted_bins, model->irange);
      counts.assign(static_cast<std::size_t>(bins), 0);
      for (std::int64_t v : values) {
        U128 offset = static_cast<std::uint64_t>(v) - static_cast<std::uint64_t>(lo);
        ++counts[static_cast<std::size_t>(offset * bins / model->irange)];
      }
    } else {
      model->kind = Column::Kind::number_bins;
      double lo = INFINITY, hi = -INFINITY;
      for (const Cell& cell : column) {
        if (!cell) continue;
        double v = *parse_number(*cell);
        lo = std::min(lo, v);
        hi = std::max(hi, v);
      }
      if (!std::isfinite(hi - lo)) { // spans past DBL_MAX cannot be binned
        build_categorical(*model, column);
        columns_.push_back(std::move(model));
        continue;
      }
      model->dmin = lo;
      model->dmax = hi;
      model->decimals = observed_decimals(column);
      const std::uint64_t bins = hi > lo ? wanted_bins : 1;
      model->width = (hi - lo) / static_cast<double>(bins);
      counts.assign(bins, 0);
      for (const Cell& cell : column) {
        if (!cell) continue;
        double v = *parse_number(*cell);
        auto bin = model->width > 0 ? static_cast<std::uint64_t>((v - lo) / model->width) : 0;
        ++counts[std::min(bin, bins - 1)];
      }
    }
    std::uint64_t total = 0;
    for (std::uint64_t count : counts) model->bin_cumulative.push_back(total += count);
    columns_.push_back(std::move(model));
  }
}

Synthesizer::~Synthesizer() = default;

void Synthesizer::generate(std::size_t count, std::string& out) {
  for (std::size_t r = 0; r < count; ++r) {
    for (std::size_t c = 0; c < columns_.size(); ++c) {
      if (c > 0) out.push_back(',');
      columns_[c]->write(out);
    }
    out += "\r\n";
  }
}

namespace {

void append_json_string(std::string& out, std::string_view text) {
  static constexpr char kHex[] = "0123456789abcdef";
  out.push_back('"');
  for (char c : text) {
    switch (c) {
    case '"': out += "\\\""; break;
    case '\\': out += "\\\\"; break;
    case '\n': out += "\\n"; break;
    case '\r': out += "\\r"; break;
    case '\t': out += "\\t"; break;
    default:
      if (static_cast<unsigned char>(c) < 0x20) {
        out += "\\u00";
        out.push_back(kHex[(c >> 4) & 0xf]);
        out.push_back(kHex[c & 0xf]);
      } else {
        out.push_back(c); // stored text is valid UTF-8 already
      }
    }
  }
  out.push_back('"');
}

} // namespace

std::string csv_to_jsonl(std::string_view csv, const std::vector<ColumnType>& types) {
  // Streams record by record: the output of a million-row job would
  // otherwise sit in memory twice over as a Table and as JSON objects.
  CsvReader reader(csv, /*skip_blank_lines=*/false);
  std::vector<Cell> record;
  if (!reader.next(record)) return {};
  std::vector<std::string> keys; // `{"name":` and `,"name":`, escaped once
  for (std::size_t c = 0; c < record.size(); ++c) {
    std::string key = c == 0 ? "{" : ",";
    append_json_string(key, record[c].value_or(""));
    key.push_back(':');
    keys.push_back(std::move(key));
  }
  if (types.size() != keys.size())
    throw std::invalid_argument("csv_to_jsonl: column types mismatch");
  std::string out;
  out.reserve(csv.size() * 2);
  std::size_t row = 0;
  while (reader.next(record, ++row)) {
    if (record.size() != keys.size()) throw std::runtime_error("csv_to_jsonl: ragged record");
    for (std::size_t c = 0; c < keys.size(); ++c) {
      out += keys[c];
      const Cell& cell = record[c];
      if (!cell) {
        out += "null";
        continue;
      }
      switch (types[c]) {
      case ColumnType::integer:
        // Canonical integers (parse_integer's grammar) are valid JSON as written.
        if (parse_integer(*cell))
          out += *cell;
        else
          append_json_string(out, *cell);
        break;
      case ColumnType::number:
        if (auto v = parse_number(*cell))
          append_decimal(out, *v, std::nullopt); // shortest round-trip, valid JSON
        else
          append_json_string(out, *cell);
        break;
      case ColumnType::boolean:
        if (auto v = parse_boolean(*cell))
          out += *v ? "true" : "false";
        else
          append_json_string(out, *cell);
        break;
      case ColumnType::string: append_json_string(out, *cell); break;
      }
    }
    out += "}\n";
  }
  return out;
}

} // namespace keel::reference
