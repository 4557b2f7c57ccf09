#include "ir/schema_build.h"

#include "ir/cycles.h"

#include "spec/schema_index.h"
#include "spec/schema_uri.h"

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cmath>
#include <deque>
#include <filesystem>
#include <limits>
#include <set>
#include <unordered_map>

namespace keel::gen::ir {

namespace {

using spec::Node;
namespace fs = std::filesystem;

std::string json_string(const std::string& s) {
  return nlohmann::json(s).dump(-1, ' ', false, nlohmann::json::error_handler_t::replace);
}

/// mantissa * 10^exponent for a JSON number literal; mantissa 0 when the
/// significant digits do not fit 64 bits.
void decimal_parts(const std::string& text, Number& n) {
  std::string digits;
  std::int64_t exp10 = 0;
  std::size_t i = 0;
  if (i < text.size() && text[i] == '-') ++i;
  bool fraction = false;
  for (; i < text.size() && text[i] != 'e' && text[i] != 'E'; ++i) {
    if (text[i] == '.') {
      fraction = true;
      continue;
    }
    digits += text[i];
    if (fraction) --exp10;
  }
  if (i < text.size()) {
    ++i;
    bool neg = i < text.size() && text[i] == '-';
    if (i < text.size() && (text[i] == '-' || text[i] == '+')) ++i;
    std::int64_t e = 0;
    for (; i < text.size(); ++i) e = std::min<std::int64_t>(e * 10 + (text[i] - '0'), 1'000'000'000);
    exp10 += neg ? -e : e;
  }
  digits.erase(0, std::min(digits.find_first_not_of('0'), digits.size()));
  while (!digits.empty() && digits.back() == '0') {
    digits.pop_back();
    ++exp10;
  }
  n.mantissa = 0;
  n.exponent = 0;
  if (digits.empty() || digits.size() > 19 || exp10 > 100000 || exp10 < -100000) return;
  std::uint64_t m = 0;
  auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), m);
  if (ec != std::errc() || p != digits.data() + digits.size()) return;
  n.mantissa = m;
  n.exponent = static_cast<std::int32_t>(exp10);
}

Number parse_number(const std::string& text) {
  Number n;
  n.text = text;
  const char* begin = text.data();
  const char* end = begin + text.size();
  bool integer_text = text.find_first_of(".eE") == std::string::npos;
  bool done = false;
  if (integer_text) {
    auto [p, ec] = std::from_chars(begin, end, n.i);
    if (ec == std::errc() && p == end) {
      n.kind = Number::Kind::int64;
      done = true;
    } else if (text[0] != '-') {
      auto [q, ec2] = std::from_chars(begin, end, n.u);
      if (ec2 == std::errc() && q == end) {
        n.kind = Number::Kind::uint64;
        done = true;
      }
    }
  }
  auto [p, ec] = std::from_chars(begin, end, n.d);
  if (ec == std::errc::result_out_of_range) {
    // from_chars leaves the value alone: overflow is infinite, underflow zero.
    bool neg = text[0] == '-';
    bool tiny = false;
    auto epos = text.find_first_of("eE");
    if (epos != std::string::npos && epos + 1 < text.size() && text[epos + 1] == '-') tiny = true;
    n.d = tiny ? (neg ? -0.0 : 0.0)
               : (neg ? -std::numeric_limits<double>::infinity()
                      : std::numeric_limits<double>::infinity());
  }
  if (!done) {
    n.kind = Number::Kind::real;
    if (std::isfinite(n.d) && std::floor(n.d) == n.d) {
      if (n.d >= -9223372036854775808.0 && n.d < 9223372036854775808.0) {
        n.kind = Number::Kind::int64;
        n.i = static_cast<std::int64_t>(n.d);
      } else if (n.d >= 0 && n.d < 18446744073709551616.0) {
        n.kind = Number::Kind::uint64;
        n.u = static_cast<std::uint64_t>(n.d);
      }
    }
  }
  if (n.kind == Number::Kind::int64) n.d = static_cast<double>(n.i);
  if (n.kind == Number::Kind::uint64) n.d = static_cast<double>(n.u);
  decimal_parts(text, n);
  return n;
}

/// Compact JSON text of a node (numbers as written). Loader limits bound the depth.
void write_json(const Node& node, std::string& out) {
  switch (node.kind) {
    case Node::Kind::null: out += "null"; return;
    case Node::Kind::scalar:
      if (node.quoted)
        out += json_string(node.scalar);
      else if (node.is_bool() || node.is_number())
        out += node.scalar;
      else if (node.scalar == "null" || node.scalar == "~")
        out += "null";
      else
        out += json_string(node.scalar);
      return;
    case Node::Kind::sequence:
      out += '[';
      for (std::size_t i = 0; i < node.children.size(); ++i) {
        if (i > 0) out += ',';
        write_json(node.children[i], out);
      }
      out += ']';
      return;
    case Node::Kind::mapping:
      out += '{';
      for (std::size_t i = 0; i < node.children.size(); ++i) {
        if (i > 0) out += ',';
        out += json_string(node.keys[i]);
        out += ':';
        write_json(node.children[i], out);
      }
      out += '}';
      return;
  }
}

Value to_value(const Node& node) {
  Value v;
  write_json(node, v.json);
  switch (node.kind) {
    case Node::Kind::null: v.kind = Value::Kind::null; break;
    case Node::Kind::sequence: v.kind = Value::Kind::array; break;
    case Node::Kind::mapping: v.kind = Value::Kind::object; break;
    case Node::Kind::scalar:
      if (node.is_bool()) {
        v.kind = Value::Kind::boolean;
        v.boolean = node.as_bool();
      } else if (node.is_number()) {
        v.kind = Value::Kind::number;
        v.number = parse_number(node.scalar);
      } else if (!node.quoted && (node.scalar == "null" || node.scalar == "~")) {
        v.kind = Value::Kind::null;
      } else {
        v.kind = Value::Kind::string;
        v.string = node.scalar;
      }
      break;
  }
  return v;
}

/// Formats of the OpenAPI Format Registry.
bool is_openapi_format(std::string_view name) {
  static constexpr std::string_view names[] = {
      "base64url", "binary",     "byte",       "char",       "commonmark", "date-time-local",
      "decimal",   "decimal128", "double",     "float",      "html",       "http-date",
      "int8",      "int16",      "int32",      "int64",      "media-range", "password",
      "sf-binary", "sf-boolean", "sf-decimal", "sf-integer", "sf-string",  "sf-token",
      "time-local", "uint8"};
  for (auto n : names)
    if (n == name) return true;
  return false;
}

std::optional<unsigned> type_bit(std::string_view name) {
  if (name == "null") return type_null;
  if (name == "boolean") return type_boolean;
  if (name == "object") return type_object;
  if (name == "array") return type_array;
  if (name == "number") return type_number;
  if (name == "string") return type_string;
  if (name == "integer") return type_integer;
  return std::nullopt;
}

}  // namespace

