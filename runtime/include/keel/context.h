#pragma once

#include <string>

namespace keel {

/// Per-request facts shared by every layer and handed to handlers.
struct Context {
  std::string correlation_id;  ///< X-Request-Id, echoed on the response
  std::string tenant_id;       ///< owner of every resource the request touches
  std::string operation_id;    ///< set once routing has matched
  std::string route;           ///< path template, for logs and metrics
};

}  // namespace keel
