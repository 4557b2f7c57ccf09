#include "ir/build.h"

#include "ir/naming.h"

#include <keel/json_type.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <array>
#include <charconv>
#include <map>

namespace keel::gen::ir {
namespace {

using spec::Node;
using Json = nlohmann::ordered_json;

constexpr std::array<std::string_view, 8> kMethods = {"get",     "put",  "post",  "delete",
                                                      "options", "head", "patch", "trace"};

bool is_http_method(std::string_view key) {
  return std::find(kMethods.begin(), kMethods.end(), key) != kMethods.end();
}

std::string upper(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::toupper(static_cast<unsigned char>(c)));
  return s;
}

std::optional<std::uint64_t> to_count(const Node* n) {
  if (!n || !n->is_number()) return std::nullopt;
  std::uint64_t v = 0;
  auto [p, ec] = std::from_chars(n->scalar.data(), n->scalar.data() + n->scalar.size(), v);
  if (ec != std::errc() || p != n->scalar.data() + n->scalar.size()) return std::nullopt;
  return v;
}

bool is_json_media(std::string_view name) {
  auto semi = name.find(';');
  std::string base(name.substr(0, semi));
  while (!base.empty() && base.back() == ' ') base.pop_back();
  for (auto& c : base) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return base == "application/json" || (base.size() > 5 && base.ends_with("+json"));
}

// Keywords the scalar parameter decoder checks itself, and annotations.
// A parameter schema with any other keyword also goes through its validator.
bool scalar_decoder_covers(std::string_view keyword) {
  static constexpr std::array<std::string_view, 19> covered = {
      "type",     "format",     "enum",       "minimum",          "maximum",
      "exclusiveMinimum", "exclusiveMaximum", "minLength", "maxLength", "default",
      "title",    "description", "example",   "examples",         "deprecated",
      "readOnly", "writeOnly",  "$comment",   "nullable"};
  return keyword.rfind("x-", 0) == 0 ||
         std::find(covered.begin(), covered.end(), keyword) != covered.end();
}

Json to_json(const Node& node);

// A schema's `default` as JSON text, if it has one.
std::optional<std::string> default_of(const Node* schema) {
  const Node* d = schema && schema->is_map() ? schema->get("default") : nullptr;
  if (!d) return std::nullopt;
  return to_json(*d).dump();
}

std::string media_essence(std::string_view name) {
  std::string base(name.substr(0, name.find(';')));
  while (!base.empty() && base.back() == ' ') base.pop_back();
  for (auto& c : base) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return base;
}

MediaType::Form form_kind(std::string_view name) {
  std::string base = media_essence(name);
  if (base == "application/x-www-form-urlencoded") return MediaType::Form::urlencoded;
  if (base == "multipart/form-data") return MediaType::Form::multipart;
  return MediaType::Form::none;
}

constexpr unsigned kLeafTypes =
    keel::type_null | keel::type_boolean | keel::type_number | keel::type_string | keel::type_integer;

unsigned type_bit(std::string_view name) {
  if (name == "null") return keel::type_null;
  if (name == "boolean") return keel::type_boolean;
  if (name == "object") return keel::type_object;
  if (name == "array") return keel::type_array;
  if (name == "number") return keel::type_number;
  if (name == "string") return keel::type_string;
  if (name == "integer") return keel::type_integer;
  return 0;
}

class Builder {
public:
  Builder(spec::Workspace& ws, Diagnostics& diags, const SchemaBuildOptions& schema_options)
      : ws_(ws), diags_(diags), schemas_(ws, diags, schema_options) {}