struct SchemaSetBuilder::Impl {
  Impl(spec::Workspace& w, Diagnostics& d, SchemaBuildOptions o)
      : ws(w), diags(d), options(std::move(o)), index(w, d) {
    for (const auto& [prefix, folder] : options.uri_map) index.map_uri(prefix, folder);
    index.set_format_assertion(options.format_assertion);
  }

  spec::Workspace& ws;
  Diagnostics& diags;
  SchemaBuildOptions options;
  spec::SchemaIndex index;
  SchemaSet set;
  std::unordered_map<const Node*, SchemaId> ids;
  std::vector<const Node*> nodes;
  /// Malformed subschemas of an OpenAPI document, warned about and read as `true`.
  std::set<const Node*> ignored;
  std::deque<SchemaId> queue;
  bool openapi_registered = false;
  bool too_many = false;
  std::set<std::string> dynamic_names;

  // -- helpers --

  /// The workspace's root document as an OpenAPI resource, once.
  /// Resolves `target` (a reference from the root document) and makes it a root.
  std::optional<SchemaId> add_openapi_root(const std::string& target, const Location& at,
                                           const std::string& pointer, const std::string& name) {
    register_openapi();
    Node ref;
    ref.kind = Node::Kind::scalar;
    ref.quoted = true;
    ref.scalar = target;
    ref.location = at;
    ref.pointer = pointer;
    const Node* found = index.resolve_ref(ws.root(), ref);
    if (found == nullptr) return std::nullopt;
    SchemaId id = intern(*found, nullptr);
    if (id == no_schema) return std::nullopt;
    set.roots.push_back({name, id});
    return id;
  }

  void register_openapi() {
    if (openapi_registered) return;
    openapi_registered = true;
    const Node& root = ws.root();
    std::string version = root.get_string("openapi");
    if (version.rfind("3.0", 0) == 0) {
      index.set_default_dialect(spec::Dialect::oas30);
    } else if (const Node* dialect = root.get("jsonSchemaDialect")) {
      std::string uri = dialect->scalar;
      if (uri != "https://json-schema.org/draft/2020-12/schema" &&
          uri.rfind("https://spec.openapis.org/oas/3.1/dialect/", 0) != 0)
        diags.warning("W-SCHEMA-DIALECT",
                      "jsonSchemaDialect '" + uri +
                          "' is not known; schemas are read as JSON Schema 2020-12",
                      dialect->location, dialect->pointer);
    }
    std::error_code ec;
    fs::path absolute = fs::absolute(ws.root_file(), ec);
    index.add_openapi_document(root, spec::file_uri(absolute.lexically_normal().generic_string()),
                               "");
    if (set.source.empty()) set.source = fs::path(ws.root_file()).filename().string();
  }

