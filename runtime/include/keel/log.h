#pragma once

#include <chrono>
#include <mutex>
#include <ostream>
#include <string>
#include <string_view>

namespace keel {

/// What the access log records for one request.
struct AccessRecord {
  std::chrono::system_clock::time_point time;  ///< when the response was sent
  std::string method;                          ///< "-" when the request line was unreadable
  std::string route;                           ///< path template, or "-" when unmatched
  std::string path;                            ///< raw path without the query, or "-"
  int status = 0;
  double duration_ms = 0;  ///< first request byte to response queued
  std::string correlation_id;
  std::string tenant;  ///< "-" before a tenant is known
  std::string code;    ///< error code; empty (and omitted) on success
};

/// RFC 3339 UTC with milliseconds: 2024-05-01T12:34:56.789Z.
std::string rfc3339_utc(std::chrono::system_clock::time_point time);

/// One JSON object, no trailing newline: {"time","method","route","path",
/// "status","duration_ms","correlation_id","tenant","code"?}.
std::string format_access_line(const AccessRecord& record);

/// One JSON object for a server-side error: {"time","level":"error",
/// "correlation_id","message"}. Only the server's log ever sees `message`.
std::string format_error_line(std::string_view correlation_id, std::string_view message);

/// Appends `text` to `out` as a JSON string literal (quotes included).
void append_json_string(std::string& out, std::string_view text);

/// Writes whole lines to a stream from many threads: each line is one
/// write followed by a flush, under a lock, so lines never interleave.
/// A null stream discards everything.
class LineLog {
public:
  explicit LineLog(std::ostream* out) : out_(out) {}
  void write_line(std::string line);
  bool enabled() const { return out_ != nullptr; }

private:
  std::ostream* out_;
  std::mutex mutex_;
};

}  // namespace keel
