#pragma once

#include <keel/http.h>

#include <cstddef>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace keel::multipart {

/// Thrown for any malformed multipart input. `what()` is a sentence fit for
/// an error envelope's hint; it never echoes more than a few input bytes.
class ParseError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

/// One body part of a multipart/form-data message.
struct Part {
  Headers headers;                     ///< the part's own header fields, in order
  std::string name;                    ///< Content-Disposition `name`
  std::optional<std::string> filename; ///< Content-Disposition `filename`, if present
  std::string content_type;            ///< the part's Content-Type; "text/plain" when absent
  std::string body;                    ///< raw bytes, without the CRLF before the delimiter
};

/// Limits that keep hostile input cheap to reject.
struct Limits {
  std::size_t max_parts = 256;
  std::size_t max_headers_per_part = 32;
  std::size_t max_header_line = 8192;
};

/// Extracts the boundary from a Content-Type value such as
/// `multipart/form-data; boundary="abc"`. Throws ParseError when the media
/// type is not multipart/form-data or the boundary is missing or invalid
/// (RFC 2046: 1..70 characters from the bchars set, not ending in a space).
std::string boundary_from_content_type(std::string_view content_type);

/// Parses `body` strictly: CRLF line endings, every part with a
/// Content-Disposition of `form-data` and a `name`, a closing delimiter.
/// A preamble before the first delimiter and an epilogue after the last are
/// ignored, as RFC 2046 requires. Throws ParseError on anything else.
std::vector<Part> parse(std::string_view body, std::string_view boundary,
                        const Limits& limits = {});

/// boundary_from_content_type + parse.
std::vector<Part> parse_form_data(std::string_view content_type, std::string_view body,
                                  const Limits& limits = {});

/// The first part named `name`, or nullptr.
const Part* find_part(const std::vector<Part>& parts, std::string_view name);

} // namespace keel::multipart
