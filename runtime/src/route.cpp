#include <keel/route.h>

namespace keel::route {

bool split(std::string_view path, Segments& out) {
  out.size = 0;
  if (path.empty() || path[0] != '/') return false;
  std::size_t pos = 1;
  while (true) {
    if (out.size == Segments::kMax) return false;
    std::size_t slash = path.find('/', pos);
    out.items[out.size++] = path.substr(pos, slash == std::string_view::npos ? slash : slash - pos);
    if (slash == std::string_view::npos) return true;
    pos = slash + 1;
  }
}

bool match_mixed(std::string_view segment, std::initializer_list<std::string_view> literals,
                 std::vector<std::string_view>* captures) {
  auto first = literals.begin();
  auto last = literals.end() - 1;
  if (!segment.starts_with(*first)) return false;
  std::string_view rest = segment.substr(first->size());
  if (rest.size() < last->size() || !rest.ends_with(*last)) return false;
  rest.remove_suffix(last->size());
  std::size_t before = captures ? captures->size() : 0;
  // Inner separators: each parameter runs up to the separator's first occurrence.
  for (auto sep = first + 1; sep != last; ++sep) {
    std::size_t at = rest.find(*sep, 1);
    if (at == std::string_view::npos) {
      if (captures) captures->resize(before);
      return false;
    }
    if (captures) captures->push_back(rest.substr(0, at));
    rest.remove_prefix(at + sep->size());
  }
  if (rest.empty()) {
    if (captures) captures->resize(before);
    return false;
  }
  if (captures) captures->push_back(rest);
  return true;
}

RouteMatch found(int operation, std::vector<std::string_view> params) {
  RouteMatch m;
  m.status = RouteMatch::Status::matched;
  m.operation = operation;
  m.params = std::move(params);
  return m;
}

RouteMatch not_allowed(std::string_view allow) {
  RouteMatch m;
  m.status = RouteMatch::Status::method_not_allowed;
  m.allow = std::string(allow);
  return m;
}

}  // namespace keel::route
