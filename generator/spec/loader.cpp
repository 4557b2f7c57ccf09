#include "loader.h"

#include "json_pointer.h"

#include <yaml-cpp/depthguard.h>
#include <yaml-cpp/eventhandler.h>
#include <yaml-cpp/exceptions.h>
#include <yaml-cpp/mark.h>
#include <yaml-cpp/parser.h>

#include <algorithm>
#include <cstdio>
#include <map>
#include <optional>
#include <sstream>
#include <unordered_set>

namespace keel::gen::spec {

namespace {

/// A problem found while building the tree; aborts the parse.
struct LoadError {
  std::string id;
  std::string message;
  Location where;
  std::string pointer;
};

Location to_location(const std::string& file, const YAML::Mark& mark) {
  if (mark.is_null()) return {file, 1, 1};
  return {file, mark.line + 1, mark.column + 1};
}

std::string hex_byte(unsigned char byte) {
  char buf[8];
  std::snprintf(buf, sizeof buf, "0x%02X", static_cast<unsigned>(byte));
  return buf;
}

/// Length of the UTF-8 sequence starting at `i`, or 0 when it is malformed
/// (bad lead byte, truncated, overlong, surrogate or beyond U+10FFFF).
std::size_t utf8_sequence_length(std::string_view text, std::size_t i) {
  auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  unsigned char lead = byte(i);
  if (lead < 0x80) return 1;
  std::size_t len = 0;
  unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte
  if (lead >= 0xC2 && lead <= 0xDF) {
    len = 2;
  } else if (lead >= 0xE0 && lead <= 0xEF) {
    len = 3;
    if (lead == 0xE0) lo = 0xA0;
    if (lead == 0xED) hi = 0x9F;
  } else if (lead >= 0xF0 && lead <= 0xF4) {
    len = 4;
    if (lead == 0xF0) lo = 0x90;
    if (lead == 0xF4) hi = 0x8F;
  } else {
    return 0;
  }
  if (i + len > text.size()) return 0;
  if (byte(i + 1) < lo || byte(i + 1) > hi) return 0;
  for (std::size_t k = 2; k < len; ++k)
    if (byte(i + k) < 0x80 || byte(i + k) > 0xBF) return 0;
  return len;
}

/// yaml-cpp passes malformed UTF-8 and control characters through (or
/// misreads them), so the text is screened first for a precise position.
std::optional<LoadError> screen_text(const std::string& file, std::string_view text) {
  if (text.size() >= 2 &&
      ((text[0] == '\xFF' && text[1] == '\xFE') || (text[0] == '\xFE' && text[1] == '\xFF')))
    return LoadError{"E-UTF8", "file is UTF-16; keel-gen reads UTF-8 only", {file, 1, 1}, ""};
  int line = 1, column = 1;
  for (std::size_t i = 0; i < text.size();) {
    auto c = static_cast<unsigned char>(text[i]);
    std::size_t len = utf8_sequence_length(text, i);
    if (len == 0)
      return LoadError{
          "E-UTF8", "file is not valid UTF-8 (byte " + hex_byte(c) + ")", {file, line, column}, ""};
    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r')
      return LoadError{"E-YAML-SYNTAX",
                       "control character " + hex_byte(c) + " is not allowed in YAML or JSON",
                       {file, line, column},
                       ""};
    if (c == '\n') {
      ++line;
      column = 1;
    } else {
      ++column;
    }
    i += len;
  }
  return std::nullopt;
}

/// Builds Nodes from yaml-cpp parse events. Working from events rather than
/// YAML::Node lets us see duplicate keys, quoting and every position, and
/// lets us bound alias expansion.
class TreeBuilder : public YAML::EventHandler {
public:
  TreeBuilder(const std::string& file, const LoadLimits& limits, LoadCounters& counters)
      : file_(file), limits_(limits), counters_(counters) {}

  std::unique_ptr<Node> take_result() { return std::move(result_); }
  int documents() const { return documents_; }

  void OnDocumentStart(const YAML::Mark& mark) override {
    if (++documents_ > 1)
      throw LoadError{"E-YAML-MULTIDOC",
                      "file holds more than one YAML document; only one is allowed",
                      to_location(file_, mark), ""};
  }
  void OnDocumentEnd() override {}

  void OnNull(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    if (take_key("null", mark)) return;
    Node node = start_node(Node::Kind::null, mark);
    finish_node(std::move(node), anchor, 1);
  }

  void OnScalar(const YAML::Mark& mark, const std::string& tag, YAML::anchor_t anchor,
                const std::string& value) override {
    if (take_key(value, mark)) return;
    Node node = start_node(Node::Kind::scalar, mark);
    node.scalar = value;
    // "!" is yaml-cpp's tag for quoted scalars; an explicit !!str also forces a string.
    node.quoted = tag == "!" || tag == "tag:yaml.org,2002:str";
    finish_node(std::move(node), anchor, 1);
  }

