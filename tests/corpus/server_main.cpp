// A generic main for a corpus document's generated server (compile_servers.sh
// builds it against that document's output, namespace `corpus`): no handlers,
// so every operation answers 501 after decoding. It serves on a free loopback
// port and prints two lines for the script:
//   listening PORT
//   probe METHOD PATH     (or "probe none": no operation it can call bare)
// where the probe is an operation that needs no query, header or cookie
// parameter and no body, its path parameters filled from their schemas.
#include "api.h"

#include <keel/server.h>

#include <nlohmann/json.hpp>

#include <algorithm>
#include <cctype>
#include <iostream>
#include <optional>
#include <string>
#include <string_view>

namespace {

using nlohmann::json;

// Follows a local "$ref" ("#/components/...") in the served document; other
// references (to other files) stay as they are.
const json& resolve(const json& document, const json& node) {
  const json* at = &node;
  for (int hops = 0; hops < 16 && at->is_object() && at->contains("$ref"); ++hops) {
    const auto& ref = (*at)["$ref"];
    if (!ref.is_string() || !ref.get<std::string>().starts_with("#/")) break;
    const json::json_pointer pointer(ref.get<std::string>().substr(1));
    if (!document.contains(pointer)) break;
    at = &document.at(pointer);
  }
  return *at;
}

// A value a path parameter of this schema decodes from.
std::string sample(const json& document, const json& schema_node) {
  const json& schema = resolve(document, schema_node);
  if (!schema.is_object()) return "x";
  if (schema.contains("enum") && schema["enum"].is_array() && !schema["enum"].empty()) {
    const json& first = schema["enum"][0];
    return first.is_string() ? first.get<std::string>() : first.dump();
  }
  if (schema.contains("const")) {
    const json& value = schema["const"];
    return value.is_string() ? value.get<std::string>() : value.dump();
  }
  const json& type = schema.contains("type") ? schema["type"] : json();
  auto is = [&type](std::string_view name) {
    if (type.is_string()) return type.get<std::string>() == name;
    return type.is_array() && std::find(type.begin(), type.end(), json(name)) != type.end();
  };
  if (is("integer") || is("number")) return "1";
  if (is("boolean")) return "true";
  if (schema.contains("format") && schema["format"] == "uuid") return "00000000-0000-4000-8000-000000000000";
  return "x";
}

// `text` as one path segment: unreserved characters kept, the rest %XX.
std::string encoded(std::string_view text) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (const unsigned char c : text) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

// The path to call `info` with, or nullopt when it needs more than its path.
std::optional<std::string> probe_path(const json& document, const keel::OperationInfo& info) {
  const std::string path(info.path_template);
  std::string method(info.method);
  std::transform(method.begin(), method.end(), method.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  const json& paths = document.contains("paths") ? document["paths"] : json();
  if (!paths.is_object() || !paths.contains(path)) return std::nullopt;
  const json& item = resolve(document, paths[path]);
  if (!item.is_object() || !item.contains(method)) return std::nullopt;
  const json& operation = item[method];
  if (operation.contains("requestBody")) {
    const json& body = resolve(document, operation["requestBody"]);
    if (body.value("required", false)) return std::nullopt;
  }
  json path_schemas = json::object();
  for (const json* list : {&item, &operation}) {
    if (!list->contains("parameters") || !(*list)["parameters"].is_array()) continue;
    for (const auto& entry : (*list)["parameters"]) {
      const json& parameter = resolve(document, entry);
      if (!parameter.is_object()) return std::nullopt;
      const std::string in = parameter.value("in", "");
      if (in == "path") {
        path_schemas[parameter.value("name", "")] = parameter.value("schema", json::object());
      } else if (parameter.value("required", false)) {
        return std::nullopt;
      }
    }
  }
  std::string out;
  for (std::size_t at = 0; at < path.size();) {
    const auto open = path.find('{', at);
    if (open == std::string::npos) {
      out += path.substr(at);
      break;
    }
    const auto close = path.find('}', open);
    if (close == std::string::npos) return std::nullopt;
    out += path.substr(at, open - at);
    const std::string name = path.substr(open + 1, close - open - 1);
    out += encoded(sample(document, path_schemas.contains(name) ? path_schemas[name] : json::object()));
    at = close + 1;
  }
  return out;
}

}  // namespace

int main() {
  corpus::Handlers handlers;  // every operation: 501 not_implemented
  auto api = corpus::make_api(handlers);
  keel::ServerConfig config;
  config.port = 0;
  config.worker_threads = 2;
  keel::Server server(config, *api);
  server.start();
  std::cout << "listening " << server.port() << std::endl;

  // Prefer an operation without path parameters: nothing to guess.
  const json document = json::parse(api->spec_json());
  std::optional<std::string> probe;
  std::string_view method;
  for (int pass = 0; pass < 2 && !probe; ++pass) {
    for (const auto& info : api->operations()) {
      const bool templated = info.path_template.find('{') != std::string_view::npos;
      if (templated != (pass == 1) || info.method == "HEAD" || info.method == "TRACE") continue;
      if ((probe = probe_path(document, info))) {
        method = info.method;
        break;
      }
    }
  }
  if (probe) {
    std::cout << "probe " << method << " " << *probe << std::endl;
  } else {
    std::cout << "probe none" << std::endl;
  }
  server.serve_forever();
}
