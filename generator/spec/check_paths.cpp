// Checker rules for paths, operations, parameters, bodies, responses,
// links, callbacks and security.

#include "checker.h"

#include "oas.h"

#include <algorithm>
#include <cctype>

namespace keel::gen::spec {

namespace {

std::string lower(std::string text) {
  std::transform(text.begin(), text.end(), text.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return text;
}

bool one_of(std::string_view value, std::initializer_list<std::string_view> allowed) {
  return std::find(allowed.begin(), allowed.end(), value) != allowed.end();
}

/// `1XX`..`5XX` ranges and three-digit codes 100..599.
bool is_status_key(std::string_view key) {
  if (key.size() != 3 || key[0] < '1' || key[0] > '5') return false;
  if (key.substr(1) == "XX") return true;
  return std::isdigit(static_cast<unsigned char>(key[1])) &&
         std::isdigit(static_cast<unsigned char>(key[2]));
}

std::string_view allowed_styles(std::string_view in) {
  if (in == "path") return "matrix, label or simple";
  if (in == "query") return "form, spaceDelimited, pipeDelimited or deepObject";
  if (in == "header") return "simple";
  return "form";
}

bool style_allowed(std::string_view in, std::string_view style) {
  if (in == "path") return one_of(style, {"matrix", "label", "simple"});
  if (in == "query")
    return one_of(style, {"form", "spaceDelimited", "pipeDelimited", "deepObject"});
  if (in == "header") return style == "simple";
  return style == "form";
}

std::string where(const Node& node) {
  return node.location.file + ":" + std::to_string(node.location.line) + ":" +
         std::to_string(node.location.column);
}

}  // namespace

// ---------------------------------------------------------------- paths

void Checker::check_paths(const Node& paths) {
  std::map<std::string, std::size_t> shapes;
  for (std::size_t i = 0; i < paths.keys.size(); ++i) {
    const std::string& path = paths.keys[i];
    if (is_extension(path)) continue;
    if (path.empty() || path.front() != '/') {
      error_at_key("E-PATH-KEY", "path '" + path + "' must begin with '/'", paths, i);
      continue;
    }
    auto [first, fresh] = shapes.emplace(template_shape(path), i);
    if (!fresh)
      error_at_key("E-PATH-DUPLICATE",
                   "path '" + path + "' is the same route as '" + paths.keys[first->second] +
                       "' (only the variable names differ)",
                   paths, i);
    if (!template_names(path))
      error_at_key("E-PATH-TEMPLATE", "path '" + path + "' has unbalanced or empty '{' '}'", paths,
                   i);
    visit(paths.children[i], Kind::path_item);
    check_path_templates(path, paths.children[i]);
  }
}

namespace {

struct PathParam {
  std::string name;
  const Node* site;  ///< the list entry (the $ref itself when referenced)
};

}  // namespace

void Checker::check_path_templates(const std::string& path, const Node& item_node) {
  auto names = template_names(path);
  if (!names) return;
  const Node* item = item_node.get("$ref") != nullptr ? resolve(item_node) : &item_node;
  if (item == nullptr || !item->is_map()) return;

  auto path_params = [&](const Node* owner) {
    std::vector<PathParam> out;
    const Node* list = owner->get("parameters");
    if (list == nullptr || !list->is_seq()) return out;
    for (const auto& entry : list->children) {
      const Node* param = entry.get("$ref") != nullptr ? resolve(entry) : &entry;
      if (param == nullptr || !param->is_map()) continue;
      if (param->get_string("in") == "path" && param->get("name") != nullptr)
        out.push_back({param->get_string("name"), &entry});
    }
    return out;
  };
  auto unused = [&](const std::vector<PathParam>& params) {
    for (const auto& p : params)
      if (std::find(names->begin(), names->end(), p.name) == names->end())
        warning("W-PATH-PARAM-UNUSED",
                "path parameter '" + p.name + "' does not appear in the path '" + path + "'",
                *p.site);
  };

  auto shared = path_params(item);
  unused(shared);
  for (auto method : http_methods) {
    const Node* op_node = item->get(method);
    if (op_node == nullptr) continue;
    const Node* op = op_node->get("$ref") != nullptr ? resolve(*op_node) : op_node;
    if (op == nullptr || !op->is_map()) continue;
    auto own = path_params(op);
    unused(own);
    for (const auto& name : *names) {
      auto match = [&](const PathParam& p) { return p.name == name; };
      if (std::none_of(shared.begin(), shared.end(), match) &&
          std::none_of(own.begin(), own.end(), match))
        warning("W-PATH-PARAM-UNDECLARED",
                "path variable '{" + name + "}' of '" + path +
                    "' has no 'in: path' parameter in this operation or its path item",
                *op_node);
    }
  }
}

void Checker::check_webhooks(const Node& webhooks) {
  for (const auto& item : webhooks.children) visit(item, Kind::path_item);
}

void Checker::check_path_item(const Node& node) {
  static const Fields fields = {
      {"$ref", Expect::string},         {"summary", Expect::string},
      {"description", Expect::string},  {"servers", Expect::sequence},
      {"parameters", Expect::sequence}, {"get", Expect::mapping},
      {"put", Expect::mapping},         {"post", Expect::mapping},
      {"delete", Expect::mapping},      {"options", Expect::mapping},
      {"head", Expect::mapping},        {"patch", Expect::mapping},
      {"trace", Expect::mapping},
  };
  const Node* item = object(node, "Path Item Object", fields);
  if (item == nullptr) return;
  if (item->get("$ref") != nullptr)
    if (const Node* target = resolve(*item)) pending_.emplace_back(target, Kind::path_item);
  if (const Node* servers = field(*item, "servers", Expect::sequence)) check_servers(*servers);
  if (const Node* params = field(*item, "parameters", Expect::sequence))
    check_parameter_list(*params);
  for (auto method : http_methods)
    if (const Node* op = field(*item, method, Expect::mapping)) visit(*op, Kind::operation);
}

void Checker::check_operation(const Node& node) {
  static const Fields fields = {
      {"tags", Expect::sequence},       {"summary", Expect::string},
      {"description", Expect::string},  {"externalDocs", Expect::mapping},
      {"operationId", Expect::string},  {"parameters", Expect::sequence},
      {"requestBody", Expect::mapping}, {"responses", Expect::mapping},
      {"callbacks", Expect::mapping},   {"deprecated", Expect::boolean},
      {"security", Expect::sequence},   {"servers", Expect::sequence},
  };
  const Node* op = object(node, "Operation Object", fields);
  if (op == nullptr) return;
  if (const Node* tags = field(*op, "tags", Expect::sequence)) check_string_list(*tags, "'tags'");
  if (const Node* docs = field(*op, "externalDocs", Expect::mapping)) check_external_docs(*docs);
  if (const Node* id = field(*op, "operationId", Expect::string)) {
    auto [first, fresh] = operation_ids_.emplace(id->scalar, id);
    if (!fresh)
      error("E-OPERATION-ID-DUPLICATE",
            "operationId '" + id->scalar + "' is already used at " + where(*first->second), *id);
  }
  if (const Node* params = field(*op, "parameters", Expect::sequence))
    check_parameter_list(*params);
  if (const Node* body = field(*op, "requestBody", Expect::mapping))
    visit(*body, Kind::request_body);
  if (const Node* responses = field(*op, "responses", Expect::mapping))
    check_responses(*responses);
  else if (op->get("responses") == nullptr && v30())
    error("E-RESPONSES-MISSING", "Operation Object is missing required field 'responses'", *op);
  else if (op->get("responses") == nullptr)
    warning("W-RESPONSES-MISSING", "operation documents no responses", *op);
  if (const Node* callbacks = field(*op, "callbacks", Expect::mapping))
    check_map_of(*callbacks, Kind::callback);
  if (const Node* security = field(*op, "security", Expect::sequence)) check_security(*security);
  if (const Node* servers = field(*op, "servers", Expect::sequence)) check_servers(*servers);
}

void Checker::check_parameter_list(const Node& list) {
  std::map<std::string, const Node*> seen;
  for (const auto& entry : list.children) {
    visit(entry, Kind::parameter);
    const Node* param = entry.get("$ref") != nullptr ? resolve(entry) : &entry;
    if (param == nullptr || !param->is_map()) continue;
    const Node* name = param->get("name");
    const Node* in = param->get("in");
    if (name == nullptr || in == nullptr || !name->is_scalar() || !in->is_scalar()) continue;
    // Header names are case-insensitive; the others are not.
    std::string key =
        in->scalar + ":" + (in->scalar == "header" ? lower(name->scalar) : name->scalar);
    auto [first, fresh] = seen.emplace(key, &entry);
    if (!fresh)
      error("E-PARAM-DUPLICATE",
            "parameter '" + name->scalar + "' in " + in->scalar + " is listed twice (first at " +
                where(*first->second) + ")",
            entry);
  }
}

void Checker::check_callback(const Node& node) {
  const Node* callback = follow_nonstandard(node, "a Callback Object");
  if (callback == nullptr) return;
  if (!callback->is_map()) {
    error("E-TYPE", "Callback Object must be an object", *callback);
    return;
  }
  for (std::size_t i = 0; i < callback->keys.size(); ++i)
    if (!is_extension(callback->keys[i])) visit(callback->children[i], Kind::path_item);
}

void Checker::check_security(const Node& requirements) {
  for (const auto& requirement : requirements.children) {
    if (!requirement.is_map()) {
      error("E-TYPE", "a Security Requirement Object must be an object", requirement);
      continue;
    }
    for (std::size_t i = 0; i < requirement.keys.size(); ++i) {
      const std::string& name = requirement.keys[i];
      if (security_schemes_.count(name) == 0 && declares_schemes_)
        error_at_key("E-SECURITY-SCHEME-UNDECLARED",
                     "security requirement names '" + name +
                         "', which is not declared in components.securitySchemes",
                     requirement, i);
      else if (security_schemes_.count(name) == 0)
        // A document that declares no schemes at all is usually a fragment
        // (the official 3.1 test fixtures do this); say so without failing.
        report(Severity::warning, "W-SECURITY-SCHEME-UNDECLARED",
               "security requirement names '" + name +
                   "', but the document declares no security schemes",
               requirement.key_locations[i], requirement.children[i].pointer);
      const Node& scopes = requirement.children[i];
      if (!scopes.is_seq())
        error("E-TYPE", "the scopes of '" + name + "' must be an array of strings", scopes);
      else
        check_string_list(scopes, "scope");
    }
  }
}

// ---------------------------------------------------------------- parameters

void Checker::check_parameter(const Node& node) {
  static const Fields fields = {
      {"name", Expect::string},           {"in", Expect::string},
      {"description", Expect::string},    {"required", Expect::boolean},
      {"deprecated", Expect::boolean},    {"allowEmptyValue", Expect::boolean},
      {"style", Expect::string},          {"explode", Expect::boolean},
      {"allowReserved", Expect::boolean}, {"schema", Expect::any},
      {"example", Expect::any},           {"examples", Expect::mapping},
      {"content", Expect::mapping},
  };
  const Node* param = object(node, "Parameter Object", fields);
  if (param == nullptr) return;
  require(*param, "Parameter Object", {"name", "in"});
  check_example_pair(*param);
  check_schema_or_content(*param, "parameter");
  const Node* in = field(*param, "in", Expect::string);
  if (in == nullptr) return;
  if (!one_of(in->scalar, {"query", "header", "path", "cookie"})) {
    error("E-PARAM-IN", "'in' is '" + in->scalar + "'; must be query, header, path or cookie", *in);
    return;
  }
  check_parameter_location(*param, in->scalar);
}

void Checker::check_parameter_location(const Node& param, const std::string& loc) {
  const Node* name = field(param, "name", Expect::string);
  if (name != nullptr && loc == "path" && name->scalar.find_first_of("{}") != std::string::npos)
    error("E-PARAM-NAME", "a path parameter name must not contain '{' or '}'", *name);
  if (name != nullptr && loc == "header" &&
      one_of(lower(name->scalar), {"accept", "content-type", "authorization"}))
    warning("W-PARAM-HEADER-IGNORED",
            "header parameter '" + name->scalar + "' is ignored by OpenAPI (set by the protocol)",
            *name);
  if (loc == "path") check_path_required(param);
  for (std::string_view key : {"allowReserved", "allowEmptyValue"}) {
    const Node* value = param.get(key);
    if (value == nullptr || loc == "query") continue;
    std::string id = key == "allowReserved" ? "PARAM-ALLOW-RESERVED" : "PARAM-ALLOW-EMPTY";
    std::string text = quoted(key) + " is only allowed on query parameters";
    // 3.0 describes it as not applying elsewhere; 3.1's schema rejects it.
    if (v30())
      warning("W-" + id, text + "; ignored", *value);
    else
      error("E-" + id, text, *value);
  }
  if (const Node* style = field(param, "style", Expect::string))
    if (!style_allowed(loc, style->scalar))
      error("E-PARAM-STYLE",
            "style '" + style->scalar + "' is not allowed for a " + loc + " parameter (use " +
                std::string(allowed_styles(loc)) + ")",
            *style);
}

void Checker::check_path_required(const Node& param) {
  const Node* required = param.get("required");
  if (required != nullptr && required->is_bool() && required->as_bool()) return;
  const Node& at = required != nullptr ? *required : param;
  // The 3.1 schema enforces this only next to `schema`; with `content` it is prose-only.
  if (param.get("schema") != nullptr)
    error("E-PARAM-PATH-REQUIRED", "a path parameter must have 'required: true'", at);
  else
    warning("W-PARAM-PATH-REQUIRED", "a path parameter should have 'required: true'", at);
}

void Checker::check_header(const Node& node) {
  static const Fields fields = {
      {"description", Expect::string},    {"required", Expect::boolean},
      {"deprecated", Expect::boolean},    {"allowEmptyValue", Expect::boolean},
      {"style", Expect::string},          {"explode", Expect::boolean},
      {"allowReserved", Expect::boolean}, {"schema", Expect::any},
      {"example", Expect::any},           {"examples", Expect::mapping},
      {"content", Expect::mapping},
  };
  const Node* header = object(node, "Header Object", fields);
  if (header == nullptr) return;
  check_example_pair(*header);
  check_schema_or_content(*header, "header");
  if (!v30()) {
    // The 3.0 schema lists these on headers; 3.1 removed them.
    if (const Node* value = header->get("allowReserved"))
      error("E-PARAM-ALLOW-RESERVED", "'allowReserved' is only allowed on query parameters",
            *value);
    if (const Node* value = header->get("allowEmptyValue"))
      error("E-PARAM-ALLOW-EMPTY", "'allowEmptyValue' is only allowed on query parameters", *value);
  }
  if (const Node* style = field(*header, "style", Expect::string))
    if (style->scalar != "simple")
      error("E-PARAM-STYLE", "a header's style must be 'simple'", *style);
}

void Checker::check_schema_or_content(const Node& obj, std::string_view what) {
  const Node* schema = obj.get("schema");
  const Node* content = obj.get("content");
  if ((schema == nullptr) == (content == nullptr))
    error("E-PARAM-SCHEMA-CONTENT",
          "a " + std::string(what) + " needs exactly one of 'schema' or 'content'", obj);
  if (schema != nullptr) visit(*schema, Kind::schema);
  content = field(obj, "content", Expect::mapping);
  if (content == nullptr) return;
  if (content->children.size() != 1)
    error("E-PARAM-SCHEMA-CONTENT",
          "the 'content' of a " + std::string(what) + " must hold exactly one media type",
          *content);
  check_content(*content);
}

// ---------------------------------------------------------------- bodies

void Checker::check_request_body(const Node& node) {
  static const Fields fields = {
      {"description", Expect::string}, {"content", Expect::mapping}, {"required", Expect::boolean}};
  const Node* body = object(node, "Request Body Object", fields);
  if (body == nullptr) return;
  require(*body, "Request Body Object", {"content"});
  if (const Node* content = field(*body, "content", Expect::mapping)) check_content(*content);
}

void Checker::check_content(const Node& content) {
  for (const auto& media : content.children) visit(media, Kind::media_type);
}

void Checker::check_media_type(const Node& node) {
  static const Fields fields = {{"schema", Expect::any},
                                {"example", Expect::any},
                                {"examples", Expect::mapping},
                                {"encoding", Expect::mapping}};
  const Node* media = object(node, "Media Type Object", fields);
  if (media == nullptr) return;
  check_example_pair(*media);
  if (const Node* schema = media->get("schema")) visit(*schema, Kind::schema);
  if (const Node* encoding = field(*media, "encoding", Expect::mapping))
    for (const auto& entry : encoding->children) check_encoding(entry);
}

void Checker::check_encoding(const Node& node) {
  static const Fields fields = {{"contentType", Expect::string},
                                {"headers", Expect::mapping},
                                {"style", Expect::string},
                                {"explode", Expect::boolean},
                                {"allowReserved", Expect::boolean}};
  const Node* encoding = object(node, "Encoding Object", fields);
  if (encoding == nullptr) return;
  if (const Node* headers = field(*encoding, "headers", Expect::mapping))
    check_map_of(*headers, Kind::header);
  if (const Node* style = field(*encoding, "style", Expect::string))
    if (!style_allowed("query", style->scalar))
      error("E-PARAM-STYLE",
            "encoding style '" + style->scalar +
                "' must be form, spaceDelimited, pipeDelimited or deepObject",
            *style);
}

// ---------------------------------------------------------------- responses

void Checker::check_responses(const Node& node) {
  const Node* responses = follow_nonstandard(node, "a Responses Object");
  if (responses == nullptr) return;
  if (!responses->is_map()) {
    error("E-TYPE", "Responses Object must be an object", *responses);
    return;
  }
  bool any = false;
  for (std::size_t i = 0; i < responses->keys.size(); ++i) {
    const std::string& key = responses->keys[i];
    if (is_extension(key)) continue;
    any = true;
    if (key != "default" && !is_status_key(key)) {
      error_at_key("E-RESPONSE-CODE",
                   "'" + key + "' is not a response key (use 100-599, 1XX-5XX or default)",
                   *responses, i);
      continue;
    }
    visit(responses->children[i], Kind::response);
  }
  if (!any)
    error("E-RESPONSES-EMPTY", "responses must list at least one status code or 'default'",
          *responses);
}

void Checker::check_response(const Node& node) {
  static const Fields fields = {{"description", Expect::string},
                                {"headers", Expect::mapping},
                                {"content", Expect::mapping},
                                {"links", Expect::mapping}};
  const Node* response = object(node, "Response Object", fields);
  if (response == nullptr) return;
  require(*response, "Response Object", {"description"});
  if (const Node* headers = field(*response, "headers", Expect::mapping))
    check_map_of(*headers, Kind::header);
  if (const Node* content = field(*response, "content", Expect::mapping)) check_content(*content);
  if (const Node* links = field(*response, "links", Expect::mapping))
    check_map_of(*links, Kind::link);
}

void Checker::check_example(const Node& node) {
  static const Fields fields = {{"summary", Expect::string},
                                {"description", Expect::string},
                                {"value", Expect::any},
                                {"externalValue", Expect::string}};
  const Node* example = object(node, "Example Object", fields);
  if (example == nullptr) return;
  if (example->get("value") != nullptr && example->get("externalValue") != nullptr)
    error("E-EXAMPLE-VALUE-BOTH", "'value' and 'externalValue' are mutually exclusive", *example);
}

void Checker::check_link(const Node& node) {
  static const Fields fields = {
      {"operationRef", Expect::string}, {"operationId", Expect::string},
      {"parameters", Expect::mapping},  {"requestBody", Expect::any},
      {"description", Expect::string},  {"server", Expect::mapping},
  };
  const Node* link = object(node, "Link Object", fields);
  if (link == nullptr) return;
  const Node* id = link->get("operationId");
  if ((id == nullptr) == (link->get("operationRef") == nullptr))
    error("E-LINK-TARGET", "a Link needs exactly one of 'operationId' or 'operationRef'", *link);
  if (id != nullptr && id->is_scalar()) link_operation_ids_.push_back(id);
  if (const Node* server = field(*link, "server", Expect::mapping)) check_server(*server);
}

void Checker::check_links_targets() {
  for (const Node* id : link_operation_ids_)
    if (operation_ids_.count(id->scalar) == 0)
      warning("W-LINK-OPERATION-UNKNOWN",
              "link names operationId '" + id->scalar + "', which no operation has", *id);
}

// ---------------------------------------------------------------- security schemes

void Checker::check_security_scheme(const Node& node) {
  static const Fields fields = {
      {"type", Expect::string},   {"description", Expect::string},
      {"name", Expect::string},   {"in", Expect::string},
      {"scheme", Expect::string}, {"bearerFormat", Expect::string},
      {"flows", Expect::mapping}, {"openIdConnectUrl", Expect::string},
  };
  const Node* scheme = object(node, "Security Scheme Object", fields);
  if (scheme == nullptr) return;
  require(*scheme, "Security Scheme Object", {"type"});
  const Node* type = field(*scheme, "type", Expect::string);
  if (type == nullptr) return;
  const std::string& t = type->scalar;
  if (t == "apiKey") {
    require(*scheme, "an apiKey Security Scheme", {"name", "in"});
    if (const Node* in = field(*scheme, "in", Expect::string))
      if (!one_of(in->scalar, {"query", "header", "cookie"}))
        error("E-SECURITY-SCHEME-IN", "apiKey 'in' must be query, header or cookie", *in);
  } else if (t == "http") {
    require(*scheme, "an http Security Scheme", {"scheme"});
  } else if (t == "oauth2") {
    require(*scheme, "an oauth2 Security Scheme", {"flows"});
    if (const Node* flows = field(*scheme, "flows", Expect::mapping)) check_oauth_flows(*flows);
  } else if (t == "openIdConnect") {
    require(*scheme, "an openIdConnect Security Scheme", {"openIdConnectUrl"});
  } else if (t == "mutualTLS" && v30()) {
    error("E-SECURITY-SCHEME-TYPE", "security scheme type 'mutualTLS' needs OAS 3.1", *type);
  } else if (t != "mutualTLS") {
    error("E-SECURITY-SCHEME-TYPE",
          "unknown security scheme type '" + t +
              "' (apiKey, http, mutualTLS, oauth2 or openIdConnect)",
          *type);
  }
}

void Checker::check_oauth_flows(const Node& node) {
  static const Fields fields = {{"implicit", Expect::mapping},
                                {"password", Expect::mapping},
                                {"clientCredentials", Expect::mapping},
                                {"authorizationCode", Expect::mapping}};
  static const Fields flow_fields = {{"authorizationUrl", Expect::string},
                                     {"tokenUrl", Expect::string},
                                     {"refreshUrl", Expect::string},
                                     {"scopes", Expect::mapping}};
  const Node* flows = object(node, "OAuth Flows Object", fields);
  if (flows == nullptr) return;
  for (std::size_t i = 0; i < flows->keys.size(); ++i) {
    const std::string& name = flows->keys[i];
    if (is_extension(name) || !flows->children[i].is_map()) continue;
    const Node* flow = object(flows->children[i], "OAuth Flow Object", flow_fields);
    if (flow == nullptr) continue;
    std::string what = "the " + name + " OAuth flow";
    if (name == "implicit") require(*flow, what, {"authorizationUrl", "scopes"});
    if (name == "password" || name == "clientCredentials")
      require(*flow, what, {"tokenUrl", "scopes"});
    if (name == "authorizationCode")
      require(*flow, what, {"authorizationUrl", "tokenUrl", "scopes"});
    if (const Node* scopes = field(*flow, "scopes", Expect::mapping))
      for (const auto& description : scopes->children)
        if (!description.is_scalar())
          error("E-TYPE", "scope descriptions must be strings", description);
  }
}

}  // namespace keel::gen::spec
