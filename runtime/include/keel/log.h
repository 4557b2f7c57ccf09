#pragma once

#include <chrono>
#include <condition_variable>
#include <mutex>
#include <ostream>
#include <string>
#include <string_view>
#include <thread>

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

/// Writes whole lines to a stream from many threads; lines never interleave.
///
/// Unbatched (the default), each line is written and flushed at once.
/// Batched, lines collect in memory and a background thread writes them
/// every `batch_interval` (or sooner when 64 KiB are waiting): one write
/// for many requests instead of one each, which is most of the access log's
/// cost under load. A crash can lose the last interval's lines; flush() and
/// the destructor write everything that is waiting. A null stream discards.
class LineLog {
public:
  explicit LineLog(std::ostream* out, std::chrono::milliseconds batch_interval = {});
  ~LineLog();
  LineLog(const LineLog&) = delete;
  LineLog& operator=(const LineLog&) = delete;

  void write_line(std::string line);
  /// Writes out every waiting line before returning.
  void flush();
  bool enabled() const { return out_ != nullptr; }

private:
  void write_out(const std::string& text);
  void run_batches();

  std::ostream* out_;
  std::chrono::milliseconds interval_;
  std::mutex stream_mutex_;  ///< serialises writes to *out_
  std::mutex batch_mutex_;   ///< guards pending_ and stop_
  std::condition_variable wake_;
  std::string pending_;
  bool stop_ = false;
  std::thread writer_;
};

}  // namespace keel
