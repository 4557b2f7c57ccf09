#pragma once

#include "ir/schema_build.h"

namespace keel::gen::emit {

/// Points `options` at libkeel's own checks, so keel-gen rejects at
/// generation time exactly what the generated code could not run: patterns
/// through keel::schema::is_valid_ecma_regex (same engine as at run time),
/// formats through keel::schema::format::find (unknown ones only warn).
void use_runtime_checks(ir::SchemaBuildOptions& options);

}  // namespace keel::gen::emit