  void OnAlias(const YAML::Mark& mark, YAML::anchor_t anchor) override {
    reject_complex_key(mark);
    auto found = anchors_.find(anchor);
    if (found == anchors_.end())
      throw LoadError{"E-YAML-SYNTAX", "alias to an anchor that is not complete",
                      to_location(file_, mark), ""};
    const Anchored& source = found->second;
    if (stack_.size() + source.height > limits_.max_depth) throw too_deep(mark);
    Node node = start_node(source.node.kind, mark);
    copy_children(source.node, node);
    finish_node(std::move(node), 0, source.height);
  }

  void OnSequenceStart(const YAML::Mark& mark, const std::string& /*tag*/, YAML::anchor_t anchor,
                       YAML::EmitterStyle::value /*style*/) override {
    reject_complex_key(mark);
    push(start_node(Node::Kind::sequence, mark), anchor, mark);
  }
  void OnSequenceEnd() override { pop(); }

  void OnMapStart(const YAML::Mark& mark, const std::string& /*tag*/, YAML::anchor_t anchor,
                  YAML::EmitterStyle::value /*style*/) override {
    reject_complex_key(mark);
    push(start_node(Node::Kind::mapping, mark), anchor, mark);
  }
  void OnMapEnd() override { pop(); }

private:
  struct Frame {
    Node node;
    YAML::anchor_t anchor = 0;
    std::size_t height = 1;                   ///< levels below and including this node
    bool awaiting_value = false;              ///< mapping: a key was read, its value is next
    std::unordered_set<std::string> key_set;  ///< only filled for large mappings
  };
  struct Anchored {
    Node node;
    std::size_t height = 1;
  };

  static constexpr std::size_t linear_key_limit = 16;

  LoadError too_deep(const YAML::Mark& mark) const {
    return {"E-YAML-TOO-DEEP",
            "document nesting exceeds " + std::to_string(limits_.max_depth) + " levels",
            to_location(file_, mark), ""};
  }

  bool key_expected() const {
    return !stack_.empty() && stack_.back().node.is_map() && !stack_.back().awaiting_value;
  }

  void reject_complex_key(const YAML::Mark& mark) const {
    if (key_expected())
      throw LoadError{"E-YAML-KEY", "mapping keys must be plain scalars", to_location(file_, mark),
                      stack_.back().node.pointer};
  }

  /// Records `text` as the next key when the open mapping expects one.
  bool take_key(const std::string& text, const YAML::Mark& mark) {
    if (!key_expected()) return false;
    Frame& frame = stack_.back();
    Location where = to_location(file_, mark);
    if (has_key(frame, text))
      throw LoadError{"E-YAML-DUPLICATE-KEY", "duplicate mapping key '" + text + "'", where,
                      frame.node.pointer + "/" + escape_pointer_token(text)};
    frame.node.keys.push_back(text);
    frame.node.key_locations.push_back(std::move(where));
    if (frame.node.keys.size() > linear_key_limit) {
      if (frame.key_set.empty())
        frame.key_set.insert(frame.node.keys.begin(), frame.node.keys.end());
      else
        frame.key_set.insert(text);
    }
    frame.awaiting_value = true;
    return true;
  }

  static bool has_key(const Frame& frame, const std::string& text) {
    if (!frame.key_set.empty()) return frame.key_set.count(text) != 0;
    for (const auto& key : frame.node.keys)
      if (key == text) return true;
    return false;
  }

  std::string child_pointer() const {
    if (stack_.empty()) return "";
    const Node& parent = stack_.back().node;
    if (parent.is_map()) return parent.pointer + "/" + escape_pointer_token(parent.keys.back());
    return parent.pointer + "/" + std::to_string(parent.children.size());
  }

  void count_node(const Location& where, bool from_alias) {
    if (++counters_.nodes > limits_.max_nodes)
      throw LoadError{"E-YAML-TOO-LARGE",
                      "document has more than " + std::to_string(limits_.max_nodes) + " nodes",
                      where, ""};
    if (from_alias && ++counters_.alias_nodes > limits_.max_alias_nodes)
      throw LoadError{"E-YAML-TOO-LARGE",
                      "aliases expand to more than " + std::to_string(limits_.max_alias_nodes) +
                          " nodes",
                      where, ""};
  }

  Node start_node(Node::Kind kind, const YAML::Mark& mark) {
    Node node;
    node.kind = kind;
    node.location = to_location(file_, mark);
    node.pointer = child_pointer();
    count_node(node.location, false);
    return node;
  }

  /// Deep-copies an anchored node's content under `target`, re-rooting the
  /// pointers at the alias position.
  void copy_children(const Node& source, Node& target) {
    target.scalar = source.scalar;
    target.quoted = source.quoted;
    target.keys = source.keys;
    target.key_locations = source.key_locations;
    target.children.reserve(source.children.size());
    for (std::size_t i = 0; i < source.children.size(); ++i) {
      const Node& from = source.children[i];
      Node child;
      child.kind = from.kind;
      child.location = from.location;
      child.pointer = target.pointer + "/" +
                      (source.is_map() ? escape_pointer_token(source.keys[i]) : std::to_string(i));
      count_node(child.location, true);
      copy_children(from, child);
      target.children.push_back(std::move(child));
    }
  }