  std::optional<Api> run() {
    const Node& root = ws_.root();
    Api api;
    // Component schemas come first, so their validators keep their names.
    schemas_.add_openapi_components();
    api.openapi = root.get_string("openapi");
    if (const Node* info = root.get("info")) {
      api.title = info->get_string("title");
      api.version = info->get_string("version");
    }
    api.spec_file = root.location.file.substr(root.location.file.find_last_of('/') + 1);
    api.spec_json = to_json_text(root);
    if (const Node* security = root.get("security")) default_security_ = read_security(*security);

    if (const Node* paths = root.get("paths"); paths && paths->is_map()) {
      for (std::size_t i = 0; i < paths->keys.size(); ++i) {
        const Node* item = ws_.resolve(paths->children[i], diags_);
        if (item && item->is_map()) read_path_item(paths->keys[i], *item, api);
      }
    }
    if (diags_.has_errors()) return std::nullopt;
    auto schemas = schemas_.finish();
    if (!schemas) return std::nullopt;
    api.schemas = std::move(*schemas);
    api.models = build_models(api.schemas);
    return api;
  }

private:
  void read_path_item(const std::string& path, const Node& item, Api& api) {
    std::vector<Parameter> shared;
    if (const Node* params = item.get("parameters")) read_parameters(*params, shared);
    for (std::size_t i = 0; i < item.keys.size(); ++i) {
      if (!is_http_method(item.keys[i])) continue;
      const Node* op = ws_.resolve(item.children[i], diags_);
      if (op && op->is_map()) api.operations.push_back(read_operation(path, item.keys[i], *op, shared));
    }
  }

  bool read_execution(const Node& node) {
    if (node.is_string() && node.scalar == "event-loop") return true;
    if (node.is_string() && node.scalar == "pool") return false;
    diags_.error("E-KEEL-EXECUTION", "x-keel-execution must be \"pool\" (the default) or \"event-loop\"",
                 node.location, node.pointer);
    return false;
  }

  bool read_unknown_query(const Node& node) {
    if (node.is_string() && node.scalar == "reject") return true;
    if (node.is_string() && node.scalar == "allow") return false;
    diags_.error("E-KEEL-UNKNOWN-QUERY",
                 "x-keel-unknown-query must be \"allow\" (the default) or \"reject\"", node.location,
                 node.pointer);
    return false;
  }

  Operation read_operation(const std::string& path, const std::string& method, const Node& node,
                           const std::vector<Parameter>& shared) {
    Operation op;
    op.method = upper(method);
    op.path = path;
    op.source = node.location;
    op.operation_id = node.get_string("operationId");
    op.summary = node.get_string("summary");
    if (const Node* d = node.get("deprecated")) op.deprecated = d->is_bool() && d->as_bool();
    if (const Node* e = node.get("x-keel-execution")) op.on_event_loop = read_execution(*e);
    if (const Node* u = node.get("x-keel-unknown-query")) op.reject_unknown_query = read_unknown_query(*u);
    std::string base_name = op.operation_id.empty() ? method + " " + path : op.operation_id;
    op.method_name = method_names_.claim(snake_case(base_name));
    op.request_type = type_names_.claim(pascal_case(base_name) + "Request");
    op.response_type = type_names_.claim(pascal_case(base_name) + "Response");

    std::vector<Parameter> own;
    if (const Node* params = node.get("parameters")) read_parameters(*params, own);
    // Operation-level parameters override path-level ones with the same name and location.
    for (const auto& p : shared) {
      bool overridden = std::any_of(own.begin(), own.end(), [&](const Parameter& o) {
        return o.name == p.name && o.in == p.in;
      });
      if (!overridden) op.parameters.push_back(p);
    }
    op.parameters.insert(op.parameters.end(), own.begin(), own.end());

    // The request struct's members share one scope. The body's members are
    // named first and keep their fixed names; a parameter whose name is
    // taken gets its location appended (`payload_query`, `id_header`).
    NameScope fields;
    if (const Node* body = node.get("requestBody")) {
      if (const Node* rb = ws_.resolve(*body, diags_); rb && rb->is_map()) {
        RequestBody out;
        if (const Node* r = rb->get("required")) out.required = r->is_bool() && r->as_bool();
        if (const Node* content = rb->get("content"))
          out.content = read_content(*content, pascal_case(base_name) + "Body", true);
        fields.claim("body");  // keel::Body body: the bytes, media type and files
        out.payload_member = fields.claim("payload");
        if (out.content.size() > 1)
          for (auto& m : out.content) m.payload_member = fields.claim("payload_" + media_word(m.name));
        op.body = std::move(out);
      }
    }
    for (auto& p : op.parameters) p.field_name = fields.claim(snake_case(p.name), location_name(p.in));
    if (const Node* responses = node.get("responses"); responses && responses->is_map()) {
      for (std::size_t i = 0; i < responses->keys.size(); ++i) {
        const Node* r = ws_.resolve(responses->children[i], diags_);
        if (!r || !r->is_map()) continue;
        Response out;
        out.status = responses->keys[i];
        out.description = r->get_string("description");
        if (const Node* content = r->get("content"))
          out.content = read_content(*content, pascal_case(base_name) + "Response" + out.status);
        if (const Node* headers = r->get("headers")) out.headers = read_response_headers(*headers);
        op.responses.push_back(std::move(out));
      }
    }
    if (const Node* security = node.get("security")) op.security = read_security(*security);
    else op.security = default_security_;
    return op;
  }

