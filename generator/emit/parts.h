#pragma once

// Spreading a generated .cpp over several translation units, so a large
// spec compiles in parallel and each compiler needs less memory. Shared by
// the validators (`keel-gen schema --split`, `keel-gen generate --parts`),
// the models and the operations.

#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace keel::gen::emit {

/// Contiguous runs of items, [begin, end) each, of about equal total size:
/// always `parts` of them (build systems list the files up front), so some
/// may be empty. `parts` 0 counts as 1.
std::vector<std::pair<std::size_t, std::size_t>> contiguous_parts(const std::vector<std::size_t>& sizes,
                                                                  std::size_t parts);

/// `<stem>.cpp` when there is one part, else `<stem>_<part>.cpp`.
std::string part_file_name(std::string_view stem, std::size_t part, std::size_t parts);

}  // namespace keel::gen::emit
