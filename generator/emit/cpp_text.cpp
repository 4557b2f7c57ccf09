#include "emit/cpp_text.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <limits>

namespace keel::gen::emit {
namespace {

void append_escaped(std::string& out, char c) {
  switch (c) {
    case '"': out += "\\\""; return;
    case '\\': out += "\\\\"; return;
    case '\n': out += "\\n"; return;
    case '\t': out += "\\t"; return;
    case '\r': out += "\\r"; return;
    default: break;
  }
  auto u = static_cast<unsigned char>(c);
  if (u < 0x20 || u == 0x7F) {
    static constexpr char kDigits[] = "01234567";
    out += '\\';
    out += kDigits[(u >> 6) & 7];
    out += kDigits[(u >> 3) & 7];
    out += kDigits[u & 7];
    return;
  }
  out += c;  // UTF-8 bytes stay readable; sources are UTF-8
}

}  // namespace

std::string cpp_string(std::string_view text) {
  std::string out = "\"";
  for (char c : text) append_escaped(out, c);
  out += '"';
  return out;
}

std::string comment_line(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    if (c == ' ' && (out.empty() || out.back() == ' ')) continue;
    out += c;
  }
  while (!out.empty() && (out.back() == ' ' || out.back() == '\\')) out.pop_back();
  return out;
}

std::string cpp_string_chunks(std::string_view text) {
  constexpr std::size_t kChunk = 32 * 1024;
  std::string out = "{\n";
  std::size_t chunk_bytes = 0;
  bool open = false;
  std::size_t pos = 0;
  while (pos < text.size()) {
    std::size_t nl = text.find('\n', pos);
    std::size_t end = nl == std::string_view::npos ? text.size() : nl + 1;
    end = std::min(end, pos + kChunk);  // minified JSON is one huge line
    if (open && chunk_bytes + (end - pos) > kChunk) {
      out += ",\n";
      open = false;
      chunk_bytes = 0;
    }
    out += open ? "\n    " : "    ";
    out += cpp_string(text.substr(pos, end - pos));
    open = true;
    chunk_bytes += end - pos;
    pos = end;
  }
  out += open ? ",\n}" : "}";
  return out;
}

std::string int64_literal(std::int64_t v) {
  if (v == std::numeric_limits<std::int64_t>::min()) return "(-9223372036854775807 - 1)";
  return std::to_string(v);
}

std::string double_literal(double d) {
  if (std::isinf(d))
    return d > 0 ? "std::numeric_limits<double>::infinity()"
                 : "-std::numeric_limits<double>::infinity()";
  char buf[64];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, d);
  std::string text(buf, ec == std::errc() ? end : buf);
  if (text.find_first_of(".en") == std::string::npos) text += ".0";
  return text;
}

bool is_cpp_namespace(std::string_view ns) {
  if (ns.empty()) return false;
  bool start = true;
  for (std::size_t i = 0; i < ns.size(); ++i) {
    char c = ns[i];
    if (c == ':' && i + 1 < ns.size() && ns[i + 1] == ':' && !start) {
      ++i;
      start = true;
      continue;
    }
    bool alpha = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
    bool digit = c >= '0' && c <= '9';
    if (!(alpha || (digit && !start))) return false;
    start = false;
  }
  return !start;
}

}  // namespace keel::gen::emit
