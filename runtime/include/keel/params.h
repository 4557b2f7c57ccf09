#pragma once

// Decoding of scalar path, query, header and cookie parameters. Generated
// code calls these; every failure becomes a FieldError naming the parameter
// by pointer (/query/limit, /path/dataset_id, /header/X-Foo, /cookie/sid).
// A value the schema refuses gets the code of the JSON Schema keyword that
// refuses it (`type`, `format` for an integer out of range, `minimum`,
// `maxLength`, `enum`, ...), exactly as the generated validators report it;
// only wire-level problems have their own codes (`invalid_encoding`,
// `duplicate_parameter`, ...; see docs/parameters.md).

#include <keel/error.h>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace keel {

using FieldErrors = std::vector<FieldError>;

/// Percent-decodes `raw` into `out`; '+' becomes a space only when
/// `plus_is_space` (query strings). False on a malformed escape or when the
/// result is not valid UTF-8.
bool percent_decode(std::string_view raw, std::string& out, bool plus_is_space);
/// percent_decode without the UTF-8 check, appending to `out` (callers that
/// split first and check the joined result once).
bool percent_decode_append(std::string_view raw, std::string& out, bool plus_is_space);

/// True when `text` is well-formed UTF-8 (RFC 3629: no overlongs, no
/// surrogates, nothing above U+10FFFF).
bool is_utf8(std::string_view text);

/// A query string split into decoded name/value pairs, in order.
class QueryParams {
public:
  QueryParams(std::string_view raw, FieldErrors& errors);
  /// The single value of `name`; a repeated scalar parameter is an error.
  const std::string* get(std::string_view name, FieldErrors& errors) const;
  /// Every decoded pair, repeats included, in request order.
  const std::vector<std::pair<std::string, std::string>>& items() const { return items_; }

private:
  std::vector<std::pair<std::string, std::string>> items_;
};

/// The pairs of a Cookie header (RFC 6265 `name=value; name2=value2`).
class CookieParams {
public:
  explicit CookieParams(const std::string* header);
  const std::string* get(std::string_view name) const;
  /// Every pair, repeats included, in header order; values still encoded.
  const std::vector<std::pair<std::string, std::string>>& items() const { return items_; }

private:
  std::vector<std::pair<std::string, std::string>> items_;
};

namespace param {

/// "/query/" + name, with JSON-pointer escaping of the name.
std::string pointer(std::string_view location, std::string_view name);

FieldError missing(std::string pointer);

bool parse(std::string_view text, std::string& out, std::string_view pointer, FieldErrors& errors);
bool parse(std::string_view text, std::int64_t& out, std::string_view pointer, FieldErrors& errors);
bool parse(std::string_view text, std::int32_t& out, std::string_view pointer, FieldErrors& errors);
bool parse(std::string_view text, double& out, std::string_view pointer, FieldErrors& errors);
bool parse(std::string_view text, bool& out, std::string_view pointer, FieldErrors& errors);
/// A path segment or cookie value: percent-decoded first ('+' stays '+'),
/// then parsed as the target type.
template <class T>
bool parse_encoded(std::string_view raw, T& out, std::string_view pointer, FieldErrors& errors) {
  std::string decoded;
  if (!percent_decode(raw, decoded, false)) {
    errors.push_back({std::string(pointer), "invalid_encoding", "malformed percent-encoding"});
    return false;
  }
  return parse(decoded, out, pointer, errors);
}

void check_minimum(std::int64_t value, std::int64_t bound, bool exclusive, std::string_view pointer,
                   FieldErrors& errors);
void check_maximum(std::int64_t value, std::int64_t bound, bool exclusive, std::string_view pointer,
                   FieldErrors& errors);
void check_minimum(double value, double bound, bool exclusive, std::string_view pointer,
                   FieldErrors& errors);
void check_maximum(double value, double bound, bool exclusive, std::string_view pointer,
                   FieldErrors& errors);
/// Lengths count Unicode code points, as JSON Schema requires.
void check_length(std::string_view value, std::optional<std::uint64_t> min,
                  std::optional<std::uint64_t> max, std::string_view pointer, FieldErrors& errors);
void check_enum(std::string_view value, std::initializer_list<std::string_view> allowed,
                std::string_view pointer, FieldErrors& errors);

}  // namespace param
}  // namespace keel
