#pragma once

// Strict JSON text parsing for request input (bodies, content parameters,
// form fields). RFC 8259 leaves the meaning of a repeated object key open
// and parsers disagree about which value wins, so a text that repeats one
// is refused like malformed JSON rather than read "last wins".

#include <nlohmann/json.hpp>

#include <cstddef>
#include <string>
#include <string_view>

namespace keel {

/// Why parse_json_strict refused a text.
struct JsonProblem {
  bool duplicate_key = false;  ///< false: the text is not well-formed JSON (or not UTF-8)
  std::string pointer;         ///< duplicate_key: the second occurrence, relative ("/meta/k")
  std::size_t byte = 0;        ///< malformed: where the parser stopped
};

/// Parses `text` into `out`; false with `problem` set when it is not
/// well-formed UTF-8 JSON or an object in it repeats a key.
bool parse_json_strict(std::string_view text, nlohmann::json& out, JsonProblem& problem);

}  // namespace keel
