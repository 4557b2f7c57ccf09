#pragma once

#include <string>
#include <string_view>

namespace keel {

/// True when `id` may be echoed as a correlation id: 1..128 characters of
/// [A-Za-z0-9._:-]. Anything else is replaced by a generated id, so a client
/// cannot inject text into logs or response headers.
bool is_valid_request_id(std::string_view id);

/// 128 random bits as 32 lower-case hex digits. Uses a per-thread generator
/// seeded once, so it is cheap enough to call for every request.
std::string generate_request_id();

/// The client's X-Request-Id when valid, otherwise a generated one.
std::string correlation_id_for(const std::string* client_value);

}  // namespace keel
