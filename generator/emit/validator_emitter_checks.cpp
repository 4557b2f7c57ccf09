#include "emit/validator_emitter_checks.h"

#include <keel/formats.h>
#include <keel/regex.h>

namespace keel::gen::emit {

void use_runtime_checks(ir::SchemaBuildOptions& options) {
  options.check_pattern = [](std::string_view pattern, std::string* error) {
    return keel::schema::is_valid_ecma_regex(pattern, error);
  };
  options.known_format = [](std::string_view format) {
    return keel::schema::format::find(format) != nullptr;
  };
}

}  // namespace keel::gen::emit
