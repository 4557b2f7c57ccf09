#include "emit/decode_emitter.h"

#include "emit/cpp_text.h"

#include <charconv>
#include <cmath>
#include <optional>

namespace keel::gen::emit {
namespace {

using ir::ParamIn;
using ir::ScalarType;

const char* location_name(ParamIn in) {
  switch (in) {
    case ParamIn::path: return "path";
    case ParamIn::query: return "query";
    case ParamIn::header: return "header";
    case ParamIn::cookie: return "cookie";
  }
  return "query";
}

std::string value_type(const ir::Parameter& p) {
  if (!p.scalar) return "std::string";
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
  if (!p.scalar) return cpp_string(d);
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
      auto opt = [](const std::optional<std::uint64_t>& v) {
        return v ? "std::uint64_t{" + std::to_string(*v) + "}" : std::string("std::nullopt");
      };
      line("keel::param::check_length(value, " + opt(s.min_length) + ", " + opt(s.max_length) + ", " +
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

// When the schema has keywords the scalar checks above do not cover, the
// decoded value goes through the parameter's schema validator instead.
std::string schema_check(const ir::Parameter& p, const std::vector<std::string>& validators,
                         const std::string& ptr, const std::string& in) {
  if (!p.scalar || !p.validator) return "";
  std::string out = in + "{\n";
  out += in + "  keel::schema::Errors invalid;\n";
  out += in + "  if (!" + validators.at(*p.validator) +
         "(nlohmann::json(value), invalid, keel::schema::request_options()))\n";
  out += in + "    keel::schema::append_field_errors(invalid, " + ptr + ", errors);\n";
  out += in + "}\n";
  return out;
}

// `valid` for the media type the request matched: one validator call per
// declared JSON media type with a schema ("" when there is none).
std::string body_schema_checks(const ir::RequestBody& body, const std::vector<std::string>& validators) {
  std::string expr;
  for (std::size_t i = 0; i < body.content.size(); ++i) {
    const auto& media = body.content[i];
    if (!media.validator) continue;
    expr += "input.body.declared == " + std::to_string(i) + " ? " + validators.at(*media.validator) +
            "(input.body.json, invalid, keel::schema::request_options()) :\n        ";
  }
  return expr.empty() ? "" : expr + "true";
}

}  // namespace

std::vector<Field> request_fields(const ir::Operation& op, Diagnostics& diags) {
  std::vector<Field> fields;
  for (const auto& p : op.parameters) {
    Field f;
    f.comment = std::string(location_name(p.in)) + " parameter `" + comment_line(p.name) + "`";
    if (p.required) f.comment += ", required";
    if (!p.description.empty()) f.comment += ": " + comment_line(p.description);
    std::string type = value_type(p);
    if (uses_plain_type(p) && p.schema.default_value && !p.required) {
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
    fields.push_back({"request body (" + comment_line(media) + ")" + (op.body->required ? ", required" : ""),
                      "keel::Body body;"});
  }
  return fields;
}

std::string decode_statements(const ir::Operation& op, const std::vector<std::string>& validators) {
  std::string out;
  bool query = false, cookies = false;
  for (const auto& p : op.parameters) {
    query |= p.in == ParamIn::query;
    cookies |= p.in == ParamIn::cookie;
  }
  if (query) out += "  const keel::QueryParams query(request.query, errors);\n";
  if (cookies) out += "  const keel::CookieParams cookies(request.headers.find(\"Cookie\"));\n";

  for (const auto& p : op.parameters) {
    std::string ptr = cpp_string(
        "/" + std::string(location_name(p.in)) + "/" +
        [&] {
          std::string escaped;
          for (char c : p.name) escaped += c == '~' ? "~0" : c == '/' ? "~1" : std::string(1, c);
          return escaped;
        }());
    std::string name = cpp_string(p.name);
    std::string type = value_type(p);
    std::string target = "input." + p.field_name;
    std::string assign = target + " = std::move(value);";
    out += "  // " + std::string(location_name(p.in)) + " `" + comment_line(p.name) + "`\n";
    if (p.in == ParamIn::path) {
      auto index = path_param_index(op.path, p.name);
      if (!index) {
        out += "  // not in the path template; the checker reports it\n";
        continue;
      }
      out += "  {\n    " + type + " value{};\n";
      out += "    if (keel::param::parse_path(match.params[" + std::to_string(*index) + "], value, " +
             ptr + ", errors)) {\n";
      out += p.validator ? schema_check(p, validators, ptr, "      ") : checks(p, ptr, "      ");
      out += "      " + assign + "\n    }\n  }\n";
      continue;
    }
    std::string source = p.in == ParamIn::query    ? "query.get(" + name + ", errors)"
                         : p.in == ParamIn::header ? "request.headers.find(" + name + ")"
                                                   : "cookies.get(" + name + ")";
    out += "  if (const std::string* raw = " + source + ") {\n";
    out += "    " + type + " value{};\n";
    out += "    if (keel::param::parse(*raw, value, " + ptr + ", errors)) {\n";
    out += p.validator ? schema_check(p, validators, ptr, "      ") : checks(p, ptr, "      ");
    out += "      " + assign + "\n    }\n  }";
    if (p.required) out += " else {\n    errors.push_back(keel::param::missing(" + ptr + "));\n  }";
    out += "\n";
  }
  if (op.body) {
    std::string ranges;
    for (const auto& m : op.body->content)
      ranges += (ranges.empty() ? "" : ", ") + std::string("{") + cpp_string(m.name) + ", " +
                (m.json ? "true" : "false") + "}";
    out += "  // request body\n";
    std::string checks_by_type = body_schema_checks(*op.body, validators);
    if (!checks_by_type.empty()) out += "  const std::size_t errors_before_body = errors.size();\n";
    out += "  if (auto refused = keel::read_body(request, {" + ranges + "}, " +
           (op.body->required ? "true" : "false") + ", input.body, errors)) {\n";
    out += "    return keel::error_response(std::move(*refused));\n  }\n";
    if (!checks_by_type.empty()) {
      out += "  // the body's schema, for a JSON body that parsed\n";
      out += "  if (input.body.present && errors.size() == errors_before_body) {\n";
      out += "    keel::schema::Errors invalid;\n";
      out += "    const bool valid = " + checks_by_type + ";\n";
      out += "    if (!valid) keel::schema::append_field_errors(invalid, \"/body\", errors);\n  }\n";
    }
  }
  return out;
}

}  // namespace keel::gen::emit
