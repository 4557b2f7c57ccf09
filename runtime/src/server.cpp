// libkeel's HTTP server on Pistache 0.0.5 (Debian).
//
// Pistache supplies accept, the epoll loops and socket writes. Everything
// between bytes in and bytes out is ours: we override Http::Handler::onInput
// and never let Pistache answer on its own, because in 0.0.5 (measured, see
// PISTACHE_NOTES.md and the comments below) every answer it produces is
// plain text or wrong:
//  - a bad request line is a text/plain 400; a bad Content-Length a 500
//    whose body is the exception text ("stoull", "basic_string::_M_create");
//  - over maxRequestSize it answers one 413 per 4 KiB read and keeps the
//    connection open;
//  - its header/body timeouts are enforced by an internal TransportImpl that
//    writes a bare "408, Content-Length: 0" itself: Handler::onTimeout is
//    never called for them (only for ResponseWriter::timeoutAfter timers);
//  - binary garbage without a space or CRLF gets no answer at all until the
//    header timeout;
//  - it adds `Connection: Close` to HTTP/1.1 responses whose request had no
//    Connection header, never closes when the client asked to, and
//    ResponseWriter does not serialise headers added with addRaw().
//  - its typed header parsers reject valid requests: `Accept: foo/bar`,
//    `Content-Type: text`, `Date: x`, `Cache-Control: max-age=x`,
//    `Host: h:99999` all throw while the head is parsed.
// So the head (request line + headers) is parsed here (wire.cpp), and only
// body framing goes through Pistache's parser: we feed it a minimal
// synthetic head ("POST / HTTP/1.1" + Content-Length or Transfer-Encoding)
// followed by the body bytes as they arrive. Timeouts are enforced by our own
// reaper thread; Pistache's are set out of reach. Responses are serialised
// here and written with Peer::send(), which queues to the connection's event
// loop exactly as ResponseWriter does, and is safe from pool threads.

#include <keel/error.h>
#include <keel/log.h>
#include <keel/pool.h>
#include <keel/request_id.h>
#include <keel/server.h>
#include <keel/wire.h>

#include <pistache/endpoint.h>
#include <pistache/http.h>
#include <pistache/peer.h>

#include <algorithm>
#include <atomic>
#include <cerrno>
#include <condition_variable>
#include <csignal>
#include <cstring>
#include <fcntl.h>
#include <mutex>
#include <poll.h>
#include <shared_mutex>
#include <stdexcept>
#include <sys/resource.h>
#include <sys/socket.h>
#include <thread>
#include <unistd.h>
#include <unordered_set>
#include <utility>
#include <vector>

namespace keel {

namespace {

namespace P = Pistache;
using Clock = std::chrono::steady_clock;

constexpr const char* conn_key = "keel.conn";
// Room for the synthetic head on top of the body in Pistache's buffer; our
// own byte count (real head + body) is what enforces max_request_bytes.
constexpr std::size_t synthetic_head_slack = 128;
// After the last response on a closing connection we stop writing (FIN) but
// keep reading and dropping for this long, so a client still sending a body
// sees our 413 instead of a reset.
constexpr std::chrono::milliseconds linger{2000};
// Pistache's own timeouts, set out of reach: ours are enforced by the reaper.
constexpr std::chrono::hours pistache_never{24 * 365};

double ms_since(Clock::time_point start) {
  return std::chrono::duration<double, std::milli>(Clock::now() - start).count();
}

/// One request from complete head to response.
struct Exchange {
  Request request;
  Context context;
  RouteMatch match;  ///< params view into request.path: never move request
  Clock::time_point start;
  bool head_request = false;
  bool keep_alive = true;
  bool http10 = false;
  std::string log_route = "-";
  std::string log_tenant = "-";
};

enum class Phase {
  idle,      ///< between requests (or before the first)
  head,      ///< request head arriving
  body,      ///< body arriving
  handling,  ///< answered inline or on the pool; input now means pipelining
  closing,   ///< last response queued; input is dropped
};

/// Per-connection state, shared by its event loop (input), the pool
/// (responses) and the reaper (timeouts); `mutex` guards all of it.
struct Conn : std::enable_shared_from_this<Conn> {
  std::mutex mutex;
  std::weak_ptr<P::Tcp::Peer> peer;
  bool closed = false;  ///< onDisconnection seen: the fd may be reused now
  bool half_closed = false;
  bool hard_closed = false;
  bool served_one = false;  ///< idle limit: header timeout before, keep-alive after
  bool pipelined = false;   ///< bytes beyond the current request: close after it
  Phase phase = Phase::idle;
  Clock::time_point since = Clock::now();  ///< when `phase` began
  Clock::time_point request_start;
  std::string head;
  std::shared_ptr<Exchange> exchange;
  BodyFraming framing;
  std::size_t head_bytes = 0;
  std::size_t body_bytes = 0;
  /// Writes queued and not yet settled. Pistache silently drops a queued
  /// write whose peer has gone (its promise never settles), so these are
  /// written off when the disconnection is seen, or the drain would wait.
  std::size_t pending_writes = 0;
};

enum class After { keep, half_close };

/// A response to write once the connection lock is released.
struct Outgoing {
  std::string bytes;
  After after = After::keep;
  std::optional<AccessRecord> record;
};

using Outbox = std::vector<Outgoing>;

// Stray CRLFs after a request are tolerated (RFC 9112 §2.2), anything else
// after it is a pipelined request.
bool is_pipelined(std::string_view extra) {
  return extra.find_first_not_of("\r\n") != std::string_view::npos;
}

bool is_system_path(std::string_view path) {
  return path == "/healthz" || path == "/readyz" || path == "/openapi.json" ||
         path == "/openapi.yaml";
}

Response json_response(int status, std::string body) {
  Response response;
  response.status = status;
  response.content_type = "application/json";
  response.body = std::move(body);
  return response;
}

/// State shared by every handler clone (Pistache clones the handler once per
/// event loop), the pool and the reaper.
class ServerCore {
public:
  ServerCore(ServerConfig config_in, Api& api_in)
      : config(std::move(config_in)), api(api_in),
        pool(std::size_t(std::max(1, config.worker_threads)), config.queue_capacity),
        access(config.access_log, config.access_log_batch), errors(config.error_log) {}

