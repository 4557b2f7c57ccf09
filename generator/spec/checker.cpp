#include "checker.h"

#include "oas.h"

#include <algorithm>
#include <tuple>

namespace keel::gen::spec {

namespace {

/// Deeper than any real document nests objects and followed refs; keeps a
/// crafted chain of non-standard refs from exhausting the stack.
constexpr int max_check_depth = 1500;

std::string_view kind_name(Kind kind) {
  switch (kind) {
  case Kind::path_item:
    return "Path Item Object";
  case Kind::operation:
    return "Operation Object";
  case Kind::parameter:
    return "Parameter Object";
  case Kind::header:
    return "Header Object";
  case Kind::request_body:
    return "Request Body Object";
  case Kind::response:
    return "Response Object";
  case Kind::example:
    return "Example Object";
  case Kind::link:
    return "Link Object";
  case Kind::callback:
    return "Callback Object";
  case Kind::security_scheme:
    return "Security Scheme Object";
  case Kind::schema:
    return "Schema Object";
  case Kind::media_type:
    return "Media Type Object";
  }
  return "object";
}

/// Where OAS allows `{$ref}` in place of the object.
bool reference_allowed(Kind kind) { return kind != Kind::operation && kind != Kind::media_type; }

std::string_view type_name(Expect type) {
  switch (type) {
  case Expect::string:
    return "a string";
  case Expect::boolean:
    return "a boolean (true or false)";
  case Expect::mapping:
    return "an object";
  case Expect::sequence:
    return "an array";
  case Expect::any:
    return "a value";
  }
  return "a value";
}

bool is_component_name(std::string_view name) {
  if (name.empty()) return false;
  return std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.' ||
           c == '_' || c == '-';
  });
}

std::string with_article(std::string_view noun) {
  bool vowel =
      !noun.empty() && std::string_view("AEIOUaeiou").find(noun[0]) != std::string_view::npos;
  return (vowel ? "an " : "a ") + std::string(noun);
}

/// RAII depth counter for Checker::depth_.
class DepthScope {
public:
  explicit DepthScope(int& depth) : depth_(depth) { ++depth_; }
  ~DepthScope() { --depth_; }
  DepthScope(const DepthScope&) = delete;
  DepthScope& operator=(const DepthScope&) = delete;
  bool too_deep() const { return depth_ > max_check_depth; }

private:
  int& depth_;
};

}  // namespace

// ---------------------------------------------------------------- reporting

void Checker::report(Severity severity, std::string id, std::string message, const Location& where,
                     const std::string& pointer) {
  Diagnostic d{severity, std::move(id), std::move(message), where, pointer};
  if (reported_.insert(format(d)).second) diags_.add(std::move(d));
}

void Checker::error(std::string id, std::string message, const Node& at) {
  report(Severity::error, std::move(id), std::move(message), at.location, at.pointer);
}

void Checker::warning(std::string id, std::string message, const Node& at) {
  report(Severity::warning, std::move(id), std::move(message), at.location, at.pointer);
}

void Checker::error_at_key(std::string id, std::string message, const Node& object,
                           std::size_t index) {
  report(Severity::error, std::move(id), std::move(message), object.key_locations[index],
         object.children[index].pointer);
}

// ---------------------------------------------------------------- traversal

const Node* Checker::resolve(const Node& holder) {
  auto cached = resolved_.find(&holder);
  if (cached != resolved_.end()) return cached->second;
  Diagnostics local;
  const Node* target = ws_.resolve(holder, local);
  for (const auto& d : local.all()) report(d.severity, d.id, d.message, d.location, d.pointer);
  resolved_.emplace(&holder, target);
  return target;
}

