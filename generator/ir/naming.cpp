#include "ir/naming.h"

#include <cctype>
#include <vector>

namespace keel::gen::ir {
namespace {

bool is_alnum(char c) { return std::isalnum(static_cast<unsigned char>(c)) != 0; }
bool is_upper(char c) { return std::isupper(static_cast<unsigned char>(c)) != 0; }
bool is_lower_or_digit(char c) {
  return std::islower(static_cast<unsigned char>(c)) != 0 ||
         std::isdigit(static_cast<unsigned char>(c)) != 0;
}
char lower(char c) { return static_cast<char>(std::tolower(static_cast<unsigned char>(c))); }
char upper(char c) { return static_cast<char>(std::toupper(static_cast<unsigned char>(c))); }

// "listDatasets" -> {list, datasets}; "HTTPServer2" -> {http, server2};
// "X-API-Key" -> {x, api, key}.
std::vector<std::string> split_words(std::string_view name) {
  std::vector<std::string> words;
  std::string word;
  for (std::size_t i = 0; i < name.size(); ++i) {
    char c = name[i];
    if (!is_alnum(c)) {
      if (!word.empty()) words.push_back(std::move(word)), word.clear();
      continue;
    }
    bool boundary = false;
    if (!word.empty() && is_upper(c)) {
      char prev = name[i - 1];
      bool next_lower = i + 1 < name.size() && std::islower(static_cast<unsigned char>(name[i + 1]));
      boundary = is_lower_or_digit(prev) || (is_upper(prev) && next_lower);
    }
    if (boundary) words.push_back(std::move(word)), word.clear();
    word += lower(c);
  }
  if (!word.empty()) words.push_back(std::move(word));
  return words;
}

constexpr std::string_view kKeywords[] = {
    "alignas", "alignof", "and", "and_eq", "asm", "auto", "bitand", "bitor", "bool", "break",
    "case", "catch", "char", "char8_t", "char16_t", "char32_t", "class", "compl", "concept",
    "const", "consteval", "constexpr", "constinit", "const_cast", "continue", "co_await",
    "co_return", "co_yield", "decltype", "default", "delete", "do", "double", "dynamic_cast",
    "else", "enum", "explicit", "export", "extern", "false", "float", "for", "friend", "goto",
    "if", "inline", "int", "long", "mutable", "namespace", "new", "noexcept", "not", "not_eq",
    "nullptr", "operator", "or", "or_eq", "private", "protected", "public", "register",
    "reinterpret_cast", "requires", "return", "short", "signed", "sizeof", "static",
    "static_assert", "static_cast", "struct", "switch", "template", "this", "thread_local",
    "throw", "true", "try", "typedef", "typeid", "typename", "union", "unsigned", "using",
    "virtual", "void", "volatile", "wchar_t", "while", "xor", "xor_eq"};

}  // namespace

std::string snake_case(std::string_view name) {
  std::string out;
  for (const auto& w : split_words(name)) {
    if (!out.empty()) out += '_';
    out += w;
  }
  return escape_identifier(out.empty() ? "unnamed" : out);
}

std::string pascal_case(std::string_view name) {
  std::string out;
  for (auto w : split_words(name)) {
    w[0] = upper(w[0]);
    out += w;
  }
  return escape_identifier(out.empty() ? "Unnamed" : out);
}

std::string escape_identifier(std::string name) {
  if (!name.empty() && std::isdigit(static_cast<unsigned char>(name[0]))) name.insert(0, "_");
  for (auto kw : kKeywords)
    if (name == kw) return name + '_';
  return name;
}

std::string media_word(std::string_view media) {
  std::string_view type = media.substr(0, media.find(';'));
  std::size_t slash = type.find('/');
  std::string_view sub = slash == std::string_view::npos ? type : type.substr(slash + 1);
  if (sub == "*") sub = slash == std::string_view::npos || type.substr(0, slash) == "*" ? "any" : type.substr(0, slash);
  std::string word = snake_case(sub);
  return word.empty() ? "any" : word;
}

std::string NameScope::claim(std::string identifier, std::string_view qualifier) {
  if (taken_.insert(identifier).second) return identifier;
  return claim(identifier + '_' + std::string(qualifier));
}

std::string NameScope::claim(std::string identifier) {
  if (taken_.insert(identifier).second) return identifier;
  for (int n = 2;; ++n) {
    std::string candidate = identifier + '_' + std::to_string(n);
    if (taken_.insert(candidate).second) return candidate;
  }
}

}  // namespace keel::gen::ir
