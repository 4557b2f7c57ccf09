#include "emit/router_emitter.h"

#include "emit/cpp_text.h"

#include <algorithm>
#include <map>
#include <memory>
#include <set>
#include <vector>

namespace keel::gen::emit {
namespace {

// One path segment of a template: literal text, `{param}`, or literals
// around parameters (`{job_id}:cancel`, `{Sid}.json`).
struct SegmentShape {
  enum class Kind { literal, param, mixed } kind = Kind::literal;
  std::vector<std::string> literals;  ///< mixed: params + 1 pieces; literal: one

  std::string key() const {
    std::string k = kind == Kind::literal ? "L" : kind == Kind::param ? "P" : "M";
    for (const auto& l : literals) k += '\0' + l;
    return k;
  }
  std::size_t literal_length() const {
    std::size_t n = 0;
    for (const auto& l : literals) n += l.size();
    return n;
  }
};

bool parse_segment(const std::string& text, SegmentShape& out) {
  out = SegmentShape{};
  std::size_t open = text.find('{');
  if (open == std::string::npos) {
    if (text.find('}') != std::string::npos) return false;
    out.literals = {text};
    return true;
  }
  std::string current;
  std::size_t pos = 0;
  while (pos < text.size()) {
    open = text.find('{', pos);
    if (open == std::string::npos) {
      current += text.substr(pos);
      break;
    }
    std::size_t close = text.find('}', open);
    if (close == std::string::npos || close == open + 1) return false;
    current += text.substr(pos, open - pos);
    if (current.find('}') != std::string::npos) return false;
    out.literals.push_back(std::move(current));
    current.clear();
    pos = close + 1;
  }
  out.literals.push_back(std::move(current));
  // Two parameters with nothing between them cannot be told apart.
  for (std::size_t i = 1; i + 1 < out.literals.size(); ++i)
    if (out.literals[i].empty()) return false;
  bool pure = out.literals.size() == 2 && out.literals[0].empty() && out.literals[1].empty();
  out.kind = pure ? SegmentShape::Kind::param : SegmentShape::Kind::mixed;
  return true;
}

struct Leaf {
  std::string method;
  int operation;
};

struct TrieNode {
  SegmentShape shape;
  std::vector<Leaf> leaves;
  std::map<std::string, std::unique_ptr<TrieNode>> children;  ///< by shape key
  std::vector<SegmentShape> path;  ///< shapes from the root to here (for captures)
};

std::string indent(int depth) { return std::string(static_cast<std::size_t>(depth) * 2, ' '); }

std::string segment_condition(const SegmentShape& shape, std::size_t index) {
  std::string s = "s[" + std::to_string(index) + "]";
  switch (shape.kind) {
    case SegmentShape::Kind::literal:
      return s + " == " + cpp_string(shape.literals[0]);
    case SegmentShape::Kind::param:
      return "!" + s + ".empty()";
    case SegmentShape::Kind::mixed: {
      std::string list;
      for (const auto& l : shape.literals) list += (list.empty() ? "" : ", ") + cpp_string(l);
      return "keel::route::match_mixed(" + s + ", {" + list + "}, nullptr)";
    }
  }
  return "false";
}

class Emitter {
public:
  explicit Emitter(const ir::Api& api, Diagnostics& diags) : api_(api), diags_(diags) {}