  ServerConfig config;
  Api& api;
  WorkerPool pool;
  LineLog access;
  LineLog errors;
  std::atomic<bool> stopping{false};

  std::size_t header_limit() const {
    return std::min(config.max_header_bytes, config.max_request_bytes);
  }

  // ---- connections -------------------------------------------------------

  void add(const std::shared_ptr<Conn>& conn) {
    std::lock_guard lock(conns_mutex_);
    conns_.insert(conn);
  }

  void remove(const std::shared_ptr<Conn>& conn) {
    std::lock_guard lock(conns_mutex_);
    conns_.erase(conn);
  }

  /// Pistache is done with the connection (onDisconnection, or the peer
  /// vanished): mark it closed and write off its unsettled writes.
  void disconnected(const std::shared_ptr<Conn>& conn) {
    std::size_t unsettled = 0;
    {
      std::lock_guard lock(conn->mutex);
      conn->closed = true;
      conn->exchange.reset();
      unsettled = std::exchange(conn->pending_writes, 0);
    }
    settle_writes(unsettled);
    remove(conn);
  }

  void forget_all() {
    std::lock_guard lock(conns_mutex_);
    conns_.clear();
  }

  // ---- input (event loop thread) ----------------------------------------

  void on_input(const std::shared_ptr<Conn>& conn_ptr, P::Http::RequestParser& parser,
                std::string_view data, Outbox& out) {
    Conn& conn = *conn_ptr;
    std::unique_lock lock(conn.mutex);
    if (conn.closed || conn.phase == Phase::closing) return;
    if (conn.phase == Phase::handling) {
      // Pistache 0.0.5 cannot pipeline either; answer the current request,
      // then close so the client retries the rest.
      if (is_pipelined(data)) conn.pipelined = true;
      return;
    }
    if (conn.phase == Phase::idle) {
      // RFC 9112 §2.2: ignore empty lines before a request line (this also
      // eats the CRLF after a chunked body's last chunk).
      while (!data.empty() && (data.front() == '\r' || data.front() == '\n')) data.remove_prefix(1);
      if (data.empty()) return;
      conn.phase = Phase::head;
      conn.since = conn.request_start = Clock::now();
      conn.head.clear();
      conn.exchange.reset();
      conn.pipelined = false;
    }
    if (conn.phase == Phase::head) {
      const std::size_t old = conn.head.size();
      conn.head.append(data);
      const auto end = conn.head.find("\r\n\r\n", old >= 3 ? old - 3 : 0);
      if (end == std::string::npos) {
        if (conn.head.size() > header_limit())
          return fail(conn, header_fields_too_large(header_limit()), out);
        if (auto error = check_partial_head(conn.head)) return fail(conn, *error, out);
        return;
      }
      const std::size_t head_len = end + 4;
      if (head_len > header_limit())
        return fail(conn, header_fields_too_large(header_limit()), out);
      std::string rest = conn.head.substr(head_len);
      conn.head.resize(head_len);
      return start_request(conn, parser, rest, out);
    }
    feed_body(conn, parser, data, out);
  }

