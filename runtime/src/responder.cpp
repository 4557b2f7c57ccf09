#include <keel/responder.h>

#include <keel/response.h>

#include <nlohmann/json.hpp>

#include <stdexcept>

namespace keel {

bool status_matches(int status, std::string_view documented) {
  if (status < 100 || status > 599) return false;
  if (documented == "default") return true;
  if (documented.size() == 3 && (documented[1] == 'X' || documented[1] == 'x'))
    return documented[0] == static_cast<char>('0' + status / 100);
  return documented == std::to_string(status);
}

int checked_status(int status, std::string_view documented, std::string_view operation_id) {
  if (status_matches(status, documented)) return status;
  throw std::invalid_argument(std::string(operation_id) + ": status " + std::to_string(status) +
                              " is not within the documented response " + std::string(documented));
}

Response checked_error(ApiError error, std::initializer_list<std::string_view> documented,
                       std::string_view operation_id) {
  for (std::string_view d : documented)
    if (status_matches(error.status, d)) return error_response(std::move(error));
  throw std::invalid_argument(std::string(operation_id) + ": error status " + std::to_string(error.status) +
                              " is not a documented response");
}

Response json_body(int status, const nlohmann::json& body, std::string media_type) {
  Response r = json_response(status, body);
  r.content_type = std::move(media_type);
  return r;
}

std::string header_text(double value) { return nlohmann::json(value).dump(); }

}  // namespace keel
