#include "node.h"

namespace keel::gen::spec {

namespace {

// JSON number grammar: -?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?
bool is_json_number(std::string_view s) {
  std::size_t i = 0;
  auto digits = [&] {
    std::size_t start = i;
    while (i < s.size() && s[i] >= '0' && s[i] <= '9') ++i;
    return i > start;
  };
  if (i < s.size() && s[i] == '-') ++i;
  if (i >= s.size()) return false;
  if (s[i] == '0')
    ++i;
  else if (!digits())
    return false;
  if (i < s.size() && s[i] == '.') {
    ++i;
    if (!digits()) return false;
  }
  if (i < s.size() && (s[i] == 'e' || s[i] == 'E')) {
    ++i;
    if (i < s.size() && (s[i] == '+' || s[i] == '-')) ++i;
    if (!digits()) return false;
  }
  return i == s.size();
}

}  // namespace

const Node* Node::get(std::string_view key) const {
  if (kind != Kind::mapping) return nullptr;
  for (std::size_t i = 0; i < keys.size(); ++i)
    if (keys[i] == key) return &children[i];
  return nullptr;
}

const Node* Node::child_at(std::string_view token) const {
  if (kind == Kind::mapping) return get(token);
  if (kind != Kind::sequence || token.empty() || token.size() > 9) return nullptr;
  if (token.size() > 1 && token[0] == '0') return nullptr;
  std::size_t index = 0;
  for (char c : token) {
    if (c < '0' || c > '9') return nullptr;
    index = index * 10 + static_cast<std::size_t>(c - '0');
  }
  return index < children.size() ? &children[index] : nullptr;
}

std::string Node::get_string(std::string_view key, std::string_view fallback) const {
  const Node* value = get(key);
  if (value == nullptr || !value->is_scalar()) return std::string(fallback);
  return value->scalar;
}

bool Node::is_bool() const {
  return kind == Kind::scalar && !quoted && (scalar == "true" || scalar == "false");
}

bool Node::is_number() const { return kind == Kind::scalar && !quoted && is_json_number(scalar); }

bool Node::is_string() const {
  if (kind != Kind::scalar) return false;
  if (quoted) return true;
  return !is_bool() && !is_number() && scalar != "null" && scalar != "~";
}

}  // namespace keel::gen::spec
