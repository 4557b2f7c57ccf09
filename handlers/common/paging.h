#pragma once

#include <cstdint>
#include <utility>
#include <vector>

namespace keel::reference {

inline constexpr std::int64_t kDefaultLimit = 25;
inline constexpr std::int64_t kMaxLimit = 100;

/// Throws keel::validation_failed (pointers /query/page, /query/limit) for
/// page < 1 or limit outside 1..100: out-of-range values are refused, never
/// clamped, as the API promises.
void check_page(std::int64_t page, std::int64_t limit);

/// Row offset of `page`, saturating rather than overflowing for huge pages.
std::int64_t page_offset(std::int64_t page, std::int64_t limit);

/// One page of a list model ({data, page, limit, total}: DatasetList,
/// SynthesizeJobList).
template <class List, class Item>
List page_of(std::vector<Item> data, std::int64_t page, std::int64_t limit, std::int64_t total) {
  List list;
  list.data = std::move(data);
  list.page = page;
  list.limit = limit;
  list.total = total;
  return list;
}

} // namespace keel::reference
