#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace keel::gen::emit {

/// A C++ string literal for `text`, quotes included. Non-printable bytes
/// become octal escapes (never greedy hex ones).
std::string cpp_string(std::string_view text);

/// `text` made safe for a one-line `//` comment: newlines folded, no
/// trailing backslash (which would splice the next line into the comment).
std::string comment_line(std::string_view text);

/// Large text as a braced list of string literals, each under the 64 KiB a
/// conforming compiler must accept, one source line per text line.
std::string cpp_string_chunks(std::string_view text);

/// C++ literals for numbers: int64 min spelled so it parses, doubles
/// round-trippable (with ".0" so they stay doubles; infinities named).
std::string int64_literal(std::int64_t v);
std::string double_literal(double d);

/// Whether `ns` names a C++ namespace: identifiers joined by `::` (a::b).
bool is_cpp_namespace(std::string_view ns);

}  // namespace keel::gen::emit
