// JSON Schema format checkers: one hand-written scanner per grammar, each a
// single pass over the input with fixed-size state.

#include <keel/formats.h>
#include <keel/regex.h>

#include "unicode_tables.h"
#include "unicode_utf8.h"

#include <array>
#include <cstdint>

namespace keel::schema::format {
namespace {

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_alpha(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool is_hex(char c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
char lower(char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; }

// `count` ASCII digits at s[pos..]; their value in `out`.
bool digits(std::string_view s, std::size_t pos, std::size_t count, int& out) {
  if (pos + count > s.size()) return false;
  int v = 0;
  for (std::size_t i = pos; i < pos + count; ++i) {
    if (!is_digit(s[i])) return false;
    v = v * 10 + (s[i] - '0');
  }
  out = v;
  return true;
}

// ---------------------------------------------------------------------------
// RFC 3339

bool leap_year(int y) { return (y % 4 == 0 && y % 100 != 0) || y % 400 == 0; }

int days_in_month(int y, int m) {
  static constexpr int days[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  return m == 2 && leap_year(y) ? 29 : days[m - 1];
}

bool full_date(std::string_view s) {
  int y, m, d;
  return s.size() == 10 && digits(s, 0, 4, y) && s[4] == '-' && digits(s, 5, 2, m) &&
         s[7] == '-' && digits(s, 8, 2, d) && m >= 1 && m <= 12 && d >= 1 &&
         d <= days_in_month(y, m);
}

bool full_time(std::string_view s) {
  int h, m, sec;
  if (!(digits(s, 0, 2, h) && s.size() > 2 && s[2] == ':' && digits(s, 3, 2, m) && s.size() > 5 &&
        s[5] == ':' && digits(s, 6, 2, sec))) {
    return false;
  }
  std::size_t i = 8;
  if (i < s.size() && s[i] == '.') {
    const std::size_t start = ++i;
    while (i < s.size() && is_digit(s[i])) ++i;
    if (i == start) return false;
  }
  if (i >= s.size()) return false;  // the offset is required
  int offset = 0;                   // minutes east of UTC
  if (s[i] == 'Z' || s[i] == 'z') {
    ++i;
  } else if (s[i] == '+' || s[i] == '-') {
    int oh, om;
    if (!(digits(s, i + 1, 2, oh) && i + 3 < s.size() && s[i + 3] == ':' &&
          digits(s, i + 4, 2, om) && oh <= 23 && om <= 59)) {
      return false;
    }
    offset = (s[i] == '+' ? 1 : -1) * (oh * 60 + om);
    i += 6;
  } else {
    return false;
  }
  if (i != s.size() || h > 23 || m > 59 || sec > 60) return false;
  if (sec == 60) {
    // A leap second is inserted at 23:59:60 UTC; local time is UTC + offset.
    const int utc = ((h * 60 + m - offset) % 1440 + 1440) % 1440;
    if (utc != 23 * 60 + 59) return false;
  }
  return true;
}

// ---------------------------------------------------------------------------
// Internationalized domain names (RFC 5890-5893)

constexpr std::size_t kMaxLabel = 63;

// A label's code points; longer labels are never valid, so a fixed array.
struct Label {
  std::array<char32_t, kMaxLabel> cp;  // only [0, size) is ever read
  std::size_t size = 0;
  bool push(char32_t c) {
    if (size == cp.size()) return false;
    cp[size++] = c;
    return true;
  }
};

namespace punycode {  // RFC 3492

constexpr std::uint32_t kBase = 36, kTMin = 1, kTMax = 26, kSkew = 38, kDamp = 700;
constexpr std::uint32_t kInitialBias = 72, kInitialN = 128;
constexpr std::uint32_t kMaxInt = UINT32_MAX;

std::uint32_t adapt(std::uint32_t delta, std::uint32_t points, bool first) {
  delta = first ? delta / kDamp : delta / 2;
  delta += delta / points;
  std::uint32_t k = 0;
  while (delta > ((kBase - kTMin) * kTMax) / 2) {
    delta /= kBase - kTMin;
    k += kBase;
  }
  return k + (kBase - kTMin + 1) * delta / (delta + kSkew);
}

std::uint32_t threshold(std::uint32_t k, std::uint32_t bias) {
  return k <= bias ? kTMin : k >= bias + kTMax ? kTMax : k - bias;
}

int digit_value(char c) {
  if (c >= '0' && c <= '9') return c - '0' + 26;
  if (c >= 'a' && c <= 'z') return c - 'a';
  if (c >= 'A' && c <= 'Z') return c - 'A';
  return -1;
}

char digit_char(std::uint32_t d) {
  return static_cast<char>(d < 26 ? 'a' + d : '0' + (d - 26));
}

bool decode(std::string_view in, Label& out) {
  out.size = 0;
  const std::size_t delimiter = in.rfind('-');
  std::size_t pos = 0;
  if (delimiter != std::string_view::npos) {
    for (; pos < delimiter; ++pos) {
      if (!out.push(static_cast<unsigned char>(in[pos]))) return false;
    }
    ++pos;
  }
  std::uint32_t n = kInitialN, i = 0, bias = kInitialBias;
  while (pos < in.size()) {
    const std::uint32_t old_i = i;
    std::uint32_t w = 1;
    for (std::uint32_t k = kBase;; k += kBase) {
      if (pos >= in.size()) return false;
      const int d = digit_value(in[pos++]);
      if (d < 0) return false;
      const auto digit = static_cast<std::uint32_t>(d);
      if (digit > (kMaxInt - i) / w) return false;
      i += digit * w;
      const std::uint32_t t = threshold(k, bias);
      if (digit < t) break;
      if (w > kMaxInt / (kBase - t)) return false;
      w *= kBase - t;
    }
    const auto count = static_cast<std::uint32_t>(out.size + 1);
    bias = adapt(i - old_i, count, old_i == 0);
    if (i / count > kMaxInt - n) return false;
    n += i / count;
    i %= count;
    if (n > 0x10FFFF || (n >= 0xD800 && n <= 0xDFFF)) return false;
    if (out.size == out.cp.size()) return false;
    for (std::size_t j = out.size; j > i; --j) out.cp[j] = out.cp[j - 1];
    out.cp[i] = n;
    ++out.size;
    ++i;
  }
  return true;
}

// Calls `sink(char)` for each output character; false on overflow.
template <class Sink>
bool encode(const Label& in, Sink&& sink) {
  std::uint32_t basic = 0;
  for (std::size_t j = 0; j < in.size; ++j) {
    if (in.cp[j] < 0x80) {
      sink(static_cast<char>(in.cp[j]));
      ++basic;
    }
  }
  std::uint32_t handled = basic;
  if (basic > 0) sink('-');
  std::uint32_t n = kInitialN, delta = 0, bias = kInitialBias;
  while (handled < in.size) {
    std::uint32_t m = kMaxInt;
    for (std::size_t j = 0; j < in.size; ++j) {
      if (in.cp[j] >= n && in.cp[j] < m) m = in.cp[j];
    }
    if (m - n > (kMaxInt - delta) / (handled + 1)) return false;
    delta += (m - n) * (handled + 1);
    n = m;
    for (std::size_t j = 0; j < in.size; ++j) {
      const char32_t c = in.cp[j];
      if (c < n && ++delta == 0) return false;
      if (c == n) {
        std::uint32_t q = delta;
        for (std::uint32_t k = kBase;; k += kBase) {
          const std::uint32_t t = threshold(k, bias);
          if (q < t) break;
          sink(digit_char(t + (q - t) % (kBase - t)));
          q = (q - t) / (kBase - t);
        }
        sink(digit_char(q));
        bias = adapt(delta, handled + 1, handled == basic);
        delta = 0;
        ++handled;
      }
    }
    ++delta;
    ++n;
  }
  return true;
}

}  // namespace punycode

bool in_table(const unicode::Range* table, std::size_t size, char32_t c) {
  return unicode::contains(table, size, c);
}

// RFC 5892 Appendix A.
bool context_rule_holds(const Label& l, std::size_t i) {
  const char32_t c = l.cp[i];
  const auto before = [&](std::size_t k) { return i >= k ? l.cp[i - k] : char32_t{0}; };
  const char32_t after = i + 1 < l.size ? l.cp[i + 1] : 0;
  using unicode::JoiningType;
  switch (c) {
    case 0x200C: {  // ZERO WIDTH NON-JOINER
      if (i > 0 && unicode::is_virama(l.cp[i - 1])) return true;
      std::size_t j = i;
      while (j > 0 && unicode::joining_type(l.cp[j - 1]) == JoiningType::transparent) --j;
      if (j == 0) return false;
      const JoiningType left = unicode::joining_type(l.cp[j - 1]);
      if (left != JoiningType::left && left != JoiningType::dual) return false;
      std::size_t k = i + 1;
      while (k < l.size && unicode::joining_type(l.cp[k]) == JoiningType::transparent) ++k;
      if (k == l.size) return false;
      const JoiningType right = unicode::joining_type(l.cp[k]);
      return right == JoiningType::right || right == JoiningType::dual;
    }
    case 0x200D:  // ZERO WIDTH JOINER
      return i > 0 && unicode::is_virama(l.cp[i - 1]);
    case 0x00B7:  // MIDDLE DOT
      return before(1) == 'l' && after == 'l';
    case 0x0375:  // GREEK LOWER NUMERAL SIGN (KERAIA)
      return i + 1 < l.size &&
             in_table(unicode::script_greek, unicode::script_greek_size, after);
    case 0x05F3:  // HEBREW PUNCTUATION GERESH
    case 0x05F4:  // HEBREW PUNCTUATION GERSHAYIM
      return i > 0 && in_table(unicode::script_hebrew, unicode::script_hebrew_size, before(1));
    case 0x30FB:  // KATAKANA MIDDLE DOT
      for (std::size_t j = 0; j < l.size; ++j) {
        if (in_table(unicode::script_hiragana_katakana_han,
                     unicode::script_hiragana_katakana_han_size, l.cp[j])) {
          return true;
        }
      }
      return false;
    default:
      break;
  }
  if (c >= 0x0660 && c <= 0x0669) {  // ARABIC-INDIC DIGITS
    for (std::size_t j = 0; j < l.size; ++j) {
      if (l.cp[j] >= 0x06F0 && l.cp[j] <= 0x06F9) return false;
    }
    return true;
  }
  if (c >= 0x06F0 && c <= 0x06F9) {  // EXTENDED ARABIC-INDIC DIGITS
    for (std::size_t j = 0; j < l.size; ++j) {
      if (l.cp[j] >= 0x0660 && l.cp[j] <= 0x0669) return false;
    }
    return true;
  }
  return false;  // a CONTEXTO code point without a rule
}

// RFC 5891 section 5.4 and RFC 5892.
bool valid_u_label(const Label& l) {
  if (l.size == 0) return false;
  if (l.size >= 4 && l.cp[2] == '-' && l.cp[3] == '-') return false;
  if (l.cp[0] == '-' || l.cp[l.size - 1] == '-') return false;
  if (unicode::is_combining_mark(l.cp[0])) return false;
  for (std::size_t i = 0; i < l.size; ++i) {
    switch (unicode::idna_class(l.cp[i])) {
      case unicode::Idna::pvalid:
        break;
      case unicode::Idna::contextj:
      case unicode::Idna::contexto:
        if (!context_rule_holds(l, i)) return false;
        break;
      case unicode::Idna::disallowed:
      case unicode::Idna::unassigned:
        return false;
    }
  }
  return true;
}

bool is_rtl_char(unicode::Bidi b) {
  return b == unicode::Bidi::R || b == unicode::Bidi::AL || b == unicode::Bidi::AN;
}

// RFC 5893 section 2.
bool satisfies_bidi_rule(const Label& l) {
  using unicode::Bidi;
  if (l.size == 0) return false;
  const Bidi first = unicode::bidi_class(l.cp[0]);
  const bool rtl = first == Bidi::R || first == Bidi::AL;
  if (!rtl && first != Bidi::L) return false;
  bool has_en = false, has_an = false;
  Bidi last = first;  // last character that is not NSM
  for (std::size_t i = 0; i < l.size; ++i) {
    const Bidi b = unicode::bidi_class(l.cp[i]);
    switch (b) {
      case Bidi::EN:
        has_en = true;
        break;
      case Bidi::AN:
        if (!rtl) return false;
        has_an = true;
        break;
      case Bidi::R:
      case Bidi::AL:
        if (!rtl) return false;
        break;
      case Bidi::L:
        if (rtl) return false;
        break;
      case Bidi::ES:
      case Bidi::CS:
      case Bidi::ET:
      case Bidi::ON:
      case Bidi::BN:
      case Bidi::NSM:
        break;
      default:
        return false;
    }
    if (b != Bidi::NSM) last = b;
  }
  if (rtl) {
    if (has_en && has_an) return false;
    return last == Bidi::R || last == Bidi::AL || last == Bidi::EN || last == Bidi::AN;
  }
  return last == Bidi::L || last == Bidi::EN;
}

bool is_ldh(char c) { return is_alpha(c) || is_digit(c) || c == '-'; }

bool starts_with_xn(std::string_view label) {
  return label.size() >= 4 && lower(label[0]) == 'x' && lower(label[1]) == 'n' &&
         label[2] == '-' && label[3] == '-';
}

// An "xn--" label: its Punycode must decode to a valid U-label with some
// non-ASCII character and encode back to exactly itself. Host names are
// case-insensitive (RFC 4343), so the label is lowercased first; Punycode's
// case annotations have no place in IDNA.
bool decode_a_label(std::string_view label, Label& u) {
  std::array<char, kMaxLabel> buffer;
  const std::size_t size = label.size() - 4;  // label.size() <= kMaxLabel
  for (std::size_t i = 0; i < size; ++i) buffer[i] = lower(label[i + 4]);
  const std::string_view encoded(buffer.data(), size);
  if (!punycode::decode(encoded, u)) return false;
  bool non_ascii = false;
  for (std::size_t i = 0; i < u.size; ++i) non_ascii = non_ascii || u.cp[i] >= 0x80;
  if (!non_ascii) return false;
  std::size_t pos = 0;
  bool same = true;
  const bool encoded_ok = punycode::encode(u, [&](char c) {
    same = same && pos < encoded.size() && encoded[pos] == c;
    ++pos;
  });
  return encoded_ok && same && pos == encoded.size() && valid_u_label(u);
}

std::size_t a_label_length(const Label& u) {
  std::size_t n = 4;
  if (!punycode::encode(u, [&](char) { ++n; })) return SIZE_MAX;
  return n;
}

// Calls `f(label)` for each label of `s`; false as soon as `f` is. An IDN
// label separator is any of . U+3002 U+FF0E U+FF61 (RFC 3490 section 3.1).
template <class F>
bool for_each_label(std::string_view s, bool idn, F&& f) {
  std::size_t start = 0, i = 0;
  while (i < s.size()) {
    std::size_t separator = 0, step = 1;
    if (s[i] == '.') {
      separator = 1;
    } else if (idn && static_cast<unsigned char>(s[i]) >= 0x80) {
      char32_t c;
      step = unicode::decode_utf8(s, i, c);
      if (step == 0) return false;
      if (c == 0x3002 || c == 0xFF0E || c == 0xFF61) separator = step;
    }
    if (separator != 0) {
      if (!f(s.substr(start, i - start))) return false;
      start = i + separator;
    }
    i += step;
  }
  return f(s.substr(start));
}

// Checks one label; fills `u` with its code points (U-label form), and
// `ascii_length` with the length of its ASCII (A-label) form.
bool check_label(std::string_view label, bool idn, Label& u, std::size_t& ascii_length) {
  if (label.empty()) return false;
  bool ascii = true;
  for (char c : label) ascii = ascii && static_cast<unsigned char>(c) < 0x80;
  if (ascii) {
    if (label.size() > kMaxLabel || label.front() == '-' || label.back() == '-') return false;
    for (char c : label) {
      if (!is_ldh(c)) return false;
    }
    ascii_length = label.size();
    if (starts_with_xn(label)) return decode_a_label(label, u);
    u.size = 0;
    for (char c : label) u.push(static_cast<unsigned char>(c));
    return true;
  }
  if (!idn) return false;
  u.size = 0;
  for (std::size_t i = 0; i < label.size();) {
    char32_t c;
    const std::size_t len = unicode::decode_utf8(label, i, c);
    if (len == 0 || !u.push(c)) return false;
    i += len;
  }
  if (!valid_u_label(u)) return false;
  ascii_length = a_label_length(u);
  return ascii_length <= kMaxLabel;
}

bool host_name(std::string_view s, bool idn) {
  // 253 octets in ASCII form; a character is at most 4 octets of UTF-8 and
  // contributes at least one octet to the ASCII form, a separator at most 3.
  if (s.empty() || s.size() > 4 * 253) return false;
  // Pass 1: every label on its own, and whether this is a Bidi domain name
  // (RFC 5893: some label has an R, AL or AN character).
  std::size_t total = 0, labels = 0;
  bool bidi_domain = false;
  const bool ok = for_each_label(s, idn, [&](std::string_view label) {
    Label u;
    std::size_t ascii_length = 0;
    if (!check_label(label, idn, u, ascii_length)) return false;
    total += ascii_length;
    ++labels;
    for (std::size_t k = 0; k < u.size && !bidi_domain; ++k) {
      bidi_domain = u.cp[k] >= 0x80 && is_rtl_char(unicode::bidi_class(u.cp[k]));
    }
    return true;
  });
  if (!ok || total + labels - 1 > 253) return false;
  if (!bidi_domain) return true;
  // Pass 2: in a Bidi domain name every label must satisfy the Bidi rule.
  return for_each_label(s, idn, [&](std::string_view label) {
    Label u;
    std::size_t ascii_length = 0;
    return check_label(label, idn, u, ascii_length) && satisfies_bidi_rule(u);
  });
}

// ---------------------------------------------------------------------------
// IP addresses

bool ipv4(std::string_view s) {
  std::size_t i = 0;
  for (int part = 0; part < 4; ++part) {
    if (part > 0) {
      if (i >= s.size() || s[i] != '.') return false;
      ++i;
    }
    const std::size_t start = i;
    int value = 0;
    while (i < s.size() && is_digit(s[i]) && i - start < 3) value = value * 10 + (s[i++] - '0');
    const std::size_t len = i - start;
    if (len == 0 || (len > 1 && s[start] == '0') || value > 255) return false;
  }
  return i == s.size();
}

bool ipv6(std::string_view s) {
  const std::size_t n = s.size();
  std::size_t i = 0;
  int groups = 0;
  bool compressed = false;
  if (n >= 2 && s[0] == ':' && s[1] == ':') {
    compressed = true;
    i = 2;
    if (i == n) return true;
  }
  for (;;) {
    std::size_t j = i;
    while (j < n && is_hex(s[j]) && j - i <= 4) ++j;
    if (j < n && s[j] == '.') {
      // The embedded IPv4 address ends the address and counts as two groups.
      if (!ipv4(s.substr(i))) return false;
      groups += 2;
      break;
    }
    if (j == i || j - i > 4) return false;
    ++groups;
    i = j;
    if (i == n) break;
    if (s[i] != ':') return false;
    ++i;
    if (i < n && s[i] == ':') {
      if (compressed) return false;
      compressed = true;
      ++i;
      if (i == n) break;
    } else if (i == n) {
      return false;
    }
    if (groups > 8) return false;
  }
  return compressed ? groups <= 7 : groups == 8;
}

// ---------------------------------------------------------------------------
// URIs and IRIs (RFC 3986, RFC 3987)

bool is_unreserved(char c) { return is_alpha(c) || is_digit(c) || c == '-' || c == '.' || c == '_' || c == '~'; }
bool is_sub_delim(char c) {
  return c == '!' || c == '$' || c == '&' || c == '\'' || c == '(' || c == ')' || c == '*' ||
         c == '+' || c == ',' || c == ';' || c == '=';
}
bool is_ucschar(char32_t c) {
  if (c >= 0xA0 && c <= 0xD7FF) return true;
  if (c >= 0xF900 && c <= 0xFDCF) return true;
  if (c >= 0xFDF0 && c <= 0xFFEF) return true;
  if (c >= 0x10000 && c <= 0xEFFFD && (c & 0xFFFF) <= 0xFFFD) return c < 0xE0000 || c >= 0xE1000;
  return false;
}
bool is_iprivate(char32_t c) {
  return (c >= 0xE000 && c <= 0xF8FF) || (c >= 0xF0000 && c <= 0xFFFFD) ||
         (c >= 0x100000 && c <= 0x10FFFD);
}

class UriScanner {
 public:
  UriScanner(std::string_view s, bool iri) : s_(s), iri_(iri) {}

  bool uri() { return scheme() && hier_part() && query_and_fragment(); }

  bool uri_reference() {
    if (scheme()) return hier_part() && query_and_fragment();
    i_ = 0;
    return relative_part() && query_and_fragment();
  }

 private:
  bool at_end() const { return i_ >= s_.size(); }
  char peek() const { return at_end() ? '\0' : s_[i_]; }

  bool scheme() {
    if (at_end() || !is_alpha(s_[0])) return false;
    std::size_t j = 1;
    while (j < s_.size() &&
           (is_alpha(s_[j]) || is_digit(s_[j]) || s_[j] == '+' || s_[j] == '-' || s_[j] == '.')) {
      ++j;
    }
    if (j >= s_.size() || s_[j] != ':') return false;
    i_ = j + 1;
    return true;
  }

  bool hier_part() {
    if (s_.substr(i_, 2) == "//") {
      i_ += 2;
      if (!authority()) return false;
    }
    return path(false);
  }

  bool relative_part() {
    if (s_.substr(i_, 2) == "//") {
      i_ += 2;
      if (!authority()) return false;
      return path(false);
    }
    return path(true);
  }

  // One character of the given kind at i_ (a percent-encoded triplet, an
  // ASCII character accepted by `ascii`, or, in an IRI, a ucschar and where
  // allowed an iprivate), advancing past it.
  template <class Ascii>
  bool character(Ascii ascii, bool allow_private) {
    const char c = s_[i_];
    if (c == '%') {
      if (i_ + 2 >= s_.size() || !is_hex(s_[i_ + 1]) || !is_hex(s_[i_ + 2])) return false;
      i_ += 3;
      return true;
    }
    if (static_cast<unsigned char>(c) < 0x80) {
      if (!ascii(c)) return false;
      ++i_;
      return true;
    }
    if (!iri_) return false;
    char32_t cp;
    const std::size_t len = unicode::decode_utf8(s_, i_, cp);
    if (len == 0 || !(is_ucschar(cp) || (allow_private && is_iprivate(cp)))) return false;
    i_ += len;
    return true;
  }

  static bool pchar(char c) { return is_unreserved(c) || is_sub_delim(c) || c == ':' || c == '@'; }

  // Path characters up to '?', '#' or the end. In a relative reference
  // without authority the first segment must not contain ':'.
  bool path(bool no_colon_in_first_segment) {
    bool first_segment = no_colon_in_first_segment;
    while (!at_end() && peek() != '?' && peek() != '#') {
      const char c = peek();
      if (c == '/') {
        first_segment = false;
        ++i_;
        continue;
      }
      if (first_segment && c == ':') return false;
      if (!character(pchar, false)) return false;
    }
    return true;
  }

  bool query_and_fragment() {
    const auto query_char = [](char c) { return pchar(c) || c == '/' || c == '?'; };
    if (peek() == '?') {
      ++i_;
      while (!at_end() && peek() != '#') {
        if (!character(query_char, true)) return false;
      }
    }
    if (peek() == '#') {
      ++i_;
      while (!at_end()) {
        if (!character(query_char, false)) return false;
      }
    }
    return at_end();
  }

  bool authority() {
    std::size_t end = i_;
    while (end < s_.size() && s_[end] != '/' && s_[end] != '?' && s_[end] != '#') ++end;
    const std::size_t at = s_.substr(i_, end - i_).find('@');
    if (at != std::string_view::npos) {
      const std::size_t userinfo_end = i_ + at;
      const auto userinfo_char = [](char c) {
        return is_unreserved(c) || is_sub_delim(c) || c == ':';
      };
      while (i_ < userinfo_end) {
        if (!character(userinfo_char, false) || i_ > userinfo_end) return false;
      }
      ++i_;  // @
    }
    if (peek() == '[') {
      const std::size_t close = s_.find(']', i_);
      if (close == std::string_view::npos || close > end) return false;
      if (!ip_literal(s_.substr(i_ + 1, close - i_ - 1))) return false;
      i_ = close + 1;
    } else {
      const auto reg_name_char = [](char c) { return is_unreserved(c) || is_sub_delim(c); };
      while (i_ < end && peek() != ':') {
        if (!character(reg_name_char, false) || i_ > end) return false;
      }
    }
    if (i_ < end) {
      if (peek() != ':') return false;
      for (++i_; i_ < end; ++i_) {
        if (!is_digit(s_[i_])) return false;
      }
    }
    return true;
  }

  static bool ip_literal(std::string_view v) {
    if (!v.empty() && (v[0] == 'v' || v[0] == 'V')) {  // IPvFuture
      std::size_t i = 1;
      while (i < v.size() && is_hex(v[i])) ++i;
      if (i == 1 || i >= v.size() || v[i] != '.') return false;
      if (++i == v.size()) return false;
      for (; i < v.size(); ++i) {
        if (!(is_unreserved(v[i]) || is_sub_delim(v[i]) || v[i] == ':')) return false;
      }
      return true;
    }
    return ipv6(v);
  }

  std::string_view s_;
  bool iri_;
  std::size_t i_ = 0;
};

// ---------------------------------------------------------------------------
// Mailboxes (RFC 5321, RFC 6531)

bool is_atext(char c) {
  return is_alpha(c) || is_digit(c) || c == '!' || c == '#' || c == '$' || c == '%' ||
         c == '&' || c == '\'' || c == '*' || c == '+' || c == '-' || c == '/' || c == '=' ||
         c == '?' || c == '^' || c == '_' || c == '`' || c == '{' || c == '|' || c == '}' ||
         c == '~';
}

// Length of the UTF-8 character at s[i] if `utf8` allows non-ASCII there and
// it is valid, else 0.
std::size_t non_ascii(std::string_view s, std::size_t i, bool utf8) {
  if (!utf8) return 0;
  char32_t c;
  return unicode::decode_utf8(s, i, c);
}

bool mailbox(std::string_view s, bool idn) {
  std::size_t i = 0;
  const std::size_t n = s.size();
  if (i < n && s[i] == '"') {
    ++i;
    for (;;) {
      if (i >= n) return false;
      const auto c = static_cast<unsigned char>(s[i]);
      if (c == '"') break;
      if (c == '\\') {
        if (i + 1 >= n || s[i + 1] < 32 || s[i + 1] > 126) return false;
        i += 2;
      } else if (c >= 32 && c <= 126) {
        ++i;
      } else if (const std::size_t len = c >= 0x80 ? non_ascii(s, i, idn) : 0) {
        i += len;
      } else {
        return false;
      }
    }
    ++i;  // closing quote
  } else {
    bool atom_empty = true;
    while (i < n && s[i] != '@' && i <= 64) {
      const char c = s[i];
      if (c == '.') {
        if (atom_empty) return false;
        atom_empty = true;
        ++i;
      } else if (is_atext(c)) {
        atom_empty = false;
        ++i;
      } else if (const std::size_t len =
                     static_cast<unsigned char>(c) >= 0x80 ? non_ascii(s, i, idn) : 0) {
        atom_empty = false;
        i += len;
      } else {
        return false;
      }
    }
    if (atom_empty) return false;
  }
  if (i > 64 || i >= n || s[i] != '@') return false;
  const std::string_view domain = s.substr(i + 1);
  if (!domain.empty() && domain.front() == '[') {
    if (domain.back() != ']') return false;
    const std::string_view literal = domain.substr(1, domain.size() - 2);
    if (literal.size() > 5 && lower(literal[0]) == 'i' && lower(literal[1]) == 'p' &&
        lower(literal[2]) == 'v' && literal[3] == '6' && literal[4] == ':') {
      return ipv6(literal.substr(5));
    }
    return ipv4(literal);
  }
  return host_name(domain, idn);
}

// ---------------------------------------------------------------------------
// URI Template (RFC 6570)

bool template_literal(char c) {
  // RFC 6570 literals, plus the apostrophe: the ABNF leaves out %x27 although
  // the prose allows any character outside expressions but the listed ones.
  const auto u = static_cast<unsigned char>(c);
  if (u <= 0x20 || u == 0x7F) return false;
  switch (c) {
    case '"':
    case '%':
    case '<':
    case '>':
    case '\\':
    case '^':
    case '`':
    case '{':
    case '|':
    case '}':
      return false;
    default:
      return true;
  }
}

bool pct_encoded(std::string_view s, std::size_t i) {
  return i + 2 < s.size() && s[i] == '%' && is_hex(s[i + 1]) && is_hex(s[i + 2]);
}

bool uri_template(std::string_view s) {
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    const char c = s[i];
    if (c == '{') {
      ++i;
      if (i < n && std::string_view("+#./;?&=,!@|").find(s[i]) != std::string_view::npos) ++i;
      for (;;) {  // varspec
        bool need_char = true;
        while (i < n) {
          if (s[i] == '.' && !need_char) {
            need_char = true;
            ++i;
          } else if (is_alpha(s[i]) || is_digit(s[i]) || s[i] == '_') {
            need_char = false;
            ++i;
          } else if (pct_encoded(s, i)) {
            need_char = false;
            i += 3;
          } else {
            break;
          }
        }
        if (need_char) return false;
        if (i < n && s[i] == ':') {
          const std::size_t start = ++i;
          while (i < n && is_digit(s[i])) ++i;
          if (i == start || i - start > 4 || s[start] == '0') return false;
        } else if (i < n && s[i] == '*') {
          ++i;
        }
        if (i < n && s[i] == ',') {
          ++i;
          continue;
        }
        if (i < n && s[i] == '}') {
          ++i;
          break;
        }
        return false;
      }
    } else if (c == '%') {
      if (!pct_encoded(s, i)) return false;
      i += 3;
    } else if (static_cast<unsigned char>(c) < 0x80) {
      if (!template_literal(c)) return false;
      ++i;
    } else {
      char32_t cp;
      const std::size_t len = unicode::decode_utf8(s, i, cp);
      if (len == 0 || !(is_ucschar(cp) || is_iprivate(cp))) return false;
      i += len;
    }
  }
  return true;
}

// ---------------------------------------------------------------------------
// Durations (RFC 3339 Appendix A)

bool duration(std::string_view s) {
  if (s.empty() || s[0] != 'P') return false;
  std::size_t i = 1;
  // Units seen in each part, as positions in "YMD" and "HMS"; they must form
  // one unbroken run in order (dur-year = 1*DIGIT "Y" [dur-month], ...).
  int date_last = -1, time_last = -1, date_count = 0, time_count = 0;
  bool in_time = false, weeks = false;
  while (i < s.size()) {
    if (s[i] == 'T') {
      if (in_time) return false;
      in_time = true;
      ++i;
      continue;
    }
    const std::size_t start = i;
    while (i < s.size() && is_digit(s[i])) ++i;
    if (i == start || i == s.size()) return false;
    const char unit = s[i++];
    if (!in_time && unit == 'W') {
      if (weeks || date_count > 0) return false;
      weeks = true;
      continue;
    }
    const std::string_view units = in_time ? "HMS" : "YMD";
    const std::size_t k = units.find(unit);
    if (k == std::string_view::npos || weeks) return false;
    int& last = in_time ? time_last : date_last;
    int& count = in_time ? time_count : date_count;
    if (count > 0 && static_cast<int>(k) != last + 1) return false;
    last = static_cast<int>(k);
    ++count;
  }
  if (weeks) return !in_time;
  if (in_time && time_count == 0) return false;
  return date_count + time_count > 0;
}

// ---------------------------------------------------------------------------
// JSON Pointers

bool json_pointer(std::string_view s) {
  if (s.empty()) return true;
  if (s[0] != '/') return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '~' && (i + 1 >= s.size() || (s[i + 1] != '0' && s[i + 1] != '1'))) return false;
  }
  return unicode::is_valid_utf8(s);
}

// "0", or digits without a leading zero; returns the length, 0 if none.
std::size_t non_negative_integer(std::string_view s, std::size_t i) {
  if (i >= s.size() || !is_digit(s[i])) return 0;
  if (s[i] == '0') return 1;
  std::size_t j = i;
  while (j < s.size() && is_digit(s[j])) ++j;
  return j - i;
}

bool relative_json_pointer(std::string_view s) {
  std::size_t i = non_negative_integer(s, 0);
  if (i == 0) return false;
  if (i < s.size() && (s[i] == '+' || s[i] == '-')) {  // index manipulation
    const std::size_t len = non_negative_integer(s, i + 1);
    if (len == 0) return false;
    i += 1 + len;
  }
  const std::string_view rest = s.substr(i);
  return rest == "#" || json_pointer(rest);
}

}  // namespace

bool is_date(std::string_view s) { return full_date(s); }

bool is_time(std::string_view s) { return full_time(s); }

bool is_date_time(std::string_view s) {
  return s.size() > 11 && full_date(s.substr(0, 10)) && (s[10] == 'T' || s[10] == 't') &&
         full_time(s.substr(11));
}

bool is_duration(std::string_view s) { return duration(s); }

bool is_email(std::string_view s) { return mailbox(s, false); }

bool is_idn_email(std::string_view s) { return unicode::is_valid_utf8(s) && mailbox(s, true); }

bool is_hostname(std::string_view s) { return host_name(s, false); }

bool is_idn_hostname(std::string_view s) { return host_name(s, true); }

bool is_ipv4(std::string_view s) { return ipv4(s); }

bool is_ipv6(std::string_view s) { return ipv6(s); }

bool is_uri(std::string_view s) { return UriScanner(s, false).uri(); }

bool is_uri_reference(std::string_view s) { return UriScanner(s, false).uri_reference(); }

bool is_iri(std::string_view s) { return UriScanner(s, true).uri(); }

bool is_iri_reference(std::string_view s) { return UriScanner(s, true).uri_reference(); }

bool is_uri_template(std::string_view s) { return uri_template(s); }

bool is_uuid(std::string_view s) {
  if (s.size() != 36) return false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const bool dash = i == 8 || i == 13 || i == 18 || i == 23;
    if (dash ? s[i] != '-' : !is_hex(s[i])) return false;
  }
  return true;
}

bool is_json_pointer(std::string_view s) { return json_pointer(s); }

bool is_relative_json_pointer(std::string_view s) { return relative_json_pointer(s); }

bool is_regex(std::string_view s) { return is_valid_ecma_regex(s); }

Checker find(std::string_view name) {
  struct Entry {
    std::string_view name;
    Checker checker;
  };
  static constexpr Entry kFormats[] = {
      {"date-time", is_date_time},
      {"date", is_date},
      {"time", is_time},
      {"duration", is_duration},
      {"email", is_email},
      {"idn-email", is_idn_email},
      {"hostname", is_hostname},
      {"idn-hostname", is_idn_hostname},
      {"ipv4", is_ipv4},
      {"ipv6", is_ipv6},
      {"uri", is_uri},
      {"uri-reference", is_uri_reference},
      {"iri", is_iri},
      {"iri-reference", is_iri_reference},
      {"uri-template", is_uri_template},
      {"uuid", is_uuid},
      {"json-pointer", is_json_pointer},
      {"relative-json-pointer", is_relative_json_pointer},
      {"regex", is_regex},
  };
  for (const Entry& e : kFormats) {
    if (e.name == name) return e.checker;
  }
  return nullptr;
}

}  // namespace keel::schema::format
