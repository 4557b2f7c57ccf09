#include <keel/body.h>
#include <keel/form.h>

#include <algorithm>
#include <exception>

namespace keel::form {
namespace {

using param::detail::child;
using param::detail::decode_text;

const Field* find_field(const Spec& spec, std::string_view name) {
  for (const Field& f : spec.fields)
    if (f.name == name) return &f;
  return nullptr;
}

// An Encoding's contentType is a list ("image/png, image/jpeg"); a part
// matches when any range does.
bool allowed_type(std::string_view ranges, std::string_view type) {
  while (!ranges.empty()) {
    std::size_t comma = ranges.find(',');
    if (media_range_match(ranges.substr(0, comma), type) > 0) return true;
    ranges = comma == std::string_view::npos ? std::string_view{} : ranges.substr(comma + 1);
  }
  return false;
}

void duplicate(FieldErrors& errors, std::string_view name) {
  errors.push_back({child("/body", name), "duplicate_property", "property given more than once"});
}

}  // namespace

bool decode_urlencoded(std::string_view body, const Spec& spec, nlohmann::json& out,
                       FieldErrors& errors, std::size_t max_pairs) {
  const std::size_t before = errors.size();
  out = nlohmann::json::object();
  const param::RawQuery query(body, errors, "body", max_pairs);
  const auto pairs = query.pairs();
  std::vector<char> claimed(pairs.size(), 0);

  // A form/explode object with additionalProperties claims every key but
  // its siblings', so it needs their names.
  std::vector<std::string_view> names;
  names.reserve(spec.fields.size());
  for (const Field& f : spec.fields) names.push_back(f.name);

  std::string pointer;
  for (const Field& f : spec.fields) {
    pointer = child("/body", f.name);
    nlohmann::json value;
    if (!f.encoding.content_type.empty() && is_json_media_type(f.encoding.content_type)) {
      const param::RawPair* found = nullptr;
      bool repeated = false;
      for (std::size_t i = 0; i < pairs.size(); ++i) {
        if (pairs[i].name != f.name) continue;
        claimed[i] = 1;
        repeated = found != nullptr;
        found = &pairs[i];
      }
      if (!found) continue;
      if (repeated) {
        duplicate(errors, f.name);
        continue;
      }
      std::string scratch;
      std::string_view text;
      if (!decode_text(found->value, true, true, scratch, text)) {
        errors.push_back(
            {pointer, "invalid_encoding", "malformed percent-encoding or invalid UTF-8"});
        continue;
      }
      if (param::detail::parse_json_text(text, pointer, value, errors))
        out[std::string(f.name)] = std::move(value);
      continue;
    }
    const param::Param p{.name = f.name,
                         .pointer = pointer,
                         .style = f.encoding.style,
                         .explode = f.encoding.explode,
                         .required = false,  // the validator reports `required` for bodies
                         .allow_reserved = f.encoding.allow_reserved,
                         .shape = f.shape,
                         .siblings = names};
    if (param::detail::decode_pairs(pairs, p, true, &claimed, value, errors) ==
        param::Decoded::value)
      out[std::string(f.name)] = std::move(value);
  }

  std::string scratch;
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    if (claimed[i]) continue;
    std::string_view text;
    if (!decode_text(pairs[i].value, true, true, scratch, text)) {
      errors.push_back({child("/body", pairs[i].name), "invalid_encoding",
                        "malformed percent-encoding or invalid UTF-8"});
      continue;
    }
    if (!out.emplace(std::string(pairs[i].name), param::leaf(text, spec.additional_types)).second)
      duplicate(errors, pairs[i].name);
  }
  return errors.size() == before;
}

const File* Multipart::file(std::string_view name) const {
  for (const File& f : files)
    if (f.name == name) return &f;
  return nullptr;
}