  void start_request(Conn& conn, P::Http::RequestParser& parser, std::string_view rest,
                     Outbox& out) {
    auto exchange = std::make_shared<Exchange>();
    exchange->start = conn.request_start;
    conn.exchange = exchange;
    RequestHead head;
    auto head_error = parse_request_head(conn.head, head);
    conn.head_bytes = conn.head.size();
    conn.body_bytes = 0;
    if (conn.head.capacity() > 16 * 1024)
      std::string().swap(conn.head);
    else
      conn.head.clear();
    if (head_error) return fail(conn, *head_error, out);

    Request& request = exchange->request;
    request.method = std::move(head.method);
    request.path = std::move(head.path);
    request.query = std::move(head.query);
    exchange->head_request = request.method == "HEAD";
    exchange->keep_alive = wants_keep_alive(head);
    exchange->http10 = head.minor_version == 0;
    const bool send_continue = expects_continue(head);
    request.headers = std::move(head.headers);
    exchange->context.correlation_id = correlation_id_for(request.headers.find("X-Request-Id"));

    if (auto error = body_framing(request.headers, conn.framing)) return fail(conn, *error, out);
    if (conn.framing.kind == BodyFraming::Kind::length &&
        conn.framing.length >
            config.max_request_bytes - std::min(config.max_request_bytes, conn.head_bytes))
      return fail(conn, payload_too_large(config.max_request_bytes), out);
    if (stopping.load())
      return fail(conn, service_unavailable("The server is shutting down; retry."), out);

    if (conn.framing.kind == BodyFraming::Kind::none) {
      if (is_pipelined(rest)) conn.pipelined = true;
      return complete(conn, std::string(), out);
    }

    parser.reset();
    std::string synthetic =
        conn.framing.kind == BodyFraming::Kind::length
            ? "POST / HTTP/1.1\r\nContent-Length: " + std::to_string(conn.framing.length) +
                  "\r\n\r\n"
            : std::string("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n");
    conn.phase = Phase::body;
    conn.since = Clock::now();
    if (!feed_parser(conn, parser, synthetic, out)) return;
    if (send_continue && rest.empty()) {
      Outgoing interim;
      interim.bytes = "HTTP/1.1 100 Continue\r\n\r\n";
      out.push_back(std::move(interim));
    }
    feed_body(conn, parser, rest, out);
  }

  void feed_body(Conn& conn, P::Http::RequestParser& parser, std::string_view data, Outbox& out) {
    if (data.empty()) return;
    if (conn.framing.kind == BodyFraming::Kind::length) {
      const std::size_t remaining = conn.framing.length - conn.body_bytes;
      if (data.size() > remaining) {
        conn.pipelined = conn.pipelined || is_pipelined(data.substr(remaining));
        data = data.substr(0, remaining);
      }
    }
    if (conn.head_bytes + conn.body_bytes + data.size() > config.max_request_bytes)
      return fail(conn, payload_too_large(config.max_request_bytes), out);
    conn.body_bytes += data.size();
    feed_parser(conn, parser, data, out);
  }

  /// Feeds Pistache's parser; completes the request when the body is done.
  /// False when the request failed (the error is already queued).
  bool feed_parser(Conn& conn, P::Http::RequestParser& parser, std::string_view data, Outbox& out) {
    P::Http::Private::State state = P::Http::Private::State::Again;
    try {
      if (!parser.feed(data.data(), data.size())) {
        parser.reset();
        fail(conn, payload_too_large(config.max_request_bytes), out);
        return false;
      }
      state = parser.parse();
    } catch (const P::Http::HttpError& error) {
      // e.g. "Invalid chunk size" (400), "Unsupported Transfer-Encoding"
      // (501). The reason text stays here.
      parser.reset();
      const int status = error.code();
      if (status == 413)
        fail(conn, payload_too_large(config.max_request_bytes), out);
      else
        fail(conn, bad_request("malformed_body", "The request body is not correctly framed."), out);
      return false;
    } catch (const std::exception&) {
      parser.reset();
      fail(conn, bad_request("malformed_body", "The request body is not correctly framed."), out);
      return false;
    }
    if (state != P::Http::Private::State::Done) return true;
    std::string body = static_cast<const P::Http::Request&>(parser.request).body();
    parser.reset();
    complete(conn, std::move(body), out);
    return true;
  }

