#pragma once

#include <optional>
#include <string_view>

namespace keel::gen::spec {

/// The text of a meta-schema keel-gen knows without a file: the draft
/// 2020-12 schema and its vocabulary meta-schemas, by their `$id`.
std::optional<std::string_view> builtin_schema(std::string_view uri);

}  // namespace keel::gen::spec
