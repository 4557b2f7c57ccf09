#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace keel::gen::spec {

/// RFC 6901 escaping of one reference token: `~` -> `~0`, `/` -> `~1`.
std::string escape_pointer_token(std::string_view token);

/// Splits a JSON pointer ("" or "/a/b") into unescaped tokens; nullopt when
/// the pointer is malformed (does not start with '/', or a bad `~` escape).
std::optional<std::vector<std::string>> split_pointer(std::string_view pointer);

/// RFC 3986 percent-decoding; nullopt on a malformed `%` escape.
std::optional<std::string> percent_decode(std::string_view text);

}  // namespace keel::gen::spec
