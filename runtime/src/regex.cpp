// ECMA-262 (Unicode mode) regular expressions on PCRE2.
//
// An ECMA-262 pattern is parsed into a small syntax tree (which is also the
// complete syntax check behind is_valid_ecma_regex) and the tree is written
// out as a PCRE2 pattern that spells every construct whose meaning differs
// between the two explicitly: `.`, `$`, `\s`, `\w` under `i`, character class
// escapes inside classes, property names, back-references and lookbehinds.
// The output is ASCII; every other character becomes \x{...}.
//
// Lookbehinds PCRE2 10.42 cannot run (not of fixed length) are run the way
// ECMA-262 defines them: as a match of the reversed body, backwards. The body
// is written out reversed and compiled as its own anchored program, matched
// against the reversed subject from a callout at the lookbehind's position.

#include <keel/regex.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "regex_sequence.h"
#include "unicode_tables.h"
#include "unicode_utf8.h"

#include <algorithm>
#include <array>
#include <charconv>
#include <stdexcept>
#include <unordered_map>
#include <utility>
#include <vector>

namespace keel::schema {
namespace {

constexpr char32_t kMaxCodePoint = 0x10FFFF;
constexpr std::uint32_t kInfinite = UINT32_MAX;
// PCRE2's largest repeat count.
constexpr std::uint32_t kMaxRepeat = 65535;
// Deeper nesting is rejected so that parsing hostile input cannot exhaust the
// stack; PCRE2's own default limit is 250.
constexpr int kMaxNesting = 256;
// Emulated lookbehinds inside emulated lookbehinds, each a nested match.
constexpr int kMaxLookbehindDepth = 16;

bool is_surrogate(char32_t c) { return c >= 0xD800 && c <= 0xDFFF; }
bool is_digit(char32_t c) { return c >= '0' && c <= '9'; }
bool is_ascii_letter(char32_t c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
int hex_value(char32_t c) {
  if (c >= '0' && c <= '9') return static_cast<int>(c - '0');
  if (c >= 'a' && c <= 'f') return static_cast<int>(c - 'a' + 10);
  if (c >= 'A' && c <= 'F') return static_cast<int>(c - 'A' + 10);
  return -1;
}
bool is_syntax_character(char32_t c) {
  return c == '^' || c == '$' || c == '\\' || c == '.' || c == '*' || c == '+' || c == '?' ||
         c == '(' || c == ')' || c == '[' || c == ']' || c == '{' || c == '}' || c == '|';
}

// ---------------------------------------------------------------------------
// Syntax tree

using CodeRange = std::pair<char32_t, char32_t>;

struct CharSet {
  bool negated = false;
  bool ignore_case = false;
  std::vector<CodeRange> ranges;
  std::vector<std::string> properties;  // PCRE2 items: \p{..} or \P{..}
};

enum class Kind : unsigned char {
  sequence,
  alternation,
  literal,
  set,
  dot,
  start,  // ^
  end,    // $
  word_boundary,
  lookaround,
  group,
  repeat,
  backref,
};

struct Node {
  Kind kind = Kind::sequence;
  bool dot_all = false;      // dot
  bool multiline = false;    // start, end
  bool negated = false;      // word_boundary (\B), lookaround (?! (?<!
  bool ignore_case = false;  // word_boundary
  bool behind = false;       // lookaround
  bool greedy = true;        // repeat
  signed char set_ignore_case = -1;  // group: -1 unchanged, 0 off, 1 on
  char32_t ch = 0;                   // literal
  std::uint32_t min = 0, max = 0;    // repeat
  int capture = 0;                   // group: capture index, 0 when not capturing
  std::uint32_t number = 0;          // backref by number; 0 when by name
  std::u32string name;               // backref by name
  std::size_t offset = 0;            // backref, for error messages
  std::vector<int> targets;          // backref: the groups it may refer to
  CharSet set;
  std::vector<Node> children;
};

// ---------------------------------------------------------------------------
// Property names (ECMA-262 tables 67-69: exact spelling, no loose matching)

struct NamePair {
  std::string_view ecma;
  std::string_view pcre2;
};

constexpr NamePair kGeneralCategories[] = {
    {"C", "C"},
    {"Other", "C"},
    {"Cc", "Cc"},
    {"Control", "Cc"},
    {"cntrl", "Cc"},
    {"Cf", "Cf"},
    {"Format", "Cf"},
    {"Cn", "Cn"},
    {"Unassigned", "Cn"},
    {"Co", "Co"},
    {"Private_Use", "Co"},
    {"Cs", "Cs"},
    {"Surrogate", "Cs"},
    {"L", "L"},
    {"Letter", "L"},
    {"LC", "L&"},
    {"Cased_Letter", "L&"},
    {"Ll", "Ll"},
    {"Lowercase_Letter", "Ll"},
    {"Lm", "Lm"},
    {"Modifier_Letter", "Lm"},
    {"Lo", "Lo"},
    {"Other_Letter", "Lo"},
    {"Lt", "Lt"},
    {"Titlecase_Letter", "Lt"},
    {"Lu", "Lu"},
    {"Uppercase_Letter", "Lu"},
    {"M", "M"},
    {"Mark", "M"},
    {"Combining_Mark", "M"},
    {"Mc", "Mc"},
    {"Spacing_Mark", "Mc"},
    {"Me", "Me"},
    {"Enclosing_Mark", "Me"},
    {"Mn", "Mn"},
    {"Nonspacing_Mark", "Mn"},
    {"N", "N"},
    {"Number", "N"},
    {"Nd", "Nd"},
    {"Decimal_Number", "Nd"},
    {"digit", "Nd"},
    {"Nl", "Nl"},
    {"Letter_Number", "Nl"},
    {"No", "No"},
    {"Other_Number", "No"},
    {"P", "P"},
    {"Punctuation", "P"},
    {"punct", "P"},
    {"Pc", "Pc"},
    {"Connector_Punctuation", "Pc"},
    {"Pd", "Pd"},
    {"Dash_Punctuation", "Pd"},
    {"Pe", "Pe"},
    {"Close_Punctuation", "Pe"},
    {"Pf", "Pf"},
    {"Final_Punctuation", "Pf"},
    {"Pi", "Pi"},
    {"Initial_Punctuation", "Pi"},
    {"Po", "Po"},
    {"Other_Punctuation", "Po"},
    {"Ps", "Ps"},
    {"Open_Punctuation", "Ps"},
    {"S", "S"},
    {"Symbol", "S"},
    {"Sc", "Sc"},
    {"Currency_Symbol", "Sc"},
    {"Sk", "Sk"},
    {"Modifier_Symbol", "Sk"},
    {"Sm", "Sm"},
    {"Math_Symbol", "Sm"},
    {"So", "So"},
    {"Other_Symbol", "So"},
    {"Z", "Z"},
    {"Separator", "Z"},
    {"Zl", "Zl"},
    {"Line_Separator", "Zl"},
    {"Zp", "Zp"},
    {"Paragraph_Separator", "Zp"},
    {"Zs", "Zs"},
    {"Space_Separator", "Zs"},
};

// PCRE2 knows all of these by their ECMA-262 names except the few handled in
// binary_property(): Any, ASCII, Assigned and Changes_When_NFKC_Casefolded.
constexpr std::string_view kBinaryProperties[] = {
    "ASCII",
    "ASCII_Hex_Digit",
    "AHex",
    "Alphabetic",
    "Alpha",
    "Any",
    "Assigned",
    "Bidi_Control",
    "Bidi_C",
    "Bidi_Mirrored",
    "Bidi_M",
    "Case_Ignorable",
    "CI",
    "Cased",
    "Changes_When_Casefolded",
    "CWCF",
    "Changes_When_Casemapped",
    "CWCM",
    "Changes_When_Lowercased",
    "CWL",
    "Changes_When_NFKC_Casefolded",
    "CWKCF",
    "Changes_When_Titlecased",
    "CWT",
    "Changes_When_Uppercased",
    "CWU",
    "Dash",
    "Default_Ignorable_Code_Point",
    "DI",
    "Deprecated",
    "Dep",
    "Diacritic",
    "Dia",
    "Emoji",
    "Emoji_Component",
    "EComp",
    "Emoji_Modifier",
    "EMod",
    "Emoji_Modifier_Base",
    "EBase",
    "Emoji_Presentation",
    "EPres",
    "Extended_Pictographic",
    "ExtPict",
    "Extender",
    "Ext",
    "Grapheme_Base",
    "Gr_Base",
    "Grapheme_Extend",
    "Gr_Ext",
    "Hex_Digit",
    "Hex",
    "IDS_Binary_Operator",
    "IDSB",
    "IDS_Trinary_Operator",
    "IDST",
    "ID_Continue",
    "IDC",
    "ID_Start",
    "IDS",
    "Ideographic",
    "Ideo",
    "Join_Control",
    "Join_C",
    "Logical_Order_Exception",
    "LOE",
    "Lowercase",
    "Lower",
    "Math",
    "Noncharacter_Code_Point",
    "NChar",
    "Pattern_Syntax",
    "Pat_Syn",
    "Pattern_White_Space",
    "Pat_WS",
    "Quotation_Mark",
    "QMark",
    "Radical",
    "Regional_Indicator",
    "RI",
    "Sentence_Terminal",
    "STerm",
    "Soft_Dotted",
    "SD",
    "Terminal_Punctuation",
    "Term",
    "Unified_Ideograph",
    "UIdeo",
    "Uppercase",
    "Upper",
    "Variation_Selector",
    "VS",
    "White_Space",
    "space",
    "XID_Continue",
    "XIDC",
    "XID_Start",
    "XIDS",
};

const std::string_view* find_general_category(std::string_view name) {
  for (const NamePair& p : kGeneralCategories) {
    if (p.ecma == name) return &p.pcre2;
  }
  return nullptr;
}

const char* find_script(std::string_view name) {
  const unicode::ScriptName* begin = unicode::script_names;
  const unicode::ScriptName* end = begin + unicode::script_names_size;
  const unicode::ScriptName* it = std::lower_bound(
      begin, end, name,
      [](const unicode::ScriptName& s, std::string_view v) { return std::string_view(s.name) < v; });
  return it != end && std::string_view(it->name) == name ? it->pcre2 : nullptr;
}

std::vector<CodeRange> complement(const std::vector<CodeRange>& sorted) {
  std::vector<CodeRange> out;
  char32_t next = 0;
  for (const CodeRange& r : sorted) {
    if (r.first > next) out.emplace_back(next, r.first - 1);
    next = r.second + 1;
  }
  if (next <= kMaxCodePoint) out.emplace_back(next, kMaxCodePoint);
  return out;
}

std::vector<CodeRange> digit_ranges() { return {{'0', '9'}}; }
std::vector<CodeRange> word_ranges(bool ignore_case) {
  // Under `i` in Unicode mode ECMA-262 adds the two characters that case-fold
  // into [A-Za-z]: U+017F (long s) and U+212A (Kelvin sign).
  std::vector<CodeRange> r = {{'0', '9'}, {'A', 'Z'}, {'_', '_'}, {'a', 'z'}};
  if (ignore_case) {
    r.emplace_back(0x17F, 0x17F);
    r.emplace_back(0x212A, 0x212A);
  }
  return r;
}
std::vector<CodeRange> space_ranges() {
  // WhiteSpace and LineTerminator: TAB, LF, VT, FF, CR, SP, NBSP, ZWNBSP and
  // Space_Separator (stable since Unicode 6.3), LS, PS.
  return {{0x09, 0x0D}, {0x20, 0x20},     {0xA0, 0xA0},     {0x1680, 0x1680},
          {0x2000, 0x200A}, {0x2028, 0x2029}, {0x202F, 0x202F}, {0x205F, 0x205F},
          {0x3000, 0x3000}, {0xFEFF, 0xFEFF}};
}

// ---------------------------------------------------------------------------
// Parser: ECMA-262 Pattern[+UnicodeMode, +NamedCaptureGroups], with the
// ES2025 additions (duplicate named groups, pattern modifiers).

class Parser {
 public:
  // Without `build_tree` it only checks the syntax and keeps no tree: format
  // `regex` runs on untrusted data, which must not cost 200 bytes a character.
  Parser(std::u32string_view source, bool build_tree) : s_(source), build_(build_tree) {}

  bool parse(Node& root) {
    if (!disjunction(root, Flags{}, 0)) return false;
    if (pos_ < s_.size()) {
      // Only an unmatched ')' stops a top-level disjunction early.
      return fail("unmatched ')'");
    }
    return resolve_backrefs(root);
  }

  const std::string& error() const { return error_; }
  std::size_t error_position() const { return error_pos_; }
  /// Why a valid pattern cannot be compiled; empty when it can.
  const std::string& unsupported() const { return unsupported_; }
  int group_count() const { return group_count_; }

 private:
  struct Flags {
    bool i = false, m = false, s = false;
  };
  struct PathStep {
    int disjunction;
    int alternative;
  };
  struct NamedGroup {
    std::vector<int> indices;
    std::vector<PathStep> last_path;
  };

  static constexpr char32_t kEnd = 0xFFFFFFFF;

  char32_t peek(std::size_t k = 0) const {
    return pos_ + k < s_.size() ? s_[pos_ + k] : kEnd;
  }
  bool fail(std::string message) {
    if (error_.empty()) {
      error_ = std::move(message);
      error_pos_ = pos_;
    }
    return false;
  }

  bool disjunction(Node& out, Flags flags, int depth) {
    if (depth > kMaxNesting) return fail("groups nested too deeply");
    out.kind = Kind::alternation;
    path_.push_back({next_disjunction_++, 0});
    for (;;) {
      Node alternative;
      alternative.kind = Kind::sequence;
      while (pos_ < s_.size() && peek() != '|' && peek() != ')') {
        if (!term(alternative, flags, depth)) return false;
      }
      if (build_) out.children.push_back(std::move(alternative));
      if (peek() != '|') break;
      ++pos_;
      ++path_.back().alternative;
    }
    path_.pop_back();
    return true;
  }

  bool term(Node& sequence, Flags flags, int depth) {
    Node atom;
    bool quantifiable = true;
    const char32_t c = peek();
    switch (c) {
      case '^':
      case '$':
        ++pos_;
        atom.kind = c == '^' ? Kind::start : Kind::end;
        atom.multiline = flags.m;
        quantifiable = false;
        break;
      case '\\':
        if (peek(1) == 'b' || peek(1) == 'B') {
          atom.kind = Kind::word_boundary;
          atom.negated = peek(1) == 'B';
          atom.ignore_case = flags.i;
          pos_ += 2;
          quantifiable = false;
        } else if (!atom_escape(atom, flags)) {
          return false;
        }
        break;
      case '(':
        if (!group(atom, flags, depth, quantifiable)) return false;
        break;
      case '.':
        ++pos_;
        atom.kind = Kind::dot;
        atom.dot_all = flags.s;
        break;
      case '[':
        if (!character_class(atom, flags)) return false;
        break;
      case '*':
      case '+':
      case '?':
      case '{':
        return fail("nothing to repeat");
      case ']':
      case '}':
        return fail(std::string("lone '") + static_cast<char>(c) +
                    "' must be escaped in Unicode mode");
      default:
        ++pos_;
        atom.kind = Kind::literal;
        atom.ch = c;
        break;
    }
    if (peek() == '*' || peek() == '+' || peek() == '?' || peek() == '{') {
      if (!quantifiable) return fail("nothing to repeat");
      Node repeat;
      repeat.kind = Kind::repeat;
      if (!quantifier(repeat)) return false;
      repeat.children.push_back(std::move(atom));
      if (build_) sequence.children.push_back(std::move(repeat));
    } else if (build_) {
      sequence.children.push_back(std::move(atom));
    }
    return true;
  }

  // Decimal digits at pos_, kept as text so that bounds compare exactly
  // however long they are.
  std::u32string_view digits() {
    const std::size_t start = pos_;
    while (is_digit(peek())) ++pos_;
    return s_.substr(start, pos_ - start);
  }
  static std::uint32_t saturating_value(std::u32string_view d) {
    std::uint64_t v = 0;
    for (char32_t c : d) {
      v = v * 10 + (c - '0');
      if (v >= kInfinite) return kInfinite - 1;
    }
    return static_cast<std::uint32_t>(v);
  }
  static bool less_than(std::u32string_view a, std::u32string_view b) {
    while (a.size() > 1 && a.front() == '0') a.remove_prefix(1);
    while (b.size() > 1 && b.front() == '0') b.remove_prefix(1);
    if (a.size() != b.size()) return a.size() < b.size();
    return a < b;
  }

  bool quantifier(Node& repeat) {
    const char32_t c = peek();
    ++pos_;
    if (c == '*') {
      repeat.min = 0, repeat.max = kInfinite;
    } else if (c == '+') {
      repeat.min = 1, repeat.max = kInfinite;
    } else if (c == '?') {
      repeat.min = 0, repeat.max = 1;
    } else {
      const std::u32string_view low = digits();
      if (low.empty()) return fail("incomplete quantifier");
      repeat.min = saturating_value(low);
      repeat.max = repeat.min;
      if (peek() == ',') {
        ++pos_;
        const std::u32string_view high = digits();
        if (high.empty()) {
          repeat.max = kInfinite;
        } else {
          if (less_than(high, low)) return fail("numbers out of order in {} quantifier");
          repeat.max = saturating_value(high);
        }
      }
      if (peek() != '}') return fail("incomplete quantifier");
      ++pos_;
      if ((repeat.min > kMaxRepeat || (repeat.max != kInfinite && repeat.max > kMaxRepeat)) &&
          unsupported_.empty()) {
        unsupported_ = "quantifier bounds above 65535 are not supported";
      }
    }
    if (peek() == '?') {
      ++pos_;
      repeat.greedy = false;
    }
    return true;
  }

  bool group(Node& atom, Flags flags, int depth, bool& quantifiable) {
    ++pos_;  // (
    atom.kind = Kind::group;
    if (peek() == '?') {
      const char32_t c1 = peek(1);
      if (c1 == ':') {
        pos_ += 2;
      } else if (c1 == '=' || c1 == '!') {
        pos_ += 2;
        atom.kind = Kind::lookaround;
        atom.negated = c1 == '!';
        quantifiable = false;  // quantified lookaheads are Annex B only
      } else if (c1 == '<' && (peek(2) == '=' || peek(2) == '!')) {
        atom.kind = Kind::lookaround;
        atom.behind = true;
        atom.negated = peek(2) == '!';
        pos_ += 3;
        quantifiable = false;
      } else if (c1 == '<') {
        pos_ += 2;
        std::u32string name;
        if (!group_name(name)) return false;
        atom.capture = ++group_count_;
        NamedGroup& named = names_[name];
        if (!named.indices.empty() && might_both_participate(named.last_path, path_)) {
          return fail("duplicate capture group name");
        }
        named.indices.push_back(atom.capture);
        named.last_path = path_;
      } else if (c1 == 'i' || c1 == 'm' || c1 == 's' || c1 == '-') {
        pos_ += 1;
        if (!modifiers(atom, flags)) return false;
      } else {
        return fail("invalid group");
      }
    } else {
      atom.capture = ++group_count_;
    }
    Node body;
    if (!disjunction(body, flags, depth + 1)) return false;
    if (peek() != ')') return fail("missing ')'");
    ++pos_;
    atom.children.push_back(std::move(body));
    return true;
  }

  // `(?ims-ims:`; pos_ is at the first flag or '-'.
  bool modifiers(Node& atom, Flags& flags) {
    bool seen[2][3] = {};
    int part = 0;
    bool any = false;
    for (;;) {
      const char32_t c = peek();
      if (c == ':') break;
      if (c == '-' && part == 0) {
        part = 1;
        ++pos_;
        continue;
      }
      const int k = c == 'i' ? 0 : c == 'm' ? 1 : c == 's' ? 2 : -1;
      if (k < 0) return fail("invalid group");
      if (seen[0][k] || seen[1][k]) return fail("repeated flag in modifiers");
      seen[part][k] = true;
      any = true;
      ++pos_;
    }
    ++pos_;  // :
    if (!any) return fail("invalid group");
    const auto apply = [&](int k, bool& flag) {
      if (seen[0][k]) flag = true;
      if (seen[1][k]) flag = false;
    };
    apply(0, flags.i);
    apply(1, flags.m);
    apply(2, flags.s);
    if (seen[0][0]) atom.set_ignore_case = 1;
    if (seen[1][0]) atom.set_ignore_case = 0;
    return true;
  }

  // ES2025 MightBothParticipate: false only when the two groups sit in
  // different alternatives of their innermost common disjunction. Checking a
  // new group against the previous one of that name suffices: the earlier
  // ones are separated from the previous one by a disjunction that also
  // separates them from the new one, or not at all.
  static bool might_both_participate(const std::vector<PathStep>& a,
                                     const std::vector<PathStep>& b) {
    const std::size_t n = std::min(a.size(), b.size());
    for (std::size_t i = 0; i < n; ++i) {
      if (a[i].disjunction != b[i].disjunction) return true;
      if (a[i].alternative != b[i].alternative) return false;
    }
    return true;
  }

  // RegExpIdentifierName followed by '>'.
  bool group_name(std::u32string& name) {
    for (;;) {
      char32_t c = peek();
      if (c == '>') break;
      if (c == kEnd) return fail("invalid capture group name");
      if (c == '\\') {
        ++pos_;
        if (peek() != 'u') return fail("invalid capture group name");
        if (!unicode_escape(c)) return false;
      } else {
        ++pos_;
      }
      const bool ok = name.empty()
                          ? (c == '$' || c == '_' || unicode::is_id_start(c))
                          : (c == '$' || c == 0x200C || c == 0x200D || unicode::is_id_continue(c));
      if (!ok) return fail("invalid capture group name");
      name.push_back(c);
    }
    if (name.empty()) return fail("invalid capture group name");
    ++pos_;  // >
    return true;
  }

  // `\` outside a class, not \b or \B.
  bool atom_escape(Node& atom, Flags flags) {
    ++pos_;  // backslash
    const char32_t c = peek();
    if (c == kEnd) return fail("\\ at end of pattern");
    if (c == 'd' || c == 'D' || c == 's' || c == 'S' || c == 'w' || c == 'W' || c == 'p' ||
        c == 'P') {
      atom.kind = Kind::set;
      atom.set.ignore_case = flags.i;
      return class_escape(atom.set, flags);
    }
    if (c == 'k') {
      ++pos_;
      if (peek() != '<') return fail("invalid named reference");
      atom.offset = pos_;
      ++pos_;
      atom.kind = Kind::backref;
      if (!group_name(atom.name)) return false;
      named_refs_.emplace_back(atom.name, atom.offset);
      return true;
    }
    if (c >= '1' && c <= '9') {
      atom.kind = Kind::backref;
      atom.offset = pos_;
      const std::uint32_t n = saturating_value(digits());
      atom.number = n;
      if (n > max_backref_) {
        max_backref_ = n;
        max_backref_offset_ = atom.offset;
      }
      return true;
    }
    atom.kind = Kind::literal;
    return character_escape(atom.ch, false);
  }

  // \d \D \s \S \w \W \p{..} \P{..} at pos_, merged into `set`.
  bool class_escape(CharSet& set, Flags flags) {
    const char32_t c = peek();
    ++pos_;
    std::vector<CodeRange> ranges;
    switch (c) {
      case 'd':
      case 'D':
        ranges = digit_ranges();
        break;
      case 's':
      case 'S':
        ranges = space_ranges();
        break;
      case 'w':
      case 'W':
        ranges = word_ranges(flags.i);
        break;
      default:
        return property_escape(set, c == 'P');
    }
    if (c == 'D' || c == 'S' || c == 'W') ranges = complement(ranges);
    set.ranges.insert(set.ranges.end(), ranges.begin(), ranges.end());
    return true;
  }

  bool property_escape(CharSet& set, bool negated) {
    if (peek() != '{') return fail("invalid property name");
    ++pos_;
    std::string name, value;
    bool has_value = false;
    for (;;) {
      const char32_t c = peek();
      if (c == '}') break;
      if (c == '=' && !has_value) {
        has_value = true;
      } else if (is_ascii_letter(c) || is_digit(c) || c == '_') {
        (has_value ? value : name).push_back(static_cast<char>(c));
      } else {
        return fail("invalid property name");
      }
      ++pos_;
    }
    ++pos_;  // }
    const char* p = negated ? "\\P{" : "\\p{";
    if (has_value) {
      if (name == "General_Category" || name == "gc") {
        const std::string_view* gc = find_general_category(value);
        if (gc == nullptr) return fail("invalid property name");
        set.properties.push_back(std::string(p) + std::string(*gc) + "}");
        return true;
      }
      const bool script = name == "Script" || name == "sc";
      const bool extensions = name == "Script_Extensions" || name == "scx";
      if (!script && !extensions) return fail("invalid property name");
      const char* sc = find_script(value);
      if (sc == nullptr) return fail("invalid property name");
      set.properties.push_back(std::string(p) + (script ? "sc:" : "scx:") + sc + "}");
      return true;
    }
    if (const std::string_view* gc = find_general_category(name)) {
      set.properties.push_back(std::string(p) + std::string(*gc) + "}");
      return true;
    }
    if (std::find(std::begin(kBinaryProperties), std::end(kBinaryProperties), name) ==
        std::end(kBinaryProperties)) {
      return fail("invalid property name");
    }
    std::vector<CodeRange> ranges;
    if (name == "Any") {
      ranges = {{0, kMaxCodePoint}};
    } else if (name == "ASCII") {
      ranges = {{0, 0x7F}};
    } else if (name == "Changes_When_NFKC_Casefolded" || name == "CWKCF") {
      for (const unicode::Range& r : unicode::cwkcf_ranges()) ranges.emplace_back(r.first, r.last);
    } else if (name == "Assigned") {
      set.properties.push_back(negated ? "\\p{Cn}" : "\\P{Cn}");
      return true;
    } else {
      set.properties.push_back(std::string(p) + name + "}");
      return true;
    }
    if (negated) ranges = complement(ranges);
    set.ranges.insert(set.ranges.end(), ranges.begin(), ranges.end());
    return true;
  }

  // CharacterEscape after the backslash; `\-` only inside a class.
  bool character_escape(char32_t& out, bool in_class) {
    const char32_t c = peek();
    switch (c) {
      case 'f':
        out = 0x0C;
        break;
      case 'n':
        out = 0x0A;
        break;
      case 'r':
        out = 0x0D;
        break;
      case 't':
        out = 0x09;
        break;
      case 'v':
        out = 0x0B;
        break;
      case 'c':
        if (!is_ascii_letter(peek(1))) return fail("invalid \\c escape");
        out = peek(1) % 32;
        pos_ += 2;
        return true;
      case '0':
        if (is_digit(peek(1))) return fail("invalid decimal escape");
        out = 0;
        break;
      case 'x': {
        const int h = hex_value(peek(1)), l = hex_value(peek(2));
        if (h < 0 || l < 0) return fail("invalid \\x escape");
        out = static_cast<char32_t>(h * 16 + l);
        pos_ += 3;
        return true;
      }
      case 'u':
        return unicode_escape(out);
      default:
        if (is_syntax_character(c) || c == '/' || (in_class && c == '-')) {
          out = c;
          break;
        }
        return fail("invalid escape");
    }
    ++pos_;
    return true;
  }

  // RegExpUnicodeEscapeSequence[+UnicodeMode]; pos_ is at 'u'.
  bool unicode_escape(char32_t& out) {
    ++pos_;
    if (peek() == '{') {
      ++pos_;
      std::uint32_t v = 0;
      bool any = false;
      for (int h; (h = hex_value(peek())) >= 0; ++pos_) {
        v = v * 16 + static_cast<std::uint32_t>(h);
        if (v > kMaxCodePoint) return fail("invalid Unicode escape");
        any = true;
      }
      if (!any || peek() != '}') return fail("invalid Unicode escape");
      ++pos_;
      out = v;
      return true;
    }
    const auto four = [&](std::size_t at, char32_t& v) {
      v = 0;
      for (std::size_t k = 0; k < 4; ++k) {
        const int h = hex_value(peek(at + k));
        if (h < 0) return false;
        v = v * 16 + static_cast<char32_t>(h);
      }
      return true;
    };
    char32_t v;
    if (!four(0, v)) return fail("invalid Unicode escape");
    pos_ += 4;
    char32_t trail;
    // A lead surrogate escape followed by a trail surrogate escape is one
    // code point in Unicode mode.
    if (v >= 0xD800 && v <= 0xDBFF && peek() == '\\' && peek(1) == 'u' && four(2, trail) &&
        trail >= 0xDC00 && trail <= 0xDFFF) {
      v = 0x10000 + ((v - 0xD800) << 10) + (trail - 0xDC00);
      pos_ += 6;
    }
    out = v;
    return true;
  }

  struct ClassAtom {
    bool is_set = false;
    char32_t ch = 0;
    CharSet set;
  };

  bool class_atom(ClassAtom& atom, Flags flags) {
    if (peek() != '\\') {
      atom.ch = peek();
      ++pos_;
      return true;
    }
    ++pos_;
    const char32_t c = peek();
    if (c == kEnd) return fail("\\ at end of pattern");
    if (c == 'b') {
      atom.ch = 0x08;
      ++pos_;
      return true;
    }
    if (c == 'd' || c == 'D' || c == 's' || c == 'S' || c == 'w' || c == 'W' || c == 'p' ||
        c == 'P') {
      atom.is_set = true;
      return class_escape(atom.set, flags);
    }
    if (c == 'B' || c == 'k' || (c >= '1' && c <= '9')) return fail("invalid class escape");
    return character_escape(atom.ch, true);
  }

  bool character_class(Node& atom, Flags flags) {
    ++pos_;  // [
    atom.kind = Kind::set;
    CharSet& set = atom.set;
    set.ignore_case = flags.i;
    if (peek() == '^') {
      set.negated = true;
      ++pos_;
    }
    for (;;) {
      if (peek() == kEnd) return fail("missing terminating ] for character class");
      if (peek() == ']') {
        ++pos_;
        return true;
      }
      ClassAtom a;
      if (!class_atom(a, flags)) return false;
      if (peek() == '-' && peek(1) != ']' && peek(1) != kEnd) {
        ++pos_;
        ClassAtom b;
        if (!class_atom(b, flags)) return false;
        if (a.is_set || b.is_set) return fail("character class escape in a range");
        if (a.ch > b.ch) return fail("range out of order in character class");
        set.ranges.emplace_back(a.ch, b.ch);
      } else if (a.is_set) {
        set.ranges.insert(set.ranges.end(), a.set.ranges.begin(), a.set.ranges.end());
        set.properties.insert(set.properties.end(), a.set.properties.begin(),
                              a.set.properties.end());
      } else {
        set.ranges.emplace_back(a.ch, a.ch);
      }
    }
  }

  bool resolve_backrefs(Node& root) {
    if (max_backref_ > static_cast<std::uint32_t>(group_count_)) {
      pos_ = max_backref_offset_;
      return fail("reference to a group that does not exist");
    }
    for (const auto& [name, offset] : named_refs_) {
      if (names_.find(name) == names_.end()) {
        pos_ = offset;
        return fail("reference to a group name that does not exist");
      }
    }
    if (build_) resolve(root);
    return true;
  }

  void resolve(Node& n) {
    if (n.kind == Kind::backref) {
      if (n.number != 0) {
        n.targets.push_back(static_cast<int>(n.number));
      } else {
        n.targets = names_.find(n.name)->second.indices;
      }
    }
    for (Node& c : n.children) resolve(c);
  }

  std::u32string_view s_;
  bool build_;
  std::size_t pos_ = 0;
  std::string error_;
  std::size_t error_pos_ = 0;
  std::string unsupported_;
  int group_count_ = 0;
  int next_disjunction_ = 0;
  std::vector<PathStep> path_;
  std::unordered_map<std::u32string, NamedGroup> names_;
  std::uint32_t max_backref_ = 0;
  std::size_t max_backref_offset_ = 0;
  std::vector<std::pair<std::u32string, std::size_t>> named_refs_;
};

std::string position_message(const Parser& p) {
  return p.error() + " at position " + std::to_string(p.error_position());
}

// ---------------------------------------------------------------------------
// Emitter: tree -> PCRE2 pattern for one direction. Backwards ("reversed")
// output is the pattern that, run forwards over the reversed subject, matches
// exactly where the original would match backwards (ECMA-262's lookbehind).

// Length in code points when the node always matches the same number of
// them; PCRE2 needs that inside a lookbehind.
std::optional<std::uint32_t> fixed_length(const Node& n) {
  switch (n.kind) {
    case Kind::literal:
    case Kind::set:
    case Kind::dot:
      return 1;
    case Kind::start:
    case Kind::end:
    case Kind::word_boundary:
    case Kind::lookaround:
      return 0;
    case Kind::backref:
      return std::nullopt;
    case Kind::group:
      return fixed_length(n.children[0]);
    case Kind::repeat: {
      if (n.min != n.max) return std::nullopt;
      const auto inner = fixed_length(n.children[0]);
      if (!inner) return std::nullopt;
      const std::uint64_t total = std::uint64_t{*inner} * n.min;
      if (total > kMaxRepeat) return std::nullopt;
      return static_cast<std::uint32_t>(total);
    }
    case Kind::sequence: {
      std::uint64_t total = 0;
      for (const Node& c : n.children) {
        const auto len = fixed_length(c);
        if (!len) return std::nullopt;
        total += *len;
        if (total > kMaxRepeat) return std::nullopt;
      }
      return static_cast<std::uint32_t>(total);
    }
    case Kind::alternation: {
      std::optional<std::uint32_t> len;
      for (const Node& c : n.children) {
        const auto l = fixed_length(c);
        if (!l || (len && *l != *len)) return std::nullopt;
        len = l;
      }
      return len;
    }
  }
  return std::nullopt;
}

// PCRE2 runs a lookbehind natively when each top-level alternative has a
// fixed length (they may differ).
bool native_lookbehind(const Node& body) {
  for (const Node& alternative : body.children) {
    if (!fixed_length(alternative)) return false;
  }
  return true;
}

void append_hex(std::string& out, char32_t c) {
  char buf[16];
  const auto r = std::to_chars(buf, buf + sizeof buf, static_cast<std::uint32_t>(c), 16);
  out += "\\x{";
  out.append(buf, r.ptr);
  out += '}';
}

void append_char(std::string& out, char32_t c) {
  if ((c >= '0' && c <= '9') || is_ascii_letter(c)) {
    out.push_back(static_cast<char>(c));
  } else {
    append_hex(out, c);
  }
}

// The characters with case variants that `property` (a PCRE2 \p or \P item)
// contains. Listing them in a caseless class folds the property the way
// ECMA-262 does under `i`; PCRE2 never case-folds \p itself.
void add_case_variants(const std::string& property, std::vector<CodeRange>& ranges) {
  int code = 0;
  PCRE2_SIZE offset = 0;
  pcre2_code* re = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(property.data()), property.size(),
                                 PCRE2_UTF | PCRE2_ANCHORED, &code, &offset, nullptr);
  pcre2_match_data* data = pcre2_match_data_create(1, nullptr);
  if (re != nullptr && data != nullptr) {
    std::string utf8;
    for (const unicode::Range& r : unicode::case_variant_ranges()) {
      for (char32_t c = r.first; c <= r.last; ++c) {
        utf8.clear();
        unicode::append_utf8(utf8, c);
        if (pcre2_match(re, reinterpret_cast<PCRE2_SPTR>(utf8.data()), utf8.size(), 0,
                        PCRE2_NO_UTF_CHECK, data, nullptr) >= 0) {
          ranges.emplace_back(c, c);
        }
      }
    }
  }
  pcre2_match_data_free(data);
  pcre2_code_free(re);
}

std::vector<CodeRange> normalize(std::vector<CodeRange> ranges) {
  std::sort(ranges.begin(), ranges.end());
  std::vector<CodeRange> merged;
  for (const CodeRange& r : ranges) {
    if (!merged.empty() && r.first <= merged.back().second + 1) {
      merged.back().second = std::max(merged.back().second, r.second);
    } else {
      merged.push_back(r);
    }
  }
  // UTF-8 subjects hold no surrogates, so they match nothing.
  std::vector<CodeRange> out;
  for (const CodeRange& r : merged) {
    if (r.second < 0xD800 || r.first > 0xDFFF) {
      out.push_back(r);
      continue;
    }
    if (r.first < 0xD800) out.emplace_back(r.first, 0xD7FF);
    if (r.second > 0xDFFF) out.emplace_back(0xE000, r.second);
  }
  return out;
}

// One character that matches nothing; unlike (?!) it has length 1, which
// keeps lookbehind lengths as fixed_length() computed them.
constexpr const char* kNothing = "[^\\x{0}-\\x{10ffff}]";

class Emitter {
 public:
  Emitter(bool reversed, bool ignore_case, int group_count)
      : reversed_(reversed),
        ignore_case_(ignore_case),
        visible_(static_cast<std::size_t>(group_count) + 1, 0) {}

