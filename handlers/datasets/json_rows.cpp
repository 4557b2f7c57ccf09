#include "datasets/json_rows.h"

#include "datasets/csv.h"

#include <keel/error.h>

#include <unordered_map>

namespace keel::reference {
namespace {

[[noreturn]] void invalid(const std::string& hint) {
  throw keel::bad_request("invalid_rows", hint);
}

using Json = nlohmann::ordered_json;

std::string_view json_type_name(const Json& value) {
  return value.is_object() ? "an object" : value.is_array() ? "an array" : "not a scalar";
}

} // namespace

Table table_from_json_rows(const Json& rows) {
  if (!rows.is_array()) invalid("rows must be a JSON array of objects");
  if (rows.empty()) throw keel::bad_request("empty_dataset", "rows is an empty array");

  Table table;
  std::unordered_map<std::string, std::size_t> index;
  struct Seen {
    bool any = false, all_integer = true, all_number = true, all_boolean = true;
  };
  std::vector<Seen> seen;
  std::vector<const Json*> slots;

  for (std::size_t r = 0; r < rows.size(); ++r) {
    const auto& row = rows[r];
    if (!row.is_object()) invalid("row " + std::to_string(r) + " is not an object");
    slots.assign(table.names.size(), nullptr);
    for (auto it = row.begin(); it != row.end(); ++it) {
      auto [pos, inserted] = index.emplace(it.key(), table.names.size());
      if (inserted) {
        if (table.names.size() == kMaxColumns)
          invalid("more than " + std::to_string(kMaxColumns) + " distinct keys");
        if (it.key().empty()) invalid("row " + std::to_string(r) + " has an empty key");
        table.names.push_back(it.key());
        // Rows before this one did not have the key: null for them.
        table.columns.emplace_back(r, std::nullopt);
        seen.emplace_back();
        slots.push_back(nullptr);
      }
      slots[pos->second] = &it.value();
    }
    for (std::size_t c = 0; c < table.names.size(); ++c) {
      Seen& s = seen[c];
      if (slots[c] == nullptr || slots[c]->is_null()) {
        table.columns[c].emplace_back(std::nullopt);
        continue;
      }
      const auto& value = *slots[c];
      if (value.is_structured())
        invalid("row " + std::to_string(r) + ": value of \"" + table.names[c] + "\" is " +
                std::string(json_type_name(value)) +
                "; only strings, numbers, booleans and null are allowed");
      s.any = true;
      if (value.is_string()) {
        table.columns[c].emplace_back(value.get<std::string>());
        s.all_integer = s.all_number = s.all_boolean = false;
      } else if (value.is_boolean()) {
        table.columns[c].emplace_back(value.get<bool>() ? "true" : "false");
        s.all_integer = s.all_number = false;
      } else if (value.is_number_integer() &&
                 (!value.is_number_unsigned() ||
                  value.get<std::uint64_t>() <= static_cast<std::uint64_t>(INT64_MAX))) {
        table.columns[c].emplace_back(value.dump());
        s.all_boolean = false;
      } else {
        // Floats, and unsigned values past int64 that only fit as numbers.
        table.columns[c].emplace_back(value.dump());
        s.all_integer = s.all_boolean = false;
      }
    }
  }

  for (const Seen& s : seen) {
    if (!s.any)
      table.types.push_back(ColumnType::string);
    else if (s.all_integer)
      table.types.push_back(ColumnType::integer);
    else if (s.all_number)
      table.types.push_back(ColumnType::number);
    else if (s.all_boolean)
      table.types.push_back(ColumnType::boolean);
    else
      table.types.push_back(ColumnType::string);
  }
  return table;
}


} // namespace keel::reference
