#pragma once

#include <nlohmann/json.hpp>

#include <cstdint>

namespace keel::reference {

inline constexpr std::int64_t kDefaultLimit = 25;
inline constexpr std::int64_t kMaxLimit = 100;

/// Throws keel::validation_failed (pointers /query/page, /query/limit) for
/// page < 1 or limit outside 1..100: out-of-range values are refused, never
/// clamped, as the API promises.
void check_page(std::int64_t page, std::int64_t limit);

/// Row offset of `page`, saturating rather than overflowing for huge pages.
std::int64_t page_offset(std::int64_t page, std::int64_t limit);

/// {data, page, limit, total}
nlohmann::json page_json(nlohmann::json data, std::int64_t page, std::int64_t limit,
                         std::int64_t total);

} // namespace keel::reference