  void keyword_error(const Node& value, const std::string& message) {
    diags.error("E-SCHEMA-KEYWORD", message, value.location, value.pointer);
  }

  SchemaId intern(const Node& node, const Node* parent) {
    if (auto found = ids.find(&node); found != ids.end()) return found->second;
    if (nodes.size() >= options.max_schemas) {
      if (!too_many)
        diags.error("E-SCHEMA-TOO-LARGE",
                    "more than " + std::to_string(options.max_schemas) + " schemas to validate",
                    node.location, node.pointer);
      too_many = true;
      return no_schema;
    }
    if (parent != nullptr) index.ensure_scanned(node, *parent);
    auto id = static_cast<SchemaId>(nodes.size());
    ids.emplace(&node, id);
    nodes.push_back(&node);
    Schema placeholder;
    placeholder.location = index.location(node);
    placeholder.source = node.location;
    if (const spec::SchemaPlace* place = index.place(node)) placeholder.resource = place->resource;
    set.schemas.push_back(std::move(placeholder));
    queue.push_back(id);
    return id;
  }

  SchemaId subschema(const Node& value, const Node& parent, std::string_view keyword) {
    if (!value.is_map() && !value.is_bool()) {
      std::string message = "'" + std::string(keyword) + "' must hold a schema (an object or a boolean)";
      // Published OpenAPI documents have these (`properties: {$ref: ...}`);
      // the rest of the document still deserves validators.
      if (!openapi_registered) {
        keyword_error(value, message);
        return no_schema;
      }
      diags.warning("W-SCHEMA-IGNORED", message + "; this one is ignored (accepts anything)",
                    value.location, value.pointer);
      ignored.insert(&value);
    }
    return intern(value, &parent);
  }

  std::vector<SchemaId> schema_array(const Node& value, const Node& parent, std::string_view keyword) {
    std::vector<SchemaId> out;
    if (!value.is_seq() || value.children.empty()) {
      keyword_error(value, "'" + std::string(keyword) + "' must be a non-empty array of schemas");
      return out;
    }
    for (const auto& item : value.children) out.push_back(subschema(item, parent, keyword));
    return out;
  }

  std::vector<NamedSchema> schema_map(const Node& value, const Node& parent, std::string_view keyword) {
    std::vector<NamedSchema> out;
    if (!value.is_map()) {
      keyword_error(value, "'" + std::string(keyword) + "' must be an object of schemas");
      return out;
    }
    for (std::size_t i = 0; i < value.keys.size(); ++i)
      out.push_back({value.keys[i], subschema(value.children[i], parent, keyword)});
    return out;
  }

  std::optional<Number> number(const Node& value, std::string_view keyword) {
    if (!value.is_number()) {
      keyword_error(value, "'" + std::string(keyword) + "' must be a number");
      return std::nullopt;
    }
    return parse_number(value.scalar);
  }

  std::optional<std::uint64_t> count(const Node& value, std::string_view keyword) {
    std::optional<Number> n;
    if (value.is_number()) n = parse_number(value.scalar);
    bool ok = n && !(n->kind == Number::Kind::int64 && n->i < 0) &&
              !(n->kind == Number::Kind::real && (std::isnan(n->d) || n->d < 0 ||
                                                  std::floor(n->d) != n->d));
    if (!ok) {
      keyword_error(value, "'" + std::string(keyword) + "' must be a non-negative integer");
      return std::nullopt;
    }
    if (n->kind == Number::Kind::int64) return static_cast<std::uint64_t>(n->i);
    if (n->kind == Number::Kind::uint64) return n->u;
    return std::numeric_limits<std::uint64_t>::max();  // beyond 2^64: never reached
  }

  std::optional<std::vector<std::string>> string_array(const Node& value, std::string_view keyword) {
    if (!value.is_seq()) {
      keyword_error(value, "'" + std::string(keyword) + "' must be an array of strings");
      return std::nullopt;
    }
    std::vector<std::string> out;
    for (const auto& item : value.children) {
      if (!item.is_scalar() || (!item.quoted && !item.is_string())) {
        keyword_error(item, "'" + std::string(keyword) + "' must be an array of strings");
        return std::nullopt;
      }
      if (std::find(out.begin(), out.end(), item.scalar) == out.end()) out.push_back(item.scalar);
    }
    return out;
  }

  bool is_string_node(const Node& n) const { return n.is_scalar() && (n.quoted || n.is_string()); }

  // -- one schema --

