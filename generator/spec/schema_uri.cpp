#include "schema_uri.h"

#include "json_pointer.h"

#include <cctype>

namespace keel::gen::spec {

namespace {

std::string lower(std::string s) {
  for (auto& c : s) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return s;
}

std::size_t scheme_length(std::string_view text) {
  if (text.empty() || !std::isalpha(static_cast<unsigned char>(text[0]))) return 0;
  for (std::size_t i = 1; i < text.size(); ++i) {
    char c = text[i];
    if (c == ':') return i;
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '+' && c != '-' && c != '.') return 0;
  }
  return 0;
}

/// The host part of an authority is case-insensitive; userinfo is not.
std::string normalize_authority(std::string authority) {
  auto at = authority.find('@');
  std::size_t host = at == std::string::npos ? 0 : at + 1;
  for (std::size_t i = host; i < authority.size(); ++i)
    authority[i] = static_cast<char>(std::tolower(static_cast<unsigned char>(authority[i])));
  return authority;
}

std::string merge_paths(const UriParts& base, const std::string& path) {
  if (base.has_authority && base.path.empty()) return "/" + path;
  auto slash = base.path.rfind('/');
  if (slash == std::string::npos) return path;
  return base.path.substr(0, slash + 1) + path;
}

}  // namespace

UriParts parse_uri(std::string_view text) {
  UriParts uri;
  if (auto hash = text.find('#'); hash != std::string_view::npos) {
    uri.has_fragment = true;
    uri.fragment = std::string(text.substr(hash + 1));
    text = text.substr(0, hash);
  }
  if (auto q = text.find('?'); q != std::string_view::npos) {
    uri.has_query = true;
    uri.query = std::string(text.substr(q + 1));
    text = text.substr(0, q);
  }
  if (std::size_t n = scheme_length(text); n > 0) {
    uri.scheme = lower(std::string(text.substr(0, n)));
    text = text.substr(n + 1);
  }
  if (text.substr(0, 2) == "//") {
    text = text.substr(2);
    auto slash = text.find('/');
    uri.has_authority = true;
    uri.authority = normalize_authority(std::string(text.substr(0, slash)));
    text = slash == std::string_view::npos ? std::string_view() : text.substr(slash);
  }
  uri.path = std::string(text);
  return uri;
}

std::string to_string(const UriParts& uri) {
  std::string out;
  if (!uri.scheme.empty()) out += uri.scheme + ":";
  if (uri.has_authority) out += "//" + uri.authority;
  out += uri.path;
  if (uri.has_query) out += "?" + uri.query;
  if (uri.has_fragment) out += "#" + uri.fragment;
  return out;
}

bool is_absolute_uri(std::string_view text) { return scheme_length(text) > 0; }

std::string remove_dot_segments(std::string_view input) {
  std::string in(input), out;
  while (!in.empty()) {
    if (in.rfind("../", 0) == 0) {
      in.erase(0, 3);
    } else if (in.rfind("./", 0) == 0) {
      in.erase(0, 2);
    } else if (in.rfind("/./", 0) == 0) {
      in.replace(0, 3, "/");
    } else if (in == "/.") {
      in = "/";
    } else if (in.rfind("/../", 0) == 0 || in == "/..") {
      in = in == "/.." ? "/" : in.substr(3);
      auto slash = out.rfind('/');
      out.erase(slash == std::string::npos ? 0 : slash);
    } else if (in == "." || in == "..") {
      in.clear();
    } else {
      std::size_t next = in.find('/', in[0] == '/' ? 1 : 0);
      out += in.substr(0, next);
      in.erase(0, next == std::string::npos ? in.size() : next);
    }
  }
  return out;
}

std::string resolve_uri(std::string_view base_text, std::string_view reference) {
  UriParts r = parse_uri(reference);
  UriParts base = parse_uri(base_text);
  UriParts t;
  if (!r.scheme.empty()) {
    t = r;
    t.path = remove_dot_segments(r.path);
  } else {
    if (r.has_authority) {
      t.has_authority = true;
      t.authority = r.authority;
      t.path = remove_dot_segments(r.path);
      t.has_query = r.has_query;
      t.query = r.query;
    } else {
      if (r.path.empty()) {
        t.path = base.path;
        t.has_query = r.has_query || base.has_query;
        t.query = r.has_query ? r.query : base.query;
      } else {
        // A URN-like base ("urn:uuid:...") has no hierarchy to merge into;
        // dot-segment removal would only damage it.
        bool hierarchical = base.has_authority || (!base.path.empty() && base.path[0] == '/');
        std::string merged = r.path[0] == '/' ? r.path : merge_paths(base, r.path);
        t.path = hierarchical || r.path[0] == '/' ? remove_dot_segments(merged) : merged;
        t.has_query = r.has_query;
        t.query = r.query;
      }
      t.has_authority = base.has_authority;
      t.authority = base.authority;
    }
    t.scheme = base.scheme;
  }
  t.has_fragment = r.has_fragment;
  t.fragment = r.fragment;
  return to_string(t);
}

std::pair<std::string, std::string> split_fragment(std::string_view uri) {
  auto hash = uri.find('#');
  if (hash == std::string_view::npos) return {std::string(uri), ""};
  return {std::string(uri.substr(0, hash)), std::string(uri.substr(hash + 1))};
}

std::string file_uri(const std::string& absolute_path) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out = "file://";
  for (char c : absolute_path) {
    auto u = static_cast<unsigned char>(c);
    bool plain = std::isalnum(u) || std::string_view("/-._~!$&'()*+,;=:@").find(c) != std::string_view::npos;
    if (plain) {
      out += c;
    } else {
      out += '%';
      out += hex[u >> 4];
      out += hex[u & 15];
    }
  }
  return out;
}

std::optional<std::string> file_path(std::string_view uri) {
  UriParts parts = parse_uri(uri);
  if (parts.scheme != "file" || (parts.has_authority && !parts.authority.empty() &&
                                 parts.authority != "localhost"))
    return std::nullopt;
  if (parts.path.empty() || parts.path[0] != '/') return std::nullopt;
  return percent_decode(parts.path);
}

}  // namespace keel::gen::spec