std::optional<ApiError> decode_multipart(std::string_view content_type, std::string_view body,
                                         const Spec& spec, Multipart& out, FieldErrors& errors,
                                         const multipart::Limits& limits) {
  out.fields = nlohmann::json::object();
  out.files.clear();
  std::vector<multipart::Part> parts;
  try {
    parts = multipart::parse_form_data(content_type, body, limits);
  } catch (const multipart::ParseError& e) {
    return bad_request("malformed_multipart", e.what());
  } catch (const std::exception&) {
    return bad_request("malformed_multipart", "the multipart body could not be parsed");
  }

  FieldErrors refused;  // 415s, reported on their own
  std::string refused_name, refused_type, refused_expected;
  std::string pointer;
  for (multipart::Part& part : parts) {
    if (!is_utf8(part.name)) {
      errors.push_back({"/body", "invalid_encoding", "a part name is not valid UTF-8"});
      continue;
    }
    const Field* field = find_field(spec, part.name);
    pointer = child("/body", part.name);
    // File names end up in logs, storage and JSON responses.
    if (part.filename && !is_utf8(*part.filename)) {
      errors.push_back({pointer, "invalid_encoding", "the part's filename is not valid UTF-8"});
      continue;
    }
    // RFC 7578 makes an absent part Content-Type text/plain, but browsers
    // cannot label string fields, so absence means "the declared type".
    const bool typed = part.headers.find("Content-Type") != nullptr;
    if (typed && field && !field->encoding.content_type.empty() &&
        !allowed_type(field->encoding.content_type, part.content_type)) {
      if (refused.empty()) {
        refused_name = part.name;
        refused_type = part.content_type;
        refused_expected = field->encoding.content_type;
      }
      refused.push_back({pointer, "unsupported_media_type",
                         "part Content-Type " + part.content_type +
                             " is not one of: " + std::string(field->encoding.content_type)});
      continue;
    }
    const bool is_array = field && field->shape.kind == param::Shape::Kind::array;
    nlohmann::json* slot = nullptr;
    if (is_array) {
      auto [it, inserted] = out.fields.emplace(part.name, nlohmann::json::array());
      slot = &*it;
      if (slot->size() >= param::max_values) {
        errors.push_back({pointer, "too_many_values",
                          "more than " + std::to_string(param::max_values) + " parts"});
        continue;
      }
    } else if (out.fields.contains(part.name)) {
      duplicate(errors, part.name);
      continue;
    }

    if (field ? field->file : part.filename.has_value()) {
      nlohmann::json placeholder = std::string();
      if (slot) slot->push_back(std::move(placeholder));
      else out.fields.emplace(part.name, std::move(placeholder));
      out.files.push_back({part.name, std::move(part.filename),
                           typed ? std::move(part.content_type) : "application/octet-stream",
                           std::move(part.body)});
      continue;
    }

    if (!is_utf8(part.body)) {
      errors.push_back({pointer, "invalid_encoding", "the part is not valid UTF-8"});
      continue;
    }
    const bool json = typed ? is_json_media_type(part.content_type)
                            : field && is_json_media_type(field->encoding.content_type);
    nlohmann::json value;
    if (json) {
      if (!param::detail::parse_json_text(part.body, pointer, value, errors)) continue;
    } else {
      unsigned types = !field                                            ? spec.additional_types
                       : field->shape.kind == param::Shape::Kind::object ? 0u
                                                                         : field->shape.types;
      value = param::leaf(part.body, types);
    }
    if (!slot) {
      out.fields.emplace(part.name, std::move(value));
    } else if (json && value.is_array()) {
      // One JSON part may carry the whole array.
      for (auto& item : value) slot->push_back(std::move(item));
    } else {
      slot->push_back(std::move(value));
    }
  }
  if (!refused.empty()) {
    ApiError error = unsupported_media_type(refused_type, refused_expected);
    error.hint = "Part \"" + refused_name + "\": " + error.hint;
    error.errors = std::move(refused);
    return error;
  }
  return std::nullopt;
}

}  // namespace keel::form