  struct Emulated {
    const Node* lookbehind;
    bool ignore_case;  // in effect where it stands; its program starts with it
  };

  std::string out;
  std::vector<Emulated> lookbehinds;  // in callout order

  // Returns whether what it wrote is a single PCRE2 item a quantifier can
  // follow directly.
  bool emit(const Node& n) {
    switch (n.kind) {
      case Kind::sequence:
        if (n.children.size() == 1) return emit(n.children[0]);
        if (reversed_) {
          for (auto it = n.children.rbegin(); it != n.children.rend(); ++it) emit(*it);
        } else {
          for (const Node& c : n.children) emit(c);
        }
        return false;
      case Kind::alternation:
        if (n.children.size() == 1) return emit(n.children[0]);
        out += "(?:";
        emit_alternatives(n);
        out += ')';
        return true;
      case Kind::literal:
        // UTF-8 text holds no surrogates: a lone one matches nothing.
        if (is_surrogate(n.ch)) {
          out += kNothing;
        } else {
          append_char(out, n.ch);
        }
        return true;
      case Kind::set:
        return emit_set(n.set);
      case Kind::dot:
        out += n.dot_all ? "\\p{Any}" : "[^\\n\\r\\x{2028}\\x{2029}]";
        return true;
      case Kind::start:
      case Kind::end:
        // Backwards, the start of the input is the end of the reversed one.
        // Multiline: no character other than a line terminator before / after.
        if ((n.kind == Kind::start) != reversed_) {
          out += n.multiline ? "(?<![^\\n\\r\\x{2028}\\x{2029}])" : "\\A";
        } else {
          out += n.multiline ? "(?![^\\n\\r\\x{2028}\\x{2029}])" : "\\z";
        }
        return false;
      case Kind::word_boundary:
        emit_word_boundary(n);
        return false;
      case Kind::lookaround:
        emit_lookaround(n);
        return false;
      case Kind::group: {
        const bool outer_ignore_case = ignore_case_;
        if (n.set_ignore_case >= 0) ignore_case_ = n.set_ignore_case == 1;
        if (n.capture > 0) {
          out += "(?<g" + std::to_string(n.capture) + ">";
        } else if (n.set_ignore_case == 1) {
          out += "(?i:";
        } else if (n.set_ignore_case == 0) {
          out += "(?-i:";
        } else {
          out += "(?:";
        }
        emit_alternatives(n.children[0]);
        out += ')';
        ignore_case_ = outer_ignore_case;
        if (n.capture > 0) visible_[static_cast<std::size_t>(n.capture)] = 1;
        return true;
      }
      case Kind::repeat:
        emit_repeat(n);
        return false;
      case Kind::backref:
        emit_backref(n);
        return false;
    }
    return false;
  }