  // ---- routing ------------------------------------------------------------

  void complete(Conn& conn, std::string body, Outbox& out) {
    auto exchange = conn.exchange;
    exchange->request.body = std::move(body);
    conn.phase = Phase::handling;
    conn.since = Clock::now();
    route(conn, exchange, out);
  }

  void route(Conn& conn, const std::shared_ptr<Exchange>& exchange, Outbox& out) {
    const Request& request = exchange->request;
    Context& context = exchange->context;
    const bool get_like = request.method == "GET" || request.method == "HEAD";

    if (is_system_path(request.path)) {
      exchange->log_route = request.path;
      context.route = request.path;
      if (!get_like) {
        Response response = error_response(method_not_allowed("GET, HEAD"));
        response.headers.set("Allow", "GET, HEAD");
        return answer(conn, *exchange, std::move(response), out);
      }
      if (request.path == "/healthz")
        return answer(conn, *exchange, json_response(200, R"({"status":"ok"})"), out);
      if (request.path == "/openapi.json") {
        Response response = json_response(200, std::string(api.spec_json()));
        return answer(conn, *exchange, std::move(response), out);
      }
      if (request.path == "/openapi.yaml") {
        Response response;
        response.content_type = "application/yaml";
        response.body = std::string(api.spec_yaml());
        return answer(conn, *exchange, std::move(response), out);
      }
      return submit(conn, exchange, out, [this, exchange] { return readiness(*exchange); });
    }

    try {
      exchange->match = api.match(request.method, request.path);
    } catch (const std::exception& error) {
      log_error(context.correlation_id, std::string("Api::match threw: ") + error.what());
      return answer(conn, *exchange, error_response(internal_error()), out);
    }
    const RouteMatch& match = exchange->match;
    if (match.status == RouteMatch::Status::not_found)
      return answer(conn, *exchange,
                    error_response(not_found("No operation matches this path; see /openapi.json.")),
                    out);
    if (match.status == RouteMatch::Status::method_not_allowed) {
      Response response = error_response(method_not_allowed(match.allow));
      response.headers.set("Allow", match.allow);
      return answer(conn, *exchange, std::move(response), out);
    }
    const auto& operations = api.operations();
    if (match.operation < 0 || std::size_t(match.operation) >= operations.size()) {
      log_error(context.correlation_id, "Api::match returned an operation index out of range");
      return answer(conn, *exchange, error_response(internal_error()), out);
    }
    const OperationInfo& operation = operations[std::size_t(match.operation)];
    context.operation_id = std::string(operation.operation_id);
    context.route = std::string(operation.path_template);
    context.tenant_id = config.development_tenant;
    exchange->log_route = context.route;
    exchange->log_tenant = context.tenant_id;
    if (operation.on_event_loop) return answer(conn, *exchange, call_handler(*exchange), out);
    submit(conn, exchange, out, [this, exchange] { return call_handler(*exchange); });
  }

  template <typename Produce>
  void submit(Conn& conn, const std::shared_ptr<Exchange>& exchange, Outbox& out, Produce produce) {
    std::shared_ptr<Conn> conn_ptr = conn.shared_from_this();
    bool queued = pool.try_submit([this, conn_ptr, exchange, produce] {
      Response response = produce();
      finish(conn_ptr, *exchange, std::move(response));
    });
    if (queued) return;
    Response busy = error_response(service_unavailable("The server is busy; retry shortly."));
    busy.headers.set("Retry-After", "1");
    answer(conn, *exchange, std::move(busy), out);
  }

  Response readiness(Exchange& exchange) {
    bool ready = true;
    if (config.readiness) {
      try {
        ready = config.readiness();
      } catch (const std::exception& error) {
        log_error(exchange.context.correlation_id,
                  std::string("readiness check threw: ") + error.what());
        ready = false;
      } catch (...) {
        log_error(exchange.context.correlation_id, "readiness check threw");
        ready = false;
      }
    }
    if (ready) return json_response(200, R"({"status":"ready"})");
    Response response = error_response(service_unavailable("Not ready yet; retry shortly."));
    response.headers.set("Retry-After", "1");
    return response;
  }