  /// The headers of a response that a handler sets (libkeel sets the
  /// correlation id, rate-limit and deprecation headers itself).
  std::vector<ResponseHeader> read_response_headers(const Node& headers) {
    static constexpr std::string_view runtime_owned[] = {"x-request-id",        "ratelimit-limit",
                                                         "ratelimit-remaining", "ratelimit-reset",
                                                         "retry-after",         "deprecation",
                                                         "sunset",              "content-type"};
    std::vector<ResponseHeader> out;
    if (!headers.is_map()) return out;
    NameScope members;
    for (std::size_t i = 0; i < headers.keys.size(); ++i) {
      std::string lower;
      for (char c : headers.keys[i]) lower += static_cast<char>(c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c);
      if (std::find(std::begin(runtime_owned), std::end(runtime_owned), lower) != std::end(runtime_owned))
        continue;
      const Node* h = resolved_map(&headers.children[i]);
      if (!h) continue;
      ResponseHeader header;
      header.name = headers.keys[i];
      header.description = h->get_string("description");
      if (const Node* r = h->get("required")) header.required = r->is_bool() && r->as_bool();
      if (const Node* s = resolved_map(h->get("schema"))) {
        if (const Node* t = s->get("type"); t && t->is_scalar()) {
          if (t->scalar == "integer") header.type = ScalarType::integer;
          else if (t->scalar == "number") header.type = ScalarType::number;
          else if (t->scalar == "boolean") header.type = ScalarType::boolean;
        }
      }
      header.member = members.claim(snake_case(header.name));
      out.push_back(std::move(header));
    }
    return out;
  }

  /// The media types of `content`; with a `validator_name`, each JSON one
  /// (and, in a request, each form one) with a schema gets a validator
  /// named so, plus the media type when several JSON types have one (form
  /// types always add it, so that adding one never renames the JSON
  /// validator). Request bodies of other media types keep the schema's
  /// byte-length bounds.
  std::vector<MediaType> read_content(const Node& content, const std::string& validator_name,
                                      bool request = false) {
    std::vector<MediaType> out;
    if (!content.is_map()) return out;
    std::size_t json_types = 0;
    for (const auto& name : content.keys) json_types += is_json_media(name) ? 1 : 0;
    for (std::size_t i = 0; i < content.keys.size(); ++i) {
      MediaType media;
      media.name = content.keys[i];
      media.json = is_json_media(media.name);
      if (request) media.form = form_kind(media.name);
      const Node& media_node = content.children[i];
      const Node* schema = media_node.get("schema");
      bool suffixed = media.form != MediaType::Form::none || json_types > 1;
      if ((media.json || media.form != MediaType::Form::none) && schema != nullptr && !validator_name.empty())
        media.validator = add_validator(*schema, suffixed ? validator_name + " " + media.name : validator_name);
      if (media.form != MediaType::Form::none) read_form_fields(media, schema, media_node.get("encoding"));
      if (request && !media.json && media.form == MediaType::Form::none && schema != nullptr) {
        if (const Node* s = ws_.resolve(*schema, diags_); s && s->is_map()) {
          media.min_length = to_count(s->get("minLength"));
          media.max_length = to_count(s->get("maxLength"));
        }
      }
      out.push_back(std::move(media));
    }
    return out;
  }

