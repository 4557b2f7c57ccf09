#include <keel/params.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdlib>

namespace keel {
namespace {

int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Counts code points; -1 when `s` is not well-formed UTF-8 (RFC 3629:
// no overlongs, no surrogates, nothing above U+10FFFF).
long long utf8_length(std::string_view s) {
  long long count = 0;
  for (std::size_t i = 0; i < s.size(); ++count) {
    auto c = static_cast<unsigned char>(s[i]);
    std::size_t extra = 0;
    std::uint32_t cp = 0;
    if (c < 0x80) { ++i; continue; }
    if ((c & 0xE0) == 0xC0) extra = 1, cp = c & 0x1Fu;
    else if ((c & 0xF0) == 0xE0) extra = 2, cp = c & 0x0Fu;
    else if ((c & 0xF8) == 0xF0) extra = 3, cp = c & 0x07u;
    else return -1;
    if (i + extra >= s.size()) return -1;
    for (std::size_t k = 1; k <= extra; ++k) {
      auto cc = static_cast<unsigned char>(s[i + k]);
      if ((cc & 0xC0) != 0x80) return -1;
      cp = (cp << 6) | (cc & 0x3Fu);
    }
    static constexpr std::uint32_t kMin[] = {0, 0x80, 0x800, 0x10000};
    if (cp < kMin[extra] || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return -1;
    i += extra + 1;
  }
  return count;
}

void invalid(FieldErrors& errors, std::string_view pointer, std::string code, std::string detail) {
  errors.push_back({std::string(pointer), std::move(code), std::move(detail)});
}

template <class Int>
bool parse_integer(std::string_view text, Int& out, std::string_view pointer, FieldErrors& errors) {
  // from_chars accepts neither '+' nor whitespace, which is the strictness we want.
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out);
  if (text.empty() || ec == std::errc::invalid_argument || end != text.data() + text.size()) {
    invalid(errors, pointer, "type", "must be an integer");
    return false;
  }
  if (ec == std::errc::result_out_of_range) {
    invalid(errors, pointer, "format", "integer out of range");
    return false;
  }
  return true;
}

std::string number_text(double v) {
  char buf[32];
  auto [end, ec] = std::to_chars(buf, buf + sizeof buf, v);
  return ec == std::errc() ? std::string(buf, end) : std::string("?");
}

}  // namespace

bool percent_decode_append(std::string_view raw, std::string& out, bool plus_is_space) {
  for (std::size_t i = 0; i < raw.size(); ++i) {
    char c = raw[i];
    if (c == '%') {
      if (i + 2 >= raw.size()) return false;
      int hi = hex_value(raw[i + 1]), lo = hex_value(raw[i + 2]);
      if (hi < 0 || lo < 0) return false;
      out += static_cast<char>(hi * 16 + lo);
      i += 2;
    } else if (c == '+' && plus_is_space) {
      out += ' ';
    } else {
      out += c;
    }
  }
  return true;
}

bool percent_decode(std::string_view raw, std::string& out, bool plus_is_space) {
  out.clear();
  out.reserve(raw.size());
  if (!percent_decode_append(raw, out, plus_is_space)) return false;
  return utf8_length(out) >= 0;
}

bool is_utf8(std::string_view text) { return utf8_length(text) >= 0; }

QueryParams::QueryParams(std::string_view raw, FieldErrors& errors) {
  while (!raw.empty()) {
    auto amp = raw.find('&');
    std::string_view pair = raw.substr(0, amp);
    raw = amp == std::string_view::npos ? std::string_view{} : raw.substr(amp + 1);
    if (pair.empty()) continue;
    auto eq = pair.find('=');
    std::string name, value;
    bool ok = percent_decode(pair.substr(0, eq), name, true);
    if (ok && eq != std::string_view::npos) ok = percent_decode(pair.substr(eq + 1), value, true);
    if (!ok) {
      invalid(errors, param::pointer("query", name.empty() ? std::string(pair.substr(0, eq)) : name),
              "invalid_encoding", "malformed percent-encoding or invalid UTF-8");
      continue;
    }
    items_.emplace_back(std::move(name), std::move(value));
  }
}

const std::string* QueryParams::get(std::string_view name, FieldErrors& errors) const {
  const std::string* found = nullptr;
  for (const auto& [k, v] : items_) {
    if (k != name) continue;
    if (found) {
      invalid(errors, param::pointer("query", name), "duplicate_parameter",
              "parameter given more than once");
      return nullptr;
    }
    found = &v;
  }
  return found;
}

CookieParams::CookieParams(const std::string* header) {
  if (!header) return;
  std::string_view rest = *header;
  while (!rest.empty()) {
    auto semi = rest.find(';');
    std::string_view pair = rest.substr(0, semi);
    rest = semi == std::string_view::npos ? std::string_view{} : rest.substr(semi + 1);
    while (!pair.empty() && pair.front() == ' ') pair.remove_prefix(1);
    auto eq = pair.find('=');
    if (eq == std::string_view::npos || eq == 0) continue;
    std::string_view value = pair.substr(eq + 1);
    if (value.size() >= 2 && value.front() == '"' && value.back() == '"')
      value = value.substr(1, value.size() - 2);
    items_.emplace_back(std::string(pair.substr(0, eq)), std::string(value));
  }
}

const std::string* CookieParams::get(std::string_view name) const {
  for (const auto& [k, v] : items_)
    if (k == name) return &v;
  return nullptr;
}

namespace param {

std::string pointer(std::string_view location, std::string_view name) {
  std::string out = "/";
  out += location;
  out += '/';
  for (char c : name) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

FieldError missing(std::string ptr) {
  return {std::move(ptr), "required", "required parameter is missing"};
}

bool parse(std::string_view text, std::string& out, std::string_view pointer, FieldErrors& errors) {
  if (utf8_length(text) < 0) {
    invalid(errors, pointer, "invalid_encoding", "not valid UTF-8");
    return false;
  }
  out.assign(text);
  return true;
}

bool parse(std::string_view text, std::int64_t& out, std::string_view pointer, FieldErrors& errors) {
  return parse_integer(text, out, pointer, errors);
}

bool parse(std::string_view text, std::int32_t& out, std::string_view pointer, FieldErrors& errors) {
  return parse_integer(text, out, pointer, errors);
}

bool parse(std::string_view text, double& out, std::string_view pointer, FieldErrors& errors) {
  // JSON number grammar: no leading '+', no hex, no inf/nan, no whitespace.
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), out,
                                   std::chars_format::general);
  bool grammar = !text.empty() && text.front() != '+' && text.find_first_of("xXnNiI") == text.npos;
  if (!grammar || ec != std::errc() || end != text.data() + text.size() || !std::isfinite(out)) {
    invalid(errors, pointer, "type", "must be a number");
    return false;
  }
  return true;
}

bool parse(std::string_view text, bool& out, std::string_view pointer, FieldErrors& errors) {
  if (text == "true") out = true;
  else if (text == "false") out = false;
  else {
    invalid(errors, pointer, "type", "must be true or false");
    return false;
  }
  return true;
}

void check_minimum(std::int64_t value, std::int64_t bound, bool exclusive, std::string_view pointer,
                   FieldErrors& errors) {
  if (exclusive ? value <= bound : value < bound)
    invalid(errors, pointer, "minimum",
            std::string("must be ") + (exclusive ? "greater than " : "at least ") + std::to_string(bound));
}

void check_maximum(std::int64_t value, std::int64_t bound, bool exclusive, std::string_view pointer,
                   FieldErrors& errors) {
  if (exclusive ? value >= bound : value > bound)
    invalid(errors, pointer, "maximum",
            std::string("must be ") + (exclusive ? "less than " : "at most ") + std::to_string(bound));
}

void check_minimum(double value, double bound, bool exclusive, std::string_view pointer,
                   FieldErrors& errors) {
  if (exclusive ? value <= bound : value < bound)
    invalid(errors, pointer, "minimum",
            std::string("must be ") + (exclusive ? "greater than " : "at least ") + number_text(bound));
}

void check_maximum(double value, double bound, bool exclusive, std::string_view pointer,
                   FieldErrors& errors) {
  if (exclusive ? value >= bound : value > bound)
    invalid(errors, pointer, "maximum",
            std::string("must be ") + (exclusive ? "less than " : "at most ") + number_text(bound));
}

void check_length(std::string_view value, std::optional<std::uint64_t> min,
                  std::optional<std::uint64_t> max, std::string_view pointer, FieldErrors& errors) {
  long long n = utf8_length(value);
  if (n < 0) return;  // already reported by parse()
  auto length = static_cast<std::uint64_t>(n);
  if (min && length < *min)
    invalid(errors, pointer, "minLength", "must be at least " + std::to_string(*min) + " characters");
  if (max && length > *max)
    invalid(errors, pointer, "maxLength", "must be at most " + std::to_string(*max) + " characters");
}

void check_enum(std::string_view value, std::initializer_list<std::string_view> allowed,
                std::string_view pointer, FieldErrors& errors) {
  if (std::find(allowed.begin(), allowed.end(), value) != allowed.end()) return;
  std::string list;
  for (auto a : allowed) list += (list.empty() ? "" : ", ") + std::string(a);
  invalid(errors, pointer, "enum", "must be one of: " + list);
}

}  // namespace param
}  // namespace keel
