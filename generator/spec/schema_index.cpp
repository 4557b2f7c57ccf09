#include "schema_index.h"

#include "json_pointer.h"
#include "schema_metaschemas.h"
#include "schema_uri.h"

#include <algorithm>
#include <array>
#include <filesystem>
#include <string_view>

namespace keel::gen::spec {

namespace {

namespace fs = std::filesystem;

/// Keywords whose value is one subschema, in every dialect keel-gen reads.
constexpr std::array<std::string_view, 12> kSingle = {
    "additionalProperties", "propertyNames", "not",           "if",
    "then",                 "else",          "contains",      "unevaluatedItems",
    "unevaluatedProperties", "additionalItems", "contentSchema", "items"};
/// Keywords whose value is an array of subschemas.
constexpr std::array<std::string_view, 5> kArrays = {"allOf", "anyOf", "oneOf", "prefixItems",
                                                     "items"};
/// Keywords whose value maps names to subschemas.
constexpr std::array<std::string_view, 6> kMaps = {"$defs",        "definitions",
                                                   "properties",   "patternProperties",
                                                   "dependentSchemas", "dependencies"};

constexpr std::string_view kVocabPrefix2020 = "https://json-schema.org/draft/2020-12/vocab/";
constexpr std::string_view kVocabPrefix2019 = "https://json-schema.org/draft/2019-09/vocab/";

std::string strip_empty_fragment(std::string uri) {
  if (!uri.empty() && uri.back() == '#') uri.pop_back();
  return uri;
}

bool is_2020_12(std::string_view uri) {
  return uri == "https://json-schema.org/draft/2020-12/schema" ||
         uri == "https://spec.openapis.org/oas/3.1/dialect/base" ||
         uri.rfind("https://spec.openapis.org/oas/3.1/dialect/", 0) == 0;
}

bool is_older_draft(std::string_view uri) {
  return uri == "https://json-schema.org/draft/2019-09/schema" ||
         uri == "http://json-schema.org/draft-07/schema" ||
         uri == "http://json-schema.org/draft-06/schema" ||
         uri == "http://json-schema.org/draft-04/schema";
}

}  // namespace

void SchemaIndex::map_uri(std::string prefix, std::string folder) {
  uri_map_.emplace_back(std::move(prefix), std::move(folder));
  // Longest prefix first, so a more specific mapping wins.
  std::stable_sort(uri_map_.begin(), uri_map_.end(),
                   [](const auto& a, const auto& b) { return a.first.size() > b.first.size(); });
}

std::optional<std::uint32_t> SchemaIndex::find_resource(const std::string& uri) const {
  auto found = by_uri_.find(strip_empty_fragment(uri));
  if (found == by_uri_.end()) return std::nullopt;
  return found->second;
}

std::uint32_t SchemaIndex::new_resource(const std::string& uri, const Node& root,
                                        const SchemaResource* parent) {
  SchemaResource resource;
  resource.uri = uri;
  resource.root = &root;
  set_dialect(resource, root.get("$schema"), parent);
  auto index = static_cast<std::uint32_t>(resources_.size());
  resources_.push_back(std::move(resource));
  by_uri_.emplace(uri, index);
  return index;
}

void SchemaIndex::set_dialect(SchemaResource& resource, const Node* schema_keyword,
                              const SchemaResource* parent) {
  if (parent != nullptr) {
    resource.dialect = parent->dialect;
    resource.vocabularies = parent->vocabularies;
  } else {
    resource.dialect = default_dialect_;
    resource.vocabularies = Vocabularies{};
  }
  if (format_assertion_) resource.vocabularies.format_assertion = true;
  if (schema_keyword == nullptr || !schema_keyword->is_string() ||
      resource.dialect == Dialect::oas30)
    return;
  std::string uri = strip_empty_fragment(schema_keyword->scalar);
  if (is_2020_12(uri)) {
    resource.dialect = Dialect::draft2020_12;
    resource.vocabularies = Vocabularies{};
  } else if (is_older_draft(uri)) {
    resource.dialect = Dialect::draft2019_09;
    resource.vocabularies = Vocabularies{};
  } else {
    // A custom meta-schema: its `$vocabulary` says which keywords apply.
    const Node* meta = load(uri, *schema_keyword);
    resource.dialect = Dialect::draft2020_12;
    resource.vocabularies = Vocabularies{};
    if (meta != nullptr) read_vocabularies(*meta, resource, *schema_keyword, 0);
  }
  if (format_assertion_) resource.vocabularies.format_assertion = true;
}

bool SchemaIndex::read_vocabularies(const Node& meta, SchemaResource& resource, const Node& from,
                                    int depth) {
  const Node* vocabulary = meta.get("$vocabulary");
  if (vocabulary == nullptr || !vocabulary->is_map()) {
    // No `$vocabulary`: the meta-schema's own dialect decides (bounded chain).
    const Node* next = meta.get("$schema");
    if (depth >= 8 || next == nullptr || !next->is_string()) return false;
    std::string uri = strip_empty_fragment(next->scalar);
    if (is_2020_12(uri)) return false;
    if (is_older_draft(uri)) {
      resource.dialect = Dialect::draft2019_09;
      return true;
    }
    const Node* meta_meta = load(uri, *next);
    return meta_meta != nullptr && read_vocabularies(*meta_meta, resource, from, depth + 1);
  }
  Vocabularies v;
  v.applicator = v.unevaluated = v.validation = false;
  for (std::size_t i = 0; i < vocabulary->keys.size(); ++i) {
    const std::string& uri = vocabulary->keys[i];
    bool required = vocabulary->children[i].is_bool() && vocabulary->children[i].as_bool();
    std::string_view name;
    if (uri.rfind(kVocabPrefix2020, 0) == 0)
      name = std::string_view(uri).substr(kVocabPrefix2020.size());
    else if (uri.rfind(kVocabPrefix2019, 0) == 0)
      name = std::string_view(uri).substr(kVocabPrefix2019.size());
    if (name == "applicator") {
      v.applicator = true;
    } else if (name == "unevaluated") {
      v.unevaluated = true;
    } else if (name == "validation") {
      v.validation = true;
    } else if (name == "format-assertion") {
      v.format_assertion = true;
    } else if (name == "core" || name == "meta-data" || name == "content" ||
               name == "format-annotation" || name == "format") {
      // Core is always on; the others only annotate.
    } else if (required) {
      diags_.error("E-SCHEMA-VOCABULARY",
                   "the meta-schema requires the vocabulary '" + uri +
                       "', which keel-gen does not implement",
                   from.location, from.pointer);
    }
  }
  resource.vocabularies = v;
  return true;
}

void SchemaIndex::add_schema_document(const Node& root, const std::string& uri,
                                      std::string display) {
  auto doc = static_cast<std::uint32_t>(documents_.size());
  documents_.push_back({&root, std::move(display)});
  std::string retrieval = strip_empty_fragment(split_fragment(uri).first);
  std::uint32_t resource = 0;
  if (auto existing = find_resource(retrieval); existing && resources_[*existing].root == &root) {
    resource = *existing;
  } else {
    resource = new_resource(retrieval, root, nullptr);
  }
  // An `$id` at the root renames the resource; the retrieval URI stays an alias.
  const Node* id = root.get("$id");
  if (id != nullptr && id->is_string() && resources_[resource].dialect != Dialect::oas30) {
    auto [id_uri, fragment] = split_fragment(resolve_uri(retrieval, id->scalar));
    if (fragment.empty() && id_uri != retrieval) {
      resources_[resource].uri = id_uri;
      by_uri_.emplace(id_uri, resource);
    }
  }
  scan(root, resources_[resource].uri, resource, doc);
}

void SchemaIndex::add_openapi_document(const Node& root, const std::string& uri,
                                       std::string display) {
  auto doc = static_cast<std::uint32_t>(documents_.size());
  documents_.push_back({&root, std::move(display)});
  std::string base = strip_empty_fragment(split_fragment(uri).first);
  SchemaResource resource;
  resource.uri = base;
  resource.root = &root;
  resource.dialect = default_dialect_;
  resource.vocabularies.format_assertion = format_assertion_;
  auto index = static_cast<std::uint32_t>(resources_.size());
  resources_.push_back(std::move(resource));
  by_uri_.emplace(base, index);
  places_[&root] = {base, index, doc};

  // Schema Objects sit under components/schemas and in every `schema`
  // field outside schemas (parameters, media types, headers).
  std::vector<const Node*> stack{&root};
  while (!stack.empty()) {
    const Node* node = stack.back();
    stack.pop_back();
    if (node->is_seq()) {
      for (auto it = node->children.rbegin(); it != node->children.rend(); ++it)
        stack.push_back(&*it);
      continue;
    }
    if (!node->is_map()) continue;
    for (std::size_t i = node->keys.size(); i-- > 0;) {
      const std::string& key = node->keys[i];
      const Node& child = node->children[i];
      if (key == "example" || key == "examples" || key == "default" || key == "enum") continue;
      if (key == "schema") {
        scan(child, base, index, doc);
      } else if (key == "schemas" && node == root.get("components") && child.is_map()) {
        for (const auto& schema : child.children) scan(schema, base, index, doc);
      } else {
        stack.push_back(&child);
      }
    }
  }
}

void SchemaIndex::scan(const Node& start, const std::string& base, std::uint32_t resource,
                       std::uint32_t document) {
  std::vector<Pending> stack{{&start, base, resource}};
  while (!stack.empty()) {
    Pending item = std::move(stack.back());
    stack.pop_back();
    const Node& node = *item.node;
    if (places_.count(&node) != 0) continue;
    if (!node.is_map()) {
      places_[&node] = {item.base, item.resource, document};
      continue;
    }
    std::string node_base = item.base;
    std::uint32_t node_resource = item.resource;
    const Node* id = node.get("$id");
    if (id != nullptr && id->is_string() && resources_[item.resource].dialect != Dialect::oas30) {
      auto [id_uri, fragment] = split_fragment(resolve_uri(item.base, id->scalar));
      if (!fragment.empty()) {
        diags_.warning("W-SCHEMA-ID-FRAGMENT",
                       "$id '" + id->scalar +
                           "' has a fragment; 2020-12 identifiers have none, so it is ignored",
                       id->location, id->pointer);
      } else if (id_uri != resources_[item.resource].uri ||
                 resources_[item.resource].root != &node) {
        if (auto existing = find_resource(id_uri)) {
          if (resources_[*existing].root != &node)
            diags_.error("E-SCHEMA-ID-DUPLICATE",
                         "$id '" + id_uri + "' is already the identifier of another schema",
                         id->location, id->pointer);
          node_resource = *existing;
        } else {
          node_resource = new_resource(id_uri, node, &resources_[item.resource]);
        }
        node_base = id_uri;
      }
    }
    places_[&node] = {node_base, node_resource, document};
    SchemaResource& res = resources_[node_resource];
    if (res.dialect != Dialect::oas30) {
      if (const Node* anchor = node.get("$anchor"); anchor != nullptr && anchor->is_string())
        res.anchors.emplace_back(anchor->scalar, &node);
      if (const Node* anchor = node.get("$dynamicAnchor"); anchor != nullptr && anchor->is_string()) {
        res.anchors.emplace_back(anchor->scalar, &node);
        res.dynamic_anchors.emplace_back(anchor->scalar, &node);
      }
    }
    auto push = [&](const Node& child) { stack.push_back({&child, node_base, node_resource}); };
    for (std::size_t i = node.keys.size(); i-- > 0;) {
      std::string_view key = node.keys[i];
      const Node& value = node.children[i];
      if (std::find(kSingle.begin(), kSingle.end(), key) != kSingle.end() &&
          (value.is_map() || value.is_bool())) {
        push(value);
      } else if (std::find(kArrays.begin(), kArrays.end(), key) != kArrays.end() &&
                 value.is_seq()) {
        for (auto it = value.children.rbegin(); it != value.children.rend(); ++it) push(*it);
      } else if (std::find(kMaps.begin(), kMaps.end(), key) != kMaps.end() && value.is_map()) {
        for (auto it = value.children.rbegin(); it != value.children.rend(); ++it)
          if (it->is_map() || it->is_bool()) push(*it);  // `dependencies` also holds arrays
      }
    }
  }
}

const SchemaPlace* SchemaIndex::place(const Node& schema) const {
  auto found = places_.find(&schema);
  return found == places_.end() ? nullptr : &found->second;
}

const SchemaPlace* SchemaIndex::ensure_scanned(const Node& schema, const Node& parent) {
  if (const SchemaPlace* known = place(schema)) return known;
  const SchemaPlace* from = place(parent);
  if (from == nullptr) return nullptr;
  SchemaPlace copy = *from;  // scan() may rehash places_
  scan(schema, copy.base_uri, copy.resource, copy.document);
  return place(schema);
}

const Node* SchemaIndex::load(const std::string& uri_text, const Node& from) {
  std::string uri = strip_empty_fragment(split_fragment(uri_text).first);
  if (auto known = find_resource(uri)) return resources_[*known].root;
  auto attempt = load_attempts_.find(uri);
  if (attempt != load_attempts_.end() && !attempt->second) return nullptr;
  load_attempts_[uri] = false;

  const Node* doc = nullptr;
  std::string display = uri;
  if (auto text = builtin_schema(uri)) {
    std::string name = normalize_path(uri);
    doc = ws_.document(name);
    if (doc == nullptr) {
      Diagnostics parse_diags;  // built-in text always parses
      ws_.add_document_text(name, std::string(*text), parse_diags);
      doc = ws_.document(name);
    }
  } else {
    std::optional<std::string> path;
    for (const auto& [prefix, folder] : uri_map_) {
      if (uri.rfind(prefix, 0) == 0) {
        std::string rest = uri.substr(prefix.size());
        auto decoded = percent_decode(rest);
        std::string dir = folder;
        if (!dir.empty() && dir.back() != '/') dir += '/';
        path = dir + (decoded ? *decoded : rest);
        break;
      }
    }
    if (!path) {
      path = file_path(uri);
      if (path) {
        // Relative to the working directory, as the workspace names files
        // reached from a relative root: diagnostics and generated keyword
        // locations then carry no absolute path.
        std::error_code ec;
        fs::path relative = fs::path(*path).lexically_relative(fs::current_path(ec));
        if (!ec && !relative.empty()) path = relative.generic_string();
        display = "";  // the workspace's name for the file, below
      }
    }
    if (!path) {
      diags_.error("E-SCHEMA-REF-UNRESOLVED",
                   "no schema document has the URI '" + uri +
                       "' (keel-gen never fetches; map its prefix to a folder with --map-uri)",
                   from.location, from.pointer);
      return nullptr;
    }
    doc = ws_.load_referenced(*path, from.location, from.pointer, diags_);
    if (doc != nullptr && display.empty()) display = doc->location.file;
  }
  if (doc == nullptr) return nullptr;
  load_attempts_[uri] = true;
  // Registering scans the document, which may load its meta-schema, and so on.
  constexpr int max_load_depth = 32;
  if (load_depth_ >= max_load_depth) {
    diags_.error("E-SCHEMA-REF-UNRESOLVED",
                 "'" + uri + "' is reached through more than " + std::to_string(max_load_depth) +
                     " nested meta-schemas",
                 from.location, from.pointer);
    return nullptr;
  }
  ++load_depth_;
  add_schema_document(*doc, uri, display);
  --load_depth_;
  return doc;
}

std::optional<std::uint32_t> SchemaIndex::resource_for(const std::string& uri, const Node& from) {
  if (auto known = find_resource(uri)) return known;
  if (load(uri, from) == nullptr) return std::nullopt;
  return find_resource(uri);
}

const Node* SchemaIndex::resolve(const Node& schema, const Node& ref, std::string* anchor_out,
                                 std::uint32_t* resource_out) {
  if (!ref.is_string()) {
    diags_.error("E-SCHEMA-REF-INVALID", "a reference must be a string", ref.location,
                 ref.pointer);
    return nullptr;
  }
  const SchemaPlace* from = place(schema);
  if (from == nullptr) {
    diags_.error("E-INTERNAL", "reference in a schema that was never scanned", ref.location,
                 ref.pointer);
    return nullptr;
  }
  auto [uri, encoded_fragment] = split_fragment(resolve_uri(from->base_uri, ref.scalar));
  auto resource = resource_for(uri, ref);
  if (!resource) return nullptr;
  auto fragment = percent_decode(encoded_fragment);
  if (!fragment) {
    diags_.error("E-SCHEMA-REF-INVALID", "'" + ref.scalar + "' has a malformed %-escape",
                 ref.location, ref.pointer);
    return nullptr;
  }
  if (resource_out != nullptr) *resource_out = *resource;
  const SchemaResource& res = resources_[*resource];
  if (fragment->empty()) return res.root;
  if (fragment->front() != '/') {
    for (const auto& [name, node] : res.anchors)
      if (name == *fragment) {
        if (anchor_out != nullptr) *anchor_out = name;
        return node;
      }
    diags_.error("E-SCHEMA-REF-MISSING",
                 "'" + ref.scalar + "': no $anchor or $dynamicAnchor '" + *fragment + "' in " +
                     res.uri,
                 ref.location, ref.pointer);
    return nullptr;
  }
  auto tokens = split_pointer(*fragment);
  if (!tokens) {
    diags_.error("E-SCHEMA-REF-INVALID", "'" + ref.scalar + "' has a malformed JSON pointer",
                 ref.location, ref.pointer);
    return nullptr;
  }
  const Node* current = res.root;
  const Node* last_scanned = place(*current) != nullptr ? current : nullptr;
  for (const auto& token : *tokens) {
    const Node* next = current->child_at(token);
    if (next == nullptr) {
      diags_.error("E-SCHEMA-REF-MISSING",
                   "'" + ref.scalar + "': nothing at '" + escape_pointer_token(token) +
                       "' in " + res.uri,
                   ref.location, ref.pointer);
      return nullptr;
    }
    current = next;
    if (place(*current) != nullptr) last_scanned = current;
  }
  if (place(*current) == nullptr && last_scanned != nullptr) {
    SchemaPlace copy = *place(*last_scanned);
    scan(*current, copy.base_uri, copy.resource, copy.document);
  }
  return current;
}

const Node* SchemaIndex::resolve_ref(const Node& schema, const Node& ref) {
  return resolve(schema, ref, nullptr, nullptr);
}

std::optional<DynamicTarget> SchemaIndex::resolve_dynamic_ref(const Node& schema, const Node& ref) {
  std::string anchor;
  std::uint32_t resource = 0;
  const Node* target = resolve(schema, ref, &anchor, &resource);
  if (target == nullptr) return std::nullopt;
  DynamicTarget result;
  result.initial = target;
  result.anchor = anchor;
  if (!anchor.empty()) {
    for (const auto& [name, node] : resources_[resource].dynamic_anchors)
      if (name == anchor && node == target) result.dynamic = true;
  }
  return result;
}

std::string SchemaIndex::location(const Node& schema) const {
  const SchemaPlace* p = place(schema);
  if (p == nullptr) return "#" + schema.pointer;
  const Document& doc = documents_[p->document];
  std::string pointer = schema.pointer.substr(std::min(schema.pointer.size(), doc.root->pointer.size()));
  return doc.display + "#" + pointer;
}

}  // namespace keel::gen::spec
