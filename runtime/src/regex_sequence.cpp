#include "regex_sequence.h"

#include <algorithm>

namespace keel::schema::detail {

CodePointSet CodePointSet::of(std::vector<CodePointRange> ranges) {
  CodePointSet set;
  std::sort(ranges.begin(), ranges.end());
  for (CodePointRange r : ranges) {
    for (char32_t c = r.first; c <= r.second && c < 0x80; ++c) set.ascii_[c >> 6] |= 1ull << (c & 63);
    if (r.second < 0x80) continue;
    r.first = std::max<char32_t>(r.first, 0x80);
    if (!set.wide_.empty() && r.first <= set.wide_.back().second + 1) {
      set.wide_.back().second = std::max(set.wide_.back().second, r.second);
    } else {
      set.wide_.push_back(r);
    }
  }
  return set;
}

bool CodePointSet::contains_wide(char32_t cp) const {
  auto it = std::upper_bound(wide_.begin(), wide_.end(), cp,
                             [](char32_t c, const CodePointRange& r) { return c < r.first; });
  return it != wide_.begin() && cp <= std::prev(it)->second;
}

bool CodePointSet::intersects(const CodePointSet& other) const {
  if ((ascii_[0] & other.ascii_[0]) != 0 || (ascii_[1] & other.ascii_[1]) != 0) return true;
  auto a = wide_.begin();
  auto b = other.wide_.begin();
  while (a != wide_.end() && b != other.wide_.end()) {
    if (a->second < b->first) {
      ++a;
    } else if (b->second < a->first) {
      ++b;
    } else {
      return true;
    }
  }
  return false;
}

void CodePointSet::add(const CodePointSet& other) {
  std::vector<CodePointRange> ranges = wide_;
  ranges.insert(ranges.end(), other.wide_.begin(), other.wide_.end());
  CodePointSet merged = of(std::move(ranges));
  merged.ascii_[0] = ascii_[0] | other.ascii_[0];
  merged.ascii_[1] = ascii_[1] | other.ascii_[1];
  *this = std::move(merged);
}

std::optional<SequenceMatcher> SequenceMatcher::make(std::vector<SequenceItem> items) {
  // Taking fewer characters than possible at a variable item i leaves one of
  // its characters for the items after it; if none of those that could come
  // next (up to and including the first that must take one) accepts it, no
  // shorter choice can succeed, so the greedy one is the only one to try.
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (items[i].min == items[i].max) continue;
    CodePointSet next;
    for (std::size_t j = i + 1; j < items.size(); ++j) {
      next.add(items[j].set);
      if (items[j].min > 0) break;
    }
    if (items[i].set.intersects(next)) return std::nullopt;
  }
  for (SequenceItem& item : items) {
    for (unsigned b = 0; b < 0x80; ++b) item.byte_class[b] = item.set.contains_ascii(b) ? 1 : 0;
    for (unsigned b = 0x80; b < 0x100; ++b) item.byte_class[b] = item.set.has_wide() ? 2 : 0;
  }
  SequenceMatcher m;
  m.items_ = std::move(items);
  return m;
}

}  // namespace keel::schema::detail
