#pragma once

// A matcher for the commonest shape of JSON Schema `pattern`: anchored at both
// ends and made only of single characters, classes and `.`, each with an
// optional quantifier, e.g. `^[a-z][A-Za-z0-9]{0,99}$` or `^key_[0-9a-z]{26}$`.
// Such a pattern is matched in one pass without backtracking, which costs a
// few nanoseconds where a PCRE2 call costs tens. Regex::compile uses it when
// the pattern qualifies (keel/regex.h); the PCRE2 program is still built, so
// what compiles and what does not is unchanged.

#include <cstdint>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

namespace keel::schema::detail {

using CodePointRange = std::pair<char32_t, char32_t>;

/// A set of code points: a bitmap for ASCII, sorted disjoint ranges above it.
class CodePointSet {
 public:
  /// `ranges` in any order, possibly overlapping.
  static CodePointSet of(std::vector<CodePointRange> ranges);

  bool contains_ascii(unsigned byte) const { return (ascii_[byte >> 6] >> (byte & 63)) & 1u; }
  bool contains_wide(char32_t cp) const;
  bool intersects(const CodePointSet& other) const;
  void add(const CodePointSet& other);

 private:
  std::uint64_t ascii_[2] = {0, 0};
  std::vector<CodePointRange> wide_;  // >= 0x80, sorted, disjoint, not adjacent
};

/// One item: a set repeated between `min` and `max` times (`max` may be
/// UINT32_MAX for "unbounded").
struct SequenceItem {
  CodePointSet set;
  std::uint32_t min = 1;
  std::uint32_t max = 1;
};

/// Whole-string matching of a sequence of items, each taking as many
/// characters as it can. That is exactly what a backtracking engine finds
/// whenever no item of variable length can take a character that the items
/// after it could start with; make() checks this and declines otherwise.
class SequenceMatcher {
 public:
  static std::optional<SequenceMatcher> make(std::vector<SequenceItem> items);

  /// True when all of `subject` matches. Characters are code points; a
  /// subject that is not valid UTF-8 never matches (every byte of a match is
  /// decoded strictly, and a failed match is false anyway).
  bool matches(std::string_view subject) const;

 private:
  std::vector<SequenceItem> items_;
};

}  // namespace keel::schema::detail
