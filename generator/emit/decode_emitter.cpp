#include "emit/decode_emitter.h"

#include "emit/cpp_text.h"
#include "emit/model_emitter.h"
#include "emit/responder_emitter.h"

#include <keel/json_type.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <optional>

namespace keel::gen::emit {
namespace {

using ir::location_name;
using ir::ParamIn;
using ir::ScalarType;

// The model type of a schema root, or "" without one.
std::string root_type(const ir::Models& models, const std::optional<std::uint32_t>& root) {
  if (!root || *root >= models.roots.size()) return "";
  return cpp_type(models, models.roots[*root], "models::");
}

std::string value_type(const ir::Parameter& p, const ir::Models& models) {
  if (!p.scalar) {
    std::string typed = root_type(models, p.validator);
    return typed.empty() ? "nlohmann::json" : typed;
  }
  switch (p.schema.type) {
    case ScalarType::integer: return p.schema.format == "int32" ? "std::int32_t" : "std::int64_t";
    case ScalarType::number: return "double";
    case ScalarType::boolean: return "bool";
    case ScalarType::string: return "std::string";
  }
  return "std::string";
}

bool is_integral(const std::string& text) {
  std::int64_t v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  return ec == std::errc() && end == text.data() + text.size();
}

bool is_finite_number(const std::string& text) {
  double v = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  return ec == std::errc() && end == text.data() + text.size() && std::isfinite(v);
}

// The C++ initializer for a parameter's schema default, or "" when the
// default does not fit the type (reported as a warning).
std::string default_literal(const ir::Parameter& p) {
  const auto& d = *p.schema.default_value;
  switch (p.schema.type) {
    case ScalarType::integer: return is_integral(d) ? d : "";
    case ScalarType::number: return is_finite_number(d) ? "double{" + d + "}" : "";
    case ScalarType::boolean: return d == "true" || d == "false" ? d : "";
    case ScalarType::string: return cpp_string(d);
  }
  return "";
}

// Position of `{name}` among the template's parameters: the matcher
// captures them in template order.
std::optional<std::size_t> path_param_index(const std::string& path, const std::string& name) {
  std::size_t index = 0, pos = 0;
  while ((pos = path.find('{', pos)) != std::string::npos) {
    std::size_t close = path.find('}', pos);
    if (close == std::string::npos) break;
    if (path.compare(pos + 1, close - pos - 1, name) == 0) return index;
    ++index;
    pos = close + 1;
  }
  return std::nullopt;
}

bool uses_plain_type(const ir::Parameter& p) { return p.required || p.schema.default_value; }

std::string bound_check(const ir::Parameter& p, const char* which, const std::string& bound,
                        bool exclusive, const std::string& ptr) {
  std::string call = std::string("keel::param::check_") + which + "(";
  std::string excl = exclusive ? "true" : "false";
  if (p.schema.type == ScalarType::integer && is_integral(bound))
    return call + "value, std::int64_t{" + bound + "}, " + excl + ", " + ptr + ", errors);";
  if (!is_finite_number(bound)) return "";
  return call + "static_cast<double>(value), static_cast<double>(" + bound + "), " + excl + ", " +
         ptr + ", errors);";
}

// A std::optional<std::uint64_t> argument.
std::string optional_count(const std::optional<std::uint64_t>& v) {
  return v ? "std::uint64_t{" + std::to_string(*v) + "}" : std::string("std::nullopt");
}

std::string checks(const ir::Parameter& p, const std::string& ptr, const std::string& in) {
  if (!p.scalar) return "";
  const auto& s = p.schema;
  std::string out;
  auto line = [&](const std::string& stmt) {
    if (!stmt.empty()) out += in + stmt + "\n";
  };
  if (s.type == ScalarType::integer || s.type == ScalarType::number) {
    if (s.minimum) line(bound_check(p, "minimum", *s.minimum, s.exclusive_minimum, ptr));
    if (s.maximum) line(bound_check(p, "maximum", *s.maximum, s.exclusive_maximum, ptr));
  }
  if (s.type == ScalarType::string) {
    if (s.min_length || s.max_length) {
      line("keel::param::check_length(value, " + optional_count(s.min_length) + ", " + optional_count(s.max_length) + ", " +
           ptr + ", errors);");
    }
    if (!s.enum_values.empty()) {
      std::string list;
      for (const auto& v : s.enum_values) list += (list.empty() ? "" : ", ") + cpp_string(v);
      line("keel::param::check_enum(value, {" + list + "}, " + ptr + ", errors);");
    }
  }
  return out;
}

// `validator` over `json` as a boolean expression that fills `invalid`: the
// fast check first, the collecting walk only when it fails, so that valid
// input never pays for error collection.
std::string checked(const std::string& validator, const std::string& json) {
  return "(" + validator + "(" + json + ", keel::schema::request_options()) || " + validator + "(" + json +
         ", invalid, keel::schema::request_options()))";
}

// The parameter's schema validator over `json` (an expression), when it has one.
std::string schema_check(const ir::Parameter& p, const std::vector<std::string>& validators,
                         const std::string& json, const std::string& ptr, const std::string& in) {
  if (!p.validator) return "";
  std::string out = in + "{\n";
  out += in + "  keel::schema::Errors invalid;\n";
  out += in + "  if (!" + checked(validators.at(*p.validator), json) + ")\n";
  out += in + "    keel::schema::append_field_errors(invalid, " + ptr + ", errors);\n";
  out += in + "}\n";
  return out;
}

// keel::JsonType bits as an expression.
std::string types_expr(unsigned bits) {
  static constexpr std::pair<unsigned, const char*> names[] = {
      {keel::type_null, "keel::type_null"},       {keel::type_boolean, "keel::type_boolean"},
      {keel::type_object, "keel::type_object"},   {keel::type_array, "keel::type_array"},
      {keel::type_number, "keel::type_number"},   {keel::type_string, "keel::type_string"},
      {keel::type_integer, "keel::type_integer"}};
  std::string out;
  for (const auto& [bit, name] : names)
    if ((bits & bit) != 0) out += (out.empty() ? "" : " | ") + std::string(name);
  return out.empty() ? "0u" : out;
}

std::string style_expr(const std::string& style) {
  if (style == "label") return "keel::param::Style::label";
  if (style == "matrix") return "keel::param::Style::matrix";
  if (style == "form") return "keel::param::Style::form";
  if (style == "spaceDelimited") return "keel::param::Style::space_delimited";
  if (style == "pipeDelimited") return "keel::param::Style::pipe_delimited";
  if (style == "deepObject") return "keel::param::Style::deep_object";
  return "keel::param::Style::simple";
}

std::string bool_expr(bool b) { return b ? "true" : "false"; }

// A keel::param::Shape initializer; an object's properties are declared
// first, as `static constexpr keel::param::Property <name>[]`, into `decls`.
std::string shape_expr(const ir::Shape& shape, const std::string& name, std::string& decls) {
  using Kind = ir::Shape::Kind;
  std::string kind = shape.kind == Kind::object  ? "object"
                     : shape.kind == Kind::array ? "array"
                                                 : "primitive";
  std::string out = "{keel::param::Shape::Kind::" + kind + ", " + types_expr(shape.types);
  if (!shape.properties.empty()) {
    decls += "  static constexpr keel::param::Property " + name + "[] = {";
    for (std::size_t i = 0; i < shape.properties.size(); ++i)
      decls += std::string(i == 0 ? "" : ",") + "\n      {" + cpp_string(shape.properties[i].first) +
               ", " + types_expr(shape.properties[i].second) + "}";
    decls += "};\n";
    return out + ", " + name + "}";
  }
  return out + ", {}}";
}

std::string pointer_literal(const ir::Parameter& p) {
  std::string escaped;
  for (char c : p.name) escaped += c == '~' ? "~0" : c == '/' ? "~1" : std::string(1, c);
  return cpp_string("/" + std::string(location_name(p.in)) + "/" + escaped);
}

// Whether the parameter is decoded through a keel::param::Param (every query
// parameter, and the style-serialized non-scalar ones elsewhere).
bool described(const ir::Parameter& p) {
  return p.in == ParamIn::query || (!p.scalar && !p.content_json);
}

// `static constexpr keel::param::Param param_<field>` (and what it refers to).
std::string param_declaration(const ir::Operation& op, const ir::Parameter& p) {
  std::string decls;
  ir::Shape shape = p.shape;
  if (p.scalar) shape = {ir::Shape::Kind::primitive, keel::type_string, {}};  // text, parsed after
  std::string shape_init = shape_expr(shape, "properties_" + p.field_name, decls);
  std::string siblings = ",\n      .siblings = {}";
  if (p.in == ParamIn::query && shape.kind == ir::Shape::Kind::object && p.style == "form" &&
      p.explode && shape.types != 0) {
    std::string list;
    for (const auto& other : op.parameters)
      if (other.in == ParamIn::query && &other != &p)
        list += (list.empty() ? "" : ", ") + cpp_string(other.name);
    if (!list.empty()) {
      decls += "  static constexpr std::string_view siblings_" + p.field_name + "[] = {" + list + "};\n";
      siblings = ",\n      .siblings = siblings_" + p.field_name;
    }
  }
  decls += "  static constexpr keel::param::Param param_" + p.field_name + "{.name = " +
           cpp_string(p.name) + ",\n      .pointer = " + pointer_literal(p) +
           ",\n      .style = " + style_expr(p.style) + ",\n      .explode = " + bool_expr(p.explode) +
           ",\n      .required = " + bool_expr(p.required) +
           ",\n      .allow_reserved = " + bool_expr(p.allow_reserved) + ",\n      .shape = " + shape_init +
           siblings + "};\n";
  return decls;
}

// Two more spaces before every line of `code`.
std::string indent(const std::string& code) {
  std::string out;
  std::size_t start = 0;
  while (start < code.size()) {
    std::size_t end = code.find('\n', start);
    end = end == std::string::npos ? code.size() : end + 1;
    out += "  " + code.substr(start, end - start);
    start = end;
  }
  return out;
}

// Statements for a parameter decoded to JSON (keel/param_style.h), then
// checked by its schema's validator.
std::string json_param_statements(const ir::Parameter& p, std::optional<std::size_t> path_index,
                                  const std::vector<std::string>& validators, const ir::Models& models) {
  std::string ptr = pointer_literal(p);
  std::string param = "param_" + p.field_name;
  std::string json = p.content_json && *p.content_json ? "true" : "false";
  std::string typed = root_type(models, p.validator);
  // A model is filled from a value its validator accepted (from_json expects one).
  std::string accept = typed.empty()
                           ? schema_check(p, validators, "value", ptr, "    ") + "    input." + p.field_name +
                                 " = std::move(value);\n"
                           : "    keel::schema::Errors invalid;\n    if (!" + checked(validators.at(*p.validator), "value") +
                                 ")\n      keel::schema::append_field_errors(invalid, " + ptr +
                                 ", errors);\n    else\n      input." + p.field_name + " = value.get<" + typed +
                                 ">();\n";
  std::string out = "  {\n    nlohmann::json value;\n";
  std::string decoded;
  if (p.content_json) {
    if (p.in == ParamIn::query) {
      decoded = "keel::param::decode_query_content(query, " + param + ", " + json + ", value, errors)";
    } else {
      std::string raw = p.in == ParamIn::path     ? "match.params[" + std::to_string(*path_index) + "]"
                        : p.in == ParamIn::header ? "request.headers.find(" + cpp_string(p.name) + ")"
                                                  : "cookies.get(" + cpp_string(p.name) + ")";
      std::string location = location_name(p.in);
      if (p.in == ParamIn::path) {
        out += "    if (keel::param::decode_content(" + raw + ", keel::param::Location::path, " + json +
               ", " + ptr + ", value, errors)) {\n";
      } else {
        out += "    const std::string* raw = " + raw + ";\n";
        if (p.required) out += "    if (!raw) errors.push_back(keel::param::missing(" + ptr + "));\n";
        out += "    if (raw && keel::param::decode_content(*raw, keel::param::Location::" + location + ", " +
               json + ", " + ptr + ", value, errors)) {\n";
      }
      return out + indent(accept) + "    }\n  }\n";
    }
  } else {
    decoded = p.in == ParamIn::path
                  ? "keel::param::decode_path(match.params[" + std::to_string(*path_index) + "], " + param +
                        ", value, errors)"
              : p.in == ParamIn::query  ? "keel::param::decode_query(query, " + param + ", value, errors)"
              : p.in == ParamIn::header ? "keel::param::decode_header(request.headers, " + param +
                                              ", value, errors)"
                                        : "keel::param::decode_cookie(cookies, " + param + ", value, errors)";
  }
  out += "    if (" + decoded + " == keel::param::Decoded::value) {\n";
  return out + indent(accept) + "    }\n  }\n";
}

// `valid` for the media type the request matched: one validator call per
// declared JSON or form media type with a schema ("" when there is none).
std::string body_schema_checks(const ir::RequestBody& body, const std::vector<std::string>& validators) {
  std::string expr;
  for (std::size_t i = 0; i < body.content.size(); ++i) {
    const auto& media = body.content[i];
    if (!media.validator) continue;
    expr += "input.body.declared == " + std::to_string(i) + " ? " +
            checked(validators.at(*media.validator), "input.body.json") + " :\n        ";
  }
  return expr.empty() ? "" : expr + "true";
}

// `static constexpr keel::form::Spec form_<i>` for a form media type.
std::string form_declaration(const ir::MediaType& media, std::size_t index) {
  std::string decls, fields;
  std::string tag = std::to_string(index);
  for (std::size_t i = 0; i < media.fields.size(); ++i) {
    const auto& f = media.fields[i];
    std::string shape = shape_expr(f.shape, "form_" + tag + "_properties_" + std::to_string(i), decls);
    fields += "\n      {.name = " + cpp_string(f.name) + ",\n       .shape = " + shape +
              ",\n       .encoding = {.content_type = " + cpp_string(f.content_type) +
              ", .style = " + style_expr(f.style) + ", .explode = " + bool_expr(f.explode) +
              ", .allow_reserved = " + bool_expr(f.allow_reserved) + "},\n       .file = " + bool_expr(f.file) +
              "},";
  }
  std::string name = "form_" + tag;
  if (!fields.empty()) {
    fields.pop_back();
    decls += "  static constexpr keel::form::Field " + name + "_fields[] = {" + fields + "};\n";
  }
  decls += "  static constexpr keel::form::Spec " + name + "{" + (fields.empty() ? "{}" : name + "_fields") +
           ", " + types_expr(media.additional_types) + "};\n";
  return decls;
}

std::string body_statements(const ir::RequestBody& body, const ir::Models& models,
                            const std::vector<std::string>& validators) {
  std::string out, ranges, decode, lengths;
  for (std::size_t i = 0; i < body.content.size(); ++i) {
    const auto& m = body.content[i];
    ranges += (ranges.empty() ? "" : ", ") + std::string("{") + cpp_string(m.name) + ", " +
              bool_expr(m.json) + "}";
    std::string when = "input.body.declared == " + std::to_string(i);
    if (m.form != ir::MediaType::Form::none) {
      out += form_declaration(m, i);
      decode += "  if (" + when + ") {\n    if (auto refused = keel::decode_form_body(request, " +
                bool_expr(m.form == ir::MediaType::Form::multipart) + ", form_" + std::to_string(i) +
                ", input.body, errors))\n      return keel::error_response(std::move(*refused));\n  }\n";
    } else if (m.min_length || m.max_length) {
      lengths += "  if (" + when + ") keel::check_body_length(input.body, " + optional_count(m.min_length) + ", " +
                 optional_count(m.max_length) + ", errors);\n";
    }
  }
  out += "  // request body\n";
  std::string checks_by_type = body_schema_checks(body, validators);
  if (!checks_by_type.empty()) out += "  const std::size_t errors_before_body = errors.size();\n";
  out += "  if (auto refused = keel::read_body(request, {" + ranges + "}, " + bool_expr(body.required) +
         ", input.body, errors)) {\n";
  out += "    return keel::error_response(std::move(*refused));\n  }\n";
  if (!decode.empty()) out += "  // form bodies to a JSON object (keel/form.h)\n" + decode;
  out += lengths;
  if (!checks_by_type.empty()) {
    out += "  // the body's schema, for a JSON or form body that decoded\n";
    out += "  if (input.body.present && errors.size() == errors_before_body) {\n";
    out += "    keel::schema::Errors invalid;\n";
    out += "    const bool valid = " + checks_by_type + ";\n";
    out += "    if (!valid) keel::schema::append_field_errors(invalid, \"/body\", errors);\n";
    auto members = payload_members(body, models);
    if (!members.empty()) {
      out += "    // to the body's model, from a value its validator accepted\n";
      out += "    if (valid) {\n";
      for (const auto& m : members)
        for (std::size_t i : m.media)
          out += "      if (input.body.declared == " + std::to_string(i) + ") input." + m.name +
                 " = input.body.json.get<" + m.type + ">();\n";
      out += "    }\n";
    }
    out += "  }\n";
  }
  return out;
}

}  // namespace

std::vector<Payload> payload_members(const ir::RequestBody& body, const ir::Models& models) {
  std::vector<Payload> out;
  for (std::size_t i = 0; i < body.content.size(); ++i) {
    std::string type = root_type(models, body.content[i].validator);
    if (type.empty()) continue;
    auto same = std::find_if(out.begin(), out.end(), [&](const Payload& m) { return m.type == type; });
    if (same == out.end()) same = out.insert(out.end(), Payload{"", type, {}, false});
    same->media.push_back(i);
  }
  for (auto& m : out) {
    m.name = out.size() == 1 ? body.payload_member : body.content[m.media.front()].payload_member;
    m.plain = body.required && m.media.size() == body.content.size();
  }
  return out;
}

std::vector<Field> request_fields(const ir::Operation& op, const ir::Models& models, Diagnostics& diags) {
  std::vector<Field> fields;
  for (const auto& p : op.parameters) {
    Field f;
    f.comment = std::string(location_name(p.in)) + " parameter `" + comment_line(p.name) + "`";
    if (p.required) f.comment += ", required";
    if (!p.description.empty()) f.comment += ": " + comment_line(p.description);
    std::string type = value_type(p, models);
    if (!p.scalar && p.default_json && !p.required) {
      std::string parsed = "nlohmann::json::parse(" + cpp_string(*p.default_json) + ")";
      f.declaration = type + " " + p.field_name + " = " +
                      (type == "nlohmann::json" ? parsed : parsed + ".get<" + type + ">()") + ";";
    } else if (p.scalar && uses_plain_type(p) && p.schema.default_value && !p.required) {
      std::string init = default_literal(p);
      if (init.empty()) {
        diags.warning("W-PARAM-DEFAULT", "default of parameter '" + p.name + "' does not fit its type; ignored",
                      p.source, "");
        f.declaration = "std::optional<" + type + "> " + p.field_name + ";";
      } else {
        f.declaration = type + " " + p.field_name + " = " + init + ";";
      }
    } else if (p.required) {
      f.declaration = type + " " + p.field_name + "{};";
    } else {
      f.declaration = "std::optional<" + type + "> " + p.field_name + ";";
    }
    fields.push_back(std::move(f));
  }
  if (op.body) {
    std::string media;
    for (const auto& m : op.body->content) media += (media.empty() ? "" : ", ") + m.name;
    fields.push_back({"request body (" + comment_line(media) + ")" + (op.body->required ? ", required" : "") +
                          ": the bytes, media type and files",
                      "keel::Body body;"});
    for (const auto& m : payload_members(*op.body, models)) {
      std::string as;
      for (std::size_t i : m.media) as += (as.empty() ? "" : ", ") + op.body->content[i].name;
      fields.push_back({"the body as a model, " + std::string(m.plain ? "sent as " : "when sent as ") +
                            comment_line(as) + " (validated first)",
                        m.plain ? m.type + " " + m.name + "{};" : "std::optional<" + m.type + "> " + m.name + ";"});
    }
  }
  return fields;
}

std::string decode_statements(const ir::Operation& op, const ir::Models& models,
                              const std::vector<std::string>& validators) {
  std::string out;
  bool query = op.reject_unknown_query, cookies = false;
  for (const auto& p : op.parameters) {
    query |= p.in == ParamIn::query;
    cookies |= p.in == ParamIn::cookie;
  }
  for (const auto& p : op.parameters)
    if (described(p) && (p.in != ParamIn::path || path_param_index(op.path, p.name)))
      out += param_declaration(op, p);
  if (query) out += "  const keel::param::RawQuery query(request.query, errors);\n";
  if (cookies) out += "  const keel::CookieParams cookies(request.headers.find(\"Cookie\"));\n";

  for (const auto& p : op.parameters) {
    std::string ptr = pointer_literal(p);
    std::string name = cpp_string(p.name);
    std::string type = value_type(p, models);
    std::string assign = "input." + p.field_name + " = std::move(value);";
    out += "  // " + std::string(location_name(p.in)) + " `" + comment_line(p.name) + "`\n";
    auto index = path_param_index(op.path, p.name);
    if (p.in == ParamIn::path && !index) {
      out += "  // not in the path template; the checker reports it\n";
      continue;
    }
    if (!p.scalar) {
      out += json_param_statements(p, index, validators, models);
      continue;
    }
    std::string scalar_checks = p.validator ? schema_check(p, validators, "nlohmann::json(value)", ptr, "      ")
                                            : checks(p, ptr, "      ");
    if (p.in == ParamIn::path) {
      out += "  {\n    " + type + " value{};\n";
      out += "    if (keel::param::parse_encoded(match.params[" + std::to_string(*index) + "], value, " +
             ptr + ", errors)) {\n";
      out += scalar_checks + "      " + assign + "\n    }\n  }\n";
      continue;
    }
    // Query text comes found, percent-decoded and checked for repeats (and
    // for `required`); header text as sent; cookie text is percent-decoded
    // here, as decode_cookie does for the others.
    std::string source = p.in == ParamIn::query    ? "keel::param::query_text(query, param_" + p.field_name + ", errors)"
                         : p.in == ParamIn::header ? "request.headers.find(" + name + ")"
                                                   : "cookies.get(" + name + ")";
    out += "  if (const auto raw = " + source + ") {\n";
    out += "    " + type + " value{};\n";
    std::string parse = p.in == ParamIn::cookie ? "parse_encoded" : "parse";
    out += "    if (keel::param::" + parse + "(*raw, value, " + ptr + ", errors)) {\n";
    out += scalar_checks + "      " + assign + "\n    }\n  }";
    if (p.required && p.in != ParamIn::query)
      out += " else {\n    errors.push_back(keel::param::missing(" + ptr + "));\n  }";
    out += "\n";
  }
  if (op.reject_unknown_query) {
    std::string list;
    for (const auto& p : op.parameters)
      if (p.in == ParamIn::query) list += (list.empty() ? "&param_" : ", &param_") + p.field_name;
    out += "  // x-keel-unknown-query: reject\n";
    out += "  keel::param::reject_unknown(query, {" + list + "}, errors);\n";
  }
  if (op.body) out += body_statements(*op.body, models, validators);
  return out;
}

}  // namespace keel::gen::emit