 private:
  bool emit_set(const CharSet& set) {
    std::vector<CodeRange> listed = set.ranges;
    if (set.ignore_case) {
      for (const std::string& p : set.properties) add_case_variants(p, listed);
    }
    const std::vector<CodeRange> ranges = normalize(std::move(listed));
    if (set.properties.empty()) {
      if (ranges.empty()) {
        out += set.negated ? "\\p{Any}" : kNothing;
        return true;
      }
      const bool everything = ranges.size() == 2 && ranges[0] == CodeRange{0, 0xD7FF} &&
                              ranges[1] == CodeRange{0xE000, kMaxCodePoint};
      if (everything) {
        out += set.negated ? kNothing : "\\p{Any}";
        return true;
      }
      if (!set.negated && ranges.size() == 1 && ranges[0].first == ranges[0].second) {
        append_char(out, ranges[0].first);
        return true;
      }
    } else if (!set.negated && ranges.empty() && set.properties.size() == 1) {
      out += set.properties[0];
      return true;
    }
    out += set.negated ? "[^" : "[";
    for (const CodeRange& r : ranges) {
      append_char(out, r.first);
      if (r.second != r.first) {
        if (r.second != r.first + 1) out += '-';
        append_char(out, r.second);
      }
    }
    for (const std::string& p : set.properties) out += p;
    out += ']';
    return true;
  }

