#pragma once

// Internal to generator/spec: the state of one check_document() run.

#include "diagnostic.h"
#include "node.h"
#include "workspace.h"

#include <deque>
#include <initializer_list>
#include <map>
#include <set>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <utility>
#include <vector>

namespace keel::gen::spec {

/// `'name'` for messages. Built by appending: GCC 12 at -O3 misreports
/// `"'" + std::string(...)` under -Wrestrict (GCC bug 105329).
inline std::string quoted(std::string_view name) {
  std::string out = "'";
  out.append(name);
  out += '\'';
  return out;
}

/// The JSON type a field must have. `string` accepts any scalar: YAML
/// writers leave `version: 1.0` unquoted and the text is what matters.
enum class Expect { any, string, boolean, mapping, sequence };

struct Field {
  std::string_view name;
  Expect type = Expect::any;
  bool v31_only = false;
};
using Fields = std::initializer_list<Field>;

/// OAS objects that a `$ref` can stand for and that are checked once each.
enum class Kind {
  path_item,
  operation,
  parameter,
  header,
  request_body,
  response,
  example,
  link,
  callback,
  security_scheme,
  schema,
  media_type,
};

class Checker {
public:
  Checker(Workspace& ws, Diagnostics& diags) : ws_(ws), diags_(diags) {}
  void run();

private:
  // --- reporting (deduplicated: a node reached twice reports once) ---
  void report(Severity severity, std::string id, std::string message, const Location& where,
              const std::string& pointer);
  void error(std::string id, std::string message, const Node& at);
  void warning(std::string id, std::string message, const Node& at);
  void error_at_key(std::string id, std::string message, const Node& object, std::size_t index);

  // --- references and traversal ---
  const Node* resolve(const Node& holder);
  /// A position that may hold `kind` or a Reference to it.
  void visit(const Node& node, Kind kind);
  void dispatch(const Node& node, Kind kind);
  void drain();
  /// Follows a `$ref` where the spec allows none (DigitalOcean does this),
  /// with a warning; otherwise returns `node`.
  const Node* follow_nonstandard(const Node& node, std::string_view what);

  // --- generic object rules ---
  bool type_ok(const Node& value, Expect type) const;
  /// Mapping check, unknown fields and field types; the node to read from
  /// (a non-standard `$ref` is followed) or nullptr when it is unusable.
  const Node* object(const Node& node, std::string_view what, Fields fields);
  void require(const Node& object, std::string_view what,
               std::initializer_list<std::string_view> names);
  /// The value of `name` when present and of the expected type.
  const Node* field(const Node& object, std::string_view name, Expect type);
  void check_string_list(const Node& list, std::string_view what);
  void check_example_pair(const Node& object);
  void check_map_of(const Node& map, Kind kind);

  // --- document level ---
  void check_root(const Node& root);
  bool check_version(const Node& root);
  void check_info(const Node& info);
  void check_license(const Node& license);
  void check_servers(const Node& servers);
  void check_server(const Node& server);
  void check_server_variable(const Node& variable);
  void check_external_docs(const Node& docs);
  void check_tags(const Node& tags);
  void check_components(const Node& components);
  void collect_security_schemes(const Node& root);

  // --- paths and operations ---
  void check_paths(const Node& paths);
  void check_path_templates(const std::string& path, const Node& path_item_ref);
  void check_webhooks(const Node& webhooks);
  void check_path_item(const Node& item);
  void check_operation(const Node& operation);
  void check_parameter_list(const Node& list);
  void check_security(const Node& requirements);
  void check_callback(const Node& callback);

  // --- parameters, bodies, responses ---
  void check_parameter(const Node& param);
  void check_parameter_location(const Node& param, const std::string& loc);
  void check_path_required(const Node& param);
  void check_header(const Node& header);
  void check_schema_or_content(const Node& object, std::string_view what);
  void check_request_body(const Node& body);
  void check_content(const Node& content);
  void check_media_type(const Node& media);
  void check_encoding(const Node& encoding);
  void check_responses(const Node& responses);
  void check_response(const Node& response);
  void check_example(const Node& example);
  void check_link(const Node& link);
  void check_security_scheme(const Node& scheme);
  void check_oauth_flows(const Node& flows);
  void check_links_targets();

  // --- schemas ---
  void check_schema(const Node& schema);
  void check_schema_type(const Node& type);
  void check_version_keyword(const std::string& key, const Node& value);
  void check_schema_map(const Node& map, std::string_view keyword);
  void check_schema_list(const Node& list, std::string_view keyword);
  void check_discriminator(const Node& discriminator);

  bool v30() const { return minor_ == "3.0"; }

  struct VisitHash {
    std::size_t operator()(const std::pair<const Node*, Kind>& v) const {
      return std::hash<const void*>()(v.first) ^ (static_cast<std::size_t>(v.second) << 1);
    }
  };

  Workspace& ws_;
  Diagnostics& diags_;
  std::string minor_ = "3.1";
  std::unordered_set<std::string> reported_;
  std::unordered_map<const Node*, const Node*> resolved_;
  std::unordered_set<std::pair<const Node*, Kind>, VisitHash> visited_;
  std::deque<std::pair<const Node*, Kind>> pending_;
  std::set<std::string> security_schemes_;
  bool declares_schemes_ = false;
  std::map<std::string, const Node*> operation_ids_;
  std::vector<const Node*> link_operation_ids_;
  int depth_ = 0;  ///< guards recursion through nested schemas and followed refs
};

}  // namespace keel::gen::spec