  void push(Node node, YAML::anchor_t anchor, const YAML::Mark& mark) {
    if (stack_.size() + 1 > limits_.max_depth) throw too_deep(mark);
    Frame frame;
    frame.node = std::move(node);
    frame.anchor = anchor;
    stack_.push_back(std::move(frame));
  }

  void pop() {
    Frame frame = std::move(stack_.back());
    stack_.pop_back();
    finish_node(std::move(frame.node), frame.anchor, frame.height);
  }

  void finish_node(Node node, YAML::anchor_t anchor, std::size_t height) {
    if (anchor != 0) anchors_[anchor] = Anchored{node, height};
    if (stack_.empty()) {
      result_ = std::make_unique<Node>(std::move(node));
      return;
    }
    Frame& parent = stack_.back();
    parent.height = std::max(parent.height, height + 1);
    parent.node.children.push_back(std::move(node));
    parent.awaiting_value = false;
  }

  const std::string& file_;
  const LoadLimits& limits_;
  LoadCounters& counters_;
  std::vector<Frame> stack_;
  std::map<YAML::anchor_t, Anchored> anchors_;
  std::unique_ptr<Node> result_;
  int documents_ = 0;
};

unsigned hex_value(std::string_view digits) {
  unsigned value = 0;
  for (char c : digits) {
    value <<= 4;
    if (c >= '0' && c <= '9')
      value |= static_cast<unsigned>(c - '0');
    else if (c >= 'a' && c <= 'f')
      value |= static_cast<unsigned>(c - 'a' + 10);
    else if (c >= 'A' && c <= 'F')
      value |= static_cast<unsigned>(c - 'A' + 10);
    else
      return 0x110000;  // not hex
  }
  return value;
}

bool ends_with_json(const std::string& file) {
  if (file.size() < 5) return false;
  std::string tail = file.substr(file.size() - 5);
  for (auto& c : tail) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return tail == ".json";
}

/// yaml-cpp rejects a UTF-16 surrogate pair written as two \u escapes
/// ("\ud83d\udca9", how JSON spells characters beyond the BMP), so in JSON
/// strings each pair becomes the character's UTF-8 bytes first. Lone
/// surrogates stay and are reported by the parser.
std::string join_surrogate_escapes(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  bool in_string = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    char c = text[i];
    if (!in_string) {
      in_string = c == '"';
      out += c;
      continue;
    }
    if (c == '"') {
      in_string = false;
      out += c;
      continue;
    }
    if (c != '\\' || i + 1 >= text.size()) {
      out += c;
      continue;
    }
    if (text[i + 1] == 'u' && i + 12 <= text.size() && text[i + 6] == '\\' && text[i + 7] == 'u') {
      unsigned high = hex_value(text.substr(i + 2, 4));
      unsigned low = hex_value(text.substr(i + 8, 4));
      if (high >= 0xD800 && high <= 0xDBFF && low >= 0xDC00 && low <= 0xDFFF) {
        unsigned cp = 0x10000 + ((high - 0xD800) << 10) + (low - 0xDC00);
        out += static_cast<char>(0xF0 | (cp >> 18));
        out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
        out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
        out += static_cast<char>(0x80 | (cp & 0x3F));
        i += 11;
        continue;
      }
    }
    out += c;  // any other escape: copy both characters
    out += text[++i];
  }
  return out;
}

void report(Diagnostics& diags, const LoadError& e) {
  diags.error(e.id, e.message, e.where, e.pointer);
}

}  // namespace

std::unique_ptr<Node> parse_document(const std::string& file, std::string_view text,
                                     const LoadLimits& limits, LoadCounters& counters,
                                     Diagnostics& diags) {
  if (text.size() > limits.max_file_bytes) {
    diags.error("E-FILE-TOO-LARGE",
                "file is larger than " + std::to_string(limits.max_file_bytes) + " bytes",
                {file, 1, 1}, "");
    return nullptr;
  }
  if (auto bad = screen_text(file, text)) {
    report(diags, *bad);
    return nullptr;
  }
  TreeBuilder builder(file, limits, counters);
  try {
    std::istringstream stream{ends_with_json(file) ? join_surrogate_escapes(text)
                                                   : std::string(text)};
    YAML::Parser parser(stream);
    while (parser.HandleNextDocument(builder)) {
    }
  } catch (const LoadError& e) {
    report(diags, e);
    return nullptr;
  } catch (const YAML::DeepRecursion& e) {
    diags.error("E-YAML-TOO-DEEP", "document nesting is too deep for the YAML parser",
                to_location(file, e.mark), "");
    return nullptr;
  } catch (const YAML::Exception& e) {
    diags.error("E-YAML-SYNTAX", "YAML syntax error: " + e.msg, to_location(file, e.mark), "");
    return nullptr;
  }
  auto root = builder.take_result();
  if (builder.documents() == 0 || root == nullptr) {
    diags.error("E-EMPTY", "document is empty", {file, 1, 1}, "");
    return nullptr;
  }
  return root;
}

}  // namespace keel::gen::spec
