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

/// Hands out unique identifiers within one scope, suffixing _2, _3, ...
class NameScope {
public:
  std::string claim(std::string identifier);

private:
  std::set<std::string> taken_;
};

}  // namespace keel::gen::ir