  const Node* resolved_map(const Node* ref) {
    const Node* n = ref ? ws_.resolve(*ref, diags_) : nullptr;
    return n && n->is_map() ? n : nullptr;
  }

  /// The schema and its `allOf` members, through `$ref`s: every one of them
  /// holds for a valid value. Each schema once, so a `$ref` cycle ends.
  std::vector<const Node*> conjuncts(const Node* schema_ref) {
    std::vector<const Node*> out;
    std::vector<const Node*> todo{schema_ref};
    while (!todo.empty() && out.size() < kMaxConjuncts) {
      const Node* s = resolved_map(todo.back());
      todo.pop_back();
      if (!s || std::find(out.begin(), out.end(), s) != out.end()) continue;
      out.push_back(s);
      if (const Node* all = s->get("allOf"); all && all->is_seq())
        for (auto it = all->children.rbegin(); it != all->children.rend(); ++it) todo.push_back(&*it);
    }
    return out;
  }
  static constexpr std::size_t kMaxConjuncts = 64;

  /// JSON type bits of one schema's own `type` (3.0 `nullable` adds null); 0 without one.
  static unsigned own_type_bits(const Node& s) {
    unsigned bits = 0;
    if (const Node* t = s.get("type"); t && t->is_scalar()) bits = type_bit(t->scalar);
    else if (t && t->is_seq())
      for (const auto& item : t->children) bits |= type_bit(item.scalar);
    if (const Node* n = s.get("nullable"); bits != 0 && n && n->is_bool() && n->as_bool())
      bits |= keel::type_null;
    return bits;
  }

  /// The JSON types a schema allows by `type`, across its allOf members
  /// (their intersection); 0 when none of them says.
  unsigned type_bits(const Node* schema_ref) {
    unsigned bits = 0;
    bool said = false;
    for (const Node* s : conjuncts(schema_ref)) {
      unsigned own = own_type_bits(*s);
      if (own == 0) continue;
      bits = said ? bits & own : own;
      said = true;
    }
    return bits;
  }

  /// The types a leaf of this schema may take: strings when it says nothing,
  /// 0 (kept as text, for the validator to refuse) when it wants a container.
  unsigned leaf_types(const Node* schema_ref) {
    unsigned bits = type_bits(schema_ref);
    return bits == 0 ? unsigned{keel::type_string} : bits & kLeafTypes;
  }

  /// How a parameter's text is split and typed. Properties, items and
  /// additionalProperties come from the schema and its allOf members, so a
  /// composed object decodes as its parts say.
  Shape shape_of(const Node* schema_ref) {
    Shape shape;
    const std::vector<const Node*> parts = conjuncts(schema_ref);
    unsigned bits = type_bits(schema_ref);
    auto first_with = [&](const char* keyword) -> const Node* {
      for (const Node* s : parts)
        if (const Node* found = s->get(keyword)) return found;
      return nullptr;
    };
    if (!parts.empty() && (bits & keel::type_object) != 0) {
      shape.kind = Shape::Kind::object;
      for (const Node* s : parts) {
        const Node* props = resolved_map(s->get("properties"));
        if (!props) continue;
        for (std::size_t i = 0; i < props->keys.size(); ++i) {
          const std::string& name = props->keys[i];
          bool listed = std::any_of(shape.properties.begin(), shape.properties.end(),
                                    [&](const auto& p) { return p.first == name; });
          if (!listed) shape.properties.emplace_back(name, leaf_types(&props->children[i]));
        }
      }
      shape.types = additional_types(first_with("additionalProperties"));
    } else if (!parts.empty() && (bits & keel::type_array) != 0) {
      shape.kind = Shape::Kind::array;
      shape.types = leaf_types(first_with("items"));
    } else {
      shape.types = leaf_types(schema_ref);
    }
    return shape;
  }

