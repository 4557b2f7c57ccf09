#pragma once

#include <keel/api.h>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <functional>
#include <iostream>
#include <memory>
#include <ostream>
#include <string>

namespace keel {

/// Everything the HTTP server needs to know; every field has a default that
/// works on one machine.
struct ServerConfig {
  std::string address = "127.0.0.1";
  std::uint16_t port = 8080;          ///< 0 picks a free port; see Server::port()
  int io_threads = 2;                 ///< Pistache event loops (connections are pinned to one)
  int worker_threads = 4;             ///< libkeel pool running Api::handle and readiness
  std::size_t queue_capacity = 1024;  ///< waiting pool tasks; above it: 503

  std::size_t max_request_bytes = 1024 * 1024;  ///< head + body; above it: 413
  std::size_t max_header_bytes = 64 * 1024;     ///< head alone; above it: 431

  /// From the first byte of a request until its head is complete.
  std::chrono::milliseconds header_timeout{10'000};
  /// From the end of the head until the whole body has arrived.
  std::chrono::milliseconds body_timeout{30'000};
  /// How long an idle keep-alive connection is kept (closed silently).
  std::chrono::milliseconds keepalive_timeout{60'000};
  /// shutdown() waits this long for in-flight requests before stopping.
  std::chrono::milliseconds drain_timeout{10'000};

  /// /readyz: true when ready. Runs on the worker pool; may block briefly.
  /// Empty means always ready; throwing means not ready.
  std::function<bool()> readiness;

  /// One JSON line per request; nullptr disables the access log.
  std::ostream* access_log = &std::cout;
  /// Access-log lines are written in batches this often (zero: each line at
  /// once). Batching saves a write per request; shutdown flushes the rest.
  std::chrono::milliseconds access_log_batch{100};
  /// Server-side errors (exception texts); nullptr disables.
  std::ostream* error_log = &std::cerr;
  /// Check every handler response against the spec (status, media type,
  /// body schema; for a thrown ApiError, its status); a mismatch is logged
  /// and answered with a 500
  /// `response_validation_failed`. On for development and tests; production
  /// deployments usually turn it off (it parses every response body again).
  bool validate_responses = true;

  /// Tenant put in the Context until authentication supplies the real one.
  std::string development_tenant = "dev";
};

/// The HTTP/1.1 server that drives an Api: connection handling, limits,
/// timeouts, correlation ids, system routes, the worker pool and the access
/// log. Errors from any stage are answered with the JSON envelope.
class Server {
public:
  /// `api` must outlive the server.
  Server(ServerConfig config, Api& api);
  ~Server();  ///< shuts down if still running
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;

  /// Binds and starts serving in background threads; returns at once.
  /// Ignores SIGPIPE and raises the open-file soft limit to the hard limit.
  /// Throws std::runtime_error when the address cannot be bound.
  void start();

  /// The bound port (the real one when configured with 0); 0 before start().
  std::uint16_t port() const;

  /// Starts if needed, blocks until SIGINT or SIGTERM (or shutdown() from
  /// another thread), then shuts down.
  void serve_forever();

  /// Stops taking new requests, waits up to drain_timeout for in-flight ones
  /// to be answered, then stops Pistache and the pool. Idempotent.
  void shutdown();

private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace keel