  /// `response` when response validation is off or it conforms; otherwise
  /// a 500 response_validation_failed and a log line saying why. An error
  /// the handler threw is checked for its status only (its envelope is keel's).
  Response checked(Exchange& exchange, Response response, bool thrown = false) {
    if (!config.validate_responses) return response;
    const auto documented = api.documented_responses(exchange.match.operation);
    if (documented.empty()) return response;
    auto problem = thrown ? check_status(response.status, documented) : check_response(response, documented);
    if (!problem) return response;
    log_error(exchange.context.correlation_id,
              "response of " + exchange.context.operation_id + " (status " +
                  std::to_string(response.status) + ") breaks the spec: " + *problem);
    return error_response(response_validation_failed());
  }

  Response call_handler(Exchange& exchange) {
    const std::string& id = exchange.context.correlation_id;
    try {
      Response response =
          api.handle(exchange.match.operation, exchange.context, exchange.request, exchange.match);
      if (!response.error && (response.status < 200 || response.status > 599)) {
        log_error(id, "handler returned invalid status " + std::to_string(response.status));
        return error_response(internal_error());
      }
      return checked(exchange, std::move(response));
    } catch (const ApiError& error) {
      // A thrown error is the handler's answer too: its status must be documented.
      return checked(exchange, error_response(error), true);
    } catch (const std::exception& error) {
      log_error(id, std::string("unhandled exception in ") + exchange.context.operation_id + ": " +
                        error.what());
    } catch (...) {
      log_error(id, "unhandled non-standard exception in " + exchange.context.operation_id);
    }
    return error_response(internal_error());
  }

  // ---- responses ----------------------------------------------------------

  /// Queues `response` for the current request (connection lock held).
  void answer(Conn& conn, Exchange& exchange, Response response, Outbox& out) {
    const bool close = !exchange.keep_alive || conn.pipelined || stopping.load();
    conn.phase = close ? Phase::closing : Phase::idle;
    conn.since = Clock::now();
    conn.served_one = true;
    conn.exchange.reset();
    out.push_back(render(exchange, response, close));
  }

  /// Answers with `error` and closes the connection (connection lock held).
  void fail(Conn& conn, const ApiError& error, Outbox& out) {
    auto exchange = conn.exchange;
    if (!exchange) {
      exchange = std::make_shared<Exchange>();
      exchange->start = conn.phase == Phase::idle ? Clock::now() : conn.request_start;
    }
    if (exchange->context.correlation_id.empty())  // the head was unreadable
      exchange->context.correlation_id = generate_request_id();
    conn.phase = Phase::closing;
    conn.since = Clock::now();
    conn.exchange.reset();
    out.push_back(render(*exchange, error_response(error), true));
  }

  Outgoing render(const Exchange& exchange, const Response& response, bool close) {
    WireOptions options;
    options.correlation_id = exchange.context.correlation_id;
    options.head_request = exchange.head_request;
    options.close = close;
    options.keep_alive_http10 = !close && exchange.http10;
    Outgoing outgoing;
    outgoing.bytes = serialize_response(response, options);
    outgoing.after = close ? After::half_close : After::keep;
    if (access.enabled()) {
      AccessRecord record;
      record.time = std::chrono::system_clock::now();
      record.method = exchange.request.method.empty() ? "-" : exchange.request.method;
      record.route = exchange.log_route;
      record.path = exchange.request.path.empty() ? "-" : exchange.request.path;
      record.status = response.error ? response.error->status : response.status;
      record.duration_ms = ms_since(exchange.start);
      record.correlation_id = exchange.context.correlation_id;
      record.tenant = exchange.log_tenant;
      if (response.error) record.code = response.error->code;
      outgoing.record = std::move(record);
    }
    return outgoing;
  }

  /// Pool thread: the handler's response for `exchange`.
  void finish(const std::shared_ptr<Conn>& conn, Exchange& exchange, Response response) {
    Outbox out;
    try {
      std::lock_guard lock(conn->mutex);
      if (conn->closed) return;  // client went away; nothing to write to
      answer(*conn, exchange, std::move(response), out);
    } catch (const std::exception& error) {
      log_error(exchange.context.correlation_id,
                std::string("could not render response: ") + error.what());
      out.clear();
      std::lock_guard lock(conn->mutex);
      if (conn->closed) return;
      answer(*conn, exchange, error_response(internal_error()), out);
    }
    flush(conn, out);
  }

  /// Writes queued responses (connection lock NOT held: a send's completion
  /// may run inline on this thread and take the lock).
  void flush(const std::shared_ptr<Conn>& conn, Outbox& out) {
    for (auto& outgoing : out) {
      if (outgoing.record) access.write_line(format_access_line(*outgoing.record));
      send(conn, std::move(outgoing.bytes), outgoing.after);
    }
    out.clear();
  }