  void process(SchemaId id) {
    const Node& n = *nodes[id];
    Schema s = std::move(set.schemas[id]);
    if (n.is_bool()) {
      s.always = n.as_bool();
      set.schemas[id] = std::move(s);
      return;
    }
    if (!n.is_map()) {
      if (ignored.count(&n) == 0)
        diags.error("E-SCHEMA-INVALID", "a schema must be an object or a boolean", n.location,
                    n.pointer);
      s.always = true;
      set.schemas[id] = std::move(s);
      return;
    }
    const spec::SchemaPlace* place = index.place(n);
    spec::SchemaResource resource =
        place != nullptr ? index.resources()[place->resource] : spec::SchemaResource{};
    const spec::Vocabularies& vocab = resource.vocabularies;
    const spec::Dialect dialect = resource.dialect;
    const bool oas30 = dialect == spec::Dialect::oas30;
    const bool older = dialect == spec::Dialect::draft2019_09;

    if (const Node* ref = n.get("$ref")) {
      if (const Node* target = index.resolve_ref(n, *ref)) s.ref = intern(*target, nullptr);
      if (oas30) {  // 3.0: a Reference Object replaces the whole schema
        set.schemas[id] = std::move(s);
        return;
      }
    }
    if (const Node* ref = n.get("$dynamicRef"); ref != nullptr && !older) {
      if (auto target = index.resolve_dynamic_ref(n, *ref)) {
        s.dynamic_ref = intern(*target->initial, nullptr);
        if (target->dynamic) {
          s.dynamic_anchor = target->anchor;
          set.dynamic_scope = true;
          dynamic_names.insert(target->anchor);
        }
      }
    }
    if (const Node* ref = n.get("$recursiveRef"); ref != nullptr && older)
      diags.warning("W-SCHEMA-UNSUPPORTED",
                    "$recursiveRef (draft 2019-09) is not supported; it is ignored", ref->location,
                    ref->pointer);

    if (vocab.applicator) read_applicators(n, s, older);
    if (vocab.unevaluated) {
      if (const Node* v = n.get("unevaluatedItems"))
        s.unevaluated_items = subschema(*v, n, "unevaluatedItems");
      if (const Node* v = n.get("unevaluatedProperties"))
        s.unevaluated_properties = subschema(*v, n, "unevaluatedProperties");
    }
    if (vocab.validation) read_validation(n, s, oas30);
    if (const Node* f = n.get("format"); f != nullptr && vocab.format_assertion) {
      if (!is_string_node(*f)) {
        keyword_error(*f, "'format' must be a string");
      } else if (options.known_format && !options.known_format(f->scalar)) {
        // OpenAPI's own formats (int32, byte, ...) describe representation;
        // keel does not assert them and says so once, in docs/validation.md.
        if (!is_openapi_format(f->scalar))
          diags.warning("W-SCHEMA-FORMAT-UNKNOWN",
                      "format '" + f->scalar + "' is not known to keel; it is not checked",
                      f->location, f->pointer);
      } else {
        s.format = f->scalar;
      }
    }
    read_openapi_keywords(n, s, id);
    set.schemas[id] = std::move(s);
  }

  // -- OpenAPI dialect --

  /// A discriminator as written; matched to its branches in finish(), once
  /// every branch's `$ref` is known.
  struct PendingDiscriminator {
    SchemaId schema = no_schema;
    const Node* node = nullptr;
    std::string property;
    struct Target {
      std::string value;
      const Node* schema;
      const Node* where;  ///< the mapping value, for diagnostics
    };
    std::vector<Target> mapping;
    std::vector<std::string> mapped_values;  ///< every `mapping` key, resolved or not
  };
  std::vector<PendingDiscriminator> discriminators;
  std::unordered_map<const Node*, std::string> component_names;

  void discriminator_warning(const Node& where, const std::string& message) {
    diags.warning("W-SCHEMA-DISCRIMINATOR", message, where.location, where.pointer);
  }

  /// components/schemas/<name> of the root OpenAPI document, if any.
  const Node* component(const std::string& name) const {
    if (!openapi_registered) return nullptr;
    const Node* components = ws.root().get("components");
    const Node* schemas = components != nullptr ? components->get("schemas") : nullptr;
    return schemas != nullptr && schemas->is_map() ? schemas->get(name) : nullptr;
  }