  // The alternatives of a disjunction, separated by '|', for a group or
  // assertion that supplies the parentheses.
  void emit_alternatives(const Node& alternation) {
    const std::vector<char> before = visible_;
    std::vector<char> after = before;
    for (std::size_t i = 0; i < alternation.children.size(); ++i) {
      if (i > 0) out += '|';
      visible_ = before;  // a group in another alternative has not captured
      emit(alternation.children[i]);
      for (std::size_t g = 0; g < after.size(); ++g) after[g] |= visible_[g];
    }
    visible_ = std::move(after);
  }

  void emit_word_boundary(const Node& n) {
    if (!n.ignore_case) {
      // Without PCRE2_UCP, \b and \B use ASCII word characters, as ECMA-262 does.
      out += n.negated ? "\\B" : "\\b";
      return;
    }
    // Under `i`, U+017F and U+212A are word characters too; the class is
    // matched caselessly, which brings them in.
    const char* w = "[0-9A-Z_a-z]";
    const std::string is = std::string("(?<=") + w + ")", isnt = std::string("(?<!") + w + ")";
    const std::string next = std::string("(?=") + w + ")", no_next = std::string("(?!") + w + ")";
    if (n.negated) {
      out += "(?:" + is + next + "|" + isnt + no_next + ")";
    } else {
      out += "(?:" + is + no_next + "|" + isnt + next + ")";
    }
  }

