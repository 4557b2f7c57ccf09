#pragma once

#include "ir/ir.h"
#include "spec/workspace.h"

#include <optional>

namespace keel::gen::ir {

/// Builds the IR from a loaded and checked workspace. Features the emitters
/// cannot serve yet become warnings, never silently dropped code; anything
/// that makes the IR unusable is an error and yields nullopt.
std::optional<Api> build(spec::Workspace& ws, Diagnostics& diags);

/// The document as JSON text (key order kept), for /openapi.json.
std::string to_json_text(const spec::Node& node);

}  // namespace keel::gen::ir
