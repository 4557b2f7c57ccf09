#include <keel/multipart.h>

#include <string>

namespace keel::multipart {
namespace {


bool is_bchar_nospace(char c) {
  if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  switch (c) {
  case '\'':
  case '(':
  case ')':
  case '+':
  case '_':
  case ',':
  case '-':
  case '.':
  case '/':
  case ':':
  case '=':
  case '?': return true;
  default: return false;
  }
}

std::string_view trim_ows(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

/// A `type; a=b; c="d"` header value split into its leading token and
/// parameters. Shared by Content-Type and Content-Disposition because both
/// use the same RFC 9110 parameter grammar.
struct ParameterizedValue {
  std::string_view value;
  std::vector<std::pair<std::string, std::string>> params; // names lower-cased
};

std::string lower(std::string_view s) {
  std::string out(s);
  for (char& c : out)
    if (c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
  return out;
}

ParameterizedValue parse_parameterized(std::string_view text, std::string_view what) {
  ParameterizedValue out;
  std::size_t semi = text.find(';');
  out.value = trim_ows(text.substr(0, semi));
  if (semi == std::string_view::npos) return out;
  std::size_t i = semi + 1;
  const std::string where(what);
  while (i < text.size()) {
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    if (i == text.size()) break; // a trailing ';' is common enough to tolerate
    std::size_t name_start = i;
    while (i < text.size() && is_token_char(text[i])) ++i;
    if (i == name_start) throw ParseError(where + ": malformed parameter");
    std::string name = lower(text.substr(name_start, i - name_start));
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    if (i == text.size() || text[i] != '=')
      throw ParseError(where + ": parameter '" + name + "' has no value");
    ++i;
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    std::string value;
    if (i < text.size() && text[i] == '"') {
      ++i;
      bool closed = false;
      while (i < text.size()) {
        char c = text[i++];
        if (c == '"') {
          closed = true;
          break;
        }
        if (c == '\\') {
          if (i == text.size()) break;
          c = text[i++];
        }
        value.push_back(c);
      }
      if (!closed) throw ParseError(where + ": unterminated quoted value of '" + name + "'");
    } else {
      std::size_t value_start = i;
      while (i < text.size() && is_token_char(text[i])) ++i;
      if (i == value_start) throw ParseError(where + ": parameter '" + name + "' has no value");
      value = std::string(text.substr(value_start, i - value_start));
    }
    for (const auto& existing : out.params)
      if (existing.first == name)
        throw ParseError(where + ": parameter '" + name + "' appears twice");
    out.params.emplace_back(std::move(name), std::move(value));
    while (i < text.size() && (text[i] == ' ' || text[i] == '\t')) ++i;
    if (i == text.size()) break;
    if (text[i] != ';') throw ParseError(where + ": expected ';' between parameters");
    ++i;
  }
  return out;
}

const std::string* find_param(const ParameterizedValue& v, std::string_view name) {
  for (const auto& [k, value] : v.params)
    if (k == name) return &value;
  return nullptr;
}

void validate_header_line(std::string_view line, std::size_t part_number) {
  for (char c : line) {
    auto u = static_cast<unsigned char>(c);
    // Bytes >= 0x80 pass: browsers send UTF-8 file names unescaped.
    if ((u < 0x20 && c != '\t') || u == 0x7f)
      throw ParseError("part " + std::to_string(part_number) +
                       ": header contains a control character (line endings must be CRLF)");
  }
}

void parse_part_headers(Part& part, std::size_t part_number) {
  const std::string where = "part " + std::to_string(part_number);
  const std::string* disposition = nullptr;
  int disposition_count = 0;
  for (const auto& [name, value] : part.headers.items()) {
    if (iequals(name, "Content-Disposition")) {
      disposition = &value;
      ++disposition_count;
    }
  }
  if (disposition == nullptr) throw ParseError(where + ": missing Content-Disposition header");
  if (disposition_count > 1) throw ParseError(where + ": more than one Content-Disposition header");
  ParameterizedValue cd = parse_parameterized(*disposition, where + " Content-Disposition");
  if (!iequals(cd.value, "form-data"))
    throw ParseError(where + ": Content-Disposition must be form-data");
  const std::string* name = find_param(cd, "name");
  if (name == nullptr) throw ParseError(where + ": Content-Disposition has no name");
  part.name = *name;
  if (const std::string* filename = find_param(cd, "filename")) part.filename = *filename;

  int type_count = 0;
  for (const auto& [header, value] : part.headers.items()) {
    if (iequals(header, "Content-Type")) {
      part.content_type = std::string(trim_ows(value));
      ++type_count;
    }
  }
  if (type_count > 1) throw ParseError(where + ": more than one Content-Type header");
  if (type_count == 0) part.content_type = "text/plain"; // RFC 7578 §4.4 default
}

} // namespace

std::string boundary_from_content_type(std::string_view content_type) {
  ParameterizedValue ct = parse_parameterized(content_type, "Content-Type");
  if (!iequals(ct.value, "multipart/form-data"))
    throw ParseError("Content-Type must be multipart/form-data");
  const std::string* boundary = find_param(ct, "boundary");
  if (boundary == nullptr) throw ParseError("Content-Type has no boundary parameter");
  if (boundary->empty() || boundary->size() > 70)
    throw ParseError("boundary must be 1 to 70 characters long");
  for (char c : *boundary)
    if (!is_bchar_nospace(c) && c != ' ')
      throw ParseError("boundary contains a character RFC 2046 does not allow");
  if (boundary->back() == ' ') throw ParseError("boundary must not end with a space");
  return *boundary;
}

std::vector<Part> parse(std::string_view body, std::string_view boundary, const Limits& limits) {
  if (boundary.empty()) throw ParseError("empty boundary");
  const std::string delimiter = "--" + std::string(boundary);
  const std::string crlf_delimiter = "\r\n" + delimiter;

  std::size_t pos = 0;
  if (body.substr(0, delimiter.size()) == delimiter) {
    pos = delimiter.size();
  } else {
    std::size_t found = body.find(crlf_delimiter);
    if (found == std::string_view::npos)
      throw ParseError("body does not contain the boundary from Content-Type");
    pos = found + crlf_delimiter.size(); // everything before is preamble
  }

  std::vector<Part> parts;
  while (true) {
    // We sit just after a delimiter: "--" closes, otherwise padding + CRLF.
    if (body.substr(pos, 2) == "--") {
      if (parts.empty()) throw ParseError("multipart body has no parts");
      return parts; // the epilogue is ignored, as RFC 2046 says
    }
    while (pos < body.size() && (body[pos] == ' ' || body[pos] == '\t')) ++pos;
    if (pos >= body.size()) throw ParseError("body is truncated: no closing delimiter");
    if (body.substr(pos, 2) != "\r\n") {
      if (body[pos] == '\n')
        throw ParseError("line endings must be CRLF, found a bare LF after a boundary");
      throw ParseError("boundary is followed by unexpected bytes");
    }
    pos += 2;

    const std::size_t part_number = parts.size() + 1;
    if (parts.size() >= limits.max_parts)
      throw ParseError("too many parts (limit " + std::to_string(limits.max_parts) + ")");
    Part part;
    std::size_t header_count = 0;
    while (true) {
      std::size_t eol = body.find("\r\n", pos);
      if (eol == std::string_view::npos)
        throw ParseError("part " + std::to_string(part_number) + ": headers are truncated");
      std::string_view line = body.substr(pos, eol - pos);
      pos = eol + 2;
      if (line.empty()) break;
      if (line.size() > limits.max_header_line)
        throw ParseError("part " + std::to_string(part_number) + ": header line too long");
      if (++header_count > limits.max_headers_per_part)
        throw ParseError("part " + std::to_string(part_number) + ": too many headers");
      validate_header_line(line, part_number);
      if (line.front() == ' ' || line.front() == '\t')
        throw ParseError("part " + std::to_string(part_number) +
                         ": folded header lines are not allowed");
      std::size_t colon = line.find(':');
      if (colon == std::string_view::npos || colon == 0)
        throw ParseError("part " + std::to_string(part_number) + ": malformed header line");
      std::string_view name = line.substr(0, colon);
      for (char c : name)
        if (!is_token_char(c))
          throw ParseError("part " + std::to_string(part_number) + ": invalid header name");
      part.headers.add(std::string(name), std::string(trim_ows(line.substr(colon + 1))));
    }
    parse_part_headers(part, part_number);

    std::size_t end = body.find(crlf_delimiter, pos);
    if (end == std::string_view::npos)
      throw ParseError("part " + std::to_string(part_number) +
                       ": body is truncated: no closing delimiter");
    part.body = std::string(body.substr(pos, end - pos));
    pos = end + crlf_delimiter.size();
    parts.push_back(std::move(part));
  }
}

std::vector<Part> parse_form_data(std::string_view content_type, std::string_view body,
                                  const Limits& limits) {
  return parse(body, boundary_from_content_type(content_type), limits);
}

const Part* find_part(const std::vector<Part>& parts, std::string_view name) {
  for (const Part& part : parts)
    if (part.name == name) return &part;
  return nullptr;
}

} // namespace keel::multipart
