#pragma once

#include <set>
#include <string>
#include <string_view>

namespace keel::gen::ir {

/// The one place that turns spec names into C++ identifiers.
/// Words are split on non-alphanumerics and lower-to-upper case changes.
std::string snake_case(std::string_view name);
std::string pascal_case(std::string_view name);
/// Appends '_' to C++ keywords and prefixes '_' before a leading digit.
std::string escape_identifier(std::string name);
/// The part of a media type that names a factory or member: `json`, `csv`,
/// `problem_json` (`text/*`: `text`, `*/*`: `any`).
std::string media_word(std::string_view media);

/// Hands out unique identifiers within one scope, suffixing _2, _3, ...
class NameScope {
public:
  std::string claim(std::string identifier);
  /// `identifier` if free, else `identifier_<qualifier>` (a parameter's
  /// location: `id_header`), else that with _2, _3, ...
  std::string claim(std::string identifier, std::string_view qualifier);

private:
  std::set<std::string> taken_;
};

}  // namespace keel::gen::ir