  void send(const std::shared_ptr<Conn>& conn, std::string bytes, After after) {
    std::shared_ptr<P::Tcp::Peer> peer = conn->peer.lock();
    if (!peer) return;
    std::shared_lock guard(transport_mutex_);
    if (!transport_up_) return;
    {
      std::lock_guard lock(conn->mutex);
      if (conn->closed) return;
      ++conn->pending_writes;
    }
    pending_writes_.fetch_add(1);
    const std::size_t size = bytes.size();
    try {
      // The completion runs on the connection's event loop, or inline here
      // when the loop already wrote the buffer before then() was attached.
      peer->send(P::RawBuffer(std::move(bytes), size))
          .then(
              [this, conn, after](ssize_t) {
                if (after == After::half_close) half_close(*conn);
                write_settled(*conn);
              },
              [this, conn](std::exception_ptr) {
                hard_close(*conn);
                write_settled(*conn);
              });
    } catch (...) {
      write_settled(*conn);
    }
  }

  void write_settled(Conn& conn) {
    bool counted = false;
    {
      std::lock_guard lock(conn.mutex);
      if (conn.pending_writes > 0) {
        --conn.pending_writes;
        counted = true;
      }
    }
    if (counted) settle_writes(1);
  }

  void settle_writes(std::size_t count) {
    if (count == 0) return;
    if (pending_writes_.fetch_sub(count) == count) {
      std::lock_guard lock(writes_mutex_);
      writes_idle_.notify_all();
    }
  }

  bool wait_writes_until(Clock::time_point deadline) {
    std::unique_lock lock(writes_mutex_);
    return writes_idle_.wait_until(lock, deadline, [this] { return pending_writes_.load() == 0; });
  }

  void stop_transport() {
    std::unique_lock guard(transport_mutex_);
    transport_up_ = false;
  }

  // Closing is done with shutdown(2), never close(2): Pistache owns the fd
  // and closes it when it sees EOF. Pistache calls onDisconnection before it
  // closes the fd, so `closed` (checked under the lock) means the number may
  // already belong to another connection.
  void half_close(Conn& conn) {
    std::lock_guard lock(conn.mutex);
    if (conn.closed || conn.half_closed) return;
    auto peer = conn.peer.lock();
    if (!peer) return;
    ::shutdown(peer->fd(), SHUT_WR);
    conn.half_closed = true;
    conn.since = Clock::now();  // linger from here
  }

  void hard_close(Conn& conn) {
    std::lock_guard lock(conn.mutex);
    hard_close_locked(conn);
  }

  void hard_close_locked(Conn& conn) {
    if (conn.closed || conn.hard_closed) return;
    auto peer = conn.peer.lock();
    if (!peer) return;
    // Pistache's loop sees EOF, calls onDisconnection and closes the fd.
    ::shutdown(peer->fd(), SHUT_RDWR);
    conn.half_closed = conn.hard_closed = true;
  }

  void log_error(std::string_view correlation_id, std::string_view message) {
    errors.write_line(format_error_line(correlation_id, message));
  }

  // ---- reaper: timeouts ---------------------------------------------------

  void start_reaper() {
    reaper_stop_ = false;
    reaper_ = std::thread([this] { reap_loop(); });
  }

  void stop_reaper() {
    {
      std::lock_guard lock(reaper_mutex_);
      reaper_stop_ = true;
    }
    reaper_wake_.notify_all();
    if (reaper_.joinable()) reaper_.join();
  }

  void reap_loop() {
    using std::chrono::milliseconds;
    auto shortest = std::min({config.header_timeout, config.body_timeout, config.keepalive_timeout,
                              milliseconds(linger)});
    const auto interval = std::clamp(shortest / 4, milliseconds(5), milliseconds(250));
    std::unique_lock lock(reaper_mutex_);
    while (!reaper_wake_.wait_for(lock, interval, [this] { return reaper_stop_; })) {
      lock.unlock();
      reap_once();
      lock.lock();
    }
  }