  void emit_lookaround(const Node& n) {
    const bool behind = n.behind != reversed_;
    if (behind && !native_lookbehind(n.children[0])) {
      out += "(?C'" + std::to_string(lookbehinds.size()) + "')";
      lookbehinds.push_back({&n, ignore_case_});
      return;
    }
    out += behind ? (n.negated ? "(?<!" : "(?<=") : (n.negated ? "(?!" : "(?=");
    // Alternatives go in unwrapped: PCRE2 lets top-level alternatives of a
    // lookbehind differ in length, but not those of a group inside it.
    const std::vector<char> before = visible_;
    emit_alternatives(n.children[0]);
    if (n.negated) visible_ = before;  // nothing it captured survives it
    out += ')';
  }

  void emit_repeat(const Node& n) {
    std::string saved;
    saved.swap(out);
    const bool single = emit(n.children[0]);
    std::string atom;
    atom.swap(out);
    out.swap(saved);
    if (single) {
      out += atom;
    } else {
      out += "(?:" + atom + ")";
    }
    const std::uint32_t lo = std::min(n.min, kMaxRepeat);
    const std::uint32_t hi = n.max == kInfinite ? kInfinite : std::min(n.max, kMaxRepeat);
    if (lo == 0 && hi == kInfinite) {
      out += '*';
    } else if (lo == 1 && hi == kInfinite) {
      out += '+';
    } else if (lo == 0 && hi == 1) {
      out += '?';
    } else if (lo == hi) {
      out += "{" + std::to_string(lo) + "}";
    } else if (hi == kInfinite) {
      out += "{" + std::to_string(lo) + ",}";
    } else {
      out += "{" + std::to_string(lo) + "," + std::to_string(hi) + "}";
    }
    if (!n.greedy) out += '?';
  }

