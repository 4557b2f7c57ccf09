#include <keel/body.h>

#include <keel/json_text.h>

#include <cctype>

namespace keel {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// "Application/JSON; charset=utf-8" -> "application/json"
std::string essence(std::string_view content_type) {
  auto semi = content_type.find(';');
  std::string_view base = content_type.substr(0, semi);
  while (!base.empty() && (base.back() == ' ' || base.back() == '\t')) base.remove_suffix(1);
  while (!base.empty() && (base.front() == ' ' || base.front() == '\t')) base.remove_prefix(1);
  return lower(base);
}

}  // namespace

int media_range_match(std::string_view range, std::string_view type) {
  std::string r = essence(range);
  std::string t = essence(type);
  if (r.empty() || t.empty()) return 0;
  if (r == t) return 4;
  if (r == "*/*") return 1;
  std::size_t slash = r.find('/');
  if (slash == std::string::npos || slash + 1 >= r.size() || r[slash + 1] != '*') return 0;
  std::string_view prefix = std::string_view(r).substr(0, slash + 1);  // "application/"
  if (!std::string_view(t).starts_with(prefix)) return 0;
  std::string_view rest = std::string_view(r).substr(slash + 2);
  if (rest.empty()) return 2;
  // "*+json": any subtype with that structured-syntax suffix.
  if (rest.front() == '+' && t.size() > prefix.size() + rest.size() &&
      std::string_view(t).ends_with(rest))
    return 3;
  return 0;
}

bool is_json_media_type(std::string_view type) {
  std::string t = essence(type);
  return t == "application/json" ||
         (t.size() > 5 && t.ends_with("+json") && t.find('/') < t.size() - 5);
}

std::optional<ApiError> read_body(const Request& request, std::initializer_list<MediaRange> declared,
                                  bool required, Body& out, std::vector<FieldError>& errors) {
  const std::string* content_type = request.headers.find("Content-Type");
  if (request.body.empty() && !content_type) {
    if (required) errors.push_back({"/body", "required", "a request body is required"});
    return std::nullopt;
  }
  std::string type = content_type ? essence(*content_type) : "";
  const MediaRange* chosen = nullptr;
  int best = 0;
  for (const auto& range : declared) {
    int score = type.empty() ? 0 : media_range_match(range.range, type);
    if (score > best) {
      best = score;
      chosen = &range;
    }
  }
  if (!chosen) {
    std::string expected;
    for (const auto& range : declared) expected += (expected.empty() ? "" : ", ") + std::string(range.range);
    return unsupported_media_type(type.empty() ? "(none)" : type, expected);
  }
  out.present = true;
  out.declared = static_cast<int>(chosen - declared.begin());
  out.media_type = type;
  out.raw = request.body;
  if (chosen->json) {
    if (request.body.empty()) {
      if (required) errors.push_back({"/body", "required", "a request body is required"});
      out.present = false;
      return std::nullopt;
    }
    JsonProblem problem;
    if (parse_json_strict(request.body, out.json, problem)) return std::nullopt;
    if (problem.duplicate_key) {
      errors.push_back({"/body" + problem.pointer, "duplicate_key", "an object repeats this key"});
    } else {
      // Only the byte offset leaves the server, never the library's text.
      errors.push_back({"/body", "malformed_json",
                        "the body is not well-formed JSON (at byte " + std::to_string(problem.byte) + ")"});
    }
  }
  return std::nullopt;
}

void check_body_length(const Body& body, std::optional<std::uint64_t> min,
                       std::optional<std::uint64_t> max, std::vector<FieldError>& errors) {
  if (!body.present) return;
  const std::uint64_t size = body.raw.size();
  if (min && size < *min)
    errors.push_back({"/body", "minLength", "must be at least " + std::to_string(*min) + " bytes"});
  if (max && size > *max)
    errors.push_back({"/body", "maxLength", "must be at most " + std::to_string(*max) + " bytes"});
}

std::optional<ApiError> decode_form_body(const Request& request, bool multipart,
                                         const form::Spec& spec, Body& body,
                                         std::vector<FieldError>& errors) {
  if (!multipart) {
    form::decode_urlencoded(body.raw, spec, body.json, errors);
    return std::nullopt;
  }
  const std::string* content_type = request.headers.find("Content-Type");
  form::Multipart parts;
  if (auto refused = form::decode_multipart(content_type ? *content_type : std::string_view{},
                                            body.raw, spec, parts, errors))
    return refused;
  body.json = std::move(parts.fields);
  body.files = std::move(parts.files);
  return std::nullopt;
}

}  // namespace keel
