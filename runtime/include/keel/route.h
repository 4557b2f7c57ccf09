#pragma once

// Helpers the generated matcher calls. Matching works on raw (still
// percent-encoded) segments, so an encoded '/' inside a parameter never
// splits it; parameters are decoded afterwards, one by one.

#include <keel/api.h>

#include <array>
#include <initializer_list>
#include <string_view>
#include <vector>

namespace keel::route {

struct Segments {
  static constexpr std::size_t kMax = 64;
  std::array<std::string_view, kMax> items;
  std::size_t size = 0;
  std::string_view operator[](std::size_t i) const { return items[i]; }
};

/// Splits "/a/b" into {"a", "b"} ("/" is one empty segment). False when the
/// path does not start with '/' or has more than Segments::kMax segments.
bool split(std::string_view path, Segments& out);

/// Matches a segment made of `literals` around parameters
/// (literals.size() == parameters + 1; the first and last may be empty).
/// Each parameter must be non-empty; captures are appended when asked for.
bool match_mixed(std::string_view segment, std::initializer_list<std::string_view> literals,
                 std::vector<std::string_view>* captures);

RouteMatch found(int operation, std::vector<std::string_view> params);
RouteMatch not_allowed(std::string_view allow);

}  // namespace keel::route