  void read_openapi_keywords(const Node& n, Schema& s, SchemaId id) {
    auto flag = [&](const char* keyword, bool& out) {
      const Node* v = n.get(keyword);
      if (v == nullptr) return;
      if (v->is_bool())
        out = v->as_bool();
      else  // a misspelt "true" must not let read-only data through unnoticed
        keyword_error(*v, "'" + std::string(keyword) + "' must be a boolean");
    };
    flag("readOnly", s.read_only);
    flag("writeOnly", s.write_only);

    // Only next to oneOf/anyOf: on an allOf base schema a discriminator
    // would switch validation to another schema, which would change the
    // outcome JSON Schema gives, so there it stays an annotation.
    const Node* d = n.get("discriminator");
    if (d == nullptr || (s.one_of.empty() && s.any_of.empty())) return;
    const Node* property = d->is_map() ? d->get("propertyName") : nullptr;
    if (property == nullptr || !is_string_node(*property)) {
      discriminator_warning(*d, "a discriminator needs a 'propertyName' string; it is ignored");
      return;
    }
    PendingDiscriminator pending;
    pending.schema = id;
    pending.node = d;
    pending.property = property->scalar;
    if (const Node* mapping = d->get("mapping")) {
      if (!mapping->is_map()) {
        discriminator_warning(*mapping, "a discriminator 'mapping' must be an object of schema "
                                        "names or references; it is ignored");
      } else {
        for (std::size_t i = 0; i < mapping->keys.size(); ++i) {
          const Node& target = mapping->children[i];
          pending.mapped_values.push_back(mapping->keys[i]);
          if (!is_string_node(target)) {
            discriminator_warning(target, "a discriminator mapping value must be a schema name or "
                                          "reference; '" + mapping->keys[i] + "' is ignored");
            continue;
          }
          // A component name wins; anything else is a URI reference, resolved
          // (and diagnosed when it names nothing) exactly like a `$ref`.
          const Node* schema = component(target.scalar);
          if (schema == nullptr) schema = index.resolve_ref(n, target);
          if (schema != nullptr) pending.mapping.push_back({mapping->keys[i], schema, &target});
        }
      }
    }
    discriminators.push_back(std::move(pending));
  }

  /// The nodes a branch stands for: itself and the targets of its `$ref` chain.
  std::vector<const Node*> branch_chain(SchemaId branch) const {
    std::vector<const Node*> out;
    for (SchemaId t = branch; t != no_schema && out.size() < 64; t = set.schemas[t].ref)
      out.push_back(nodes[t]);
    return out;
  }

  void match_discriminators() {
    if (openapi_registered && component_names.empty()) {
      const Node* components = ws.root().get("components");
      const Node* schemas = components != nullptr ? components->get("schemas") : nullptr;
      if (schemas != nullptr && schemas->is_map())
        for (std::size_t i = 0; i < schemas->keys.size(); ++i)
          component_names.emplace(&schemas->children[i], schemas->keys[i]);
    }
    for (const auto& pending : discriminators) {
      Schema& s = set.schemas[pending.schema];
      Discriminator d;
      d.property = pending.property;
      d.one_of = !s.one_of.empty();
      const std::vector<SchemaId>& branches = d.one_of ? s.one_of : s.any_of;
      const char* combinator = d.one_of ? "oneOf" : "anyOf";
      std::vector<std::vector<const Node*>> chains;
      for (SchemaId b : branches) chains.push_back(branch_chain(b));
      auto add = [&](const std::string& value, std::size_t branch) {
        for (const auto& v : d.values)
          if (v.value == value) return;
        d.values.push_back({value, branch});
      };
      for (const auto& m : pending.mapping) {
        std::size_t k = 0;
        while (k < chains.size() &&
               std::find(chains[k].begin(), chains[k].end(), m.schema) == chains[k].end())
          ++k;
        if (k == chains.size()) {
          discriminator_warning(*m.where, "discriminator mapping '" + m.value +
                                              "' names a schema that is not one of the " +
                                              combinator + " branches; that value selects none");
          continue;
        }
        add(m.value, k);
      }
      // Implicit mapping: a branch that references a component is selected
      // by the component's name, unless `mapping` uses that value already.
      for (std::size_t k = 0; k < chains.size(); ++k) {
        for (const Node* node : chains[k]) {
          auto found = component_names.find(node);
          if (found == component_names.end()) continue;
          const std::string& name = found->second;
          if (std::find(pending.mapped_values.begin(), pending.mapped_values.end(), name) ==
              pending.mapped_values.end())
            add(name, k);
          break;
        }
      }
      if (d.values.empty()) {
        discriminator_warning(*pending.node,
                              std::string("the discriminator selects no branch (no mapping, and no ") +
                                  combinator +
                                  " branch references a component schema); errors are reported as "
                                  "without it");
        continue;
      }
      s.discriminator = std::move(d);
    }
  }

