#pragma once

#include "ir/ir.h"
#include "ir/schema_build.h"
#include "spec/workspace.h"

#include <optional>

namespace keel::gen::ir {

/// Builds the IR from a loaded and checked workspace. Features the emitters
/// cannot serve yet become warnings, never silently dropped code; anything
/// that makes the IR unusable is an error and yields nullopt. `schema_options`
/// configure the schema IR behind the validators (Api::schemas).
std::optional<Api> build(spec::Workspace& ws, Diagnostics& diags,
                         const SchemaBuildOptions& schema_options = {});

/// The document as JSON text (key order kept), for /openapi.json.
std::string to_json_text(const spec::Node& node);

}  // namespace keel::gen::ir
