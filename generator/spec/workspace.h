#pragma once

#include "diagnostic.h"
#include "node.h"

#include <map>
#include <memory>
#include <string>

namespace keel::gen::spec {

/// Owns every document reached from the root: the root file and the files
/// its relative `$ref`s name. Loads lazily, each file once.
class Workspace {
public:
  /// Loads the root document; false (with diagnostics) when it cannot be read or parsed.
  bool load_root(const std::string& path, Diagnostics& diags);
  /// Loads a document from memory (for tests); `name` plays the file name.
  bool load_root_text(const std::string& name, const std::string& text, Diagnostics& diags);

  const Node& root() const;
  const std::string& root_file() const { return root_file_; }

  /// If `node` is a mapping with `$ref`, the node it names, following chains
  /// of refs; otherwise `node` itself. Reports a missing target, an unreadable
  /// file or a cycle of refs-to-refs as a diagnostic and returns nullptr.
  /// Cycles through schemas (A.properties.b -> A) are legal and are not
  /// expanded: a ref is only ever resolved one hop at a time.
  const Node* resolve(const Node& node, Diagnostics& diags);

  /// The file a node belongs to (for nodes reached through other files).
  const std::string& file_of(const Node& node) const { return node.location.file; }

private:
  const Node* load_file(const std::string& path, const Location& from, const std::string& from_ptr,
                        Diagnostics& diags);
  std::string root_file_;
  std::map<std::string, std::unique_ptr<Node>> documents_;
};

/// Structural OAS 3.1 rules (and the 3.0 ones, for 3.0 documents): required
/// fields, allowed values, parameter rules, duplicate operationIds, path
/// templates versus path parameters, resolvable refs. Errors go to `diags`.
void check_document(Workspace& ws, Diagnostics& diags);

}  // namespace keel::gen::spec
