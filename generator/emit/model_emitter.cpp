#include "emit/model_emitter.h"

#include "emit/cpp_text.h"

namespace keel::gen::emit {
namespace {

using ir::ModelKind;
using ir::ModelType;
using ir::TypeRef;

/// Initialiser of a member that has no default constructor worth the name.
std::string member_init(const ir::Models& models, const TypeRef& t) {
  switch (t.kind) {
    case TypeRef::Kind::boolean:
    case TypeRef::Kind::integer: return "{}";
    case TypeRef::Kind::named:
      return !t.boxed && models.types[t.named].kind == ModelKind::enum_ ? "{}" : "";
    default: return "";
  }
}

/// A C++ expression of type `t` for a schema value that fits it (a `const`
/// or a `default`, checked by the model builder).
std::string literal(const ir::Models& models, const TypeRef& t, const ir::Value& v) {
  switch (t.kind) {
    case TypeRef::Kind::boolean: return v.boolean ? "true" : "false";
    case TypeRef::Kind::integer: return int64_literal(v.number.i);
    case TypeRef::Kind::number:
      return v.number.kind == ir::Number::Kind::int64
                 ? "keel::Number(std::int64_t{" + int64_literal(v.number.i) + "})"
                 : "keel::Number(" + double_literal(v.number.d) + ")";
    case TypeRef::Kind::string: return "std::string(" + cpp_string(v.string) + ")";
    case TypeRef::Kind::named: {
      const ModelType& m = models.types[t.named];
      for (const auto& e : m.values)
        if (e.value == v.string) return m.name + "::" + e.enumerator;
      return m.name + "{}";
    }
    default: return "nlohmann::json::parse(" + cpp_string(v.json) + ")";
  }
}

void doc_comment(std::string& out, const ModelType& t) {
  out += "\n/// " + comment_line(t.location) + "\n";
}

void conversions_declaration(std::string& out, const std::string& name) {
  out += "void to_json(nlohmann::json& json, const " + name + "& value);\n";
  out += "void from_json(const nlohmann::json& json, " + name + "& value);\n";
}

// ---- enums --------------------------------------------------------------------

void declare_enum(std::string& out, const ModelType& t) {
  doc_comment(out, t);
  out += "enum class " + t.name + " {\n";
  for (const auto& e : t.values) out += "  " + e.enumerator + ",  // " + comment_line(cpp_string(e.value)) + "\n";
  out += "};\n";
  out += "/// The value as on the wire.\n";
  out += "std::string_view to_string(" + t.name + " value);\n";
  out += "/// False when `text` is none of the values.\n";
  out += "bool from_string(std::string_view text, " + t.name + "& value);\n";
  conversions_declaration(out, t.name);
}

void define_enum(std::string& out, const ModelType& t) {
  out += "\nstd::string_view to_string(" + t.name + " value) {\n  switch (value) {\n";
  for (const auto& e : t.values)
    out += "    case " + t.name + "::" + e.enumerator + ": return " + cpp_string(e.value) + ";\n";
  out += "  }\n  return {};\n}\n";
  out += "\nbool from_string(std::string_view text, " + t.name + "& value) {\n";
  for (const auto& e : t.values) {
    out += "  if (text == " + cpp_string(e.value) + ") {\n";
    out += "    value = " + t.name + "::" + e.enumerator + ";\n    return true;\n  }\n";
  }
  out += "  return false;\n}\n";
  out += "\nvoid to_json(nlohmann::json& json, const " + t.name + "& value) { json = to_string(value); }\n";
  out += "\nvoid from_json(const nlohmann::json& json, " + t.name + "& value) {\n";
  out += "  if (!json.is_string() || !from_string(json.get_ref<const std::string&>(), value))\n";
  out += "    throw std::invalid_argument(\"not a " + t.name + " value\");\n}\n";
}

// ---- structs ------------------------------------------------------------------

std::string extra_type(const ir::Models& models, const ModelType& t) {
  return "std::map<std::string, " +
         (t.extra == ir::ExtraProperties::typed ? cpp_type(models, t.extra_type) : "nlohmann::json") + ">";
}

void declare_struct(std::string& out, const ir::Models& models, const ModelType& t) {
  doc_comment(out, t);
  out += "struct " + t.name + " {\n";
  for (const auto& f : t.fields) {
    std::string type = cpp_type(models, f.type);
    out += "  /// `" + comment_line(f.json_name) + "`" + (f.required ? ", required" : "") + "\n";
    std::string init = f.const_ ? " = " + literal(models, f.type, *f.const_) : member_init(models, f.type);
    out += f.required ? "  " + type + " " + f.member + init + ";\n"
                      : "  std::optional<" + type + "> " + f.member + ";\n";
  }
  if (t.extra != ir::ExtraProperties::none) {
    out += "  /// Properties beyond the declared ones, as sent.\n";
    out += "  " + extra_type(models, t) + " " + t.extra_member + ";\n";
  }
  for (const auto& f : t.fields) {
    if (f.default_accessor.empty()) continue;
    out += "\n  /// `" + f.member + "`, or the schema's default when absent.\n";
    out += "  " + cpp_type(models, f.type) + " " + f.default_accessor + "() const;\n";
  }
  out += "};\n";
  conversions_declaration(out, t.name);
}

void define_struct(std::string& out, const ir::Models& models, const ModelType& t) {
  for (const auto& f : t.fields) {
    if (f.default_accessor.empty()) continue;
    out += "\n" + cpp_type(models, f.type) + " " + t.name + "::" + f.default_accessor + "() const {\n";
    out += "  return " + f.member + " ? *" + f.member + " : " + literal(models, f.type, *f.default_) + ";\n}\n";
  }
  const bool empty = t.fields.empty() && t.extra == ir::ExtraProperties::none;
  out += "\nvoid to_json(nlohmann::json& json, const " + t.name + "& value) {\n";
  out += "  json = nlohmann::json::object();\n";
  if (empty) out += "  (void)value;\n";
  if (t.extra != ir::ExtraProperties::none)
    out += "  for (const auto& [name, item] : value." + t.extra_member + ") keel::write_json(json[name], item);\n";
  for (const auto& f : t.fields) {
    std::string key = cpp_string(f.json_name);
    if (f.required) out += "  keel::write_json(json[" + key + "], value." + f.member + ");\n";
    else out += "  if (value." + f.member + ") keel::write_json(json[" + key + "], *value." + f.member + ");\n";
  }
  out += "}\n";

  out += "\nvoid from_json(const nlohmann::json& json, " + t.name + "& value) {\n";
  if (empty) out += "  (void)json;\n  (void)value;\n";
  for (const auto& f : t.fields) {
    std::string key = cpp_string(f.json_name);
    if (f.required) {
      out += "  keel::read_json(json.at(" + key + "), value." + f.member + ");\n";
    } else {
      out += "  if (auto found = json.find(" + key + "); found != json.end())\n";
      out += "    keel::read_json(*found, value." + f.member + ".emplace());\n";
      out += "  else\n    value." + f.member + ".reset();\n";
    }
  }
  if (t.extra != ir::ExtraProperties::none) {
    out += "  value." + t.extra_member + ".clear();\n";
    out += "  for (const auto& [name, item] : json.items()) {\n";
    if (!t.fields.empty()) {
      std::string known;
      for (const auto& f : t.fields) known += (known.empty() ? "" : " || ") + std::string("name == ") + cpp_string(f.json_name);
      out += "    if (" + known + ") continue;\n";
    }
    out += "    keel::read_json(item, value." + t.extra_member + "[name]);\n";
    out += "  }\n";
  }
  out += "}\n";
}

// ---- variants -----------------------------------------------------------------

void declare_variant(std::string& out, const ir::Models& models, const ModelType& t) {
  doc_comment(out, t);
  out += "struct " + t.name + " {\n  std::variant<";
  for (std::size_t a = 0; a < t.alternatives.size(); ++a)
    out += (a == 0 ? "" : ", ") + cpp_type(models, t.alternatives[a].type);
  out += "> value;\n};\n";
  conversions_declaration(out, t.name);
}

void define_variant(std::string& out, const ModelType& t, const std::vector<std::string>& validators) {
  out += "\nvoid to_json(nlohmann::json& json, const " + t.name + "& value) {\n";
  out += "  std::visit([&](const auto& alternative) { keel::write_json(json, alternative); }, value.value);\n}\n";
  out += "\nvoid from_json(const nlohmann::json& json, " + t.name + "& value) {\n";
  if (!t.discriminator.empty()) {
    out += "  if (auto tag = json.find(" + cpp_string(t.discriminator) + "); tag != json.end() && tag->is_string()) {\n";
    out += "    const auto& name = tag->get_ref<const std::string&>();\n";
    for (const auto& m : t.mapping) {
      std::string a = std::to_string(m.branch);
      out += "    if (name == " + cpp_string(m.value) + ") {\n";
      out += "      keel::read_json(json, value.value.emplace<" + a + ">());\n      return;\n    }\n";
    }
    out += "  }\n";
  }
  // Otherwise the first branch whose schema accepts the instance (the last
  // one needs no check: the whole schema accepted it).
  for (std::size_t a = 0; a + 1 < t.alternatives.size(); ++a) {
    out += "  if (" + validators.at(t.alternatives[a].validator) + "(json)) {\n";
    out += "    keel::read_json(json, value.value.emplace<" + std::to_string(a) + ">());\n    return;\n  }\n";
  }
  out += "  keel::read_json(json, value.value.emplace<" + std::to_string(t.alternatives.size() - 1) + ">());\n}\n";
}

}  // namespace

std::string cpp_type(const ir::Models& models, const TypeRef& t, std::string_view scope) {
  switch (t.kind) {
    case TypeRef::Kind::json: return "nlohmann::json";
    case TypeRef::Kind::boolean: return "bool";
    case TypeRef::Kind::integer: return "std::int64_t";
    case TypeRef::Kind::number: return "keel::Number";
    case TypeRef::Kind::string: return "std::string";
    case TypeRef::Kind::named: {
      std::string name = std::string(scope) + models.types[t.named].name;
      return t.boxed ? "keel::Box<" + name + ">" : name;
    }
    case TypeRef::Kind::array: return "std::vector<" + cpp_type(models, t.args.front(), scope) + ">";
    case TypeRef::Kind::map:
      return "std::map<std::string, " + cpp_type(models, t.args.front(), scope) + ">";
    case TypeRef::Kind::nullable: return "keel::Nullable<" + cpp_type(models, t.args.front(), scope) + ">";
  }
  return "nlohmann::json";
}

ModelCode emit_models(const ir::Models& models, const std::vector<std::string>& validators) {
  ModelCode code;
  std::string& h = code.declarations;
  std::string& c = code.definitions;
  for (const auto& t : models.types) {
    if (t.kind != ModelKind::struct_ && t.kind != ModelKind::variant) continue;
    h += "struct " + t.name + ";\n";
  }
  for (const auto& t : models.types) {
    if (t.kind != ModelKind::enum_) continue;
    declare_enum(h, t);
    define_enum(c, t);
    code.definition_ends.push_back(c.size());
  }
  for (std::uint32_t i : models.order) {
    const ModelType& t = models.types[i];
    if (t.kind == ModelKind::struct_) {
      declare_struct(h, models, t);
      define_struct(c, models, t);
    } else {
      declare_variant(h, models, t);
      define_variant(c, t, validators);
    }
    code.definition_ends.push_back(c.size());
  }
  bool first_alias = true;
  for (const auto& t : models.types) {
    if (t.kind != ModelKind::alias) continue;
    if (first_alias) h += "\n";
    first_alias = false;
    h += "/// " + comment_line(t.location) + "\n";
    h += "using " + t.name + " = " + cpp_type(models, t.target) + ";\n";
  }
  return code;
}

}  // namespace keel::gen::emit