  void read_applicators(const Node& n, Schema& s, bool older) {
    if (const Node* v = n.get("allOf")) s.all_of = schema_array(*v, n, "allOf");
    if (const Node* v = n.get("anyOf")) s.any_of = schema_array(*v, n, "anyOf");
    if (const Node* v = n.get("oneOf")) s.one_of = schema_array(*v, n, "oneOf");
    if (const Node* v = n.get("not")) s.not_ = subschema(*v, n, "not");
    if (const Node* v = n.get("if")) {
      s.if_ = subschema(*v, n, "if");
      if (const Node* t = n.get("then")) s.then_ = subschema(*t, n, "then");
      if (const Node* e = n.get("else")) s.else_ = subschema(*e, n, "else");
    }
    if (const Node* v = n.get("dependentSchemas"))
      s.dependent_schemas = schema_map(*v, n, "dependentSchemas");
    if (const Node* v = n.get("dependencies"); v != nullptr && v->is_map()) {
      // Pre-2019 form, still honoured: arrays are dependentRequired, the rest dependentSchemas.
      for (std::size_t i = 0; i < v->keys.size(); ++i) {
        const Node& dep = v->children[i];
        if (dep.is_seq()) {
          if (auto names = string_array(dep, "dependencies"))
            s.dependent_required.push_back({v->keys[i], *names});
        } else {
          s.dependent_schemas.push_back({v->keys[i], subschema(dep, n, "dependencies")});
        }
      }
    }
    if (older) {
      if (const Node* v = n.get("items")) {
        if (v->is_seq()) {
          s.prefix_items = schema_array(*v, n, "items");
          if (const Node* a = n.get("additionalItems")) s.items = subschema(*a, n, "additionalItems");
        } else {
          s.items = subschema(*v, n, "items");
        }
      }
    } else {
      if (const Node* v = n.get("prefixItems")) s.prefix_items = schema_array(*v, n, "prefixItems");
      if (const Node* v = n.get("items")) s.items = subschema(*v, n, "items");
    }
    if (const Node* v = n.get("contains")) s.contains = subschema(*v, n, "contains");
    if (const Node* v = n.get("properties")) s.properties = schema_map(*v, n, "properties");
    if (const Node* v = n.get("patternProperties")) {
      auto schemas = schema_map(*v, n, "patternProperties");
      for (std::size_t i = 0; i < schemas.size(); ++i) {
        s.pattern_properties.push_back(
            {checked_pattern(schemas[i].name, v->key_locations[i], *v), schemas[i].schema});
      }
    }
    if (const Node* v = n.get("additionalProperties"))
      s.additional_properties = subschema(*v, n, "additionalProperties");
    if (const Node* v = n.get("propertyNames")) s.property_names = subschema(*v, n, "propertyNames");
  }

  /// The pattern to run: `pattern` itself, or in an OpenAPI document its
  /// reading without the identity escapes ECMA-262 allows outside Unicode
  /// mode (`\:`, `\@`), which published documents often have.
  std::string checked_pattern(const std::string& pattern, const Location& where, const Node& holder) {
    std::string error;
    if (!options.check_pattern || options.check_pattern(pattern, &error)) return pattern;
    if (openapi_registered) {
      std::string plain = without_identity_escapes(pattern);
      if (plain != pattern && options.check_pattern(plain, nullptr)) {
        diags.warning("W-SCHEMA-PATTERN-ESCAPE",
                      "'" + pattern + "' escapes characters that need no escape, which ECMA-262's "
                      "Unicode mode forbids; read as '" + plain + "'",
                      where, holder.pointer);
        return plain;
      }
    }
    diags.error("E-SCHEMA-PATTERN",
                "'" + pattern + "' is not a valid ECMA-262 regular expression" +
                    (error.empty() ? "" : ": " + error),
                where, holder.pointer);
    return pattern;
  }

  /// `\c` -> `c` for ASCII punctuation that is not regex syntax.
  static std::string without_identity_escapes(const std::string& pattern) {
    static constexpr std::string_view syntax = "^$\\.*+?()[]{}|/-";
    std::string out;
    for (std::size_t i = 0; i < pattern.size(); ++i) {
      char c = pattern[i];
      if (c == '\\' && i + 1 < pattern.size()) {
        char next = pattern[i + 1];
        bool punct = std::ispunct(static_cast<unsigned char>(next)) != 0;
        if (!punct || syntax.find(next) != std::string_view::npos) out += c;
        out += next;
        ++i;
        continue;
      }
      out += c;
    }
    return out;
  }

