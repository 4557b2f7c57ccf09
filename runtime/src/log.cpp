#include <keel/log.h>

#include <cmath>
#include <cstdio>
#include <ctime>

namespace keel {

std::string rfc3339_utc(std::chrono::system_clock::time_point time) {
  using namespace std::chrono;
  const auto since_epoch = duration_cast<milliseconds>(time.time_since_epoch()).count();
  auto seconds = since_epoch / 1000;
  auto millis = since_epoch % 1000;
  if (millis < 0) {  // before 1970: keep the fraction positive
    millis += 1000;
    seconds -= 1;
  }
  const std::time_t t = static_cast<std::time_t>(seconds);
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, int(millis));
  return buffer;
}

void append_json_string(std::string& out, std::string_view text) {
  static constexpr char hex[] = "0123456789abcdef";
  out += '"';
  for (char c : text) {
    const auto byte = static_cast<unsigned char>(c);
    switch (c) {
    case '"': out += "\\\""; break;
    case '\\': out += "\\\\"; break;
    case '\n': out += "\\n"; break;
    case '\r': out += "\\r"; break;
    case '\t': out += "\\t"; break;
    default:
      // Control characters and DEL are escaped; bytes >= 0x80 pass through,
      // which keeps UTF-8 intact (paths are already checked to be ASCII).
      if (byte < 0x20 || byte == 0x7f) {
        out += "\\u00";
        out += hex[byte >> 4];
        out += hex[byte & 0xf];
      } else {
        out += c;
      }
    }
  }
  out += '"';
}

std::string format_access_line(const AccessRecord& record) {
  std::string line;
  line.reserve(256);
  line += "{\"time\":";
  append_json_string(line, rfc3339_utc(record.time));
  line += ",\"method\":";
  append_json_string(line, record.method.empty() ? "-" : record.method);
  line += ",\"route\":";
  append_json_string(line, record.route.empty() ? "-" : record.route);
  line += ",\"path\":";
  append_json_string(line, record.path.empty() ? "-" : record.path);
  line += ",\"status\":";
  line += std::to_string(record.status);
  line += ",\"duration_ms\":";
  double ms = std::isfinite(record.duration_ms) && record.duration_ms > 0 ? record.duration_ms : 0;
  char number[32];
  std::snprintf(number, sizeof number, "%.3f", ms);
  line += number;
  line += ",\"correlation_id\":";
  append_json_string(line, record.correlation_id);
  line += ",\"tenant\":";
  append_json_string(line, record.tenant.empty() ? "-" : record.tenant);
  if (!record.code.empty()) {
    line += ",\"code\":";
    append_json_string(line, record.code);
  }
  line += '}';
  return line;
}

std::string format_error_line(std::string_view correlation_id, std::string_view message) {
  std::string line = "{\"time\":";
  append_json_string(line, rfc3339_utc(std::chrono::system_clock::now()));
  line += ",\"level\":\"error\",\"correlation_id\":";
  append_json_string(line, correlation_id);
  line += ",\"message\":";
  append_json_string(line, message);
  line += '}';
  return line;
}

namespace {
constexpr std::size_t batch_limit = 64 * 1024;
}

LineLog::LineLog(std::ostream* out, std::chrono::milliseconds batch_interval)
    : out_(out), interval_(batch_interval) {
  if (out_ && interval_.count() > 0) writer_ = std::thread([this] { run_batches(); });
}

LineLog::~LineLog() {
  if (writer_.joinable()) {
    {
      std::lock_guard lock(batch_mutex_);
      stop_ = true;
    }
    wake_.notify_one();
    writer_.join();
  }
  flush();
}

void LineLog::write_line(std::string line) {
  if (!out_) return;
  line += '\n';
  if (!writer_.joinable()) return write_out(line);
  bool full = false;
  {
    std::lock_guard lock(batch_mutex_);
    pending_ += line;
    full = pending_.size() >= batch_limit;
  }
  if (full) wake_.notify_one();
}

void LineLog::flush() {
  if (!out_) return;
  // The stream lock is taken before the batch is swapped out, so batches
  // reach the stream in the order their lines were written.
  std::lock_guard stream_lock(stream_mutex_);
  std::string batch;
  {
    std::lock_guard lock(batch_mutex_);
    batch.swap(pending_);
  }
  if (batch.empty()) return;
  out_->write(batch.data(), static_cast<std::streamsize>(batch.size()));
  out_->flush();
}

void LineLog::write_out(const std::string& text) {
  std::lock_guard lock(stream_mutex_);
  out_->write(text.data(), static_cast<std::streamsize>(text.size()));
  out_->flush();
}

void LineLog::run_batches() {
  std::unique_lock lock(batch_mutex_);
  while (!stop_) {
    wake_.wait_for(lock, interval_, [this] { return stop_ || pending_.size() >= batch_limit; });
    lock.unlock();
    flush();
    lock.lock();
  }
}

}  // namespace keel