void Checker::visit(const Node& node, Kind kind) {
  // Schemas and path items read their own `$ref`: their siblings count.
  bool is_ref = node.is_map() && node.get("$ref") != nullptr;
  if (is_ref && kind != Kind::schema && kind != Kind::path_item) {
    if (!reference_allowed(kind))
      warning("W-REF-NONSTANDARD",
              "$ref in place of " + with_article(kind_name(kind)) +
                  " is not standard OpenAPI; followed",
              node);
    if (const Node* target = resolve(node)) pending_.emplace_back(target, kind);
    return;
  }
  if (!visited_.emplace(&node, kind).second) return;
  dispatch(node, kind);
}

void Checker::dispatch(const Node& node, Kind kind) {
  DepthScope scope(depth_);
  if (scope.too_deep()) {
    error("E-TOO-DEEP", "objects nest too deeply to check", node);
    return;
  }
  switch (kind) {
  case Kind::path_item:
    check_path_item(node);
    break;
  case Kind::operation:
    check_operation(node);
    break;
  case Kind::parameter:
    check_parameter(node);
    break;
  case Kind::header:
    check_header(node);
    break;
  case Kind::request_body:
    check_request_body(node);
    break;
  case Kind::response:
    check_response(node);
    break;
  case Kind::example:
    check_example(node);
    break;
  case Kind::link:
    check_link(node);
    break;
  case Kind::callback:
    check_callback(node);
    break;
  case Kind::security_scheme:
    check_security_scheme(node);
    break;
  case Kind::schema:
    check_schema(node);
    break;
  case Kind::media_type:
    check_media_type(node);
    break;
  }
}

void Checker::drain() {
  // Ref targets are checked from a queue, not by recursion, so long chains of
  // schemas referring to schemas cannot exhaust the stack.
  while (!pending_.empty()) {
    auto [node, kind] = pending_.front();
    pending_.pop_front();
    visit(*node, kind);
  }
}

const Node* Checker::follow_nonstandard(const Node& node, std::string_view what) {
  if (!node.is_map() || node.get("$ref") == nullptr) return &node;
  warning("W-REF-NONSTANDARD",
          "$ref in place of " + std::string(what) + " is not standard OpenAPI; followed", node);
  return resolve(node);
}

// ---------------------------------------------------------------- generic rules

bool Checker::type_ok(const Node& value, Expect type) const {
  switch (type) {
  case Expect::any:
    return true;
  case Expect::string:
    return value.is_scalar();
  case Expect::boolean:
    return value.is_bool();
  case Expect::mapping:
    return value.is_map();
  case Expect::sequence:
    return value.is_seq();
  }
  return false;
}

const Node* Checker::object(const Node& node, std::string_view what, Fields fields) {
  bool ref_is_a_field =
      std::any_of(fields.begin(), fields.end(), [](const Field& f) { return f.name == "$ref"; });
  const Node* target = ref_is_a_field ? &node : follow_nonstandard(node, with_article(what));
  if (target == nullptr) return nullptr;
  const Node& obj = *target;
  if (!obj.is_map()) {
    error("E-TYPE", std::string(what) + " must be an object", obj);
    return nullptr;
  }
  for (std::size_t i = 0; i < obj.keys.size(); ++i) {
    const std::string& key = obj.keys[i];
    if (is_extension(key)) continue;
    auto spec =
        std::find_if(fields.begin(), fields.end(), [&](const Field& f) { return f.name == key; });
    if (spec == fields.end() || (spec->v31_only && v30())) {
      std::string note = spec == fields.end() ? "" : " (an OAS 3.1 field; this is a 3.0 document)";
      error_at_key("E-UNKNOWN-FIELD", "unknown field '" + key + "' in " + std::string(what) + note,
                   obj, i);
      continue;
    }
    field(obj, key, spec->type);
  }
  return &obj;
}

