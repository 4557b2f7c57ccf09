#pragma once

#include "emit/generate.h"

#include <string>

namespace keel::gen::emit {

/// Writes `files` under `dir` (created if needed). Each file is written
/// whole to a temporary name and renamed, so a failed run never leaves a
/// half-written file that the build would compile. False with `error` set.
bool write_files(const std::string& dir, const std::vector<File>& files, std::string& error);

}  // namespace keel::gen::emit
