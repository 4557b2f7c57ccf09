#pragma once

// Identification of JSON Schema resources: which node a `$ref` or
// `$dynamicRef` names. Tracks base URIs (`$id`, relative and URN ones),
// `$anchor` and `$dynamicAnchor`, embedded resources, and documents reached
// by URI: the draft 2020-12 meta-schemas built in, `file:` URIs, and URI
// prefixes mapped to local folders (`--map-uri`); nothing is fetched.
//
// Only schema positions are scanned for identifiers (an `$id` inside an
// `enum` value or an unknown keyword is data, not an identifier), but JSON
// pointer fragments may reach anywhere; a node first reached that way is
// scanned then, inheriting the base URI of its closest scanned ancestor.

#include "diagnostic.h"
#include "node.h"
#include "workspace.h"

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <unordered_map>
#include <utility>
#include <vector>

namespace keel::gen::spec {

/// Keyword families a resource's meta-schema enables (2020-12 vocabularies).
/// Core is always on; meta-data and content are annotations only.
struct Vocabularies {
  bool applicator = true;
  bool unevaluated = true;
  bool validation = true;
  /// The format-assertion vocabulary: `format` asserts instead of annotating.
  bool format_assertion = false;
};

enum class Dialect {
  /// JSON Schema 2020-12; also OpenAPI 3.1's base dialect.
  draft2020_12,
  /// 2019-09 and older drafts: `prefixItems` is unknown, array-form `items`
  /// is a tuple with `additionalItems`.
  draft2019_09,
  /// The OpenAPI 3.0 Schema Object: `nullable`, boolean exclusive bounds,
  /// no `$id`/`$anchor`, and `$ref` replaces its siblings.
  oas30,
};

struct SchemaResource {
  std::string uri;  ///< absolute, without fragment
  const Node* root = nullptr;
  Dialect dialect = Dialect::draft2020_12;
  Vocabularies vocabularies;
  std::vector<std::pair<std::string, const Node*>> anchors;  ///< `$anchor` and `$dynamicAnchor`
  std::vector<std::pair<std::string, const Node*>> dynamic_anchors;
};

/// Where a scanned schema node sits.
struct SchemaPlace {
  std::string base_uri;        ///< in effect for this schema's keywords (after its own `$id`)
  std::uint32_t resource = 0;  ///< index into SchemaIndex::resources()
  std::uint32_t document = 0;
};

/// The target of a `$dynamicRef`: where it points statically, and whether
/// it is dynamic at all (its plain-name fragment lands on a `$dynamicAnchor`).
struct DynamicTarget {
  const Node* initial = nullptr;
  std::string anchor;
  bool dynamic = false;
};

class SchemaIndex {
public:
  SchemaIndex(Workspace& ws, Diagnostics& diags) : ws_(ws), diags_(diags) {}

  /// Documents under URI `prefix` are read from `folder` (`--map-uri P=DIR`).
  void map_uri(std::string prefix, std::string folder);
  /// The dialect of documents without `$schema` (default: 2020-12).
  void set_default_dialect(Dialect dialect) { default_dialect_ = dialect; }
  /// Format assertion for every resource, whatever its meta-schema says.
  void set_format_assertion(bool on) { format_assertion_ = on; }

  /// Registers `root` as a schema document retrieved from absolute `uri`.
  /// `display` prefixes the keyword locations of its schemas ("" for the
  /// main document, so they read "#/properties/a").
  void add_schema_document(const Node& root, const std::string& uri, std::string display);
  /// Registers an OpenAPI document as a resource at `uri` (not a schema
  /// itself) and scans its Schema Objects: components/schemas and every
  /// `schema` field of parameters, media types and headers.
  void add_openapi_document(const Node& root, const std::string& uri, std::string display);

  /// The place of a schema node; nullptr when the node was never reached.
  const SchemaPlace* place(const Node& schema) const;
  /// Scans `schema` (reached by the caller through a known parent) if needed.
  const SchemaPlace* ensure_scanned(const Node& schema, const Node& parent);

  /// The node `ref` (a `$ref` value inside `schema`) names; nullptr after a diagnostic.
  const Node* resolve_ref(const Node& schema, const Node& ref);
  std::optional<DynamicTarget> resolve_dynamic_ref(const Node& schema, const Node& ref);

  const std::vector<SchemaResource>& resources() const { return resources_; }
  /// Keyword location base of a schema: "#/pointer" in the main document,
  /// "<uri or file>#/pointer" elsewhere.
  std::string location(const Node& schema) const;

  /// A document registered by URI (loading it through the built-ins, the
  /// mappings or `file:`); nullptr after a diagnostic at `from`.
  const Node* load(const std::string& uri, const Node& from);

private:
  struct Document {
    const Node* root = nullptr;
    std::string display;
  };
  struct Pending {
    const Node* node;
    std::string base;
    std::uint32_t resource;
  };

  std::uint32_t new_resource(const std::string& uri, const Node& root, const SchemaResource* parent);
  void scan(const Node& node, const std::string& base, std::uint32_t resource,
            std::uint32_t document);
  std::optional<std::uint32_t> find_resource(const std::string& uri) const;
  std::optional<std::uint32_t> resource_for(const std::string& uri, const Node& from);
  void set_dialect(SchemaResource& resource, const Node* schema_keyword, const SchemaResource* parent);
  /// Vocabularies from a custom meta-schema's `$vocabulary`; false when it has none.
  bool read_vocabularies(const Node& meta, SchemaResource& resource, const Node& from, int depth);
  const Node* resolve(const Node& schema, const Node& ref, std::string* anchor_out,
                      std::uint32_t* resource_out);

  Workspace& ws_;
  Diagnostics& diags_;
  Dialect default_dialect_ = Dialect::draft2020_12;
  bool format_assertion_ = false;
  std::vector<std::pair<std::string, std::string>> uri_map_;
  std::vector<Document> documents_;
  std::vector<SchemaResource> resources_;
  std::map<std::string, std::uint32_t> by_uri_;
  std::unordered_map<const Node*, SchemaPlace> places_;
  std::map<std::string, bool> load_attempts_;
  /// Documents being loaded inside each other (a meta-schema's meta-schema...).
  int load_depth_ = 0;
};

}  // namespace keel::gen::spec
