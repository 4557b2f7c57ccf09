#pragma once

#include "diagnostic.h"
#include "loader.h"
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
  /// Registers an in-memory document under `name` (for tests), so that refs
  /// to that file find it without touching the disk. Call before resolving.
  bool add_document_text(const std::string& name, const std::string& text, Diagnostics& diags);

  const Node& root() const;
  const std::string& root_file() const { return root_file_; }

  /// If `node` is a mapping with `$ref`, the node it names, following chains
  /// of refs; otherwise `node` itself. Reports a missing target, an unreadable
  /// file or a cycle of refs-to-refs as a diagnostic and returns nullptr.
  /// Cycles through schemas (A.properties.b -> A) are legal and are not
  /// expanded: a ref is only ever resolved one hop at a time.
  ///
  /// Keys next to `$ref` (allowed in OAS 3.1 schemas, and `summary` /
  /// `description` on Reference Objects) are not merged: the result is the
  /// target alone; callers that honour siblings read them on `node`.
  /// Remote (http/https) refs are never fetched: a warning, then nullptr.
  const Node* resolve(const Node& node, Diagnostics& diags);

  /// The file a node belongs to (for nodes reached through other files).
  const std::string& file_of(const Node& node) const { return node.location.file; }

  /// The loaded document for `file` (as it appears in Location::file), or nullptr.
  const Node* document(const std::string& file) const;

  /// Loads (once) the YAML or JSON file at `path`, whatever its top-level
  /// value, for a reference made at `from` / `from_pointer`: JSON Schema
  /// documents reached through `--map-uri` or a standalone schema file.
  /// nullptr after a diagnostic when it cannot be read or parsed.
  const Node* load_referenced(const std::string& path, const Location& from,
                              const std::string& from_pointer, Diagnostics& diags);

  /// Parse limits for files loaded from now on (tests lower them).
  void set_limits(const LoadLimits& limits) { limits_ = limits; }

private:
  const Node* load_file(const std::string& path, const Location& from, const std::string& from_ptr,
                        Diagnostics& diags);
  const Node* add_parsed(const std::string& name, const std::string& text, Diagnostics& diags);
  /// One hop: the node that `ref` (the `$ref` value inside `holder`) names.
  const Node* resolve_one(const Node& holder, const Node& ref, Diagnostics& diags);

  std::string root_file_;
  std::map<std::string, std::unique_ptr<Node>> documents_;  ///< nullptr: failed to load
  LoadLimits limits_;
  LoadCounters counters_;
};

/// Normalises a file path the way Location::file shows it: lexically, no
/// `.`/`..` segments where avoidable, forward slashes.
std::string normalize_path(const std::string& path);

/// Structural OAS 3.1 rules (and the 3.0 ones, for 3.0 documents): required
/// fields, allowed values, parameter rules, duplicate operationIds, path
/// templates versus path parameters, resolvable refs. Errors go to `diags`.
void check_document(Workspace& ws, Diagnostics& diags);

}  // namespace keel::gen::spec
