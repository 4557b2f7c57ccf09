#pragma once

#include <string_view>

/// JSON Schema 2020-12 `format` checkers, for the validators keel-gen emits.
/// Each takes the string instance (UTF-8) and says whether it is in the
/// format. They never throw, run in time linear in the input and, except
/// `regex`, never allocate, so they are safe on hostile data. Invalid UTF-8
/// is never in any format. Expected results: the official JSON Schema Test
/// Suite's optional/format files, all of which pass.
namespace keel::schema::format {

using Checker = bool (*)(std::string_view);

/// RFC 3339 `date-time`: full-date "T" full-time; "T" and "Z" in either case.
bool is_date_time(std::string_view s);
/// RFC 3339 `full-date`, Gregorian calendar with leap years.
bool is_date(std::string_view s);
/// RFC 3339 `full-time`: an offset is required; second 60 only where the time
/// is 23:59 in UTC.
bool is_time(std::string_view s);
/// RFC 3339 Appendix A `duration` (ISO 8601), integer components.
bool is_duration(std::string_view s);
/// RFC 5321 Mailbox: dot-string or quoted local part of at most 64 octets,
/// and a host name or an IPv4 / IPv6 address literal.
bool is_email(std::string_view s);
/// RFC 6531 Mailbox: as is_email, with UTF-8 in the local part and
/// internationalized host names.
bool is_idn_email(std::string_view s);
/// RFC 1123 host name: LDH labels of 1-63 octets, 253 in all, no trailing
/// dot; a label that starts with "xn--" (any case) must be a valid IDNA2008
/// A-label, and a name with an RTL A-label must satisfy the Bidi rule.
bool is_hostname(std::string_view s);
/// RFC 5890-5893 (IDNA2008) internationalized host name: A-labels, U-labels
/// and LDH labels separated by any of . U+3002 U+FF0E U+FF61; contextual
/// rules and the Bidi rule apply; U-labels need not be in NFC.
bool is_idn_hostname(std::string_view s);
/// Dotted-quad IPv4 without leading zeros.
bool is_ipv4(std::string_view s);
/// RFC 4291 IPv6 text form, with an optional embedded IPv4; no zone id.
bool is_ipv6(std::string_view s);
/// RFC 3986 URI (absolute, fragment allowed).
bool is_uri(std::string_view s);
/// RFC 3986 URI-reference.
bool is_uri_reference(std::string_view s);
/// RFC 3987 IRI.
bool is_iri(std::string_view s);
/// RFC 3987 IRI-reference.
bool is_iri_reference(std::string_view s);
/// RFC 6570 URI Template, any level.
bool is_uri_template(std::string_view s);
/// RFC 9562 string form (8-4-4-4-12 hex digits, any case, version and variant).
bool is_uuid(std::string_view s);
/// RFC 6901 JSON Pointer.
bool is_json_pointer(std::string_view s);
/// Relative JSON Pointer (draft-bhutton-relative-json-pointer-00).
bool is_relative_json_pointer(std::string_view s);
/// ECMA-262 regular expression (keel/regex.h: is_valid_ecma_regex).
bool is_regex(std::string_view s);

/// The checker for a JSON Schema format name, or nullptr for a format this
/// library does not check (unknown formats, and OpenAPI's int32, int64,
/// float, double, byte, binary, password, ... which keel handles elsewhere).
Checker find(std::string_view format_name);

}  // namespace keel::schema::format
