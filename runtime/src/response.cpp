#include <keel/response.h>

namespace keel {

Response json_response(int status, const nlohmann::json& body) {
  // Invalid UTF-8 in a handler's strings must not throw mid-response.
  return bytes_response(status, body.dump(-1, ' ', false, nlohmann::json::error_handler_t::replace),
                        "application/json");
}

Response bytes_response(int status, std::string bytes, std::string content_type) {
  Response r;
  r.status = status;
  r.body = std::move(bytes);
  r.content_type = std::move(content_type);
  return r;
}

Response empty_response(int status) {
  Response r;
  r.status = status;
  return r;
}

}  // namespace keel
