#pragma once

#include <nlohmann/json.hpp>

#include <stdexcept>
#include <string>
#include <string_view>

namespace keel::gen::emit {

/// Thrown for a malformed template or a variable the data does not define:
/// a missing variable must fail the build, not print an empty string.
struct TemplateError : std::runtime_error {
  using std::runtime_error::runtime_error;
};

/// Renders the logic-less subset of mustache keel-gen's templates use:
///   {{name}}               value, inserted verbatim (we emit C++, not HTML)
///   {{#name}}..{{/name}}   once per array item, once if true/object, never if false/empty
///   {{^name}}..{{/name}}   once if false or empty
///   {{! comment }}
/// Names resolve innermost context first; `.` is the current item. A section
/// tag alone on its line takes the whole line with it.
std::string render(std::string_view template_name, std::string_view text,
                   const nlohmann::ordered_json& data);

}  // namespace keel::gen::emit
