#include "emit/template.h"

#include <vector>

namespace keel::gen::emit {
namespace {

using Json = nlohmann::ordered_json;

struct Tag {
  char kind = 0;  ///< 0 variable, '#', '^', '/', '!'
  std::string name;
  std::size_t begin = 0;  ///< where the tag (or its standalone line) starts
  std::size_t end = 0;    ///< just past the tag (or its standalone line)
};

class Renderer {
public:
  Renderer(std::string_view name, std::string_view text) : name_(name), text_(text) {}

  std::string run(const Json& data) {
    std::vector<const Json*> stack{&data};
    std::string out;
    std::size_t pos = render_range(0, text_.size(), stack, out, "");
    if (pos != text_.size()) fail(pos, "unexpected closing tag");
    return out;
  }

private:
  [[noreturn]] void fail(std::size_t at, const std::string& what) const {
    std::size_t line = 1;
    for (std::size_t i = 0; i < at && i < text_.size(); ++i) line += text_[i] == '\n';
    throw TemplateError(std::string(name_) + ":" + std::to_string(line) + ": " + what);
  }

  bool next_tag(std::size_t from, std::size_t limit, Tag& tag) const {
    std::size_t open = text_.find("{{", from);
    if (open == std::string_view::npos || open >= limit) return false;
    std::size_t close = text_.find("}}", open + 2);
    if (close == std::string_view::npos) fail(open, "unterminated tag");
    std::string_view body = text_.substr(open + 2, close - open - 2);
    tag = Tag{};
    if (!body.empty() && (body[0] == '#' || body[0] == '^' || body[0] == '/' || body[0] == '!')) {
      tag.kind = body[0];
      body.remove_prefix(1);
    }
    while (!body.empty() && body.front() == ' ') body.remove_prefix(1);
    while (!body.empty() && body.back() == ' ') body.remove_suffix(1);
    tag.name = std::string(body);
    tag.begin = open;
    tag.end = close + 2;
    if (tag.kind != 0) make_standalone(tag);
    return true;
  }

  // A section or comment tag alone on its line removes the line entirely.
  void make_standalone(Tag& tag) const {
    std::size_t line_start = tag.begin;
    while (line_start > 0 && (text_[line_start - 1] == ' ' || text_[line_start - 1] == '\t'))
      --line_start;
    if (line_start > 0 && text_[line_start - 1] != '\n') return;
    std::size_t line_end = tag.end;
    while (line_end < text_.size() && (text_[line_end] == ' ' || text_[line_end] == '\t'))
      ++line_end;
    if (line_end < text_.size() && text_[line_end] != '\n') return;
    tag.begin = line_start;
    tag.end = line_end < text_.size() ? line_end + 1 : line_end;
  }

  const Json* lookup(const std::vector<const Json*>& stack, const std::string& key,
                     std::size_t at) const {
    if (key == ".") return stack.back();
    for (auto it = stack.rbegin(); it != stack.rend(); ++it) {
      if ((*it)->is_object()) {
        auto found = (*it)->find(key);
        if (found != (*it)->end()) return &*found;
      }
    }
    fail(at, "template variable '" + key + "' is not defined");
  }

  static bool truthy(const Json& v) {
    if (v.is_boolean()) return v.get<bool>();
    if (v.is_array()) return !v.empty();
    if (v.is_null()) return false;
    return true;
  }

  // Renders text_[from, limit) until the closing tag of `section` (if any);
  // returns the position just past that closing tag.
  std::size_t render_range(std::size_t from, std::size_t limit, std::vector<const Json*>& stack,
                           std::string& out, const std::string& section) {
    std::size_t pos = from;
    Tag tag;
    while (next_tag(pos, limit, tag)) {
      out.append(text_.substr(pos, tag.begin - pos));
      pos = tag.end;
      switch (tag.kind) {
        case '!':
          break;
        case '/':
          if (tag.name != section) fail(tag.begin, "closing '" + tag.name + "' does not match");
          return pos;
        case '#':
        case '^':
          pos = render_section(tag, limit, stack, out);
          break;
        default: {
          const Json& v = *lookup(stack, tag.name, tag.begin);
          if (v.is_string()) out += v.get<std::string>();
          else if (v.is_number() || v.is_boolean()) out += v.dump();
          else fail(tag.begin, "variable '" + tag.name + "' is not a scalar");
        }
      }
    }
    if (!section.empty()) fail(from, "section '" + section + "' is not closed");
    out.append(text_.substr(pos, limit - pos));
    return limit;
  }

  std::size_t render_section(const Tag& tag, std::size_t limit, std::vector<const Json*>& stack,
                             std::string& out) {
    const Json& value = *lookup(stack, tag.name, tag.begin);
    std::size_t after = skip_section(tag.end, limit, tag.name);
    bool show = truthy(value);
    if (tag.kind == '^') {
      if (!show) render_range(tag.end, limit, stack, out, tag.name);
      return after;
    }
    if (!show) return after;
    if (value.is_array()) {
      for (const auto& item : value) {
        stack.push_back(&item);
        render_range(tag.end, limit, stack, out, tag.name);
        stack.pop_back();
      }
    } else {
      stack.push_back(&value);
      render_range(tag.end, limit, stack, out, tag.name);
      stack.pop_back();
    }
    return after;
  }

  // Position just past the matching close tag, honouring nesting.
  std::size_t skip_section(std::size_t from, std::size_t limit, const std::string& name) const {
    int depth = 1;
    std::size_t pos = from;
    Tag tag;
    while (next_tag(pos, limit, tag)) {
      pos = tag.end;
      if ((tag.kind == '#' || tag.kind == '^') && tag.name == name) ++depth;
      if (tag.kind == '/' && tag.name == name && --depth == 0) return pos;
    }
    fail(from, "section '" + name + "' is not closed");
  }

  std::string_view name_;
  std::string_view text_;
};

}  // namespace

std::string render(std::string_view template_name, std::string_view text,
                   const nlohmann::ordered_json& data) {
  return Renderer(template_name, text).run(data);
}

}  // namespace keel::gen::emit
