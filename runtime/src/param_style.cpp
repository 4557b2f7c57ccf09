#include <keel/param_style.h>

#include <keel/json_text.h>

#include <algorithm>
#include <charconv>
#include <cmath>

namespace keel::param {
namespace {

using detail::child;
using detail::decode_text;

// JSON's number grammar exactly (RFC 8259 §6): a parameter that would not be
// a number in a JSON body is not one in a query string either ("+1", "01",
// ".5", "0x10", "inf" stay strings).
bool json_number(std::string_view t, bool& integral) {
  std::size_t i = 0, n = t.size();
  auto digit = [&](std::size_t k) { return k < n && t[k] >= '0' && t[k] <= '9'; };
  if (i < n && t[i] == '-') ++i;
  if (!digit(i)) return false;
  if (t[i] == '0') ++i;
  else
    while (digit(i)) ++i;
  integral = true;
  if (i < n && t[i] == '.') {
    ++i;
    if (!digit(i)) return false;
    while (digit(i)) ++i;
    integral = false;
  }
  if (i < n && (t[i] == 'e' || t[i] == 'E')) {
    ++i;
    if (i < n && (t[i] == '+' || t[i] == '-')) ++i;
    if (!digit(i)) return false;
    while (digit(i)) ++i;
    integral = false;
  }
  return i == n;
}

bool number_leaf(std::string_view t, nlohmann::json& out) {
  bool integral = false;
  if (!json_number(t, integral)) return false;
  const char* first = t.data();
  const char* last = t.data() + t.size();
  if (integral) {
    std::int64_t i = 0;
    auto r = std::from_chars(first, last, i);
    if (r.ec == std::errc() && r.ptr == last) {
      out = i;
      return true;
    }
    std::uint64_t u = 0;
    r = std::from_chars(first, last, u);
    if (r.ec == std::errc() && r.ptr == last) {
      out = u;
      return true;
    }
  }
  // Beyond 64 bits an integer is still a number the validator can bound.
  double d = 0;
  auto r = std::from_chars(first, last, d, std::chars_format::general);
  if (r.ec != std::errc() || r.ptr != last || !std::isfinite(d)) return false;
  out = d;
  return true;
}

enum class Delim : std::uint8_t { comma, dot, semicolon, pipe, space };

std::size_t delimiter_at(std::string_view raw, std::size_t i, Delim d, bool plus_is_space);

// Turns one parameter's raw text into JSON. The first problem found is the
// only one reported: one bad parameter is one envelope entry, however
// hostile the text.
struct Decoder {
  Decoder(const Param& p, FieldErrors& e, bool percent, bool plus)
      : param(p), errors(e), url(percent), plus_is_space(plus) {}

  const Param& param;
  FieldErrors& errors;
  bool url;            // percent-decode (everything but headers)
  bool plus_is_space;  // query strings and form bodies without allowReserved
  bool trim = false;   // header list items carry optional whitespace
  std::string scratch_key, scratch_value;

  template <class F> bool split(std::string_view raw, Delim d, F&& piece) {
    std::size_t start = 0, i = 0;
    while (i < raw.size()) {
      std::size_t n = delimiter_at(raw, i, d, plus_is_space);
      if (n == 0) {
        ++i;
        continue;
      }
      if (!piece(raw.substr(start, i - start))) return false;
      i += n;
      start = i;
    }
    return piece(raw.substr(start));
  }