  void read_validation(const Node& n, Schema& s, bool oas30) {
    if (const Node* v = n.get("type")) {
      unsigned bits = 0;
      bool ok = true;
      auto add = [&](const Node& name) {
        auto bit = is_string_node(name) ? type_bit(name.scalar) : std::nullopt;
        if (!bit) {
          keyword_error(name, "'type' must name JSON types (null, boolean, object, array, "
                              "number, string, integer)");
          ok = false;
          return;
        }
        bits |= *bit;
      };
      if (v->is_seq()) {
        for (const auto& item : v->children) add(item);
      } else {
        add(*v);
      }
      if (ok) s.type = bits;
    }
    if (oas30) {
      if (const Node* v = n.get("nullable"); v != nullptr && v->is_bool() && v->as_bool() && s.type)
        *s.type |= type_null;
    }
    if (const Node* v = n.get("const")) s.const_ = to_value(*v);
    if (const Node* v = n.get("default")) s.default_ = to_value(*v);
    if (const Node* v = n.get("enum")) {
      if (!v->is_seq()) {
        keyword_error(*v, "'enum' must be an array");
      } else {
        std::vector<Value> values;
        for (const auto& item : v->children) values.push_back(to_value(item));
        if (oas30) {
          if (const Node* nl = n.get("nullable"); nl != nullptr && nl->is_bool() && nl->as_bool())
            values.push_back(Value{});
        }
        s.enum_ = std::move(values);
      }
    }
    if (const Node* v = n.get("multipleOf")) {
      if (auto num = number(*v, "multipleOf")) {
        if (!(num->d > 0))
          keyword_error(*v, "'multipleOf' must be greater than 0");
        else
          s.multiple_of = num;
      }
    }
    if (const Node* v = n.get("maximum")) s.maximum = number(*v, "maximum");
    if (const Node* v = n.get("minimum")) s.minimum = number(*v, "minimum");
    if (const Node* v = n.get("exclusiveMaximum")) {
      // 3.1 documents that use 3.0's boolean form (the checker warns): its intent is clear.
      if (v->is_bool() && (oas30 || openapi_registered)) {
        if (v->as_bool()) std::swap(s.exclusive_maximum, s.maximum);
      } else {
        s.exclusive_maximum = number(*v, "exclusiveMaximum");
      }
    }
    if (const Node* v = n.get("exclusiveMinimum")) {
      if (v->is_bool() && (oas30 || openapi_registered)) {
        if (v->as_bool()) std::swap(s.exclusive_minimum, s.minimum);
      } else {
        s.exclusive_minimum = number(*v, "exclusiveMinimum");
      }
    }
    if (const Node* v = n.get("maxLength")) s.max_length = count(*v, "maxLength");
    if (const Node* v = n.get("minLength")) s.min_length = count(*v, "minLength");
    if (const Node* v = n.get("pattern")) {
      if (!is_string_node(*v)) {
        keyword_error(*v, "'pattern' must be a string");
      } else {
        s.pattern = checked_pattern(v->scalar, v->location, *v);
      }
    }
    if (const Node* v = n.get("maxItems")) s.max_items = count(*v, "maxItems");
    if (const Node* v = n.get("minItems")) s.min_items = count(*v, "minItems");
    if (const Node* v = n.get("uniqueItems")) {
      if (!v->is_bool())
        keyword_error(*v, "'uniqueItems' must be a boolean");
      else
        s.unique_items = v->as_bool();
    }
    if (s.contains != no_schema) {
      if (const Node* v = n.get("maxContains")) s.max_contains = count(*v, "maxContains");
      if (const Node* v = n.get("minContains")) s.min_contains = count(*v, "minContains");
    }
    if (const Node* v = n.get("maxProperties")) s.max_properties = count(*v, "maxProperties");
    if (const Node* v = n.get("minProperties")) s.min_properties = count(*v, "minProperties");
    if (const Node* v = n.get("required")) {
      if (auto names = string_array(*v, "required")) s.required = *names;
    }
    if (const Node* v = n.get("dependentRequired")) {
      if (!v->is_map()) {
        keyword_error(*v, "'dependentRequired' must be an object of string arrays");
      } else {
        for (std::size_t i = 0; i < v->keys.size(); ++i)
          if (auto names = string_array(v->children[i], "dependentRequired"))
            s.dependent_required.push_back({v->keys[i], *names});
      }
    }
  }

  // -- whole set --

  void drain() {
    while (!queue.empty()) {
      SchemaId id = queue.front();
      queue.pop_front();
      process(id);
    }
  }

  /// A dynamic reference may land on the `$dynamicAnchor` of any resource
  /// the evaluation has entered; every such anchor needs a function.
  void add_dynamic_targets() {
    bool changed = true;
    while (changed) {
      drain();
      changed = false;
      std::set<std::uint32_t> entered;
      for (const auto& schema : set.schemas) entered.insert(schema.resource);
      for (std::uint32_t r : entered) {
        for (const auto& [name, node] : index.resources()[r].dynamic_anchors) {
          if (dynamic_names.count(name) == 0 || ids.count(node) != 0) continue;
          intern(*node, nullptr);
          changed = true;
        }
      }
    }
  }