const Node* Checker::field(const Node& obj, std::string_view name, Expect type) {
  const Node* value = obj.get(name);
  if (value == nullptr) return nullptr;
  if (type_ok(*value, type)) return value;
  if (value->is_map() && value->get("$ref") != nullptr) {
    const Node* target = follow_nonstandard(*value, "the '" + std::string(name) + "' value");
    if (target == nullptr) return nullptr;
    if (type_ok(*target, type)) return target;
  }
  error("E-TYPE", quoted(name) + " must be " + std::string(type_name(type)), *value);
  return nullptr;
}

void Checker::require(const Node& obj, std::string_view what,
                      std::initializer_list<std::string_view> names) {
  for (auto name : names)
    if (obj.get(name) == nullptr)
      error("E-FIELD-REQUIRED",
            std::string(what) + " is missing required field '" + std::string(name) + "'", obj);
}

void Checker::check_string_list(const Node& list, std::string_view what) {
  for (const auto& item : list.children)
    if (!item.is_scalar()) error("E-TYPE", std::string(what) + " entries must be strings", item);
}

void Checker::check_example_pair(const Node& obj) {
  if (obj.get("example") != nullptr && obj.get("examples") != nullptr)
    error("E-EXAMPLE-BOTH", "'example' and 'examples' are mutually exclusive",
          *obj.get("examples"));
  if (const Node* examples = field(obj, "examples", Expect::mapping))
    check_map_of(*examples, Kind::example);
}

void Checker::check_map_of(const Node& map, Kind kind) {
  // No extension keys here: in these maps `x-...` is an entry's name (a header, say).
  for (const auto& entry : map.children) visit(entry, kind);
}

// ---------------------------------------------------------------- document

void Checker::run() {
  const Node& root = ws_.root();
  if (!root.is_map()) return;
  if (!check_version(root)) return;
  collect_security_schemes(root);
  check_root(root);
  drain();
  check_links_targets();
}

bool Checker::check_version(const Node& root) {
  const Node* openapi = root.get("openapi");
  if (openapi == nullptr) {
    if (const Node* swagger = root.get("swagger")) {
      error("E-OPENAPI-VERSION",
            "Swagger " + swagger->scalar + " documents are not supported; convert to OpenAPI 3.x",
            *swagger);
      return false;
    }
    error("E-FIELD-REQUIRED", "OpenAPI Object is missing required field 'openapi'", root);
    return true;  // keep checking as 3.1
  }
  std::string minor = openapi->is_scalar() ? openapi_minor_version(openapi->scalar) : "";
  if (minor.empty()) {
    std::string shown = openapi->is_scalar() ? "'" + openapi->scalar + "'" : "this value";
    error("E-OPENAPI-VERSION",
          "openapi version " + shown + " is not supported (expected 3.0.x or 3.1.x)", *openapi);
    return false;
  }
  minor_ = minor;
  return true;
}

void Checker::check_root(const Node& root) {
  static const Fields fields = {
      {"openapi", Expect::string},
      {"info", Expect::mapping},
      {"jsonSchemaDialect", Expect::string, true},
      {"servers", Expect::sequence},
      {"paths", Expect::mapping},
      {"webhooks", Expect::mapping, true},
      {"components", Expect::mapping},
      {"security", Expect::sequence},
      {"tags", Expect::sequence},
      {"externalDocs", Expect::mapping},
  };
  if (object(root, "OpenAPI Object", fields) == nullptr) return;
  require(root, "OpenAPI Object", {"info"});
  if (v30()) {
    require(root, "OpenAPI Object", {"paths"});
  } else if (!root.get("paths") && !root.get("components") && !root.get("webhooks")) {
    error("E-NO-CONTAINERS",
          "an OpenAPI 3.1 document needs at least one of 'paths', 'components' or 'webhooks'",
          root);
  }
  if (const Node* info = field(root, "info", Expect::mapping)) check_info(*info);
  if (const Node* servers = field(root, "servers", Expect::sequence)) check_servers(*servers);
  if (const Node* paths = field(root, "paths", Expect::mapping)) check_paths(*paths);
  if (!v30())
    if (const Node* hooks = field(root, "webhooks", Expect::mapping)) check_webhooks(*hooks);
  if (const Node* components = field(root, "components", Expect::mapping))
    check_components(*components);
  if (const Node* security = field(root, "security", Expect::sequence)) check_security(*security);
  if (const Node* tags = field(root, "tags", Expect::sequence)) check_tags(*tags);
  if (const Node* docs = field(root, "externalDocs", Expect::mapping)) check_external_docs(*docs);
}

