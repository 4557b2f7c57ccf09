#pragma once

// Cycles of a directed graph over 0..n-1, for the schema analyses (loops
// that never consume input, recursive validator functions).

#include <cstdint>
#include <vector>

namespace keel::gen::ir {

/// The strongly connected components that hold a cycle (two or more
/// members, or one with an edge to itself), each in no particular order.
/// Tarjan's algorithm, iterative: a deep schema cannot overflow the stack.
std::vector<std::vector<std::uint32_t>> cyclic_components(
    const std::vector<std::vector<std::uint32_t>>& edges);

}  // namespace keel::gen::ir
