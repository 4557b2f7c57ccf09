#pragma once

#include "datasets/table.h"

#include <nlohmann/json.hpp>

namespace keel::reference {

/// Builds a table from a JSON array of flat objects. Columns are the union
/// of keys in first-seen order; a missing key is null. Types come from the
/// JSON values themselves (all integers -> integer, numbers -> number,
/// booleans -> boolean, anything mixed or textual -> string), so the string
/// "42" stays a string. Throws keel::ApiError `invalid_rows` (hint names the
/// row index) or `empty_dataset`.
/// ordered_json keeps each object's key order (nlohmann::json, like the
/// typed models, sorts keys).
Table table_from_json_rows(const nlohmann::ordered_json& rows);

} // namespace keel::reference
