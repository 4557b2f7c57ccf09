#pragma once

#include <array>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace keel::gen::spec {

/// The operation keys of a Path Item Object, in the order the spec lists them.
inline constexpr std::array<std::string_view, 8> http_methods = {
    "get", "put", "post", "delete", "options", "head", "patch", "trace"};

bool is_http_method(std::string_view key);

/// Specification extensions (`x-...`) may appear in most objects.
inline bool is_extension(std::string_view key) { return key.substr(0, 2) == "x-"; }

/// The `{name}` expressions of a path template or server URL, in order;
/// nullopt when braces are unbalanced, nested or empty.
std::optional<std::vector<std::string>> template_names(std::string_view path);

/// A path with every `{name}` replaced by `{}`: two paths that differ only
/// in variable names are the same route.
std::string template_shape(std::string_view path);

/// Major.minor of the `openapi` field: "3.0", "3.1", or "" when the value
/// is not a 3.0.x / 3.1.x version (pre-release suffixes allowed).
std::string openapi_minor_version(std::string_view value);

}  // namespace keel::gen::spec