  void reap_once() {
    std::vector<std::shared_ptr<Conn>> snapshot;
    {
      std::lock_guard lock(conns_mutex_);
      snapshot.assign(conns_.begin(), conns_.end());
    }
    const auto now = Clock::now();
    for (const auto& conn : snapshot) {
      Outbox out;
      bool gone = false;
      {
        std::lock_guard lock(conn->mutex);
        if (conn->closed) continue;
        if (conn->peer.expired()) {
          // Pistache dropped the peer without onDisconnection (write error).
          gone = true;
        } else {
          const auto age = now - conn->since;
          switch (conn->phase) {
          case Phase::idle:
            if (age > (conn->served_one ? config.keepalive_timeout : config.header_timeout))
              hard_close_locked(*conn);  // nothing pending: close quietly
            break;
          case Phase::head:
            if (age > config.header_timeout) fail(*conn, request_timeout(), out);
            break;
          case Phase::body:
            if (age > config.body_timeout) fail(*conn, request_timeout(), out);
            break;
          case Phase::handling: break;  // the handler's time is not the client's fault
          case Phase::closing:
            if (age > linger) hard_close_locked(*conn);
            break;
          }
        }
      }
      if (gone) disconnected(conn);
      flush(conn, out);
    }
  }

private:
  std::mutex conns_mutex_;
  std::unordered_set<std::shared_ptr<Conn>> conns_;

  std::shared_mutex transport_mutex_;
  bool transport_up_ = true;
  std::atomic<std::size_t> pending_writes_{0};
  std::mutex writes_mutex_;
  std::condition_variable writes_idle_;

  std::thread reaper_;
  std::mutex reaper_mutex_;
  std::condition_variable reaper_wake_;
  bool reaper_stop_ = false;
};

std::shared_ptr<Conn> conn_of(const std::shared_ptr<P::Tcp::Peer>& peer) {
  return std::static_pointer_cast<Conn>(peer->tryGetData(conn_key));
}

/// The Pistache side. Pistache clones it per event loop (copy constructor),
/// so it holds only a pointer to the shared core.
class KeelHandler : public P::Http::Handler {
public:
  HTTP_PROTOTYPE(KeelHandler)

  explicit KeelHandler(ServerCore* core) : core_(core) {}

  // Never called: onInput below does not hand requests to Pistache.
  void onRequest(const P::Http::Request&, P::Http::ResponseWriter) override {}

  // Pistache 0.0.5 calls this only for ResponseWriter::timeoutAfter timers,
  // not for header/body timeouts (those are ours, see the reaper). Still
  // answer with the envelope should it ever fire.
  void onTimeout(const P::Http::Request&, P::Http::ResponseWriter response) override {
    auto peer = response.getPeer();
    if (!peer) return;
    auto conn = conn_of(peer);
    if (!conn) return;
    Outbox out;
    {
      std::lock_guard lock(conn->mutex);
      if (conn->closed || conn->phase == Phase::closing) return;
      core_->fail(*conn, request_timeout(), out);
    }
    core_->flush(conn, out);
  }

private:
  // Replaces Http::Handler::onConnection (private, so not callable), which
  // only creates the parser that getParser() returns.
  void onConnection(const std::shared_ptr<P::Tcp::Peer>& peer) override {
    peer->putData(ParserData, std::make_shared<P::Http::RequestParser>(
                                  core_->config.max_request_bytes + synthetic_head_slack));
    auto conn = std::make_shared<Conn>();
    conn->peer = peer;
    peer->putData(conn_key, conn);
    core_->add(conn);
  }

  void onDisconnection(const std::shared_ptr<P::Tcp::Peer>& peer) override {
    if (auto conn = conn_of(peer)) core_->disconnected(conn);
  }

  void onInput(const char* buffer, std::size_t length,
               const std::shared_ptr<P::Tcp::Peer>& peer) override {
    Outbox out;
    std::shared_ptr<Conn> conn;
    try {
      conn = conn_of(peer);
      if (!conn) return;
      auto parser = getParser(peer);
      core_->on_input(conn, *parser, std::string_view(buffer, length), out);
    } catch (const std::exception& error) {
      // Nothing may escape to Pistache, which would answer with e.what().
      if (!conn) return;
      core_->log_error("-", std::string("input handling failed: ") + error.what());
      out.clear();
      std::lock_guard lock(conn->mutex);
      if (!conn->closed && conn->phase != Phase::closing) core_->fail(*conn, internal_error(), out);
    } catch (...) {
      return;
    }
    core_->flush(conn, out);
  }