void Checker::check_info(const Node& node) {
  static const Fields fields = {
      {"title", Expect::string},       {"summary", Expect::string, true},
      {"description", Expect::string}, {"termsOfService", Expect::string},
      {"contact", Expect::mapping},    {"license", Expect::mapping},
      {"version", Expect::string},
  };
  const Node* info = object(node, "Info Object", fields);
  if (info == nullptr) return;
  require(*info, "Info Object", {"title", "version"});
  if (const Node* contact = field(*info, "contact", Expect::mapping)) {
    static const Fields contact_fields = {
        {"name", Expect::string}, {"url", Expect::string}, {"email", Expect::string}};
    object(*contact, "Contact Object", contact_fields);
  }
  if (const Node* license = field(*info, "license", Expect::mapping)) check_license(*license);
}

void Checker::check_license(const Node& node) {
  static const Fields fields = {
      {"name", Expect::string}, {"identifier", Expect::string, true}, {"url", Expect::string}};
  const Node* license = object(node, "License Object", fields);
  if (license == nullptr) return;
  require(*license, "License Object", {"name"});
  if (license->get("identifier") != nullptr && license->get("url") != nullptr)
    error("E-LICENSE-IDENTIFIER-URL", "License Object has both 'identifier' and 'url'; use one",
          *license);
}

void Checker::check_servers(const Node& servers) {
  for (const auto& server : servers.children) check_server(server);
}

void Checker::check_server(const Node& node) {
  static const Fields fields = {
      {"url", Expect::string}, {"description", Expect::string}, {"variables", Expect::mapping}};
  const Node* server = object(node, "Server Object", fields);
  if (server == nullptr) return;
  require(*server, "Server Object", {"url"});
  const Node* variables = field(*server, "variables", Expect::mapping);
  if (variables != nullptr)
    for (const auto& variable : variables->children) check_server_variable(variable);
  const Node* url = field(*server, "url", Expect::string);
  if (url == nullptr) return;
  auto names = template_names(url->scalar);
  if (!names) {
    error("E-SERVER-URL", "server URL has unbalanced '{' '}'", *url);
    return;
  }
  for (const auto& name : *names)
    if (variables == nullptr || variables->get(name) == nullptr)
      warning("W-SERVER-VARIABLE-UNDECLARED",
              "server URL variable '{" + name + "}' is not declared in 'variables'", *url);
}

void Checker::check_server_variable(const Node& node) {
  static const Fields fields = {
      {"enum", Expect::sequence}, {"default", Expect::string}, {"description", Expect::string}};
  const Node* variable = object(node, "Server Variable Object", fields);
  if (variable == nullptr) return;
  require(*variable, "Server Variable Object", {"default"});
  const Node* values = field(*variable, "enum", Expect::sequence);
  if (values == nullptr) return;
  check_string_list(*values, "'enum'");
  if (values->children.empty()) {
    error("E-SERVER-VARIABLE-ENUM", "server variable 'enum' must not be empty", *values);
    return;
  }
  const Node* def = field(*variable, "default", Expect::string);
  if (def == nullptr) return;
  bool listed = std::any_of(values->children.begin(), values->children.end(),
                            [&](const Node& v) { return v.scalar == def->scalar; });
  if (!listed)
    warning("W-SERVER-VARIABLE-DEFAULT",
            "server variable default '" + def->scalar + "' is not one of its 'enum' values", *def);
}