  std::string run() {
    TrieNode root;
    for (std::size_t i = 0; i < api_.operations.size(); ++i) insert(root, static_cast<int>(i));
    std::string out;
    emit_node(root, 0, 1, out);
    return out;
  }

private:
  void insert(TrieNode& root, int index) {
    const ir::Operation& op = api_.operations[static_cast<std::size_t>(index)];
    if (op.path.empty() || op.path[0] != '/') {
      diags_.error("E-ROUTE-PATH", "path '" + op.path + "' does not start with '/'", op.source, "");
      return;
    }
    TrieNode* node = &root;
    std::size_t pos = 1;
    std::vector<SegmentShape> shapes;
    while (true) {
      std::size_t slash = op.path.find('/', pos);
      std::string text = op.path.substr(pos, slash == std::string::npos ? std::string::npos : slash - pos);
      SegmentShape shape;
      if (!parse_segment(text, shape)) {
        diags_.error("E-ROUTE-SEGMENT",
                     "path segment '" + text + "' of '" + op.path +
                         "' has unbalanced braces or adjacent parameters",
                     op.source, "");
        return;
      }
      shapes.push_back(shape);
      auto& child = node->children[shape.key()];
      if (!child) {
        child = std::make_unique<TrieNode>();
        child->shape = shape;
        child->path = shapes;
      }
      node = child.get();
      if (slash == std::string::npos) break;
      pos = slash + 1;
    }
    for (const auto& leaf : node->leaves) {
      if (leaf.method == op.method) {
        const auto& other = api_.operations[static_cast<std::size_t>(leaf.operation)];
        diags_.error("E-ROUTE-AMBIGUOUS",
                     op.method + " " + op.path + " cannot be told apart from " + other.method + " " +
                         other.path,
                     op.source, "");
        return;
      }
    }
    node->leaves.push_back({op.method, index});
  }

  void emit_node(const TrieNode& node, std::size_t depth, int level, std::string& out) {
    if (!node.leaves.empty()) emit_leaf(node, depth, level, out);
    // Literals, then partly templated (most literal text first), then templated.
    std::vector<const TrieNode*> order;
    for (const auto& [key, child] : node.children) order.push_back(child.get());
    auto rank = [](const TrieNode* n) {
      return n->shape.kind == SegmentShape::Kind::literal ? 0
             : n->shape.kind == SegmentShape::Kind::mixed ? 1
                                                          : 2;
    };
    std::stable_sort(order.begin(), order.end(), [&](const TrieNode* a, const TrieNode* b) {
      if (rank(a) != rank(b)) return rank(a) < rank(b);
      return a->shape.literal_length() > b->shape.literal_length();
    });
    for (const TrieNode* child : order) {
      out += indent(level) + "if (n > " + std::to_string(depth) + " && " +
             segment_condition(child->shape, depth) + ") {\n";
      emit_node(*child, depth + 1, level + 1, out);
      out += indent(level) + "}\n";
    }
  }

  void emit_leaf(const TrieNode& node, std::size_t depth, int level, std::string& out) {
    std::string in = indent(level + 1);
    out += indent(level) + "if (n == " + std::to_string(depth) + ") {\n";
    out += in + "std::vector<std::string_view> p;\n";
    for (std::size_t i = 0; i < node.path.size(); ++i) {
      const auto& shape = node.path[i];
      std::string s = "s[" + std::to_string(i) + "]";
      if (shape.kind == SegmentShape::Kind::param) {
        out += in + "p.push_back(" + s + ");\n";
      } else if (shape.kind == SegmentShape::Kind::mixed) {
        std::string list;
        for (const auto& l : shape.literals) list += (list.empty() ? "" : ", ") + cpp_string(l);
        out += in + "keel::route::match_mixed(" + s + ", {" + list + "}, &p);\n";
      }
    }
    std::vector<Leaf> leaves = node.leaves;
    std::sort(leaves.begin(), leaves.end(), [](const Leaf& a, const Leaf& b) { return a.method < b.method; });
    bool has_head = std::any_of(leaves.begin(), leaves.end(), [](const Leaf& l) { return l.method == "HEAD"; });
    std::set<std::string> allow;
    for (const auto& leaf : leaves) {
      allow.insert(leaf.method);
      std::string cond = "method == " + cpp_string(leaf.method);
      if (leaf.method == "GET" && !has_head) {
        cond += " || method == \"HEAD\"";  // HEAD is GET without the body
        allow.insert("HEAD");
      }
      out += in + "if (" + cond + ") return keel::route::found(" + std::to_string(leaf.operation) +
             ", std::move(p));\n";
    }
    std::string allow_list;
    for (const auto& m : allow) allow_list += (allow_list.empty() ? "" : ", ") + m;
    out += in + "return keel::route::not_allowed(" + cpp_string(allow_list) + ");\n";
    out += indent(level) + "}\n";
  }

  const ir::Api& api_;
  Diagnostics& diags_;
};

}  // namespace

std::string emit_router(const ir::Api& api, Diagnostics& diags) { return Emitter(api, diags).run(); }

}  // namespace keel::gen::emit