  ServerCore* core_;
};

// serve_forever's wake-up pipe, written by the signal handler.
std::atomic<int> g_signal_fd{-1};

extern "C" void keel_on_stop_signal(int) {
  const int fd = g_signal_fd.load();
  if (fd >= 0) {
    const char byte = 's';
    [[maybe_unused]] auto ignored = ::write(fd, &byte, 1);
  }
}

void raise_open_file_limit() {
  rlimit limit{};
  if (::getrlimit(RLIMIT_NOFILE, &limit) == 0 && limit.rlim_cur < limit.rlim_max) {
    limit.rlim_cur = limit.rlim_max;
    ::setrlimit(RLIMIT_NOFILE, &limit);
  }
}

}  // namespace

struct Server::Impl {
  Impl(ServerConfig config, Api& api) : core(std::make_unique<ServerCore>(std::move(config), api)) {
    if (::pipe2(wake, O_CLOEXEC | O_NONBLOCK) != 0) wake[0] = wake[1] = -1;
  }
  ~Impl() {
    for (int fd : wake)
      if (fd >= 0) ::close(fd);
  }

  // Declared before the endpoint so that it outlives Pistache's threads and
  // any write completion they run.
  std::unique_ptr<ServerCore> core;
  std::unique_ptr<P::Http::Endpoint> endpoint;
  std::mutex lifecycle;
  bool started = false;
  bool stopped = false;
  std::atomic<std::uint16_t> bound_port{0};
  int wake[2] = {-1, -1};
};

Server::Server(ServerConfig config, Api& api)
    : impl_(std::make_unique<Impl>(std::move(config), api)) {}

Server::~Server() {
  try {
    shutdown();
  } catch (...) {
  }
}

void Server::start() {
  std::lock_guard lock(impl_->lifecycle);
  if (impl_->started) return;
  if (impl_->stopped) throw std::logic_error("keel::Server cannot be restarted");
  // A peer that resets mid-write must not kill the process (exit 141).
  std::signal(SIGPIPE, SIG_IGN);
  raise_open_file_limit();

  const auto& config = impl_->core->config;
  auto options = P::Http::Endpoint::options()
                     .threads(std::max(1, config.io_threads))
                     .flags(P::Tcp::Options::NoDelay | P::Tcp::Options::ReuseAddr)
                     .maxRequestSize(config.max_request_bytes + synthetic_head_slack)
                     .headerTimeout(pistache_never)
                     .bodyTimeout(pistache_never)
                     .keepaliveTimeout(pistache_never);
  try {
    auto endpoint =
        std::make_unique<P::Http::Endpoint>(P::Address(config.address, P::Port(config.port)));
    endpoint->init(options);
    endpoint->setHandler(std::make_shared<KeelHandler>(impl_->core.get()));
    endpoint->serveThreaded();
    impl_->bound_port = endpoint->getPort();
    impl_->endpoint = std::move(endpoint);
  } catch (const std::exception& error) {
    throw std::runtime_error("keel: cannot listen on " + config.address + ":" +
                             std::to_string(config.port) + ": " + error.what());
  }
  impl_->core->start_reaper();
  impl_->started = true;
}

std::uint16_t Server::port() const { return impl_->bound_port.load(); }

void Server::serve_forever() {
  start();
  struct sigaction action {};
  action.sa_handler = keel_on_stop_signal;
  sigemptyset(&action.sa_mask);
  struct sigaction old_int {
  }, old_term{};
  g_signal_fd = impl_->wake[1];
  ::sigaction(SIGINT, &action, &old_int);
  ::sigaction(SIGTERM, &action, &old_term);
  pollfd waiter{impl_->wake[0], POLLIN, 0};
  while (impl_->wake[0] >= 0) {
    int ready = ::poll(&waiter, 1, -1);
    if (ready > 0) break;
    if (ready < 0 && errno != EINTR) break;
  }
  ::sigaction(SIGINT, &old_int, nullptr);
  ::sigaction(SIGTERM, &old_term, nullptr);
  g_signal_fd = -1;
  shutdown();
}

void Server::shutdown() {
  std::lock_guard lock(impl_->lifecycle);
  if (impl_->stopped) return;
  impl_->stopped = true;
  auto& core = *impl_->core;
  if (impl_->started) {
    core.stopping = true;
    const auto deadline = Clock::now() + core.config.drain_timeout;
    core.pool.drain_for(core.config.drain_timeout);
    core.wait_writes_until(deadline);
    core.stop_transport();
    impl_->endpoint->shutdown();
    // Endpoint::shutdown() stops the event loops but leaves the listening
    // socket open (the kernel keeps accepting into the backlog); only
    // destroying the Listener closes it.
    impl_->endpoint.reset();
    core.stop_reaper();
  }
  core.pool.stop();
  core.forget_all();
  core.access.flush();
  if (impl_->wake[1] >= 0) {
    const char byte = 'x';
    [[maybe_unused]] auto ignored = ::write(impl_->wake[1], &byte, 1);
  }
}

}  // namespace keel
