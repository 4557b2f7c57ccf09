#pragma once

// A matcher for the commonest shape of JSON Schema `pattern`: anchored at both
// ends and made only of single characters, classes and `.`, each with an
// optional quantifier, e.g. `^[a-z][A-Za-z0-9]{0,99}$` or `^key_[0-9a-z]{26}$`.
// Such a pattern is matched in one pass without backtracking, which costs a
// few nanoseconds where a PCRE2 call costs tens. Regex::compile uses it when
// the pattern qualifies (keel/regex.h); the PCRE2 program is still built, so
// what compiles and what does not is unchanged.

#include "unicode_utf8.h"

#include <algorithm>
#include <array>
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
  bool has_wide() const { return !wide_.empty(); }
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
  /// Per first byte: 1 an ASCII member, 0 not a member, 2 the lead byte of a
  /// non-ASCII character to decode (only when the set has any). Filled by
  /// SequenceMatcher::make.
  std::array<std::uint8_t, 256> byte_class{};
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
  bool matches(std::string_view subject) const {
    const std::size_t n = subject.size();
    const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(subject[k]); };
    std::size_t i = 0;
    for (const SequenceItem& item : items_) {
      std::uint32_t count = 0;  // characters taken
      for (;;) {
        // A run of ASCII members: one byte per character.
        const std::size_t end = i + std::min<std::size_t>(item.max - count, n - i);
        const std::size_t start = i;
        while (i < end && item.byte_class[byte(i)] == 1) ++i;
        count += static_cast<std::uint32_t>(i - start);
        if (i == end || item.byte_class[byte(i)] == 0) break;
        char32_t cp;
        const std::size_t len = unicode::decode_utf8(subject, i, cp);
        if (len == 0) return false;
        if (!item.set.contains_wide(cp)) break;
        i += len;
        ++count;
      }
      if (count < item.min) return false;
    }
    return i == n;
  }

 private:
  std::vector<SequenceItem> items_;
};

}  // namespace keel::schema::detail
