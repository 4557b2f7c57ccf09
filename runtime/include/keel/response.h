#pragma once

#include <keel/http.h>

#include <nlohmann/json.hpp>

#include <string>

namespace keel {

/// A JSON response with the given status.
Response json_response(int status, const nlohmann::json& body);

/// A response carrying `bytes` as `content_type` (CSV, NDJSON, files).
Response bytes_response(int status, std::string bytes, std::string content_type);

/// A response with no body (204, 202 without content).
Response empty_response(int status);

}  // namespace keel