  /// Leaf types of the properties an object schema does not list, from its
  /// `additionalProperties` (null: not given).
  unsigned additional_types(const Node* additional) {
    if (additional == nullptr) return keel::type_string;
    if (additional->is_bool()) return additional->as_bool() ? unsigned{keel::type_string} : 0u;
    return leaf_types(additional);
  }

  /// A string (or array of strings) schema that says its content is binary.
  bool binary_string(const Node* schema_ref) {
    const Node* s = resolved_map(schema_ref);
    if (!s) return false;
    if ((type_bits(schema_ref) & keel::type_array) != 0) return binary_string(s->get("items"));
    return s->get("contentMediaType") != nullptr || s->get("contentEncoding") != nullptr ||
           s->get_string("format") == "binary";
  }

  void read_form_fields(MediaType& media, const Node* schema_ref, const Node* encoding_ref) {
    const Node* schema = resolved_map(schema_ref);
    const Node* encoding = resolved_map(encoding_ref);
    media.additional_types = additional_types(schema ? schema->get("additionalProperties") : nullptr);
    const Node* props = schema ? resolved_map(schema->get("properties")) : nullptr;
    if (!props) return;
    for (std::size_t i = 0; i < props->keys.size(); ++i) {
      FormField f;
      f.name = props->keys[i];
      const Node* prop = &props->children[i];
      f.shape = shape_of(prop);
      const Node* e = encoding ? resolved_map(encoding->get(f.name)) : nullptr;
      if (e) {
        f.content_type = e->get_string("contentType");
        bool styled = e->get("style") || e->get("explode") || e->get("allowReserved");
        if (!e->get_string("style").empty()) f.style = e->get_string("style");
        const Node* explode = e->get("explode");
        f.explode = explode && explode->is_bool() ? explode->as_bool() : f.style == "form";
        const Node* reserved = e->get("allowReserved");
        f.allow_reserved = reserved && reserved->is_bool() && reserved->as_bool();
        // OAS 3.1 §4.8.15: for urlencoded bodies, style & co. override contentType.
        if (styled && media.form == MediaType::Form::urlencoded) f.content_type.clear();
      }
      if (media.form == MediaType::Form::multipart) {
        bool text = f.content_type.empty() || media_essence(f.content_type) == "text/plain";
        // A string (or strings) whose Encoding names a non-text type holds
        // that type's bytes: a CSV or image upload, not a form value.
        bool strings = f.shape.kind != Shape::Kind::object && (f.shape.types & ~keel::type_null) == keel::type_string;
        f.file = binary_string(prop) || (!text && strings);
      }
      media.fields.push_back(std::move(f));
    }
  }

  /// One validator per schema node, however many parameters share it.
  std::optional<std::uint32_t> add_validator(const Node& schema, const std::string& name) {
    if (auto found = validators_.find(&schema); found != validators_.end()) return found->second;
    auto index = static_cast<std::uint32_t>(schemas_.root_count());
    if (!schemas_.add_openapi_schema(schema, name)) return std::nullopt;
    validators_.emplace(&schema, index);
    return index;
  }

