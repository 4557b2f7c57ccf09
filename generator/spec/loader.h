#pragma once

#include "diagnostic.h"
#include "node.h"

#include <cstddef>
#include <memory>
#include <string>
#include <string_view>

namespace keel::gen::spec {

/// Bounds that keep a hostile document from exhausting memory or the stack.
struct LoadLimits {
  std::size_t max_file_bytes = 64u * 1024u * 1024u;
  /// Shared by every file of a workspace. Stripe's 4 MB spec has about
  /// 250k nodes; this only stops documents that would not fit in memory.
  std::size_t max_nodes = 6'000'000;
  /// Nodes created by expanding aliases, per workspace: a "billion laughs"
  /// document hits this long before memory runs out.
  std::size_t max_alias_nodes = 1'000'000;
  /// yaml-cpp stops at 500 levels itself; aliases can stack deeper, so the
  /// tree is bounded separately (the checker and destructors recurse).
  std::size_t max_depth = 1000;
};

/// Running totals a workspace keeps across its files.
struct LoadCounters {
  std::size_t nodes = 0;
  std::size_t alias_nodes = 0;
};

/// Parses one YAML or JSON document into a Node tree, positions 1-based and
/// pointers RFC 6901. `counters` accumulate across the workspace's files;
/// the parse fails once they pass the limits. Returns nullptr after
/// reporting diagnostics when the text cannot be used.
std::unique_ptr<Node> parse_document(const std::string& file, std::string_view text,
                                     const LoadLimits& limits, LoadCounters& counters,
                                     Diagnostics& diags);

}  // namespace keel::gen::spec
