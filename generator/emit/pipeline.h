#pragma once

#include "emit/generate.h"
#include "spec/diagnostic.h"

#include <optional>
#include <string>
#include <vector>

namespace keel::gen::emit {

/// Load, check, build the IR and emit, in memory. `keel-gen check` runs
/// this too, so it reports everything `generate` would. nullopt on errors.
std::optional<std::vector<File>> generate_from_spec(const std::string& spec_path,
                                                    const Options& options, Diagnostics& diags);

}  // namespace keel::gen::emit