  // ECMA-262: a reference to a group that has not captured matches the empty
  // string; PCRE2 would fail instead, so each reference tests its group.
  // Several targets come from a name shared by groups in different
  // alternatives: whichever captured is used.
  //
  // A group that cannot have captured yet, in this iteration of every
  // quantifier around it, is left out: it comes later in matching order,
  // encloses the reference, sits in another alternative or in a negative
  // assertion, or belongs to another program. ECMA-262 clears a quantified
  // atom's captures at each iteration where PCRE2 keeps the previous ones.
  void emit_backref(const Node& n) {
    std::vector<std::string> names;
    for (int t : n.targets) {
      if (visible_[static_cast<std::size_t>(t)]) names.push_back("g" + std::to_string(t));
    }
    if (names.empty()) return;
    if (names.size() == 1) {
      out += "(?(<" + names[0] + ">)\\k<" + names[0] + ">)";
      return;
    }
    out += "(?:";
    for (const std::string& name : names) out += "(?(<" + name + ">)\\k<" + name + ">|(?!))|";
    for (const std::string& name : names) out += "(?(<" + name + ">)(?!))";
    out += ')';
  }

  bool reversed_;
  bool ignore_case_;
  // Groups that may have captured at the point being written, in matching
  // order (which is reversed order in a backwards program).
  std::vector<char> visible_;
};

// ---------------------------------------------------------------------------
// Compiled programs

struct Program;

struct Lookbehind {
  std::unique_ptr<Program> program;
  bool negated = false;
};

struct Program {
  pcre2_code* code = nullptr;
  bool jit = false;
  bool on_reversed = false;  // runs against the reversed subject
  std::string pattern;
  std::vector<Lookbehind> lookbehinds;

