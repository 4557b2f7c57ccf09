#pragma once

#include "ir/schema.h"
#include "spec/diagnostic.h"
#include "spec/node.h"
#include "spec/workspace.h"

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace keel::gen::ir {

struct SchemaBuildOptions {
  /// Every `format` asserts (`keel-gen schema --format-assertion`); without
  /// it only resources whose meta-schema has the format-assertion
  /// vocabulary assert, as 2020-12 and the OAS 3.1 dialect say.
  bool format_assertion = false;
  /// URI prefix -> local folder (`--map-uri P=DIR`): how `$ref`s to other
  /// documents by absolute URI are served, offline.
  std::vector<std::pair<std::string, std::string>> uri_map;
  /// Checks a `pattern` / `patternProperties` regex at generation time
  /// (keel-gen passes keel::schema::is_valid_ecma_regex); false with a
  /// reason rejects the schema. Unset: not checked here.
  std::function<bool(std::string_view pattern, std::string* error)> check_pattern;
  /// Whether the runtime knows a format (keel::schema::format::find);
  /// unknown asserted formats only warn. Unset: every format is assumed known.
  std::function<bool(std::string_view format)> known_format;
  /// Bounds the work a hostile document can cause.
  std::size_t max_schemas = 500'000;
};

/// Builds the schema IR. Register roots, then call finish() once.
///
/// Library entry points for the OpenAPI pipeline:
///   - add_schema_file / add_schema_node: a standalone JSON Schema document;
///   - add_openapi_components: every components/schemas entry of the
///     workspace's root OpenAPI 3.1 document (its `jsonSchemaDialect` honoured);
///   - add_openapi_schema: one inline schema of that document, by JSON
///     pointer or by node.
/// Everything the roots reference (other files, mapped remote documents,
/// the draft 2020-12 meta-schemas) is pulled in.
class SchemaSetBuilder {
public:
  SchemaSetBuilder(spec::Workspace& ws, Diagnostics& diags, SchemaBuildOptions options = {});
  ~SchemaSetBuilder();
  SchemaSetBuilder(const SchemaSetBuilder&) = delete;
  SchemaSetBuilder& operator=(const SchemaSetBuilder&) = delete;

  /// Loads the JSON/YAML schema file at `path` (base URI: its file: URI,
  /// or its `$id`) as a root named `name`.
  std::optional<SchemaId> add_schema_file(const std::string& path, const std::string& name);
  /// `root` (a document or any node of one, e.g. one case of a test suite)
  /// as a standalone schema document retrieved from `base_uri`; keyword
  /// locations of its schemas start with `display` ("" reads "#/...").
  std::optional<SchemaId> add_schema_node(const spec::Node& root, const std::string& base_uri,
                                          const std::string& display, const std::string& name);

  /// Every components/schemas entry of the workspace's root document, in
  /// spec order, each a root named by its key.
  bool add_openapi_components();
  /// The schema at `pointer` in the workspace's root OpenAPI document (a
  /// request body, parameter or response schema) as a root named `name`.
  std::optional<SchemaId> add_openapi_schema(const std::string& pointer, const std::string& name);
  /// `schema`, a node of the root document or of a file it references (as
  /// ir::build finds them behind `$ref`s), as a root named `name`.
  std::optional<SchemaId> add_openapi_schema(const spec::Node& schema, const std::string& name);

  /// Roots registered so far: the index the next one will have.
  std::size_t root_count() const;

  /// Builds everything reachable from the roots; nullopt after errors.
  std::optional<SchemaSet> finish();

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace keel::gen::ir
