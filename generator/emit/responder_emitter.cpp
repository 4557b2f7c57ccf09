#include "emit/responder_emitter.h"

#include "emit/cpp_text.h"
#include "emit/model_emitter.h"
#include "ir/naming.h"

namespace keel::gen::emit {
namespace {

bool is_range(const std::string& status) { return status.size() == 3 && (status[1] == 'X' || status[1] == 'x'); }

// The status as part of an identifier: 200, 4xx, default.
std::string status_word(const std::string& status) {
  if (status == "default") return "default";
  std::string out = status;
  if (is_range(status)) out[1] = out[2] = 'x';
  return out;
}

struct Factory {
  std::string name;
  std::string comment;
  std::string parameters;  ///< definition parameters
  std::string defaults;    ///< what the declaration adds after them (default arguments)
  std::string body;        ///< statements building `response`
};

std::string headers_struct_name(const ir::Response& r) {
  std::string word = status_word(r.status);
  word[0] = static_cast<char>(word[0] >= 'a' && word[0] <= 'z' ? word[0] - 'a' + 'A' : word[0]);
  return "Headers" + word;
}

}  // namespace

std::string header_type(const ir::ResponseHeader& header) {
  switch (header.type) {
    case ir::ScalarType::integer: return "std::int64_t";
    case ir::ScalarType::number: return "double";
    case ir::ScalarType::boolean: return "bool";
    case ir::ScalarType::string: return "std::string";
  }
  return "std::string";
}

ResponderCode emit_responder(const ir::Operation& op, const ir::Models& models) {
  const std::string& type = op.response_type;
  std::string id = op.operation_id.empty() ? op.method_name : op.operation_id;
  std::string id_literal = cpp_string(id);
  ir::NameScope names;
  for (const char* taken : {"error", "unchecked", "response", "take"}) names.claim(taken);

  ResponderCode code;
  std::string header_structs, header_aliases;
  std::vector<Factory> factories;
  std::vector<std::string> error_statuses;
  for (const auto& r : op.responses) {
    const bool ranged = is_range(r.status) || r.status == "default";
    if (r.status == "default" || r.status[0] == '4' || r.status[0] == '5') error_statuses.push_back(r.status);
    std::string status_expr =
        ranged ? "keel::checked_status(status, " + cpp_string(r.status) + ", " + id_literal + ")" : r.status;
    std::string header_params, header_default, header_statements;
    if (!r.headers.empty()) {
      std::string name = headers_struct_name(r);
      bool any_required = false;
      // At namespace scope, so that its member initializers are usable in the
      // factory's default argument (not so inside the unfinished responder).
      std::string outer = type + name;
      header_structs += "\n/// Headers of `" + comment_line(id) + "`'s " + comment_line(r.status) + " response.\nstruct " +
                        outer + " {\n";
      header_aliases += "  using " + name + " = " + outer + ";\n";
      for (const auto& h : r.headers) {
        any_required |= h.required;
        header_structs += "  /// `" + comment_line(h.name) + "`" + (h.required ? ", required" : "") +
                          (h.description.empty() ? "" : ": " + comment_line(h.description)) + "\n";
        std::string member = h.required ? "  " + header_type(h) + " " + h.member + "{};\n"
                                        : "  std::optional<" + header_type(h) + "> " + h.member + "{};\n";
        header_structs += member;
        code.shape += name + ":" + member;
        header_statements += "  keel::set_header(response, " + cpp_string(h.name) + ", headers." + h.member + ");\n";
      }
      header_structs += "};\n";
      header_params = "const " + name + "& headers";
      if (!any_required) header_default = " = {}";
    }
    auto add = [&](const std::string& suffix, const std::string& media_comment, std::string body_params,
                   const std::string& build) {
      Factory f;
      f.name = names.claim("status_" + status_word(r.status) + suffix);
      f.comment = comment_line(r.status) + (r.description.empty() ? "" : ": " + comment_line(r.description)) +
                  media_comment;
      std::string params = ranged ? "int status" : "";
      auto append = [&](const std::string& p) {
        if (!p.empty()) params += (params.empty() ? "" : ", ") + p;
      };
      append(body_params);
      append(header_params);
      f.parameters = params;
      f.defaults = header_default;
      f.body = "  keel::Response response = " + build + ";\n" + header_statements;
      factories.push_back(std::move(f));
    };
    if (r.content.empty()) {
      add("", "", "", "keel::empty_response(" + status_expr + ")");
      continue;
    }
    for (const auto& m : r.content) {
      std::string suffix = r.content.size() > 1 ? "_" + ir::media_word(m.name) : "";
      std::string media_comment = " (" + comment_line(m.name) + ")";
      const bool wildcard = m.name.find('*') != std::string::npos;
      std::string content_type = wildcard ? "content_type" : cpp_string(m.name.substr(0, m.name.find(';')));
      std::string type_param = wildcard ? ", std::string content_type" : "";
      if (m.json) {
        std::string body_type = m.validator && *m.validator < models.roots.size()
                                    ? cpp_type(models, models.roots[*m.validator], "models::")
                                    : "nlohmann::json";
        add(suffix, media_comment, "const " + body_type + "& body" + type_param,
            "keel::json_body(" + status_expr + ", body, " + content_type + ")");
      } else {
        add(suffix, media_comment, "std::string body" + type_param,
            "keel::bytes_response(" + status_expr + ", std::move(body), " +
                (wildcard ? "std::move(content_type)" : content_type) + ")");
      }
    }
  }

  std::string& h = code.declaration;
  h += header_structs;
  h += "\n/// What `" + comment_line(id) + "` (" + op.method + " " + comment_line(op.path) +
       ") answers: one factory per documented\n/// status and media type. Range and `default` factories take the status,\n"
       "/// checked at run time to belong to it.\n";
  h += "class " + type + " final : public keel::TypedResponse {\npublic:\n";
  h += header_aliases;
  for (const auto& f : factories) {
    h += "  /// " + f.comment + "\n";
    h += "  static " + type + " " + f.name + "(" + f.parameters + f.defaults + ");\n";
    code.shape += f.name + "(" + f.parameters + f.defaults + ")\n";
  }
  std::string documented;
  for (const auto& s : error_statuses) documented += (documented.empty() ? "" : ", ") + cpp_string(s);
  if (!error_statuses.empty()) {
    h += "  /// The error envelope for `error`, whose status must be a documented one\n";
    h += "  /// (" + comment_line(documented) + "; else a 500 at run time).\n";
    h += "  static " + type + " error(keel::ApiError error);\n";
    code.shape += "error{" + documented + "}\n";
  }
  h += "  /// Escape hatch: a response built by hand. Nothing checks it at compile\n";
  h += "  /// time; response validation (ServerConfig::validate_responses) does.\n";
  h += "  static " + type + " unchecked(keel::Response response);\n";
  h += "\nprivate:\n  using keel::TypedResponse::TypedResponse;\n  friend class Handlers;\n};\n";

  std::string& c = code.definitions;
  for (const auto& f : factories) {
    c += "\n" + type + " " + type + "::" + f.name + "(" + f.parameters + ") {\n";
    c += f.body + "  return " + type + "(std::move(response));\n}\n";
  }
  if (!error_statuses.empty()) {
    c += "\n" + type + " " + type + "::error(keel::ApiError error) {\n";
    c += "  return " + type + "(keel::checked_error(std::move(error), {" + documented + "}, " + id_literal + "));\n}\n";
  }
  c += "\n" + type + " " + type + "::unchecked(keel::Response response) { return " + type +
       "(std::move(response)); }\n";
  return code;
}

}  // namespace keel::gen::emit