  Program() = default;
  Program(const Program&) = delete;
  Program& operator=(const Program&) = delete;
  ~Program() { pcre2_code_free(code); }
};

std::unique_ptr<Program> build_program(const Node& body, int group_count, bool reversed,
                                       bool ignore_case, int depth, std::string& error) {
  if (depth > kMaxLookbehindDepth) {
    error = "variable-length lookbehinds nested too deeply";
    return nullptr;
  }
  Emitter emitter(reversed, ignore_case, group_count);
  if (ignore_case) emitter.out += "(?i:";
  emitter.emit(body);
  if (ignore_case) emitter.out += ')';

  auto program = std::make_unique<Program>();
  program->on_reversed = reversed;
  program->pattern = std::move(emitter.out);

  // No PCRE2_UCP: it would widen \b and \B beyond ASCII. UTF mode alone
  // already gives Unicode case folding and \p{...}. ECMA-262's \d \w \s are
  // written out as explicit classes, so UCP would not matter to them.
  std::uint32_t options = PCRE2_UTF | PCRE2_DOLLAR_ENDONLY | PCRE2_NEVER_BACKSLASH_C;
  // A lookbehind program must match right at the lookbehind's position; the
  // automatic callouts count its steps against the search's shared budget.
  if (depth > 0) options |= PCRE2_ANCHORED | PCRE2_AUTO_CALLOUT;
  // Auto-possessification sees through callouts, so it would make `\s*` in
  // `\s*(?<!x+)` possessive although the lookbehind callout can fail at the
  // end of the run and need it to give characters back.
  if (!emitter.lookbehinds.empty()) options |= PCRE2_NO_AUTO_POSSESS;
  pcre2_compile_context* context = pcre2_compile_context_create(nullptr);
  if (context == nullptr) {
    error = "out of memory";
    return nullptr;
  }
  // Each ECMA-262 group can become up to three PCRE2 groups.
  pcre2_set_parens_nest_limit(context, 4 * kMaxNesting + 16);
  int code = 0;
  PCRE2_SIZE offset = 0;
  program->code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(program->pattern.data()),
                                program->pattern.size(), options, &code, &offset, context);
  pcre2_compile_context_free(context);
  if (program->code == nullptr) {
    PCRE2_UCHAR message[256];
    pcre2_get_error_message(code, message, sizeof message);
    error = std::string("PCRE2 cannot compile the translated pattern: ") +
            reinterpret_cast<const char*>(message);
    return nullptr;
  }
  // Lookbehind programs run from inside a callout of a JIT match; the
  // interpreter keeps them off the machine stack the outer match is using.
  if (depth == 0) program->jit = pcre2_jit_compile(program->code, PCRE2_JIT_COMPLETE) == 0;

  for (const Emitter::Emulated& e : emitter.lookbehinds) {
    Lookbehind lb;
    lb.negated = e.lookbehind->negated;
    lb.program = build_program(e.lookbehind->children[0], group_count, !reversed, e.ignore_case,
                               depth + 1, error);
    if (!lb.program) return nullptr;
    program->lookbehinds.push_back(std::move(lb));
  }
  return program;
}

// ---------------------------------------------------------------------------
// Matching

void configure_limits(pcre2_match_context* context) {
  pcre2_set_match_limit(context, RegexLimits::match_limit);
  pcre2_set_heap_limit(context, RegexLimits::heap_limit_kib);
}

// Reused by every search on a thread: a match data block (which also keeps
// the interpreter's backtracking frames), a match context and a JIT stack,
// so that a search allocates nothing once the thread has warmed up.
struct ThreadCache {
  pcre2_match_data* data = nullptr;
  pcre2_match_context* context = nullptr;
  pcre2_jit_stack* jit_stack = nullptr;

  ThreadCache() {
    data = pcre2_match_data_create(1, nullptr);
    context = pcre2_match_context_create(nullptr);
    if (context != nullptr) {
      configure_limits(context);
      jit_stack = pcre2_jit_stack_create(32 * 1024, RegexLimits::jit_stack_max, nullptr);
      if (jit_stack != nullptr) pcre2_jit_stack_assign(context, nullptr, jit_stack);
    }
  }
  ~ThreadCache() {
    pcre2_match_data_free(data);
    pcre2_match_context_free(context);
    pcre2_jit_stack_free(jit_stack);
  }
  ThreadCache(const ThreadCache&) = delete;
  ThreadCache& operator=(const ThreadCache&) = delete;
};

ThreadCache& thread_cache() {
  thread_local ThreadCache cache;
  return cache;
}

// State of one search that has emulated lookbehinds.
struct SearchState {
  std::string_view forward;
  std::string reversed;
  bool have_reversed = false;
  std::uint64_t budget_left;
  bool exceeded = false;
  // One match data block and context per lookbehind nesting level.
  std::array<pcre2_match_data*, kMaxLookbehindDepth + 1> data{};
  std::array<pcre2_match_context*, kMaxLookbehindDepth + 1> contexts{};

  explicit SearchState(std::string_view subject)
      : forward(subject),
        budget_left(RegexLimits::lookbehind_budget +
                    RegexLimits::lookbehind_budget_per_byte * subject.size()) {}
  ~SearchState() {
    for (auto* d : data) pcre2_match_data_free(d);
    for (auto* c : contexts) pcre2_match_context_free(c);
  }
  SearchState(const SearchState&) = delete;
  SearchState& operator=(const SearchState&) = delete;