  void check_loops() {
    // In-place edges only: a cycle there re-evaluates the same instance
    // forever ({"$ref": "#"}); one through a property or item is recursion.
    std::vector<std::vector<SchemaId>> edges(set.schemas.size());
    for (SchemaId id = 0; id < edges.size(); ++id) {
      const Schema& s = set.schemas[id];
      auto add = [&](SchemaId t) {
        if (t != no_schema) edges[id].push_back(t);
      };
      add(s.ref);
      for (SchemaId t : s.all_of) add(t);
      for (SchemaId t : s.any_of) add(t);
      for (SchemaId t : s.one_of) add(t);
      add(s.not_);
      add(s.if_);
      add(s.then_);
      add(s.else_);
      for (const auto& d : s.dependent_schemas) add(d.schema);
    }
    for (auto& loop : cyclic_components(edges)) report_loop(std::move(loop));
  }

  void report_loop(std::vector<SchemaId> members) {
    std::sort(members.begin(), members.end());
    std::string text;
    for (std::size_t i = 0; i < members.size() && i < 6; ++i)
      text += (i > 0 ? ", " : "") + set.schemas[members[i]].location;
    if (members.size() > 6) text += ", ...";
    const Schema& first = set.schemas[members.front()];
    diags.error("E-SCHEMA-LOOP",
                "schemas apply each other to the same value in a loop that never ends (" + text +
                    "); a $ref/allOf/anyOf/oneOf/not/if cycle must pass through a property or "
                    "item",
                first.source, nodes[members.front()]->pointer);
  }
};

SchemaSetBuilder::SchemaSetBuilder(spec::Workspace& ws, Diagnostics& diags,
                                   SchemaBuildOptions options)
    : impl_(std::make_unique<Impl>(ws, diags, std::move(options))) {}

SchemaSetBuilder::~SchemaSetBuilder() = default;

std::optional<SchemaId> SchemaSetBuilder::add_schema_file(const std::string& path,
                                                          const std::string& name) {
  const Node* root =
      impl_->ws.load_referenced(path, Location{"<command line>", 1, 1}, "", impl_->diags);
  if (root == nullptr) return std::nullopt;
  std::error_code ec;
  fs::path absolute = fs::absolute(path, ec);
  std::string uri = spec::file_uri(fs::path(absolute).lexically_normal().generic_string());
  if (impl_->set.source.empty()) impl_->set.source = fs::path(path).filename().string();
  return add_schema_node(*root, uri, "", name);
}

std::optional<SchemaId> SchemaSetBuilder::add_schema_node(const Node& root,
                                                          const std::string& base_uri,
                                                          const std::string& display,
                                                          const std::string& name) {
  impl_->index.add_schema_document(root, base_uri, display);
  SchemaId id = impl_->intern(root, nullptr);
  if (id == no_schema) return std::nullopt;
  impl_->set.roots.push_back({name, id});
  return id;
}

bool SchemaSetBuilder::add_openapi_components() {
  Impl& d = *impl_;
  d.register_openapi();
  const Node& root = d.ws.root();
  const Node* components = root.get("components");
  const Node* schemas = components != nullptr ? components->get("schemas") : nullptr;
  if (schemas == nullptr || !schemas->is_map()) return !d.diags.has_errors();
  for (std::size_t i = 0; i < schemas->keys.size(); ++i) {
    SchemaId id = d.intern(schemas->children[i], schemas);
    if (id != no_schema) d.set.roots.push_back({schemas->keys[i], id});
  }
  return !d.diags.has_errors();
}

std::optional<SchemaId> SchemaSetBuilder::add_openapi_schema(const std::string& pointer,
                                                             const std::string& name) {
  return impl_->add_openapi_root("#" + pointer, impl_->ws.root().location, pointer, name);
}

std::optional<SchemaId> SchemaSetBuilder::add_openapi_schema(const Node& schema,
                                                             const std::string& name) {
  std::string target = "#" + schema.pointer;
  if (schema.location.file != impl_->ws.root_file()) {
    std::error_code ec;
    fs::path absolute = fs::absolute(schema.location.file, ec);
    target = spec::file_uri(absolute.lexically_normal().generic_string()) + target;
  }
  return impl_->add_openapi_root(target, schema.location, schema.pointer, name);
}

std::size_t SchemaSetBuilder::root_count() const { return impl_->set.roots.size(); }

std::optional<SchemaSet> SchemaSetBuilder::finish() {
  Impl& d = *impl_;
  d.add_dynamic_targets();
  d.match_discriminators();
  // Resources, with the dynamic anchors validators can reach.
  const auto& resources = d.index.resources();
  d.set.resources.clear();
  for (const auto& r : resources) {
    SchemaResourceInfo info;
    info.uri = r.uri;
    for (const auto& [name, node] : r.dynamic_anchors) {
      auto found = d.ids.find(node);
      if (found != d.ids.end() && d.dynamic_names.count(name) != 0)
        info.dynamic_anchors.push_back({name, found->second});
    }
    d.set.resources.push_back(std::move(info));
  }
  d.check_loops();
  if (d.diags.has_errors()) return std::nullopt;
  return d.set;
}

}  // namespace keel::gen::ir