  void read_parameters(const Node& list, std::vector<Parameter>& out) {
    if (!list.is_seq()) return;
    for (const auto& item : list.children) {
      const Node* p = ws_.resolve(item, diags_);
      if (!p || !p->is_map()) continue;
      Parameter param;
      param.name = p->get_string("name");
      std::string in = p->get_string("in");
      if (in == "path") param.in = ParamIn::path;
      else if (in == "query") param.in = ParamIn::query;
      else if (in == "header") param.in = ParamIn::header;
      else if (in == "cookie") param.in = ParamIn::cookie;
      else continue;  // the checker reports it
      if (const Node* r = p->get("required")) param.required = r->is_bool() && r->as_bool();
      if (param.in == ParamIn::path) param.required = true;
      if (const Node* d = p->get("deprecated")) param.deprecated = d->is_bool() && d->as_bool();
      param.description = p->get_string("description");
      param.source = p->location;
      if (param.in == ParamIn::header && (iequal(param.name, "Accept") ||
                                          iequal(param.name, "Content-Type") ||
                                          iequal(param.name, "Authorization"))) {
        continue;  // OAS 3.1: these header parameters are ignored
      }
      read_parameter_schema(*p, param);
      out.push_back(std::move(param));
    }
  }

  static bool iequal(std::string_view a, std::string_view b) {
    return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(), [](char x, char y) {
             return std::tolower(static_cast<unsigned char>(x)) ==
                    std::tolower(static_cast<unsigned char>(y));
           });
  }

  void read_parameter_schema(const Node& p, Parameter& param) {
    std::string style = p.get_string("style");
    bool form_default = param.in == ParamIn::query || param.in == ParamIn::cookie;
    param.style = !style.empty() ? style : form_default ? "form" : "simple";
    const Node* explode = p.get("explode");
    param.explode = explode && explode->is_bool() ? explode->as_bool() : param.style == "form";
    const Node* reserved = p.get("allowReserved");
    param.allow_reserved = reserved && reserved->is_bool() && reserved->as_bool();
    std::string in = p.get_string("in");
    if (const Node* content = resolved_map(p.get("content")); content && !content->keys.empty()) {
      param.scalar = false;
      param.content_json = is_json_media(content->keys[0]);
      if (const Node* schema_ref = content->children[0].get("schema")) {
        param.default_json = default_of(ws_.resolve(*schema_ref, diags_));
        param.validator = add_validator(*schema_ref, in + " parameter " + param.name);
      }
      return;
    }
    const Node* schema_ref = p.get("schema");
    const Node* schema = schema_ref ? ws_.resolve(*schema_ref, diags_) : nullptr;
    if (!schema_ref) return;  // the checker reports a parameter with neither
    // A schema without its own `type` may get one through allOf.
    const unsigned bits = type_bits(schema_ref);
    const bool container = (bits & (keel::type_object | keel::type_array)) != 0;
    if (!schema || !schema->is_map() || container || !is_scalar_type(scalar_type_of(*schema))) {
      // Arrays, objects, unions, boolean schemas: decoded to JSON by style,
      // then the schema's validator decides.
      param.scalar = false;
      param.shape = shape_of(schema_ref);
      param.default_json = default_of(schema);
      param.validator = add_validator(*schema_ref, in + " parameter " + param.name);
      return;
    }
    ScalarSchema& s = param.schema;
    std::string type = scalar_type_of(*schema);
    if (type.empty()) type = scalar_type_name(bits & ~unsigned{keel::type_null});
    if (type == "integer") s.type = ScalarType::integer;
    else if (type == "number") s.type = ScalarType::number;
    else if (type == "boolean") s.type = ScalarType::boolean;
    else s.type = ScalarType::string;
    s.format = schema->get_string("format");
    if (const Node* e = schema->get("enum"); e && e->is_seq() && s.type == ScalarType::string) {
      for (const auto& v : e->children)
        if (v.is_scalar()) s.enum_values.push_back(v.scalar);
    }
    read_bound(*schema, "minimum", "exclusiveMinimum", s.minimum, s.exclusive_minimum);
    read_bound(*schema, "maximum", "exclusiveMaximum", s.maximum, s.exclusive_maximum);
    s.min_length = to_count(schema->get("minLength"));
    s.max_length = to_count(schema->get("maxLength"));
    if (const Node* d = schema->get("default"); d && d->is_scalar()) s.default_value = d->scalar;
    bool covered = std::all_of(schema->keys.begin(), schema->keys.end(), scalar_decoder_covers);
    // The decoder checks string enums only.
    if (schema->get("enum") != nullptr && s.type != ScalarType::string) covered = false;
    if (!covered) {
      param.validator = add_validator(*schema_ref, in + " parameter " + param.name);
    }
  }

