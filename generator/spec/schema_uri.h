#pragma once

// RFC 3986 URI references as JSON Schema uses them: `$id` base URIs,
// `$ref` resolution, URNs. Only what identification needs (no
// percent-encoding normalisation beyond the fragment).

#include <optional>
#include <string>
#include <string_view>

namespace keel::gen::spec {

/// The five components of a URI reference; `has_*` tells an empty component
/// ("http://h/p?#") from an absent one.
struct UriParts {
  std::string scheme;  ///< lower-cased; empty for a relative reference
  bool has_authority = false;
  std::string authority;  ///< host lower-cased
  std::string path;
  bool has_query = false;
  std::string query;
  bool has_fragment = false;
  std::string fragment;  ///< still percent-encoded
};

UriParts parse_uri(std::string_view text);
std::string to_string(const UriParts& uri);

/// True when `text` starts with a scheme (`http:`, `urn:`, `file:`).
bool is_absolute_uri(std::string_view text);

/// RFC 3986 §5.2: `reference` resolved against the absolute `base`.
std::string resolve_uri(std::string_view base, std::string_view reference);

/// `uri` without its fragment, and the fragment (still encoded); an empty
/// fragment ("x#") counts as none, as JSON Schema identifiers need.
std::pair<std::string, std::string> split_fragment(std::string_view uri);

/// RFC 3986 §5.2.4.
std::string remove_dot_segments(std::string_view path);

/// `file://` URI for an absolute local path, and back (nullopt when `uri`
/// is not a local file URI).
std::string file_uri(const std::string& absolute_path);
std::optional<std::string> file_path(std::string_view uri);

}  // namespace keel::gen::spec
