// Checker rules for Schema Objects: only what a generator relies on (the
// shape of subschemas and `type`); other JSON Schema keywords pass through.

#include "checker.h"

#include <algorithm>

namespace keel::gen::spec {

namespace {

bool is_type_name(std::string_view name, bool allow_null) {
  static const std::string_view names[] = {"boolean", "object", "array",
                                           "number",  "string", "integer"};
  if (name == "null") return allow_null;
  return std::find(std::begin(names), std::end(names), name) != std::end(names);
}

/// Keywords whose value is one subschema.
bool is_single_schema_keyword(std::string_view key) {
  static const std::string_view keys[] = {"not",
                                          "if",
                                          "then",
                                          "else",
                                          "contains",
                                          "propertyNames",
                                          "additionalItems",
                                          "unevaluatedItems",
                                          "contentSchema",
                                          "additionalProperties",
                                          "unevaluatedProperties",
                                          "items"};
  return std::find(std::begin(keys), std::end(keys), key) != std::end(keys);
}

bool is_schema_map_keyword(std::string_view key) {
  return key == "properties" || key == "patternProperties" || key == "$defs" ||
         key == "definitions" || key == "dependentSchemas";
}

bool is_schema_list_keyword(std::string_view key) {
  return key == "allOf" || key == "anyOf" || key == "oneOf" || key == "prefixItems";
}

}  // namespace

void Checker::check_schema(const Node& schema) {
  if (++depth_ > 1500) {
    --depth_;
    error("E-TOO-DEEP", "schemas nest too deeply to check", schema);
    return;
  }
  struct Leave {
    int& depth;
    ~Leave() { --depth; }
  } leave{depth_};

  if (schema.is_bool()) {
    if (v30()) error("E-SCHEMA-NOT-OBJECT", "boolean schemas need OAS 3.1", schema);
    return;
  }
  if (!schema.is_map()) {
    error("E-SCHEMA-NOT-OBJECT",
          v30() ? "a schema must be an object" : "a schema must be an object or a boolean", schema);
    return;
  }
  for (std::size_t i = 0; i < schema.keys.size(); ++i) {
    const std::string& key = schema.keys[i];
    const Node& value = schema.children[i];
    if (key == "$ref") {
      if (const Node* target = resolve(schema)) pending_.emplace_back(target, Kind::schema);
    } else if (key == "$recursiveRef" || key == "$dynamicRef") {
      warning("W-SCHEMA-DYNAMIC-REF",
              "'" + key + "' is not supported; the subschema is treated as unconstrained", value);
    } else if (key == "type") {
      check_schema_type(value);
    } else if (is_schema_map_keyword(key)) {
      check_schema_map(value, key);
    } else if (is_schema_list_keyword(key)) {
      check_schema_list(value, key);
    } else if (key == "items" && value.is_seq()) {
      error("E-SCHEMA-KEYWORD", "'items' must be a schema; for tuples use 'prefixItems'", value);
    } else if ((key == "additionalProperties" || key == "unevaluatedProperties") &&
               value.is_bool()) {
      // A boolean here is valid in 3.0 too.
    } else if (is_single_schema_keyword(key)) {
      check_schema(value);
    } else if (key == "discriminator") {
      check_discriminator(value);
    } else if (key == "nullable" || key == "exclusiveMinimum" || key == "exclusiveMaximum") {
      check_version_keyword(key, value);
    } else if (key == "required" || key == "enum") {
      bool ok = value.is_seq() &&
                (key == "enum" || std::all_of(value.children.begin(), value.children.end(),
                                              [](const Node& n) { return n.is_scalar(); }));
      if (!ok)
        error("E-SCHEMA-KEYWORD",
              "'" + key + "' must be an array" + (key == "required" ? " of property names" : ""),
              value);
    }
  }
}

void Checker::check_version_keyword(const std::string& key, const Node& value) {
  // These changed meaning between 3.0 (its own schema dialect) and 3.1 (JSON
  // Schema 2020-12); a generator must not guess which one the author meant.
  if (key == "nullable" && !v30()) {
    warning("W-SCHEMA-VERSION-KEYWORD",
            "'nullable' is not a keyword in OAS 3.1 (it is ignored); use type: [..., 'null']",
            value);
  } else if (key != "nullable" && value.is_bool() && !v30()) {
    warning("W-SCHEMA-VERSION-KEYWORD",
            "a boolean '" + key + "' is OAS 3.0 style; in 3.1 it must be the bound itself", value);
  } else if (key != "nullable" && value.is_number() && v30()) {
    warning("W-SCHEMA-VERSION-KEYWORD",
            "a numeric '" + key + "' is OAS 3.1 style; in 3.0 it must be a boolean", value);
  }
}

void Checker::check_schema_type(const Node& type) {
  auto check_name = [&](const Node& name) {
    if (!name.is_scalar() || !is_type_name(name.scalar, !v30()))
      error("E-SCHEMA-TYPE",
            "'" + name.scalar + "' is not a JSON Schema type (" + (v30() ? "" : "null, ") +
                "boolean, object, array, number, string, integer)",
            name);
  };
  if (type.is_scalar()) {
    check_name(type);
  } else if (type.is_seq() && !v30()) {
    for (const auto& name : type.children) check_name(name);
  } else {
    error("E-SCHEMA-TYPE",
          v30() ? "'type' must be a single type name in OAS 3.0"
                : "'type' must be a type name or an array of them",
          type);
  }
}

void Checker::check_schema_map(const Node& node, std::string_view keyword) {
  // DigitalOcean writes `properties: {$ref: file#/x}` to share a whole map.
  // A lone string-valued `$ref` cannot be a property (whose value would be
  // a schema), so it is read as a non-standard reference.
  bool map_ref = node.is_map() && node.keys.size() == 1 && node.keys[0] == "$ref" &&
                 node.children[0].is_string();
  const Node* target =
      map_ref ? follow_nonstandard(node, "the '" + std::string(keyword) + "' map") : &node;
  if (target == nullptr) return;
  const Node& map = *target;
  if (!map.is_map()) {
    error("E-SCHEMA-KEYWORD", quoted(keyword) + " must be an object", map);
    return;
  }
  for (const auto& child : map.children) check_schema(child);
}

void Checker::check_schema_list(const Node& list, std::string_view keyword) {
  if (!list.is_seq() || list.children.empty()) {
    error("E-SCHEMA-KEYWORD", quoted(keyword) + " must be a non-empty array of schemas",
          list);
    return;
  }
  for (const auto& child : list.children) check_schema(child);
}

void Checker::check_discriminator(const Node& node) {
  static const Fields fields = {{"propertyName", Expect::string}, {"mapping", Expect::mapping}};
  const Node* discriminator = object(node, "Discriminator Object", fields);
  if (discriminator == nullptr) return;
  require(*discriminator, "Discriminator Object", {"propertyName"});
  if (const Node* mapping = field(*discriminator, "mapping", Expect::mapping))
    for (const auto& target : mapping->children)
      if (!target.is_scalar())
        error("E-TYPE", "discriminator mapping values must be strings", target);
}

}  // namespace keel::gen::spec
