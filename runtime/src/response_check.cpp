#include <keel/body.h>
#include <keel/response_check.h>

#include <nlohmann/json.hpp>

namespace keel {
namespace {

// The documented responses for `status`: exact code first, then its range
// (`2XX`), then `default`, as OpenAPI resolves them.
std::span<const DocumentedResponse> for_status(int status, std::span<const DocumentedResponse> all) {
  const std::string code = std::to_string(status);
  const std::string range = code.substr(0, 1) + "XX";
  for (std::string_view wanted : {std::string_view(code), std::string_view(range), std::string_view("default")}) {
    std::size_t first = 0;
    while (first < all.size() && all[first].status != wanted) ++first;
    std::size_t end = first;
    while (end < all.size() && all[end].status == wanted) ++end;
    if (first < end) return all.subspan(first, end - first);
  }
  return {};
}

}  // namespace

const schema::Options& response_options() {
  static const schema::Options options = [] {
    schema::Options o;
    o.direction = schema::Direction::response;  // writeOnly members must not be returned
    return o;
  }();
  return options;
}

std::optional<std::string> check_status(int status, std::span<const DocumentedResponse> documented) {
  if (for_status(status, documented).empty()) return "status " + std::to_string(status) + " is not documented";
  return std::nullopt;
}

std::optional<std::string> check_response(const Response& response,
                                          std::span<const DocumentedResponse> documented) {
  if (response.error) return std::nullopt;
  auto candidates = for_status(response.status, documented);
  const std::string status = std::to_string(response.status);
  if (candidates.empty()) return "status " + status + " is not documented";
  const bool has_content = !response.body.empty() || !response.content_type.empty();
  if (!has_content) {
    for (const auto& c : candidates)
      if (c.media_type.empty()) return std::nullopt;
    return "status " + status + " is documented with a body, but the response has none";
  }
  // The most specific documented media range wins, as for requests.
  const DocumentedResponse* chosen = nullptr;
  int best = 0;
  for (const auto& c : candidates) {
    int score = c.media_type.empty() ? 0 : media_range_match(c.media_type, response.content_type);
    if (score > best) {
      best = score;
      chosen = &c;
    }
  }
  if (chosen == nullptr)
    return "Content-Type '" + response.content_type + "' is not documented for status " + status;
  if (chosen->validate == nullptr) return std::nullopt;
  nlohmann::json body = nlohmann::json::parse(response.body, nullptr, false);
  if (body.is_discarded()) return "the " + response.content_type + " body is not well-formed JSON";
  if (chosen->accepts != nullptr && chosen->accepts(body, response_options())) return std::nullopt;
  schema::Errors errors;
  if (chosen->validate(body, errors, response_options())) return std::nullopt;
  std::string why = "the body does not match the schema for status " + status;
  if (!errors.items.empty()) {
    const auto& e = errors.items.front();
    why += ": at '" + e.instance_pointer() + "' " + e.message() + " (" + std::string(e.keyword_location) + ")";
    if (errors.items.size() > 1) why += ", and " + std::to_string(errors.items.size() - 1) + " more";
  }
  return why;
}

}  // namespace keel