void Checker::check_external_docs(const Node& node) {
  static const Fields fields = {{"description", Expect::string}, {"url", Expect::string}};
  if (const Node* docs = object(node, "External Documentation Object", fields))
    require(*docs, "External Documentation Object", {"url"});
}

void Checker::check_tags(const Node& tags) {
  static const Fields fields = {
      {"name", Expect::string}, {"description", Expect::string}, {"externalDocs", Expect::mapping}};
  std::map<std::string, const Node*> names;
  for (const auto& node : tags.children) {
    const Node* tag = object(node, "Tag Object", fields);
    if (tag == nullptr) continue;
    require(*tag, "Tag Object", {"name"});
    if (const Node* docs = field(*tag, "externalDocs", Expect::mapping)) check_external_docs(*docs);
    const Node* name = field(*tag, "name", Expect::string);
    if (name == nullptr) continue;
    auto [it, fresh] = names.emplace(name->scalar, name);
    if (!fresh)
      error("E-TAG-DUPLICATE",
            "tag '" + name->scalar + "' is already declared at line " +
                std::to_string(it->second->location.line),
            *name);
  }
}

void Checker::collect_security_schemes(const Node& root) {
  const Node* components = root.get("components");
  if (components == nullptr || !components->is_map()) return;
  const Node* schemes = components->get("securitySchemes");
  if (schemes == nullptr || !schemes->is_map()) return;
  declares_schemes_ = true;
  security_schemes_.insert(schemes->keys.begin(), schemes->keys.end());
}

void Checker::check_components(const Node& node) {
  static const Fields fields = {
      {"schemas", Expect::mapping},         {"responses", Expect::mapping},
      {"parameters", Expect::mapping},      {"examples", Expect::mapping},
      {"requestBodies", Expect::mapping},   {"headers", Expect::mapping},
      {"securitySchemes", Expect::mapping}, {"links", Expect::mapping},
      {"callbacks", Expect::mapping},       {"pathItems", Expect::mapping, true},
  };
  static const std::pair<std::string_view, Kind> sections[] = {
      {"schemas", Kind::schema},
      {"responses", Kind::response},
      {"parameters", Kind::parameter},
      {"examples", Kind::example},
      {"requestBodies", Kind::request_body},
      {"headers", Kind::header},
      {"securitySchemes", Kind::security_scheme},
      {"links", Kind::link},
      {"callbacks", Kind::callback},
      {"pathItems", Kind::path_item},
  };
  const Node* components = object(node, "Components Object", fields);
  if (components == nullptr) return;
  for (const auto& [name, kind] : sections) {
    if (name == "pathItems" && v30()) continue;
    const Node* section = field(*components, name, Expect::mapping);
    if (section == nullptr) continue;
    for (std::size_t i = 0; i < section->keys.size(); ++i) {
      if (!is_component_name(section->keys[i]))
        error_at_key("E-COMPONENT-NAME",
                     "component name '" + section->keys[i] +
                         "' may only use letters, digits, '.', '_' and '-'",
                     *section, i);
      visit(section->children[i], kind);
    }
  }
}

void check_document(Workspace& ws, Diagnostics& diags) {
  Diagnostics found;
  Checker checker(ws, found);
  checker.run();
  // Report in reading order: root file first, other files in the order
  // they were first mentioned, then line and column.
  std::vector<Diagnostic> items = found.all();
  std::map<std::string, std::size_t> file_rank{{ws.root_file(), 0}};
  for (const auto& d : items) file_rank.emplace(d.location.file, file_rank.size());
  std::stable_sort(items.begin(), items.end(), [&](const Diagnostic& a, const Diagnostic& b) {
    auto key = [&](const Diagnostic& d) {
      return std::tuple(file_rank[d.location.file], d.location.line, d.location.column);
    };
    return key(a) < key(b);
  });
  for (auto& d : items) diags.add(std::move(d));
}

}  // namespace keel::gen::spec
