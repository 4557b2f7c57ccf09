#include "emit/generate.h"

#include "emit/cpp_text.h"
#include "emit/decode_emitter.h"
#include "emit/model_emitter.h"
#include "emit/parts.h"
#include "emit/responder_emitter.h"
#include "emit/router_emitter.h"
#include "emit/template.h"
#include "emit/validator_emitter.h"

#include <keel/version.h>

#include <nlohmann/json.hpp>

#include <algorithm>

namespace keel::gen::emit {
namespace {

using Json = nlohmann::ordered_json;

// Code blocks sit on their own template line, which supplies the newline.
std::string without_final_newline(std::string code) {
  if (!code.empty() && code.back() == '\n') code.pop_back();
  return code;
}

// FNV-1a, as 0x and 16 hex digits: the operation's shape fingerprint.
std::string fingerprint(std::string_view text) {
  std::uint64_t h = 14695981039346656037ull;
  for (char c : text) {
    h ^= static_cast<unsigned char>(c);
    h *= 1099511628211ull;
  }
  static constexpr char digits[] = "0123456789abcdef";
  std::string out = "0x";
  for (int shift = 60; shift >= 0; shift -= 4) out += digits[(h >> shift) & 0xf];
  return out;
}

Json operation_data(const ir::Operation& op, std::size_t index, const std::string& cpp_namespace,
                    const ir::Models& models,
                    const std::vector<std::string>& validators, Diagnostics& diags) {
  Json o;
  o["index"] = std::to_string(index);
  o["method"] = op.method;
  o["path_comment"] = comment_line(op.path);
  o["operation_id_comment"] = comment_line(op.operation_id.empty() ? op.method_name : op.operation_id);
  o["operation_id_literal"] = cpp_string(op.operation_id.empty() ? op.method_name : op.operation_id);
  o["summary_comment"] = comment_line(op.summary.empty() ? o["operation_id_comment"].get<std::string>() : op.summary);
  o["method_name"] = op.method_name;
  o["request_type"] = op.request_type;
  o["response_type"] = op.response_type;
  auto responder = emit_responder(op, models);
  o["responder_declaration"] = without_final_newline(responder.declaration);
  o["responder_definitions"] = without_final_newline(responder.definitions);
  Json fields = Json::array();
  std::string shape = responder.shape;
  for (const auto& f : request_fields(op, models, diags)) {
    fields.push_back({{"comment", f.comment}, {"declaration", f.declaration}});
    shape += f.declaration + "\n";
  }
  o["fields"] = std::move(fields);
  // What a handler depends on: the request's members and the responder's
  // factories. A handler states it (KEEL_SHAPE); a spec change that alters
  // it is then a compile error naming the operation.
  std::string id = op.operation_id.empty() ? op.method_name : op.operation_id;
  o["shape"] = fingerprint(shape);
  o["shape_message"] = cpp_string("operation " + id + " (" + op.method + " " + op.path +
                                  ") changed in the spec since its handler was written: check the handler against " +
                                  op.request_type + " and " + op.response_type + ", then state its new shape: KEEL_SHAPE(" +
                                  cpp_namespace + "::shape::" + op.method_name + ", " + o["shape"].get<std::string>() + ")");
  o["decode"] = without_final_newline(decode_statements(op, models, validators));
  // Appended piecewise: `"{" + std::string` trips GCC 12's false -Wrestrict in Release.
  std::string info = "{";
  info += cpp_string(op.operation_id.empty() ? op.method_name : op.operation_id) + ", ";
  info += cpp_string(op.method) + ", " + cpp_string(op.path) + ", " + cpp_string(comment_line(op.summary));
  if (op.on_event_loop) info += ", true";
  info += '}';
  o["operation_info"] = std::move(info);
  // What the spec documents for each status, for response validation.
  Json documented = Json::array();
  for (const auto& r : op.responses) {
    auto entry = [&](std::string_view media, const std::optional<std::uint32_t>& validator) {
      documented.push_back("{" + cpp_string(r.status) + ", " + cpp_string(media) + ", " +
                           (validator ? "&" + validators.at(*validator) + ", &" + validators.at(*validator)
                                      : std::string("nullptr")) +
                           "}");
    };
    if (r.content.empty()) entry("", std::nullopt);
    for (const auto& media : r.content) entry(media.name, media.validator);
  }
  o["has_documented_responses"] = !documented.empty();
  o["documented_count"] = std::to_string(documented.size());
  o["documented_responses"] = std::move(documented);
  return o;
}

// What the dispatch (the first operations part) needs of every operation.
Json dispatch_data(const Json& ops) {
  Json all = Json::array();
  for (const auto& o : ops) {
    Json d;
    for (const char* key : {"index", "method_name", "operation_info", "has_documented_responses", "documented_count"})
      d[key] = o[key];
    all.push_back(std::move(d));
  }
  return all;
}

}  // namespace

const std::vector<std::string>& part_stems() {
  static const std::vector<std::string> stems{"operations", "validators", "models"};
  return stems;
}

std::vector<std::string> generated_file_names(std::size_t parts) {
  std::vector<std::string> names;
  for (std::string_view name : {"api.h", "router.cpp", "operations", "spec.cpp", "validators.h", "validators",
                                "models.h", "models"}) {
    if (name.find('.') != std::string_view::npos) {
      names.emplace_back(name);
      continue;
    }
    for (std::size_t k = 0; k < parts; ++k) names.push_back(part_file_name(name, k, parts));
  }
  return names;
}

std::vector<File> generate(const ir::Api& api, const Options& options, Diagnostics& diags) {
  if (!is_cpp_namespace(options.cpp_namespace)) {
    diags.error("E-GEN-NAMESPACE", "'" + options.cpp_namespace + "' is not a valid C++ namespace name",
                Location{"<command line>", 1, 1}, "");
    return {};
  }
  const std::size_t parts = std::max<std::size_t>(1, options.parts);
  Json data;
  data["spec_file"] = comment_line(api.spec_file);
  data["title_comment"] = comment_line(api.title);
  data["version_comment"] = comment_line(api.version);
  data["namespace"] = options.cpp_namespace;
  data["runtime_version"] = std::to_string(KEEL_RUNTIME_VERSION);
  // Validators for every component schema and every validated body and
  // parameter, in <namespace>::validators.
  ValidatorOptions validator_options;
  validator_options.cpp_namespace = options.cpp_namespace + "::validators";
  validator_options.header_name = "validators.h";
  validator_options.source_files = parts;
  auto validators = emit_validators(api.schemas, validator_options, diags);
  if (!validators) return {};
  std::vector<std::string> functions;
  for (const auto& entry : validators->entries)
    functions.push_back(options.cpp_namespace + "::validators::" + entry.function);
  Json ops = Json::array();
  for (std::size_t i = 0; i < api.operations.size(); ++i)
    ops.push_back(operation_data(api.operations[i], i, options.cpp_namespace, api.models, functions, diags));
  data["operations"] = ops;
  data["split"] = parts > 1;
  data["documented_storage"] = parts > 1 ? "extern const" : "constexpr";
  data["operation_scope"] = parts > 1 ? "detail::" : "";
  data["router_body"] = without_final_newline(emit_router(api, diags));
  data["spec_json_chunks"] = cpp_string_chunks(api.spec_json);
  data["spec_yaml_chunks"] = cpp_string_chunks(api.spec_yaml);
  auto models = emit_models(api.models, functions);
  data["model_declarations"] = without_final_newline(models.declarations);
  if (diags.has_errors()) return {};

  auto render_file = [&](const std::string& name, const std::string& template_name) {
    return File{name, render(template_name, template_text(template_name), data)};
  };
  std::vector<File> files;
  for (const char* name : {"api.h", "router.cpp"}) files.push_back(render_file(name, std::string(name) + ".mustache"));
  // Operations, models and validators: contiguous runs of about equal size
  // per part; the first operations part also holds the dispatch.
  data["all_operations"] = dispatch_data(ops);
  std::vector<std::size_t> op_sizes;
  for (const auto& o : ops) op_sizes.push_back(o["decode"].get_ref<const std::string&>().size() +
                                               o["responder_definitions"].get_ref<const std::string&>().size());
  const auto op_parts = contiguous_parts(op_sizes, parts);
  for (std::size_t k = 0; k < parts; ++k) {
    data["part"] = std::to_string(k);
    data["dispatch"] = k == 0;
    data["operations"] = Json(ops.begin() + static_cast<std::ptrdiff_t>(op_parts[k].first),
                              ops.begin() + static_cast<std::ptrdiff_t>(op_parts[k].second));
    files.push_back(render_file(part_file_name("operations", k, parts), "operations.cpp.mustache"));
  }
  data["operations"] = std::move(ops);
  files.push_back(render_file("spec.cpp", "spec.cpp.mustache"));
  files.push_back({"validators.h", std::move(validators->header)});
  for (std::size_t k = 0; k < parts; ++k)
    files.push_back({part_file_name("validators", k, parts), std::move(validators->sources[k])});
  files.push_back(render_file("models.h", "models.h.mustache"));
  std::vector<std::size_t> model_sizes;
  for (std::size_t i = 0, begin = 0; i < models.definition_ends.size(); begin = models.definition_ends[i++])
    model_sizes.push_back(models.definition_ends[i] - begin);
  const auto model_parts = contiguous_parts(model_sizes, parts);
  for (std::size_t k = 0; k < parts; ++k) {
    auto [begin, end] = model_parts[k];
    std::size_t from = begin == 0 ? 0 : models.definition_ends[begin - 1];
    std::size_t to = end == 0 ? 0 : models.definition_ends[end - 1];
    data["model_definitions"] = without_final_newline(models.definitions.substr(from, to - from));
    files.push_back(render_file(part_file_name("models", k, parts), "models.cpp.mustache"));
  }
  return files;
}

}  // namespace keel::gen::emit