  // OAS 3.1 (JSON Schema 2020-12) makes exclusiveMinimum a number; OAS 3.0
  // made it a boolean modifier of minimum. Accept both.
  static void read_bound(const Node& schema, std::string_view inclusive_key,
                         std::string_view exclusive_key, std::optional<std::string>& bound,
                         bool& exclusive) {
    const Node* inclusive = schema.get(inclusive_key);
    const Node* excl = schema.get(exclusive_key);
    if (excl && excl->is_number()) {
      bound = excl->scalar;
      exclusive = true;
    } else if (inclusive && inclusive->is_number()) {
      bound = inclusive->scalar;
      exclusive = excl && excl->is_bool() && excl->as_bool();
    }
  }

  static bool is_scalar_type(const std::string& type) {
    return type.empty() || type == "string" || type == "integer" || type == "number" || type == "boolean";
  }

  // The scalar type `bits` names when it names exactly one, else "".
  static std::string scalar_type_name(unsigned bits) {
    for (const char* name : {"string", "integer", "number", "boolean"})
      if (bits == type_bit(name)) return name;
    return "";
  }

  // The single non-null type of `type: T` or `type: [T, "null"]`.
  static std::string scalar_type_of(const Node& schema) {
    const Node* type = schema.get("type");
    if (!type) return schema.get("enum") ? "string" : "";
    if (type->is_scalar()) return type->scalar;
    std::string found;
    if (type->is_seq()) {
      for (const auto& t : type->children) {
        if (t.scalar == "null") continue;
        if (!found.empty()) return "union";
        found = t.scalar;
      }
    }
    return found;
  }

  static std::vector<SecurityAlternative> read_security(const Node& list) {
    std::vector<SecurityAlternative> out;
    if (!list.is_seq()) return out;
    for (const auto& req : list.children) {
      SecurityAlternative alt;
      for (std::size_t i = 0; i < req.keys.size(); ++i) {
        std::vector<std::string> scopes;
        for (const auto& s : req.children[i].children) scopes.push_back(s.scalar);
        alt.schemes.emplace_back(req.keys[i], std::move(scopes));
      }
      out.push_back(std::move(alt));
    }
    return out;
  }

  spec::Workspace& ws_;
  Diagnostics& diags_;
  std::vector<SecurityAlternative> default_security_;
  NameScope method_names_;
  NameScope type_names_;
  SchemaSetBuilder schemas_;
  std::map<const Node*, std::uint32_t> validators_;
};

Json to_json(const Node& node) {
  switch (node.kind) {
    case Node::Kind::null:
      return nullptr;
    case Node::Kind::scalar:
      if (node.is_bool()) return node.as_bool();
      if (node.is_number()) {
        Json v = Json::parse(node.scalar, nullptr, false);
        if (!v.is_discarded()) return v;
      }
      if (!node.quoted && node.scalar == "null") return nullptr;
      return node.scalar;
    case Node::Kind::sequence: {
      Json arr = Json::array();
      for (const auto& c : node.children) arr.push_back(to_json(c));
      return arr;
    }
    case Node::Kind::mapping: {
      Json obj = Json::object();
      for (std::size_t i = 0; i < node.keys.size(); ++i) obj[node.keys[i]] = to_json(node.children[i]);
      return obj;
    }
  }
  return nullptr;
}

}  // namespace

std::string to_json_text(const Node& node) { return to_json(node).dump(2) + "\n"; }

std::optional<Api> build(spec::Workspace& ws, Diagnostics& diags,
                         const SchemaBuildOptions& schema_options) {
  return Builder(ws, diags, schema_options).run();
}

}  // namespace keel::gen::ir
