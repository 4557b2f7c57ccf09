#include "oas.h"

#include <algorithm>

namespace keel::gen::spec {

bool is_http_method(std::string_view key) {
  return std::find(http_methods.begin(), http_methods.end(), key) != http_methods.end();
}

std::optional<std::vector<std::string>> template_names(std::string_view path) {
  std::vector<std::string> names;
  std::size_t i = 0;
  while (i < path.size()) {
    char c = path[i];
    if (c == '}') return std::nullopt;
    if (c != '{') {
      ++i;
      continue;
    }
    auto close = path.find_first_of("{}", i + 1);
    if (close == std::string_view::npos || path[close] == '{' || close == i + 1)
      return std::nullopt;
    names.emplace_back(path.substr(i + 1, close - i - 1));
    i = close + 1;
  }
  return names;
}

std::string template_shape(std::string_view path) {
  std::string out;
  bool inside = false;
  for (char c : path) {
    if (c == '{') {
      inside = true;
      out += "{}";
    } else if (c == '}') {
      inside = false;
    } else if (!inside) {
      out += c;
    }
  }
  return out;
}

std::string openapi_minor_version(std::string_view value) {
  // 3.<minor>.<patch>[-suffix]
  auto digits = [&](std::size_t& i) {
    std::size_t start = i;
    while (i < value.size() && value[i] >= '0' && value[i] <= '9') ++i;
    return i > start;
  };
  if (value.size() < 5 || value.substr(0, 2) != "3.") return "";
  std::size_t i = 2;
  if (!digits(i)) return "";
  std::string minor(value.substr(0, i));
  if (i >= value.size() || value[i] != '.') return "";
  ++i;
  if (!digits(i)) return "";
  if (i < value.size() && (value[i] != '-' || i + 1 == value.size())) return "";
  if (minor != "3.0" && minor != "3.1") return "";
  return minor;
}

}  // namespace keel::gen::spec