  unsigned property_types(std::string_view key) const;
  bool is_property(std::string_view key) const;
  Decoded fail(std::string pointer, std::string_view code, std::string detail);
  Decoded fail(std::string_view code, std::string detail);
  Decoded bad_encoding(std::string pointer);
  bool text(std::string_view raw, std::string& scratch, std::string_view& out);
  bool name_is(std::string_view raw_name);
  Decoded primitive(std::string_view raw, nlohmann::json& out);
  bool item(nlohmann::json& array, std::string_view raw);
  Decoded array(std::string_view raw, Delim d, nlohmann::json& out);
  bool property(nlohmann::json& object, std::string_view key, std::string_view raw_value);
  bool property_raw(nlohmann::json& object, std::string_view raw_key, std::string_view raw_value);
  Decoded flat_object(std::string_view raw, Delim d, nlohmann::json& out);
  Decoded pair_object(std::string_view raw, Delim d, nlohmann::json& out);
};

std::string_view trim_ows(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

std::size_t delimiter_at(std::string_view raw, std::size_t i, Delim d, bool plus_is_space) {
  char c = raw[i];
  switch (d) {
  case Delim::comma:
    return c == ',' ? 1 : 0;
  case Delim::dot:
    return c == '.' ? 1 : 0;
  case Delim::semicolon:
    return c == ';' ? 1 : 0;
  case Delim::pipe:
    if (c == '|') return 1;
    return c == '%' && i + 2 < raw.size() && raw[i + 1] == '7' &&
                   (raw[i + 2] == 'C' || raw[i + 2] == 'c')
               ? 3
               : 0;
  case Delim::space:
    if (c == ' ' || (c == '+' && plus_is_space)) return 1;
    return c == '%' && i + 2 < raw.size() && raw[i + 1] == '2' && raw[i + 2] == '0' ? 3 : 0;
  }
  return 0;
}

Delim delimiter_of(Style style) {
  switch (style) {
  case Style::space_delimited:
    return Delim::space;
  case Style::pipe_delimited:
    return Delim::pipe;
  default:
    return Delim::comma;
  }
}

unsigned Decoder::property_types(std::string_view key) const {
  for (const Property& prop : param.shape.properties)
    if (prop.name == key) return prop.types;
  return param.shape.types;
}

bool Decoder::is_property(std::string_view key) const {
  return std::any_of(param.shape.properties.begin(), param.shape.properties.end(),
                     [&](const Property& prop) { return prop.name == key; });
}

Decoded Decoder::fail(std::string pointer, std::string_view code, std::string detail) {
  errors.push_back({std::move(pointer), std::string(code), std::move(detail)});
  return Decoded::invalid;
}

Decoded Decoder::fail(std::string_view code, std::string detail) {
  return fail(std::string(param.pointer), code, std::move(detail));
}

bool Decoder::text(std::string_view raw, std::string& scratch, std::string_view& out) {
  if (trim) raw = trim_ows(raw);
  return decode_text(raw, url, plus_is_space, scratch, out);
}

Decoded Decoder::bad_encoding(std::string pointer) {
  return fail(std::move(pointer), "invalid_encoding",
              url ? "malformed percent-encoding or invalid UTF-8" : "not valid UTF-8");
}

Decoded Decoder::primitive(std::string_view raw, nlohmann::json& out) {
  std::string_view t;
  if (!text(raw, scratch_value, t)) return bad_encoding(std::string(param.pointer));
  out = leaf(t, param.shape.types);
  return Decoded::value;
}

bool Decoder::item(nlohmann::json& array, std::string_view raw) {
  if (array.size() >= max_values) {
    fail("too_many_values", "more than " + std::to_string(max_values) + " values");
    return false;
  }
  std::string_view t;
  if (!text(raw, scratch_value, t)) {
    bad_encoding(child(param.pointer, std::to_string(array.size())));
    return false;
  }
  array.push_back(leaf(t, param.shape.types));
  return true;
}

Decoded Decoder::array(std::string_view raw, Delim d, nlohmann::json& out) {
  out = nlohmann::json::array();
  if (trim) raw = trim_ows(raw);
  // An empty value is the empty array: the one reading every style's
  // "empty" serialization allows (a single "" item is indistinguishable).
  if (raw.empty()) return Decoded::value;
  bool ok = split(raw, d, [&](std::string_view piece) { return item(out, piece); });
  return ok ? Decoded::value : Decoded::invalid;
}

bool Decoder::property(nlohmann::json& object, std::string_view key, std::string_view raw_value) {
  if (object.size() >= max_values) {
    fail("too_many_values", "more than " + std::to_string(max_values) + " properties");
    return false;
  }
  std::string_view t;
  if (!text(raw_value, scratch_value, t)) {
    bad_encoding(child(param.pointer, key));
    return false;
  }
  // Duplicates are refused rather than resolved: when two layers (a proxy,
  // a WAF, this server) pick different winners, the duplicate is an attack.
  if (!object.emplace(std::string(key), leaf(t, property_types(key))).second) {
    fail(child(param.pointer, key), "duplicate_property", "property given more than once");
    return false;
  }
  return true;
}

bool Decoder::property_raw(nlohmann::json& object, std::string_view raw_key,
                           std::string_view raw_value) {
  std::string_view key;
  if (!text(raw_key, scratch_key, key)) {
    bad_encoding(std::string(param.pointer));
    return false;
  }
  return property(object, key, raw_value);
}

Decoded Decoder::flat_object(std::string_view raw, Delim d, nlohmann::json& out) {
  out = nlohmann::json::object();
  if (trim) raw = trim_ows(raw);
  if (raw.empty()) return Decoded::value;
  std::string_view key;
  bool pending = false;
  bool ok = split(raw, d, [&](std::string_view piece) {
    if (!pending) {
      key = piece;
      pending = true;
      return true;
    }
    pending = false;
    return property_raw(out, key, piece);
  });
  if (!ok) return Decoded::invalid;
  if (pending)
    return fail("malformed_parameter", "expected name,value pairs: the last name has no value");
  return Decoded::value;
}

Decoded Decoder::pair_object(std::string_view raw, Delim d, nlohmann::json& out) {
  out = nlohmann::json::object();
  if (trim) raw = trim_ows(raw);
  if (raw.empty()) return Decoded::value;
  bool ok = split(raw, d, [&](std::string_view piece) {
    std::size_t eq = piece.find('=');
    if (eq == std::string_view::npos) {
      fail("malformed_parameter", "expected name=value pairs");
      return false;
    }
    return property_raw(out, piece.substr(0, eq), piece.substr(eq + 1));
  });
  return ok ? Decoded::value : Decoded::invalid;
}

bool Decoder::name_is(std::string_view raw_name) {
  if (raw_name == param.name) return true;
  std::string_view t;
  return raw_name.find('%') != std::string_view::npos && text(raw_name, scratch_key, t) &&
         t == param.name;
}

// A key another parameter owns: its name, or its deepObject form name[...].
bool sibling_key(std::span<const std::string_view> siblings, std::string_view key) {
  return std::any_of(siblings.begin(), siblings.end(), [&](std::string_view s) {
    return key == s || (key.size() > s.size() && key.starts_with(s) && key[s.size()] == '[');
  });
}

Decoded finish(Decoded result, const Param& param, FieldErrors& errors) {
  if (result == Decoded::absent && param.required)
    errors.push_back(missing(std::string(param.pointer)));
  return result;
}

Decoded decode_query_pairs(std::span<const RawPair> pairs, const Param& p, bool plus_is_space,
                           std::vector<char>* claimed, nlohmann::json& out, FieldErrors& errors) {
  Decoder d{p, errors, true, plus_is_space};
  auto claim = [&](std::size_t i) {
    if (claimed) (*claimed)[i] = 1;
  };
  const auto kind = p.shape.kind;

  if (kind == Shape::Kind::object && p.style == Style::deep_object) {
    bool found = false;
    out = nlohmann::json::object();
    for (std::size_t i = 0; i < pairs.size(); ++i) {
      std::string_view name = pairs[i].name;
      if (name.size() <= p.name.size() || !name.starts_with(p.name) || name[p.name.size()] != '[')
        continue;
      claim(i);
      found = true;
      std::string_view rest = name.substr(p.name.size() + 1);
      std::size_t close = rest.find(']');
      if (close == std::string_view::npos)
        return d.fail("malformed_parameter", "expected name[property]: '[' is never closed");
      std::string_view key = rest.substr(0, close);
      std::string_view after = rest.substr(close + 1);
      if (!after.empty() && after.front() == '[')
        return d.fail("nesting_too_deep",
                      "deepObject parameters have one level: name[property], not name[a][b]");
      if (!after.empty())
        return d.fail("malformed_parameter", "expected name[property]: text after ']'");
      if (key.empty())
        return d.fail("malformed_parameter", "expected name[property]: the property name is empty");
      if (!d.property(out, key, pairs[i].value)) return Decoded::invalid;
    }
    return found ? Decoded::value : finish(Decoded::absent, p, errors);
  }

  if (kind == Shape::Kind::object && p.explode) {
    // form (and space/pipe, which define nothing else for explode): the
    // properties are the query's own keys; the parameter's name is unused.
    bool found = false;
    out = nlohmann::json::object();
    for (std::size_t i = 0; i < pairs.size(); ++i) {
      std::string_view name = pairs[i].name;
      bool mine = d.is_property(name);
      if (!mine && p.shape.types != 0) mine = !sibling_key(p.siblings, name);
      if (!mine) continue;
      claim(i);
      found = true;
      if (!d.property(out, name, pairs[i].value)) return Decoded::invalid;
    }
    return found ? Decoded::value : finish(Decoded::absent, p, errors);
  }

  if (kind == Shape::Kind::array && p.explode) {
    std::size_t matches = 0;
    bool first_empty = false;
    out = nlohmann::json::array();
    for (std::size_t i = 0; i < pairs.size(); ++i) {
      if (pairs[i].name != p.name) continue;
      claim(i);
      if (matches++ == 0) first_empty = pairs[i].value.empty();
      if (!d.item(out, pairs[i].value)) return Decoded::invalid;
    }
    if (matches == 0) return finish(Decoded::absent, p, errors);
    if (matches == 1 && first_empty) out = nlohmann::json::array();
    return Decoded::value;
  }

  const RawPair* found = nullptr;
  for (std::size_t i = 0; i < pairs.size(); ++i) {
    if (pairs[i].name != p.name) continue;
    claim(i);
    if (found) return d.fail("duplicate_parameter", "parameter given more than once");
    found = &pairs[i];
  }
  if (!found) return finish(Decoded::absent, p, errors);
  switch (kind) {
  case Shape::Kind::array:
    return d.array(found->value, delimiter_of(p.style), out);
  case Shape::Kind::object:
    return d.flat_object(found->value, delimiter_of(p.style), out);
  case Shape::Kind::primitive:
    break;
  }
  return d.primitive(found->value, out);
}

bool parse_json(std::string_view text, std::string_view pointer, nlohmann::json& out,
                FieldErrors& errors) {
  JsonProblem problem;
  if (parse_json_strict(text, out, problem)) return true;
  if (problem.duplicate_key)
    errors.push_back({std::string(pointer) + problem.pointer, "duplicate_key", "an object repeats this key"});
  else
    errors.push_back({std::string(pointer), "invalid_json", "the value is not well-formed JSON"});
  return false;
}

bool decode_content_text(std::string_view raw, bool url, bool plus_is_space, bool json_media,
                         std::string_view pointer, nlohmann::json& out, FieldErrors& errors) {
  std::string scratch;
  std::string_view text;
  if (!decode_text(raw, url, plus_is_space, scratch, text)) {
    errors.push_back({std::string(pointer), "invalid_encoding",
                      url ? "malformed percent-encoding or invalid UTF-8" : "not valid UTF-8"});
    return false;
  }
  if (!json_media) {
    out = text;
    return true;
  }
  return parse_json(text, pointer, out, errors);
}

}  // namespace

namespace detail {

bool decode_text(std::string_view raw, bool url, bool plus_is_space, std::string& scratch,
                 std::string_view& text) {
  bool escaped = false, ascii = true;
  for (char c : raw) {
    escaped |= url && (c == '%' || (c == '+' && plus_is_space));
    ascii &= static_cast<unsigned char>(c) < 0x80;
  }
  if (!escaped) {
    text = raw;
    return ascii || is_utf8(raw);
  }
  scratch.clear();
  if (!percent_decode_append(raw, scratch, plus_is_space)) return false;
  text = scratch;
  return is_utf8(scratch);
}

std::string child(std::string_view base, std::string_view key) {
  std::string out(base);
  out += '/';
  for (char c : key) {
    if (c == '~') out += "~0";
    else if (c == '/') out += "~1";
    else out += c;
  }
  return out;
}

Decoded decode_pairs(std::span<const RawPair> pairs, const Param& param, bool plus_is_space,
                     std::vector<char>* claimed, nlohmann::json& out, FieldErrors& errors) {
  return decode_query_pairs(pairs, param, plus_is_space, claimed, out, errors);
}

bool parse_json_text(std::string_view text, std::string_view pointer, nlohmann::json& out,
                     FieldErrors& errors) {
  return parse_json(text, pointer, out, errors);
}

}  // namespace detail

nlohmann::json leaf(std::string_view text, unsigned types) {
  if (text.empty()) {
    // `?x=` for a nullable non-string is the one way to send null without
    // inventing a spelling; a string schema gets its empty string.
    if ((types & type_string) == 0 && (types & type_null) != 0) return nullptr;
    return std::string();
  }
  if ((types & type_null) != 0 && text == "null") return nullptr;
  if ((types & type_boolean) != 0) {
    if (text == "true") return true;
    if (text == "false") return false;
  }
  if ((types & (type_integer | type_number)) != 0) {
    nlohmann::json n;
    if (number_leaf(text, n)) return n;
  }
  return text;
}

RawQuery::RawQuery(std::string_view raw, FieldErrors& errors, std::string_view location,
                   std::size_t max_pairs) {
  if (raw.empty()) return;
  pairs_.reserve(std::min<std::size_t>(
      max_pairs, static_cast<std::size_t>(std::count(raw.begin(), raw.end(), '&')) + 1));
  // Decoded names land in names_, whose buffer may move while it grows, so
  // their views are set once it is complete.
  struct Fixup {
    std::size_t index, offset, length;
  };
  std::vector<Fixup> fixups;
  bool reported = false;
  while (!raw.empty()) {
    std::size_t amp = raw.find('&');
    std::string_view pair = raw.substr(0, amp);
    raw = amp == std::string_view::npos ? std::string_view{} : raw.substr(amp + 1);
    if (pair.empty()) continue;
    if (pairs_.size() >= max_pairs) {
      errors.push_back({"/" + std::string(location), "too_many_parameters",
                        "more than " + std::to_string(max_pairs) + " name=value pairs"});
      break;
    }
    std::size_t eq = pair.find('=');
    std::string_view name = pair.substr(0, eq);
    std::string_view value =
        eq == std::string_view::npos ? std::string_view{} : pair.substr(eq + 1);
    bool escaped = false, ascii = true;
    for (char c : name) {
      escaped |= c == '%' || c == '+';
      ascii &= static_cast<unsigned char>(c) < 0x80;
    }
    bool ok = true;
    if (escaped) {
      std::size_t offset = names_.size();
      ok = percent_decode_append(name, names_, true) && is_utf8(std::string_view(names_).substr(offset));
      if (ok) fixups.push_back({pairs_.size(), offset, names_.size() - offset});
      else names_.resize(offset);
    } else if (!ascii) {
      ok = is_utf8(name);
    }
    if (!ok) {
      // One report is enough to explain the 400; a hostile query of a
      // thousand bad names must not cost a thousand long pointers.
      if (!reported)
        errors.push_back({pointer(location, name.substr(0, 64)), "invalid_encoding",
                          "malformed percent-encoding or invalid UTF-8 in a parameter name"});
      reported = true;
      continue;
    }
    pairs_.push_back({escaped ? std::string_view{} : name, value});
  }
  for (const Fixup& f : fixups)
    pairs_[f.index].name = std::string_view(names_).substr(f.offset, f.length);
}

namespace {

// Whether query pair `name` belongs to `param`.
bool claims(const Param& param, std::string_view name) {
  if (param.shape.kind == Shape::Kind::object && param.style == Style::deep_object)
    return name.size() > param.name.size() && name.starts_with(param.name) &&
           name[param.name.size()] == '[';
  if (param.shape.kind == Shape::Kind::object && param.explode)
    return std::any_of(param.shape.properties.begin(), param.shape.properties.end(),
                       [&](const Property& p) { return p.name == name; });
  return name == param.name;
}

}  // namespace

Presence presence(const RawQuery& query, const Param& param) {
  bool any = false, nonempty = false;
  for (const RawPair& pair : query.pairs()) {
    if (!claims(param, pair.name)) continue;
    any = true;
    nonempty |= !pair.value.empty();
  }
  return !any ? Presence::absent : nonempty ? Presence::value : Presence::empty;
}

void reject_unknown(const RawQuery& query, std::initializer_list<const Param*> declared,
                    FieldErrors& errors) {
  for (const Param* p : declared) {
    // A form/explode object with additional properties takes any name.
    if (p->shape.kind == Shape::Kind::object && p->style == Style::form && p->explode &&
        p->shape.types != 0)
      return;
  }
  std::size_t reported = 0;
  for (const RawPair& pair : query.pairs()) {
    if (std::any_of(declared.begin(), declared.end(),
                    [&](const Param* p) { return claims(*p, pair.name); }))
      continue;
    if (++reported > 10) break;  // enough to show the mistake; no input makes the list long
    std::size_t cut = std::min<std::size_t>(pair.name.size(), 64);
    while (cut < pair.name.size() && (static_cast<unsigned char>(pair.name[cut]) & 0xC0u) == 0x80u)
      --cut;  // names are UTF-8: never cut inside a character
    errors.push_back({pointer("query", pair.name.substr(0, cut)), "unknown_parameter",
                      "the operation takes no query parameter of this name"});
  }
}

Decoded decode_path(std::string_view raw, const Param& param, nlohmann::json& out,
                    FieldErrors& errors) {
  // '+' is a plus in a path: only query strings and form bodies use it for a space.
  Decoder d{param, errors, true, false};
  const auto kind = param.shape.kind;
  if (param.style == Style::label) {
    if (raw.empty() || raw.front() != '.')
      return d.fail("malformed_parameter", "expected a label value starting with '.'");
    std::string_view rest = raw.substr(1);
    switch (kind) {
    case Shape::Kind::array:
      return d.array(rest, param.explode ? Delim::dot : Delim::comma, out);
    case Shape::Kind::object:
      return param.explode ? d.pair_object(rest, Delim::dot, out)
                           : d.flat_object(rest, Delim::comma, out);
    case Shape::Kind::primitive:
      break;
    }
    return d.primitive(rest, out);
  }
  if (param.style == Style::matrix) {
    if (raw.empty() || raw.front() != ';')
      return d.fail("malformed_parameter",
                    "expected a matrix value: ';" + std::string(param.name) + "=...'");
    std::string_view rest = raw.substr(1);
    std::size_t eq = rest.find('=');
    if (param.explode && kind != Shape::Kind::primitive) {
      // `;name` alone is the empty value in both exploded forms.
      if (eq == std::string_view::npos && rest.find(';') == std::string_view::npos &&
          d.name_is(rest)) {
        out = kind == Shape::Kind::array ? nlohmann::json::array() : nlohmann::json::object();
        return Decoded::value;
      }
      if (kind == Shape::Kind::object) return d.pair_object(rest, Delim::semicolon, out);
      out = nlohmann::json::array();
      bool ok = d.split(rest, Delim::semicolon, [&](std::string_view piece) {
        std::size_t peq = piece.find('=');
        if (!d.name_is(piece.substr(0, peq))) {
          d.fail("malformed_parameter",
                 "expected ';" + std::string(param.name) + "=value' for every item");
          return false;
        }
        return d.item(out,
                      peq == std::string_view::npos ? std::string_view{} : piece.substr(peq + 1));
      });
      return ok ? Decoded::value : Decoded::invalid;
    }
    if (!d.name_is(rest.substr(0, eq)))
      return d.fail("malformed_parameter",
                    "expected a matrix value: ';" + std::string(param.name) + "=...'");
    std::string_view value =
        eq == std::string_view::npos ? std::string_view{} : rest.substr(eq + 1);
    switch (kind) {
    case Shape::Kind::array:
      return d.array(value, Delim::comma, out);
    case Shape::Kind::object:
      return d.flat_object(value, Delim::comma, out);
    case Shape::Kind::primitive:
      break;
    }
    return d.primitive(value, out);
  }
  // simple, and the query-only styles the generator should have refused.
  switch (kind) {
  case Shape::Kind::array:
    return d.array(raw, Delim::comma, out);
  case Shape::Kind::object:
    return param.explode ? d.pair_object(raw, Delim::comma, out)
                         : d.flat_object(raw, Delim::comma, out);
  case Shape::Kind::primitive:
    break;
  }
  return d.primitive(raw, out);
}

Decoded decode_query(const RawQuery& query, const Param& param, nlohmann::json& out,
                     FieldErrors& errors) {
  // allowReserved means the client sent reserved characters as they are,
  // '+' among them, so it cannot also mean a space.
  return decode_query_pairs(query.pairs(), param, !param.allow_reserved, nullptr, out, errors);
}

std::optional<std::string> query_text(const RawQuery& query, const Param& param,
                                      FieldErrors& errors) {
  nlohmann::json text;
  if (decode_query(query, param, text, errors) != Decoded::value || !text.is_string())
    return std::nullopt;
  return std::move(text.get_ref<std::string&>());
}

Decoded decode_header(const Headers& headers, const Param& param, nlohmann::json& out,
                      FieldErrors& errors) {
  Decoder d{param, errors, false, false};
  d.trim = true;
  const std::string* first = nullptr;
  std::size_t count = 0;
  for (const auto& [name, value] : headers.items()) {
    if (!iequals(name, param.name)) continue;
    if (!first) first = &value;
    ++count;
  }
  if (!first) return finish(Decoded::absent, param, errors);
  switch (param.shape.kind) {
  case Shape::Kind::array: {
    if (count == 1) return d.array(*first, Delim::comma, out);
    // RFC 9110 §5.3: several field lines are one comma-separated list.
    out = nlohmann::json::array();
    for (const auto& [name, value] : headers.items()) {
      if (!iequals(name, param.name) || trim_ows(value).empty()) continue;
      if (!d.split(value, Delim::comma, [&](std::string_view piece) { return d.item(out, piece); }))
        return Decoded::invalid;
    }
    return Decoded::value;
  }
  case Shape::Kind::object:
    if (count > 1) return d.fail("duplicate_parameter", "header given more than once");
    return param.explode ? d.pair_object(*first, Delim::comma, out)
                         : d.flat_object(*first, Delim::comma, out);
  case Shape::Kind::primitive:
    break;
  }
  if (count > 1) return d.fail("duplicate_parameter", "header given more than once");
  return d.primitive(trim_ows(*first), out);
}

Decoded decode_cookie(const CookieParams& cookies, const Param& param, nlohmann::json& out,
                      FieldErrors& errors) {
  Decoder d{param, errors, true, false};
  const auto& items = cookies.items();
  const auto kind = param.shape.kind;
  if (param.explode && kind == Shape::Kind::object) {
    bool found = false;
    out = nlohmann::json::object();
    for (const auto& [name, value] : items) {
      bool mine = d.is_property(name);
      // Cookies of other applications on the domain share the header; a
      // name that is not even UTF-8 is one of theirs, not an extra property.
      if (!mine && param.shape.types != 0 && is_utf8(name))
        mine = name != param.name && !sibling_key(param.siblings, name);
      if (!mine) continue;
      found = true;
      if (!d.property(out, name, value)) return Decoded::invalid;
    }
    return found ? Decoded::value : finish(Decoded::absent, param, errors);
  }
  if (param.explode && kind == Shape::Kind::array) {
    std::size_t matches = 0;
    bool first_empty = false;
    out = nlohmann::json::array();
    for (const auto& [name, value] : items) {
      if (name != param.name) continue;
      if (matches++ == 0) first_empty = value.empty();
      if (!d.item(out, value)) return Decoded::invalid;
    }
    if (matches == 0) return finish(Decoded::absent, param, errors);
    if (matches == 1 && first_empty) out = nlohmann::json::array();
    return Decoded::value;
  }
  // Browsers send a name twice when cookies of different paths collide;
  // the first is the most specific (RFC 6265 §5.4), so it wins.
  const std::string* value = cookies.get(param.name);
  if (!value) return finish(Decoded::absent, param, errors);
  switch (kind) {
  case Shape::Kind::array:
    return d.array(*value, Delim::comma, out);
  case Shape::Kind::object:
    return d.flat_object(*value, Delim::comma, out);
  case Shape::Kind::primitive:
    break;
  }
  return d.primitive(*value, out);
}

bool decode_content(std::string_view raw, Location location, bool json_media,
                    std::string_view pointer, nlohmann::json& out, FieldErrors& errors) {
  return decode_content_text(raw, location != Location::header, location == Location::query,
                             json_media, pointer, out, errors);
}

Decoded decode_query_content(const RawQuery& query, const Param& param, bool json_media,
                             nlohmann::json& out, FieldErrors& errors) {
  const RawPair* found = nullptr;
  for (const RawPair& pair : query.pairs()) {
    if (pair.name != param.name) continue;
    if (found) {
      errors.push_back(
          {std::string(param.pointer), "duplicate_parameter", "parameter given more than once"});
      return Decoded::invalid;
    }
    found = &pair;
  }
  if (!found) return finish(Decoded::absent, param, errors);
  return decode_content_text(found->value, true, !param.allow_reserved, json_media, param.pointer,
                             out, errors)
             ? Decoded::value
             : Decoded::invalid;
}

}  // namespace keel::param