  // The subject with its code points in reverse order; a byte offset p in
  // one is offset size - p in the other.
  std::string_view backward() {
    if (!have_reversed) {
      reversed.resize(forward.size());
      std::size_t i = 0;
      while (i < forward.size()) {
        char32_t cp;
        std::size_t len = unicode::decode_utf8(forward, i, cp);
        if (len == 0) len = 1;  // subjects are validated before matching
        std::copy_n(forward.data() + i, len, reversed.data() + (forward.size() - i - len));
        i += len;
      }
      have_reversed = true;
    }
    return reversed;
  }
};

struct Frame {
  SearchState* state;
  const Program* program;
  int depth;
  PCRE2_SIZE last_position;  // of the previous automatic callout
};

const PCRE2_UCHAR kEmpty[] = {0};

PCRE2_SPTR subject_pointer(std::string_view s) {
  return s.empty() ? kEmpty : reinterpret_cast<PCRE2_SPTR>(s.data());
}

int callout(pcre2_callout_block* block, void* data) {
  const Frame& frame = *static_cast<const Frame*>(data);
  SearchState& state = *frame.state;
  if (block->callout_string == nullptr) {
    // Automatic callout, before each item of a lookbehind program. The
    // distance moved since the previous one is what the last item scanned,
    // so steps plus distance measure the work, whatever the pattern.
    Frame& self = *static_cast<Frame*>(data);
    const PCRE2_SIZE pos = block->current_position;
    const std::uint64_t cost =
        1 + (pos > self.last_position ? pos - self.last_position : self.last_position - pos);
    self.last_position = pos;
    if (cost > state.budget_left) {
      state.exceeded = true;
      return PCRE2_ERROR_CALLOUT;
    }
    state.budget_left -= cost;
    return 0;
  }
  std::size_t index = 0;
  const char* text = reinterpret_cast<const char*>(block->callout_string);
  std::from_chars(text, text + block->callout_string_length, index);
  const Lookbehind& lb = frame.program->lookbehinds[index];
  const int depth = frame.depth + 1;
  const auto slot = static_cast<std::size_t>(depth);
  if (state.contexts[slot] == nullptr) {
    state.contexts[slot] = pcre2_match_context_create(nullptr);
    state.data[slot] = pcre2_match_data_create(1, nullptr);
    if (state.contexts[slot] == nullptr || state.data[slot] == nullptr) {
      state.exceeded = true;
      return PCRE2_ERROR_CALLOUT;
    }
    configure_limits(state.contexts[slot]);
    pcre2_set_heap_limit(state.contexts[slot], RegexLimits::lookbehind_heap_limit_kib);
  }
  const std::string_view subject = lb.program->on_reversed ? state.backward() : state.forward;
  const PCRE2_SIZE start = subject.size() - block->current_position;
  Frame inner{&state, lb.program.get(), depth, start};
  pcre2_set_callout(state.contexts[slot], callout, &inner);
  const int rc = pcre2_match(lb.program->code, subject_pointer(subject), subject.size(), start,
                             PCRE2_NO_UTF_CHECK, state.data[slot], state.contexts[slot]);
  if (rc < 0 && rc != PCRE2_ERROR_NOMATCH) {
    state.exceeded = true;
    return PCRE2_ERROR_CALLOUT;
  }
  const bool found = rc >= 0;
  return found != lb.negated ? 0 : 1;  // 1: fail here and backtrack
}

// The pattern as a detail::SequenceMatcher when it is `^`, then characters,
// classes and dots each optionally quantified, then `$` (nullopt otherwise).
// Sets using \p{..} items or case folding are left to PCRE2.
std::optional<detail::SequenceMatcher> sequence_matcher(const Node& root) {
  if (root.kind != Kind::alternation || root.children.size() != 1) return std::nullopt;
  const std::vector<Node>& terms = root.children[0].children;
  if (terms.size() < 2 || terms.front().kind != Kind::start || terms.front().multiline ||
      terms.back().kind != Kind::end || terms.back().multiline) {
    return std::nullopt;
  }
  std::vector<detail::SequenceItem> items;
  for (std::size_t k = 1; k + 1 < terms.size(); ++k) {
    detail::SequenceItem item;
    const Node* atom = &terms[k];
    if (atom->kind == Kind::repeat) {
      item.min = atom->min;
      item.max = atom->max;
      atom = &atom->children[0];
    }
    std::vector<CodeRange> ranges;
    switch (atom->kind) {
      case Kind::literal:
        ranges = {{atom->ch, atom->ch}};
        break;
      case Kind::dot:
        ranges = atom->dot_all ? std::vector<CodeRange>{{0, kMaxCodePoint}}
                               : complement({{'\n', '\n'}, {'\r', '\r'}, {0x2028, 0x2029}});
        break;
      case Kind::set: {
        if (atom->set.ignore_case || !atom->set.properties.empty()) return std::nullopt;
        // Surrogates dropped by normalize() cannot occur in decoded UTF-8.
        ranges = atom->set.negated ? complement(normalize(atom->set.ranges)) : atom->set.ranges;
        break;
      }
      default:
        return std::nullopt;
    }
    item.set = detail::CodePointSet::of(std::move(ranges));
    items.push_back(std::move(item));
  }
  return detail::SequenceMatcher::make(std::move(items));
}

}  // namespace

struct Regex::Impl {
  std::string source;
  std::unique_ptr<Program> main;
  std::optional<detail::SequenceMatcher> sequence;  // used instead of `main` when set
};

Regex::Regex(std::shared_ptr<const Impl> impl) : impl_(std::move(impl)) {}

namespace {

// Parses `pattern`; false with a message when it is not valid ECMA-262.
bool parse(std::string_view pattern, bool build_tree, std::u32string& code_points, Node& root,
           int& groups, std::string& unsupported, std::string& error) {
  if (!unicode::decode_utf8(pattern, code_points)) {
    error = "pattern is not valid UTF-8";
    return false;
  }
  Parser parser(code_points, build_tree);
  if (!parser.parse(root)) {
    error = position_message(parser);
    return false;
  }
  groups = parser.group_count();
  unsupported = parser.unsupported();
  return true;
}

}  // namespace

std::optional<Regex> Regex::compile(std::string_view pattern, std::string* error) {
  std::u32string code_points;
  Node root;
  int groups = 0;
  std::string unsupported, message;
  if (!parse(pattern, true, code_points, root, groups, unsupported, message)) {
    if (error) *error = message;
    return std::nullopt;
  }
  if (!unsupported.empty()) {
    if (error) *error = unsupported;
    return std::nullopt;
  }
  auto impl = std::make_shared<Impl>();
  impl->source = std::string(pattern);
  impl->main = build_program(root, groups, false, false, 0, message);
  if (!impl->main) {
    if (error) *error = message;
    return std::nullopt;
  }
  impl->sequence = sequence_matcher(root);
  return Regex(std::move(impl));
}

Regex Regex::must_compile(std::string_view pattern) {
  std::string error;
  std::optional<Regex> re = compile(pattern, &error);
  if (!re) {
    throw std::logic_error("invalid pattern /" + std::string(pattern) + "/: " + error);
  }
  return std::move(*re);
}

RegexResult Regex::search(std::string_view subject) const {
  if (impl_->sequence) {
    return impl_->sequence->matches(subject) ? RegexResult::match : RegexResult::no_match;
  }
  if (!unicode::is_valid_utf8(subject)) return RegexResult::no_match;
  ThreadCache& cache = thread_cache();
  if (cache.data == nullptr || cache.context == nullptr) return RegexResult::limit_exceeded;
  const Program& program = *impl_->main;
  const PCRE2_SPTR text = subject_pointer(subject);
  int rc;
  if (program.lookbehinds.empty()) {
    rc = program.jit ? pcre2_jit_match(program.code, text, subject.size(), 0, 0, cache.data,
                                       cache.context)
                     : pcre2_match(program.code, text, subject.size(), 0, PCRE2_NO_UTF_CHECK,
                                   cache.data, cache.context);
  } else {
    SearchState state(subject);
    Frame frame{&state, &program, 0, 0};
    pcre2_set_callout(cache.context, callout, &frame);
    rc = program.jit ? pcre2_jit_match(program.code, text, subject.size(), 0, 0, cache.data,
                                       cache.context)
                     : pcre2_match(program.code, text, subject.size(), 0, PCRE2_NO_UTF_CHECK,
                                   cache.data, cache.context);
    pcre2_set_callout(cache.context, nullptr, nullptr);
    if (state.exceeded) return RegexResult::limit_exceeded;
  }
  if (rc >= 0) return RegexResult::match;
  if (rc == PCRE2_ERROR_NOMATCH) return RegexResult::no_match;
  return RegexResult::limit_exceeded;
}

const std::string& Regex::source() const { return impl_->source; }
const std::string& Regex::translation() const { return impl_->main->pattern; }
bool Regex::jit_compiled() const { return impl_->main->jit; }
bool Regex::runs_without_pcre2() const { return impl_->sequence.has_value(); }

bool is_valid_ecma_regex(std::string_view pattern, std::string* error) {
  std::u32string code_points;
  Node root;
  int groups = 0;
  std::string unsupported, message;
  if (!parse(pattern, false, code_points, root, groups, unsupported, message)) {
    if (error) *error = message;
    return false;
  }
  return true;
}

}  // namespace keel::schema
