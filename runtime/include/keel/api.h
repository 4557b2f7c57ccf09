#pragma once

#include <keel/context.h>
#include <keel/http.h>
#include <keel/response_check.h>

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace keel {

/// Static facts about one operation, emitted by keel-gen.
struct OperationInfo {
  std::string_view operation_id;
  std::string_view method;         ///< upper-case
  std::string_view path_template;  ///< as written in the spec
  std::string_view summary;
  /// The spec marks the handler non-blocking (`x-keel-execution: event-loop`):
  /// it runs on the connection's I/O thread, skipping the two thread hops of
  /// the worker pool. Only for handlers that never wait on disk, network or locks
  /// held for long; a slow one stalls every connection on its loop.
  bool on_event_loop = false;
};

/// Outcome of matching a method and path against the spec's routes.
struct RouteMatch {
  enum class Status { matched, not_found, method_not_allowed };
  Status status = Status::not_found;
  int operation = -1;  ///< index into Api::operations() when matched
  /// Raw (still percent-encoded) path parameter values, in template order.
  std::vector<std::string_view> params;
  /// For 405: the methods the path does allow, comma-separated, sorted.
  std::string allow;
};

/// What keel-gen emits for a spec and the server drives. The server owns
/// transport, correlation ids, limits and logging; the Api owns everything
/// that depends on the spec.
class Api {
public:
  virtual ~Api() = default;
  virtual const std::vector<OperationInfo>& operations() const = 0;
  /// Pure function of method and path; HEAD matches GET.
  virtual RouteMatch match(std::string_view method, std::string_view path) const = 0;
  /// Decodes, validates and calls the handler; runs on libkeel's worker pool.
  virtual Response handle(int operation, Context& context, const Request& request,
                          const RouteMatch& match) = 0;
  /// What the spec documents as `operation`'s responses, for response
  /// validation (keel/response_check.h); empty when it documents none.
  virtual std::span<const DocumentedResponse> documented_responses(int operation) const = 0;
  virtual std::string_view spec_json() const = 0;
  virtual std::string_view spec_yaml() const = 0;
};

}  // namespace keel
