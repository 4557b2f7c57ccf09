#pragma once

#include "emit/generate.h"
#include "spec/diagnostic.h"

#include <string>

namespace keel::gen::emit {

/// The whole of `keel-gen generate`: load, check, build the IR, emit and
/// write. Diagnostics go to `diags`; false when nothing was written.
bool generate_to_directory(const std::string& spec_path, const std::string& out_dir,
                           const Options& options, Diagnostics& diags);

}  // namespace keel::gen::emit
